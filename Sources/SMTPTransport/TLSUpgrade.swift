import Foundation
import NIOCore
import NIOSSL
import SMTPCore
import Synchronization

/// What one TLS handshake has learnt so far: the chain and its problems, the cipher suite.
final class TLSProgress: Sendable {
    struct Facts {
        var outcome: CertificateCheck.Outcome?
        var handshake = HandshakeFacts()
        var completed = false
    }

    let facts = Mutex(Facts())
    /// The certificate's problems were accepted (`--insecure`).
    let insecure: Bool

    init(insecure: Bool) {
        self.insecure = insecure
    }

    func info(version: String) -> TLSInfo {
        facts.withLock { facts in
            TLSInfo(version: version, cipherSuite: facts.handshake.suite.map(ServerHelloSniffer.name),
                    chain: facts.outcome?.chain ?? [], verified: facts.outcome?.problems.isEmpty ?? false,
                    verificationProblems: facts.outcome?.problems ?? [], keyExchange: facts.handshake.keyExchange)
        }
    }

    func failure(_ words: String) -> TLSFailure {
        facts.withLock { facts in
            let problems = facts.outcome?.problems ?? []
            let reasons = problems.isEmpty || insecure ? [.handshake(words)] + problems : problems
            return TLSFailure(reasons: reasons, chain: facts.outcome?.chain ?? [])
        }
    }
}

enum TLSUpgrade {
    /// Puts a TLS client, and the ServerHello sniffer below it, at the socket end of the
    /// pipeline. Call on the channel's event loop.
    @discardableResult
    static func addClientHandler(to channel: Channel, options: TLSClientOptions, host: String) throws -> TLSProgress {
        let context = try NIOSSLContext(configuration: configuration(options))
        let progress = TLSProgress(insecure: options.insecure)
        let handler = try NIOSSLClientHandler(
            context: context, serverHostname: sniName(options, host: host),
            customVerificationCallback: { certificates, promise in
                let ders = certificates.compactMap { try? $0.toDERBytes() }
                Task {
                    let outcome = await CertificateCheck.evaluate(ders, host: host, options: options)
                    progress.facts.withLock { $0.outcome = outcome }
                    promise.succeed(outcome.problems.isEmpty || options.insecure ? .certificateVerified : .failed)
                }
            })
        let sniffer = ServerHelloSniffer { facts in progress.facts.withLock { $0.handshake = facts } }
        try channel.pipeline.syncOperations.addHandler(handler, position: .first)
        try channel.pipeline.syncOperations.addHandler(sniffer, position: .first)
        if let forwarding = try? channel.pipeline.syncOperations.handler(type: ForwardingHandler.self) {
            forwarding.tls = progress
        }
        return progress
    }

    /// The NIOSSL client configuration the options ask for.
    static func configuration(_ options: TLSClientOptions) throws -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        // The callback checks the chain and the name itself, to say what is wrong.
        configuration.certificateVerification = .noHostnameVerification
        if let minimum = options.minimumVersion { configuration.minimumTLSVersion = nioVersion(minimum) }
        if let maximum = options.maximumVersion { configuration.maximumTLSVersion = nioVersion(maximum) }
        if let ciphers = options.ciphers { configuration.cipherSuiteValues = try CipherList.parse(ciphers) }
        if let certificate = options.clientCertificate, let key = options.clientKey {
            configuration.certificateChain = try NIOSSLCertificate.fromPEMBytes(Array(certificate.utf8)).map { .certificate($0) }
            configuration.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: Array(key.utf8), format: .pem))
        }
        return configuration
    }

    /// The server_name to send: none for an address (RFC 6066 §3) or with `--no-sni`.
    static func sniName(_ options: TLSClientOptions, host: String) -> String? {
        switch options.sni {
        case .off: return nil
        case .name(let name): return name
        case .automatic:
            let name = options.serverName ?? host
            return isIPAddress(name) ? nil : name
        }
    }

    static func nioVersion(_ version: TLSClientOptions.Version) -> TLSVersion {
        switch version {
        case .tls10: return .tlsv1
        case .tls11: return .tlsv11
        case .tls12: return .tlsv12
        case .tls13: return .tlsv13
        }
    }

    static func versionName(_ version: TLSVersion?) -> String {
        switch version {
        case .tlsv1?: return "TLSv1.0"
        case .tlsv11?: return "TLSv1.1"
        case .tlsv12?: return "TLSv1.2"
        case .tlsv13?: return "TLSv1.3"
        case nil: return "TLS"
        }
    }

    static func isIPAddress(_ text: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        let bare = text.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        return inet_pton(AF_INET, bare, &v4) == 1 || inet_pton(AF_INET6, bare, &v6) == 1
    }
}

extension Connection {
    /// Starts TLS on the open connection, after the server's 220 to STARTTLS (RFC 3207 §4).
    public func startTLS(_ options: TLSClientOptions) {
        let (channel, host) = state.withLock { ($0.channel, $0.host) }
        guard let channel else { return }
        channel.eventLoop.execute {
            do {
                try TLSUpgrade.addClientHandler(to: channel, options: options, host: host)
            } catch {
                channel.pipeline.fireErrorCaught(error)
            }
        }
    }
}
