import CLDNS
import Glibc
import SMTPCore

// Theory of operation
//
// A stub resolver over ldns: each question goes to the configured resolver (the system's, read
// from /etc/resolv.conf, or `--dns-server`) over UDP with EDNS and the DO bit, so a validating
// resolver reports DNSSEC (the AD bit). ldns neither retries over TCP nor follows anything by
// itself here: a truncated answer (TC) is asked again over TCP by us, so the route can say so.
// Search domains are never appended: a mail domain is always absolute.

/// Where to send questions: `IP` or `IP:PORT`, `[IPv6]:PORT`.
public struct ResolverAddress: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int = 53) {
        self.host = host
        self.port = port
    }

    /// `192.0.2.53`, `192.0.2.53:5353`, `::1`, `[::1]:5353`; nil for anything else.
    public init?(parsing text: String) {
        var host = text
        var port = 53
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            if !rest.isEmpty {
                guard rest.hasPrefix(":"), let value = Int(rest.dropFirst()) else { return nil }
                port = value
            }
        } else if text.filter({ $0 == ":" }).count == 1, let colon = text.firstIndex(of: ":") {
            host = String(text[..<colon])
            guard let value = Int(text[text.index(after: colon)...]) else { return nil }
            port = value
        }
        guard (1...65535).contains(port), Self.isAddress(host) else { return nil }
        self.host = host
        self.port = port
    }

    static func isAddress(_ text: String) -> Bool {
        var v4 = in_addr(), v6 = in6_addr()
        return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// How questions are asked.
public struct ResolverConfig: Sendable {
    /// Nil: the system's resolvers, from /etc/resolv.conf.
    public var server: ResolverAddress?
    /// Seconds to wait for each try.
    public var timeout: Double
    public var attempts: Int
    /// The EDNS buffer size offered (the 2020 DNS flag day's 1232 avoids fragments).
    public var udpSize: UInt16

    public init(server: ResolverAddress? = nil, timeout: Double = 5, attempts: Int = 2, udpSize: UInt16 = 1232) {
        self.server = server
        self.timeout = timeout
        self.attempts = attempts
        self.udpSize = udpSize
    }
}

public enum ResolverError: Error, Sendable, Hashable, CustomStringConvertible {
    /// /etc/resolv.conf names no resolver, or cannot be read.
    case noSystemResolver(String)
    case badServer(String)

    public var description: String {
        switch self {
        case .noSystemResolver(let why): return "no resolver in /etc/resolv.conf (\(why)); give one with --dns-server IP[:PORT]"
        case .badServer(let text): return "\(text) is not a resolver address; write IP or IP:PORT, [IPv6]:PORT"
        }
    }
}

/// One ldns resolver. Not shared between threads: make one per thread that asks.
public final class Resolver {
    let handle: UnsafeMutablePointer<ldns_resolver>
    public let config: ResolverConfig

    public init(_ config: ResolverConfig) throws(ResolverError) {
        self.config = config
        var made: UnsafeMutablePointer<ldns_resolver>?
        if let server = config.server {
            guard let resolver = ldns_resolver_new() else { throw .badServer(server.description) }
            let type = server.host.contains(":") ? LDNS_RDF_TYPE_AAAA : LDNS_RDF_TYPE_A
            guard let address = ldns_rdf_new_frm_str(type, server.host),
                  ldns_resolver_push_nameserver(resolver, address) == LDNS_STATUS_OK else {
                ldns_resolver_deep_free(resolver)
                throw .badServer(server.description)
            }
            ldns_rdf_deep_free(address)
            ldns_resolver_set_port(resolver, UInt16(server.port))
            made = resolver
        } else {
            let status = ldns_resolver_new_frm_file(&made, nil)
            guard status == LDNS_STATUS_OK, let resolver = made, ldns_resolver_nameserver_count(resolver) > 0 else {
                if let made { ldns_resolver_deep_free(made) }
                throw .noSystemResolver(status == LDNS_STATUS_OK ? "no nameserver line" : String(cString: ldns_get_errorstr_by_id(status)))
            }
        }
        handle = made!
        ldns_resolver_set_recursive(handle, flag(true))
        ldns_resolver_set_defnames(handle, flag(false))
        ldns_resolver_set_dnsrch(handle, flag(false))
        ldns_resolver_set_dnssec(handle, flag(true))
        ldns_resolver_set_edns_udp_size(handle, config.udpSize)
        ldns_resolver_set_fallback(handle, flag(false))
        ldns_resolver_set_igntc(handle, flag(true))
        let whole = max(0.1, config.timeout)
        ldns_resolver_set_timeout(handle, timeval(tv_sec: Int(whole), tv_usec: Int((whole - whole.rounded(.down)) * 1e6)))
        ldns_resolver_set_retry(handle, UInt8(clamping: max(1, config.attempts)))
        ldns_resolver_set_retrans(handle, UInt8(clamping: max(1, Int(whole))))
    }

    deinit { ldns_resolver_deep_free(handle) }

    /// The resolvers questions go to, `127.0.0.1:53`.
    public var servers: [String] {
        let count = ldns_resolver_nameserver_count(handle)
        guard let list = ldns_resolver_nameservers(handle) else { return [] }
        let port = Int(ldns_resolver_port(handle))
        return (0..<count).compactMap { index in
            list[index].flatMap(Self.text).map { ResolverAddress(host: $0, port: port).description }
        }
    }

    /// Asks one question: UDP first, TCP again when the answer came truncated.
    public func ask(_ question: DNSQuestion) -> DNSResponse {
        guard let name = ldns_dname_new_frm_str(question.name + ".") else {
            return .failed(question, .network("\(question.name) is not a name ldns can ask for"))
        }
        defer { ldns_rdf_deep_free(name) }
        ldns_resolver_set_dnssec_cd(handle, flag(question.checkingDisabled))
        ldns_resolver_set_usevc(handle, flag(false))
        var first = send(question, name)
        guard case .success(let packet) = first else { return failure(question, first) }
        if ldns_pkt_tc(packet) != 0 {
            ldns_pkt_free(packet)
            ldns_resolver_set_usevc(handle, flag(true))
            defer { ldns_resolver_set_usevc(handle, flag(false)) }
            first = send(question, name)
            guard case .success(let again) = first else {
                var response = failure(question, first)
                response.retriedOverTCP = true
                return response
            }
            var response = Self.response(question, again)
            response.retriedOverTCP = true
            ldns_pkt_free(again)
            return response
        }
        defer { ldns_pkt_free(packet) }
        return Self.response(question, packet)
    }

    func send(_ question: DNSQuestion, _ name: UnsafeMutablePointer<ldns_rdf>) -> Result<UnsafeMutablePointer<ldns_pkt>, DNSFailure> {
        var packet: UnsafeMutablePointer<ldns_pkt>?
        let status = ldns_resolver_send(&packet, handle, name, Self.type(question.type), LDNS_RR_CLASS_IN, UInt16(LDNS_RD))
        guard status == LDNS_STATUS_OK, let packet else {
            if let packet { ldns_pkt_free(packet) }
            // ldns reports a silent server as a network error after its tries.
            if status == LDNS_STATUS_NETWORK_ERR || status == LDNS_STATUS_RES_QUERY { return .failure(.timeout) }
            return .failure(.network(String(cString: ldns_get_errorstr_by_id(status))))
        }
        return .success(packet)
    }

    func failure(_ question: DNSQuestion, _ result: Result<UnsafeMutablePointer<ldns_pkt>, DNSFailure>) -> DNSResponse {
        if case .failure(let failure) = result { return .failed(question, failure, server: servers.first) }
        return .failed(question, .network("no answer"))
    }

    static func type(_ type: DNSType) -> ldns_rr_type {
        switch type {
        case .a: return LDNS_RR_TYPE_A
        case .aaaa: return LDNS_RR_TYPE_AAAA
        case .mx: return LDNS_RR_TYPE_MX
        case .cname: return LDNS_RR_TYPE_CNAME
        case .ptr: return LDNS_RR_TYPE_PTR
        case .txt: return LDNS_RR_TYPE_TXT
        case .tlsa: return LDNS_RR_TYPE_TLSA
        }
    }

    static func response(_ question: DNSQuestion, _ packet: UnsafeMutablePointer<ldns_pkt>) -> DNSResponse {
        var records: [DNSRecord] = []
        if let list = ldns_pkt_answer(packet) {
            for index in 0..<ldns_rr_list_rr_count(list) {
                guard let rr = ldns_rr_list_rr(list, index), let record = record(rr) else { continue }
                records.append(record)
            }
        }
        var server: String?
        if let from = ldns_pkt_answerfrom(packet), let host = text(from) { server = host }
        return DNSResponse(question: question, code: DNSResponseCode(Int(ldns_pkt_get_rcode(packet).rawValue)),
                           answers: records, authenticated: ldns_pkt_ad(packet) != 0, server: server)
    }

    static func record(_ rr: UnsafeMutablePointer<ldns_rr>) -> DNSRecord? {
        guard let owner = ldns_rr_owner(rr).flatMap(text) else { return nil }
        let ttl = ldns_rr_ttl(rr)
        let data: DNSData
        switch ldns_rr_get_type(rr) {
        case LDNS_RR_TYPE_A, LDNS_RR_TYPE_AAAA:
            guard let address = ldns_rr_rdf(rr, 0).flatMap(text) else { return nil }
            data = .address(address)
        case LDNS_RR_TYPE_CNAME:
            guard let target = ldns_rr_rdf(rr, 0).flatMap(text) else { return nil }
            data = .name(bare(target))
        case LDNS_RR_TYPE_PTR:
            guard let target = ldns_rr_rdf(rr, 0).flatMap(text) else { return nil }
            data = .pointer(bare(target))
        case LDNS_RR_TYPE_TXT:
            // Each rdata field is one character-string: a length byte, then the bytes.
            let strings = (0..<ldns_rr_rd_count(rr)).compactMap { ldns_rr_rdf(rr, $0) }.map { field -> String in
                let bytes = raw(field)
                return String(decoding: bytes.dropFirst(), as: UTF8.self)
            }
            data = .text(strings)
        case LDNS_RR_TYPE_TLSA:
            guard ldns_rr_rd_count(rr) == 4, let usage = ldns_rr_rdf(rr, 0), let selector = ldns_rr_rdf(rr, 1),
                  let matching = ldns_rr_rdf(rr, 2), let association = ldns_rr_rdf(rr, 3) else { return nil }
            data = .tlsa(usage: Int(ldns_rdf2native_int8(usage)), selector: Int(ldns_rdf2native_int8(selector)),
                         matching: Int(ldns_rdf2native_int8(matching)), data: raw(association))
        case LDNS_RR_TYPE_MX:
            guard let preference = ldns_rr_rdf(rr, 0), let exchange = ldns_rr_rdf(rr, 1).flatMap(text) else { return nil }
            data = .mx(preference: Int(ldns_rdf2native_int16(preference)), exchange: bare(exchange))
        default:
            let type = ldns_rr_type2str(ldns_rr_get_type(rr)).map { pointer in
                defer { free(pointer) }
                return String(cString: pointer)
            } ?? "TYPE"
            let fields = (0..<ldns_rr_rd_count(rr)).compactMap { ldns_rr_rdf(rr, $0).flatMap(text) }
            data = .other(type: type, text: fields.joined(separator: " "))
        }
        return DNSRecord(name: bare(owner), ttl: ttl, data: data)
    }

    /// A name without its trailing dot; the root stays empty.
    static func bare(_ name: String) -> String {
        name == "." ? "" : name.hasSuffix(".") ? String(name.dropLast()) : name
    }

    /// A field's bytes as they came.
    static func raw(_ rdf: UnsafeMutablePointer<ldns_rdf>) -> [UInt8] {
        guard let pointer = ldns_rdf_data(rdf) else { return [] }
        return Array(UnsafeBufferPointer(start: pointer, count: ldns_rdf_size(rdf)))
    }

    static func text(_ rdf: UnsafeMutablePointer<ldns_rdf>) -> String? {
        guard let pointer = ldns_rdf2str(rdf) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }
}

/// ldns's `bool` is a signed char.
func flag(_ value: Bool) -> Int8 { value ? 1 : 0 }

/// Internationalized domain names (RFC 5891): the A-label a resolver is asked for.
public enum IDNA {
    /// `bücher.example` → `xn--bcher-kva.example`; an ASCII name is returned as it is.
    public static func aLabel(_ name: String) -> Result<String, DomainNameProblem> {
        if name.unicodeScalars.allSatisfy(\.isASCII) { return .success(name.lowercased()) }
        var output: UnsafeMutablePointer<CChar>?
        let status = idn2_to_ascii_8z(name, &output, Int32(IDN2_NONTRANSITIONAL.rawValue | IDN2_NFC_INPUT.rawValue))
        guard status == Int32(IDN2_OK.rawValue), let output else {
            let why = idn2_strerror(status).map { String(cString: $0) } ?? "IDNA error \(status)"
            return .failure(.notConvertible(why))
        }
        defer { idn2_free(output) }
        return .success(String(cString: output).lowercased())
    }
}
