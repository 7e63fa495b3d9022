import Foundation

/// The addresses the system resolver (getaddrinfo: /etc/hosts, then DNS) gives a host name,
/// IPv4 and IPv6, as text. What the explorer would connect to, for `smtpx probe HOST`.
public enum SystemAddresses {
    public static func lookup(_ host: String, family: AddressFamily? = nil) -> [String] {
        var found: [String] = []
        for (kind, code) in [(AddressFamily.v4, AF_INET), (.v6, AF_INET6)] where family == nil || family == kind {
            for address in (try? FamilyResolver.addresses(host, 25, code)) ?? [] {
                if let ip = address.ipAddress, !found.contains(ip) { found.append(ip) }
            }
        }
        return found
    }
}
