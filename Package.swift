// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "smtpx",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "smtpx", targets: ["smtpx"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CNcurses",
            path: "CNcurses",
            providers: [.apt(["libncurses-dev"])]
        ),
        .systemLibrary(
            name: "CLDNS",
            path: "CLDNS",
            providers: [.apt(["libldns-dev", "libidn2-dev"])]
        ),
        .target(name: "SMTPCore"),
        .target(name: "DNSTransport", dependencies: ["CLDNS", "SMTPCore"]),
        .target(name: "SMTPKnowledge", dependencies: ["SMTPCore"]),
        .target(
            name: "SMTPTransport",
            dependencies: [
                "SMTPCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "PracticeServer",
            dependencies: [
                "SMTPCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(name: "Conversation", dependencies: ["SMTPCore", "SMTPKnowledge"]),
        .target(name: "EventQueue"),
        .target(name: "Panes", dependencies: ["SMTPCore", "SMTPKnowledge", "Conversation"]),
        .target(name: "CursesUI", dependencies: ["CNcurses", "Panes", "EventQueue"]),
        .target(name: "FaceIO", dependencies: ["Conversation", "DNSTransport", "EventQueue", "SMTPCore", "SMTPTransport"]),
        .target(
            name: "Batch",
            dependencies: ["Conversation", "DNSTransport", "EventQueue", "FaceIO", "SMTPCore", "SMTPKnowledge", "SMTPTransport"]
        ),
        .target(name: "Lessons", dependencies: ["Conversation", "SMTPCore", "SMTPKnowledge"], resources: [.copy("Lessons")]),
        .target(name: "Probe", dependencies: ["Conversation", "SMTPCore", "SMTPKnowledge", .product(name: "Crypto", package: "swift-crypto")]),
        .target(
            name: "ProbeRun",
            dependencies: [
                "Batch", "Conversation", "DNSTransport", "FaceIO", "Probe", "SMTPCore", "SMTPKnowledge", "SMTPTransport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .target(
            name: "Explorer",
            dependencies: [
                "Conversation", "CursesUI", "DNSTransport", "EventQueue", "FaceIO", "Lessons", "Panes", "PracticeServer", "SMTPCore",
                "SMTPKnowledge", "SMTPTransport",
            ]
        ),
        .executableTarget(
            name: "smtpx",
            dependencies: [
                "Batch",
                "Conversation",
                "CursesUI",
                "DNSTransport",
                "Explorer",
                "FaceIO",
                "Lessons",
                "Panes",
                "PracticeServer",
                "Probe",
                "ProbeRun",
                "SMTPCore",
                "SMTPKnowledge",
                "SMTPTransport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "smtpx-fuzz", dependencies: ["SMTPCore"], path: "Sources/SMTPFuzz"),
        .executableTarget(
            name: "smtpx-bench",
            dependencies: ["SMTPCore", "SMTPKnowledge", "Conversation", "Panes"],
            path: "Sources/SMTPBench"
        ),
        .testTarget(
            name: "SMTPCoreTests",
            dependencies: ["SMTPCore", .product(name: "Crypto", package: "swift-crypto")],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "SMTPKnowledgeTests", dependencies: ["SMTPKnowledge"]),
        .testTarget(name: "RouteTests", dependencies: ["SMTPCore", "SMTPKnowledge", "DNSTransport"], exclude: ["Golden"]),
        .testTarget(
            name: "SMTPTransportTests",
            dependencies: [
                "SMTPTransport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(name: "PracticeServerTests", dependencies: ["PracticeServer", "SMTPCore"]),
        .testTarget(name: "LessonsTests", dependencies: ["Lessons", "Conversation", "SMTPCore", "SMTPKnowledge"]),
        .testTarget(name: "ProbeTests", dependencies: ["Probe", "Conversation", "SMTPCore", "SMTPKnowledge"]),
        .testTarget(name: "ConversationTests", dependencies: ["Conversation", "SMTPCore", "SMTPKnowledge"]),
        .testTarget(name: "PanesTests", dependencies: ["Panes", "SMTPCore", "SMTPKnowledge"], resources: [.copy("Golden")]),
    ],
    swiftLanguageModes: [.v6]
)
