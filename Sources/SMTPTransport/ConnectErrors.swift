import NIOSSL
import NIOCore
import NIOPosix
import SMTPCore
#if canImport(Glibc)
import Glibc
#endif

/// Names what went wrong when connecting: refused, unreachable, unknown host, timeout.
enum ConnectErrors {
    static func classify(_ error: Error, host: String, port: Int, family: AddressFamily? = nil) -> ConnectFailure {
        if let error = error as? NIOConnectionError {
            if let first = error.connectionErrors.first {
                return classify(first.error, host: host, port: port)
            }
            if let family {
                let only = family == .v4 ? "no IPv4 address (-4)" : "no IPv6 address (-6)"
                return ConnectFailure(kind: .unknownHost, host: host, port: port, detail: only)
            }
            let dns = [error.dnsAError, error.dnsAAAAError].compactMap { $0 }.map(words).joined(separator: "; ")
            return ConnectFailure(kind: .unknownHost, host: host, port: port, detail: dns.isEmpty ? "no address" : dns)
        }
        if let error = error as? ChannelError, case .connectTimeout = error {
            return ConnectFailure(kind: .timeout, host: host, port: port, detail: "connect timeout")
        }
        if let error = error as? IOError {
            return ConnectFailure(kind: kind(errno: error.errnoCode), host: host, port: port, detail: words(error))
        }
        if error is SocketAddressError {
            return ConnectFailure(kind: .unknownHost, host: host, port: port, detail: words(error))
        }
        let text = words(error)
        if text.contains("Name or service not known") || text.contains("nodename nor servname") {
            return ConnectFailure(kind: .unknownHost, host: host, port: port, detail: text)
        }
        return ConnectFailure(kind: .other, host: host, port: port, detail: text)
    }

    static func kind(errno code: Int32) -> ConnectFailure.Kind {
        switch code {
        case ECONNREFUSED: return .refused
        case ENETUNREACH, EHOSTUNREACH, EADDRNOTAVAIL, ENETDOWN: return .unreachable
        case ETIMEDOUT: return .timeout
        default: return .other
        }
    }

    static func words(_ error: Error) -> String {
        if let error = error as? IOError { return String(cString: strerror(error.errnoCode)) }
        if error is NIOSSLError || error is BoringSSLError { return tlsWords(error) }
        return String(describing: error)
    }
}
