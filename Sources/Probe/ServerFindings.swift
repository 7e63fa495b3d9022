import Foundation
import SMTPCore

/// The reverse DNS of an address and whether its names resolve back (FCrDNS).
public struct ReverseDNS: Sendable, Hashable {
    public var address: String
    /// The PTR names (without the trailing dot).
    public var names: [String]
    /// The A/AAAA addresses of each PTR name.
    public var forward: [String: [String]]
    /// Why the PTR lookup gave nothing: "NXDOMAIN", "no PTR record", a resolver failure.
    public var failure: String?

    public init(address: String, names: [String] = [], forward: [String: [String]] = [:], failure: String? = nil) {
        self.address = address
        self.names = names
        self.forward = forward
        self.failure = failure
    }

    /// The PTR names whose addresses include this one.
    public var confirmed: [String] { names.filter { forward[$0]?.contains(address) == true } }
}

/// A DNS lookup's outcome as the checks need it: the records, DNSSEC standing, or the failure.
public struct Lookup<Record: Sendable & Hashable>: Sendable, Hashable {
    public var name: String
    public var records: [Record]
    public var dnssec: DNSSECState
    /// NXDOMAIN or no records of the type: looked up, nothing there.
    public var absent: Bool
    /// A resolver failure (SERVFAIL that is not DNSSEC's, timeout), said in words.
    public var failure: String?

    public init(name: String, records: [Record] = [], dnssec: DNSSECState = .insecure, absent: Bool = false,
                failure: String? = nil) {
        self.name = name
        self.records = records
        self.dnssec = dnssec
        self.absent = absent
        self.failure = failure
    }
}

/// A TLSA record (RFC 6698 §2.1).
public struct TLSARecord: Sendable, Hashable, CustomStringConvertible {
    public var usage: Int
    public var selector: Int
    public var matching: Int
    public var data: [UInt8]

    public init(usage: Int, selector: Int, matching: Int, data: [UInt8]) {
        self.usage = usage
        self.selector = selector
        self.matching = matching
        self.data = data
    }

    public var description: String {
        "\(usage) \(selector) \(matching) " + data.map { String(format: "%02x", $0) }.joined()
    }
}

/// Everything the probe learnt about one server (an address and port of an MX, or the host).
public struct ServerFindings: Sendable {
    /// "mail.example.org [192.0.2.7]:25".
    public var label: String
    /// The name the server is known by: the MX host, or the host given.
    public var host: String
    public var address: String
    public var port: Int
    public var implicitTLS: Bool
    /// The plaintext session (or implicit TLS on 465).
    public var session: StageRecord?
    /// The same session again after STARTTLS, when MAIL was refused before it.
    public var sessionInTLS: StageRecord?
    public var tls: StageRecord?
    public var pipelining: StageRecord?
    /// A handshake at each version, "1.0" … "1.3".
    public var versions: [String: StageRecord]
    /// Connections to the server's other addresses.
    public var reach: [StageRecord]
    public var reverse: ReverseDNS?
    public var tlsa: Lookup<TLSARecord>?

    public init(label: String, host: String, address: String, port: Int, implicitTLS: Bool) {
        self.label = label
        self.host = host
        self.address = address
        self.port = port
        self.implicitTLS = implicitTLS
        versions = [:]
        reach = []
    }

    /// The session that saw the server's policy: the one inside TLS when there was one.
    public var policySession: StageRecord? { sessionInTLS ?? session }

    /// What TLS negotiated on its own stage, or on the session itself for implicit TLS.
    public var tlsInfo: TLSInfo? { tls?.tls ?? (implicitTLS ? session?.tls : nil) ?? sessionInTLS?.tls }
}
