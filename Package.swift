// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "smtpx",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "smtpx", targets: ["smtpx"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CNcurses",
            path: "CNcurses",
            providers: [.apt(["libncurses-dev"])]
        ),
        .target(name: "SMTPCore"),
        .target(name: "SMTPKnowledge", dependencies: ["SMTPCore"]),
        .executableTarget(
            name: "smtpx",
            dependencies: [
                "SMTPCore",
                "SMTPKnowledge",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "smtpx-bench",
            dependencies: ["SMTPCore"],
            path: "Sources/SMTPBench"
        ),
        .testTarget(
            name: "SMTPCoreTests",
            dependencies: ["SMTPCore"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "SMTPKnowledgeTests", dependencies: ["SMTPKnowledge"]),
    ],
    swiftLanguageModes: [.v6]
)
