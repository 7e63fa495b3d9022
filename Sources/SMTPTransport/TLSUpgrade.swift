import Foundation
import NIOCore
import NIOSSL
import SMTPCore
import Synchronization

/// What one TLS handshake has learnt so far: the chain and its problems, the cipher suite.
final class TLSProgress: Sendable {
    struct Facts {
        var outcome: CertificateCheck.Outcome?
        var suite: UInt16?
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
            TLSInfo(version: version, cipherSuite: facts.suite.map(ServerHelloSniffer.name),
                    chain: facts.outcome?.chain ?? [], verified: facts.outcome?.problems.isEmpty ?? false,
                    verificationProblems: facts.outcome?.problems ?? [])
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
        var configuration = TLSConfiguration.makeClientConfiguration()
        // The callback below checks the chain and the name itself, to say what is wrong.
        configuration.certificateVerification = .noHostnameVerification
        let context = try NIOSSLContext(configuration: configuration)
        let progress = TLSProgress(insecure: options.insecure)
        let name = options.serverName ?? host
        let handler = try NIOSSLClientHandler(
            context: context, serverHostname: isIPAddress(name) ? nil : name,
            customVerificationCallback: { certificates, promise in
                let ders = certificates.compactMap { try? $0.toDERBytes() }
                Task {
                    let outcome = await CertificateCheck.evaluate(ders, host: host, options: options)
                    progress.facts.withLock { $0.outcome = outcome }
                    promise.succeed(outcome.problems.isEmpty || options.insecure ? .certificateVerified : .failed)
                }
            })
        let sniffer = ServerHelloSniffer { suite in progress.facts.withLock { $0.suite = suite } }
        try channel.pipeline.syncOperations.addHandler(handler, position: .first)
        try channel.pipeline.syncOperations.addHandler(sniffer, position: .first)
        if let forwarding = try? channel.pipeline.syncOperations.handler(type: ForwardingHandler.self) {
            forwarding.tls = progress
        }
        return progress
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
