import AsyncHTTPClient
import Foundation
import NIOCore
import NIOSSL
import Probe

extension Prober {
    /// Fetches `https://mta-sts.DOMAIN/.well-known/mta-sts.txt` (RFC 8461 §3.3): from the
    /// address smtpx's resolver finds, with the certificate verified for that name against the
    /// system's roots and `--ca-file`, no redirects followed, at most 64 KiB read.
    func fetchPolicy(_ domain: String) -> MTASTS.Fetch {
        let host = "mta-sts.\(domain)"
        guard let address = addresses(of: host).first else { return .failed("\(host) has no address") }
        var tls = TLSConfiguration.makeClientConfiguration()
        let extra = options.tls.extraRoots.flatMap { pem in (try? NIOSSLCertificate.fromPEMBytes(Array(pem.utf8))) ?? [] }
        if !extra.isEmpty {
            tls.additionalTrustRoots = [.certificates(extra)]
            if options.tls.caOnly { tls.trustRoots = .certificates(extra) }
        }
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls, redirectConfiguration: .disallow,
                                                     timeout: .init(connect: .seconds(Int64(options.timeout)), read: .seconds(Int64(options.timeout))))
        configuration.dnsOverride = [host: address]
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        defer { try? client.syncShutdown() }
        do {
            let request = try HTTPClient.Request(url: "https://\(host)/.well-known/mta-sts.txt")
            let accumulator = ResponseAccumulator(request: request, maxBodySize: 65_536)
            let response = try client.execute(request: request, delegate: accumulator,
                                              deadline: .now() + .seconds(Int64(options.timeout) + 1)).wait()
            let body = response.body.map { String(buffer: $0) } ?? ""
            return .body(status: Int(response.status.code), text: body)
        } catch {
            return .failed(Self.httpWords(error))
        }
    }

    static func httpWords(_ error: Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout, .readTimeout, .deadlineExceeded: return "no answer in time"
            case .remoteConnectionClosed: return "the server closed the connection"
            default: break
            }
        }
        let text = String(describing: error)
        if text.contains("CERTIFICATE_VERIFY_FAILED") || text.contains("certificate") { return "its certificate does not verify (\(text))" }
        if text.contains("connectionRefused") || text.contains("refused") { return "connection refused" }
        return text
    }
}
