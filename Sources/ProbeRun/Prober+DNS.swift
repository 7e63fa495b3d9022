import DNSTransport
import Foundation
import Probe
import SMTPCore

extension Prober {
    /// Asks one question; a SERVFAIL is asked again with checking disabled, and an answer then
    /// means the first failed DNSSEC validation (bogus).
    func ask(_ name: String, _ type: DNSType) -> (DNSResponse?, DNSSECState, failure: String?) {
        guard let resolver else { return (nil, .insecure, resolverFailure ?? "no resolver") }
        let response = resolver.ask(DNSQuestion(name, type))
        if let failure = response.failure {
            switch failure {
            case .timeout: return (response, .insecure, "timeout")
            case .network(let why): return (response, .insecure, why)
            }
        }
        switch response.code {
        case .noError, .nameError:
            return (response, response.authenticated ? .secure : .insecure, nil)
        case .serverFailure:
            let unchecked = resolver.ask(DNSQuestion(name, type, checkingDisabled: true))
            if unchecked.failure == nil, unchecked.code == .noError || unchecked.code == .nameError {
                return (unchecked, .bogus, "SERVFAIL (DNSSEC validation failed)")
            }
            return (response, .insecure, "SERVFAIL")
        default:
            return (response, .insecure, "\(response.code)")
        }
    }

    func lookupText(_ name: String) -> Lookup<String> {
        let (response, state, failure) = ask(name, .txt)
        let records = (response?.answers ?? []).compactMap { record -> String? in
            if case .text(let strings) = record.data { return strings.joined() }
            return nil
        }
        return Lookup(name: name, records: records, dnssec: state, absent: records.isEmpty && failure == nil, failure: failure)
    }

    func lookupTLSA(_ name: String) -> Lookup<TLSARecord> {
        let (response, state, failure) = ask(name, .tlsa)
        let records = (response?.answers ?? []).compactMap { record -> TLSARecord? in
            if case .tlsa(let usage, let selector, let matching, let data) = record.data {
                return TLSARecord(usage: usage, selector: selector, matching: matching, data: data)
            }
            return nil
        }
        return Lookup(name: name, records: records, dnssec: state, absent: records.isEmpty && failure == nil,
                      failure: state == .bogus ? failure : (records.isEmpty ? failure : nil))
    }

    func addresses(of name: String) -> [String] {
        [DNSType.a, .aaaa].flatMap { type -> [String] in
            (ask(name, type).0?.answers ?? []).compactMap { record in
                if case .address(let address) = record.data { return address }
                return nil
            }
        }
    }

    /// The PTR names of an address and the addresses each resolves to.
    func reverseDNS(_ address: String) -> ReverseDNS {
        guard let name = Self.reverseName(address) else { return ReverseDNS(address: address, failure: "not an address") }
        let (response, _, failure) = ask(name, .ptr)
        let names = (response?.answers ?? []).compactMap { record -> String? in
            if case .pointer(let target) = record.data { return target.hasSuffix(".") ? String(target.dropLast()) : target }
            return nil
        }
        var reverse = ReverseDNS(address: address, names: names,
                                 failure: failure ?? (response?.code == .nameError ? "NXDOMAIN" : names.isEmpty ? "no PTR record" : nil))
        for ptr in names.prefix(4) { reverse.forward[ptr] = addresses(of: ptr).map(Self.normalized) }
        reverse.address = Self.normalized(address)
        return reverse
    }

    /// `4.3.2.1.in-addr.arpa` or the nibbles of `ip6.arpa` (RFC 1035 §3.5, RFC 3596 §2.5).
    static func reverseName(_ address: String) -> String? {
        var v4 = in_addr()
        if inet_pton(AF_INET, address, &v4) == 1 {
            return address.split(separator: ".").reversed().joined(separator: ".") + ".in-addr.arpa"
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, address, &v6) == 1 else { return nil }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        let nibbles = bytes.flatMap { [String($0 >> 4, radix: 16), String($0 & 0xF, radix: 16)] }
        return nibbles.reversed().joined(separator: ".") + ".ip6.arpa"
    }

    /// An address in its canonical text form, so that `::0001` and `::1` compare equal.
    static func normalized(_ address: String) -> String {
        var v6 = in6_addr()
        guard address.contains(":"), inet_pton(AF_INET6, address, &v6) == 1 else { return address }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(AF_INET6, &v6, &buffer, socklen_t(buffer.count)) != nil else { return address }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
