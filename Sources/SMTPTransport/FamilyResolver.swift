import Dispatch
import Foundation
import NIOCore
import NIOPosix

/// The address family `-4` and `-6` keep a connection to.
public enum AddressFamily: String, Sendable, Hashable {
    case v4, v6
}

/// Looks a host up with getaddrinfo for one family only, so that happy eyeballs (RFC 8305)
/// connects over IPv4 with `-4` and over IPv6 with `-6`.
final class FamilyResolver: Resolver, Sendable {
    let loop: EventLoop
    let family: AddressFamily
    static let queue = DispatchQueue(label: "smtpx.getaddrinfo", attributes: .concurrent)

    init(loop: EventLoop, family: AddressFamily) {
        self.loop = loop
        self.family = family
    }

    func initiateAQuery(host: String, port: Int) -> EventLoopFuture<[SocketAddress]> {
        family == .v4 ? lookup(host, port, AF_INET) : loop.makeSucceededFuture([])
    }

    func initiateAAAAQuery(host: String, port: Int) -> EventLoopFuture<[SocketAddress]> {
        family == .v6 ? lookup(host, port, AF_INET6) : loop.makeSucceededFuture([])
    }

    func cancelQueries() {}

    func lookup(_ host: String, _ port: Int, _ family: Int32) -> EventLoopFuture<[SocketAddress]> {
        let promise = loop.makePromise(of: [SocketAddress].self)
        Self.queue.async {
            promise.completeWith(Result { try Self.addresses(host, port, family) })
        }
        return promise.futureResult
    }

    static func addresses(_ host: String, _ port: Int, _ family: Int32) throws -> [SocketAddress] {
        var hints = addrinfo()
        hints.ai_family = family
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        // No address of this family is an empty answer, which the connection reports as such.
        guard status == 0, let first = list else { return [] }
        defer { freeaddrinfo(first) }
        var found: [SocketAddress] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let entry = cursor {
            if let address = entry.pointee.ai_addr {
                if entry.pointee.ai_family == AF_INET {
                    address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { pointer in
                        found.append(SocketAddress(pointer.pointee, host: host))
                    }
                } else if entry.pointee.ai_family == AF_INET6 {
                    address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                        found.append(SocketAddress(pointer.pointee, host: host))
                    }
                }
            }
            cursor = entry.pointee.ai_next
        }
        return found
    }
}
