import ArgumentParser
import FaceIO
import Foundation
import SMTPCore
import SMTPTransport

extension TLSClientOptions.Version: ExpressibleByArgument {}

/// The TLS and connection controls the explorer, batch mode and probe share: what
/// `openssl s_client` and swaks users reach for.
struct TLSControls: ParsableArguments {
    @Option(help: ArgumentHelp("Send NAME as the TLS server name (SNI), and check the certificate for it.", valueName: "NAME"))
    var sni: String?

    @Flag(name: .customLong("no-sni"), help: "Send no server name in the TLS handshake.")
    var noSNI = false

    @Option(name: .customLong("verify-name"), help: ArgumentHelp("Check the certificate for NAME.", valueName: "NAME"))
    var verifyName: String?

    @Option(name: .customLong("ca-file"), help: ArgumentHelp("Trust the CA certificates in this PEM file as well as the system's.", valueName: "PEM"))
    var caFile: String?

    @Flag(name: .customLong("ca-only"), help: "Trust only --ca-file's certificates, not the system's.")
    var caOnly = false

    @Option(help: ArgumentHelp("Require this SHA-256 of a public key (sha256//BASE64, base64, or hex) or of a certificate; repeatable.",
                               valueName: "SHA256"))
    var pin: [String] = []

    @Option(name: .customLong("tls-min"), help: ArgumentHelp("The lowest TLS version to offer: 1.0, 1.1, 1.2, 1.3.", valueName: "VERSION"))
    var tlsMin: TLSClientOptions.Version?

    @Option(name: .customLong("tls-max"), help: ArgumentHelp("The highest TLS version to offer.", valueName: "VERSION"))
    var tlsMax: TLSClientOptions.Version?

    @Option(help: ArgumentHelp("TLS 1.2 suites by OpenSSL or IANA name, separated by :, e.g. ECDHE-RSA-AES128-GCM-SHA256:AES128-SHA.", valueName: "LIST"))
    var ciphers: String?

    @Option(name: .customLong("client-cert"), help: ArgumentHelp("Present this PEM certificate (chain) to the server.", valueName: "PEM"))
    var clientCert: String?

    @Option(name: .customLong("client-key"), help: ArgumentHelp("The private key of --client-cert, PEM.", valueName: "PEM"))
    var clientKey: String?

    @Flag(name: .customShort("4"), help: "Connect over IPv4 only.")
    var ipv4 = false

    @Flag(name: .customShort("6"), help: "Connect over IPv6 only.")
    var ipv6 = false

    @Option(help: ArgumentHelp("Connect from this local address.", valueName: "ADDR"))
    var source: String?

    @Option(name: .customLong("save-chain"), help: ArgumentHelp("Write the server's certificates to FILE as PEM once TLS is up.", valueName: "FILE"))
    var saveChain: String?

    func validate() throws {
        if noSNI && sni != nil { throw ValidationError("--sni and --no-sni contradict each other.") }
        if ipv4 && ipv6 { throw ValidationError("-4 and -6 contradict each other: give at most one.") }
        if caOnly && caFile == nil { throw ValidationError("--ca-only needs --ca-file.") }
        for value in pin where TLSClientOptions.parsePin(value) == nil {
            throw ValidationError("--pin '\(value)' is not a SHA-256: give sha256//BASE64, 44 characters of base64, or 64 hex digits.")
        }
        if let source {
            guard let family = Self.family(of: source) else {
                throw ValidationError("--source '\(source)' is not an IPv4 or IPv6 address.")
            }
            if (ipv4 && family == .v6) || (ipv6 && family == .v4) {
                throw ValidationError("--source \(source) is not of the family -\(ipv4 ? 4 : 6) asks for.")
            }
        }
        if let saveChain {
            let folder = URL(fileURLWithPath: saveChain).deletingLastPathComponent().path
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
                throw ValidationError("--save-chain \(saveChain): the folder \(folder) does not exist.")
            }
        }
        _ = try tls(insecure: false)
    }

    /// The TLS options, with the files read and the context built once so that a bad one is
    /// an error now.
    func tls(insecure: Bool) throws -> TLSClientOptions {
        let read = { (option: String, path: String?) throws -> String? in
            guard let path else { return nil }
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw ValidationError("\(option): cannot read \(path).")
            }
            return text
        }
        var sniChoice = TLSClientOptions.SNI.automatic
        if noSNI { sniChoice = .off }
        if let sni { sniChoice = .name(sni) }
        let options = TLSClientOptions(
            insecure: insecure, sni: sniChoice, verifyName: verifyName, extraRoots: try read("--ca-file", caFile).map { [$0] } ?? [],
            caOnly: caOnly, pins: pin.compactMap(TLSClientOptions.parsePin), minimumVersion: tlsMin, maximumVersion: tlsMax,
            ciphers: ciphers, clientCertificate: try read("--client-cert", clientCert), clientKey: try read("--client-key", clientKey))
        do {
            try options.check()
        } catch {
            throw ValidationError(error.description)
        }
        return options
    }

    var network: NetworkOptions {
        let family: AddressFamily? = ipv4 ? .v4 : ipv6 ? .v6 : source.flatMap(Self.family)
        return NetworkOptions(family: family, source: source)
    }

    /// Whether a host given as an address contradicts `-4` or `-6`.
    func checkHost(_ host: String) throws {
        guard let family = Self.family(of: host) else { return }
        if (ipv4 && family == .v6) || (ipv6 && family == .v4) {
            throw ValidationError("\(host) is an IP\(family == .v4 ? "v4" : "v6") address, but -\(ipv4 ? 4 : 6) was given.")
        }
    }

    static func family(of text: String) -> AddressFamily? {
        let bare = text.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        var v4 = in_addr()
        var v6 = in6_addr()
        if inet_pton(AF_INET, bare, &v4) == 1 { return .v4 }
        if inet_pton(AF_INET6, bare, &v6) == 1 { return .v6 }
        return nil
    }
}
