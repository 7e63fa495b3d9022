/// The record types mail routing asks for, and those probe asks for besides: PTR for reverse
/// DNS, TXT for MTA-STS and TLS-RPT, TLSA for DANE.
public enum DNSType: String, Sendable, Hashable, Codable, CaseIterable {
    case a = "A", aaaa = "AAAA", mx = "MX", cname = "CNAME"
    case ptr = "PTR", txt = "TXT", tlsa = "TLSA"
}

/// One question to the resolver.
public struct DNSQuestion: Sendable, Hashable {
    /// An A-label name without the trailing dot, lowercased.
    public var name: String
    public var type: DNSType
    /// Ask the resolver not to validate (the CD bit, RFC 4035 §3.2.2): a SERVFAIL that turns
    /// into an answer this way was a DNSSEC failure.
    public var checkingDisabled: Bool

    public init(_ name: String, _ type: DNSType, checkingDisabled: Bool = false) {
        self.name = name
        self.type = type
        self.checkingDisabled = checkingDisabled
    }
}

/// What a record says, by type.
public enum DNSData: Sendable, Hashable {
    case address(String)
    /// A CNAME's target.
    case name(String)
    case mx(preference: Int, exchange: String)
    /// A PTR's target.
    case pointer(String)
    /// A TXT record's strings, as bytes made text (RFC 1035 §3.3.14).
    case text([String])
    /// A TLSA record (RFC 6698 §2.1): certificate usage, selector, matching type, data.
    case tlsa(usage: Int, selector: Int, matching: Int, data: [UInt8])
    /// Any other type, as the library prints it.
    case other(type: String, text: String)
}

/// One resource record of an answer.
public struct DNSRecord: Sendable, Hashable {
    /// The owner, without the trailing dot.
    public var name: String
    public var ttl: UInt32
    public var data: DNSData

    public init(name: String, ttl: UInt32, data: DNSData) {
        self.name = name
        self.ttl = ttl
        self.data = data
    }

    public var typeName: String {
        switch data {
        case .address(let text): return text.contains(":") ? "AAAA" : "A"
        case .name: return "CNAME"
        case .mx: return "MX"
        case .pointer: return "PTR"
        case .text: return "TXT"
        case .tlsa: return "TLSA"
        case .other(let type, _): return type
        }
    }

    /// The data as a zone file writes it: `10 mx.example.org.`, `192.0.2.1`.
    public var dataText: String {
        switch data {
        case .address(let text): return text
        case .name(let target): return target.isEmpty ? "." : target + "."
        case .mx(let preference, let exchange): return "\(preference) " + (exchange.isEmpty ? "." : exchange + ".")
        case .pointer(let target): return target + "."
        case .text(let strings): return strings.map { "\"" + $0 + "\"" }.joined(separator: " ")
        case .tlsa(let usage, let selector, let matching, let data):
            return "\(usage) \(selector) \(matching) " + data.map { String(format: "%02x", $0) }.joined()
        case .other(_, let text): return text
        }
    }
}

/// The response code of an answer (RFC 1035 §4.1.1, RFC 6895).
public enum DNSResponseCode: Sendable, Hashable {
    case noError, formatError, serverFailure, nameError, notImplemented, refused
    case other(Int)

    public init(_ value: Int) {
        switch value {
        case 0: self = .noError
        case 1: self = .formatError
        case 2: self = .serverFailure
        case 3: self = .nameError
        case 4: self = .notImplemented
        case 5: self = .refused
        default: self = .other(value)
        }
    }

    public var mnemonic: String {
        switch self {
        case .noError: return "NOERROR"
        case .formatError: return "FORMERR"
        case .serverFailure: return "SERVFAIL"
        case .nameError: return "NXDOMAIN"
        case .notImplemented: return "NOTIMP"
        case .refused: return "REFUSED"
        case .other(let value): return "RCODE\(value)"
        }
    }
}

/// Why no answer came.
public enum DNSFailure: Error, Sendable, Hashable {
    /// No reply within the time allowed, after every attempt.
    case timeout
    /// The resolver could not be reached or the exchange broke.
    case network(String)
}

/// What the resolver said to one question.
public struct DNSResponse: Sendable, Hashable {
    public var question: DNSQuestion
    public var code: DNSResponseCode
    public var answers: [DNSRecord]
    /// The resolver vouched for the answer (the AD bit): it validated it with DNSSEC.
    public var authenticated: Bool
    /// The UDP answer was truncated (TC) and the question was asked again over TCP.
    public var retriedOverTCP: Bool
    /// Who answered, `127.0.0.1:53`.
    public var server: String?
    public var failure: DNSFailure?

    public init(question: DNSQuestion, code: DNSResponseCode = .noError, answers: [DNSRecord] = [],
                authenticated: Bool = false, retriedOverTCP: Bool = false, server: String? = nil,
                failure: DNSFailure? = nil) {
        self.question = question
        self.code = code
        self.answers = answers
        self.authenticated = authenticated
        self.retriedOverTCP = retriedOverTCP
        self.server = server
        self.failure = failure
    }

    public static func failed(_ question: DNSQuestion, _ failure: DNSFailure, server: String? = nil) -> DNSResponse {
        DNSResponse(question: question, server: server, failure: failure)
    }
}
