import Foundation

/// What happens to a connection, as the transport reports it and the explorer shows it.
/// The transport (SwiftNIO) speaks this vocabulary so that the screen model needs no NIO.
public enum ConnectionEvent: Sendable, Hashable {
    /// Resolving and connecting has started.
    case connecting(host: String, port: Int)
    /// The TCP connection is up; addresses as text (`127.0.0.1:2525`, `[::1]:25`).
    case connected(remote: String, local: String)
    /// Bytes from the server, in order.
    case received([UInt8])
    /// The connection could not be made.
    case failed(ConnectFailure)
    /// The connection ended.
    case closed(CloseReason)
    /// TLS is up (implicit TLS, or after STARTTLS).
    case tlsEstablished(TLSInfo)
    /// The TLS handshake failed; the connection is closed.
    case tlsFailed(TLSFailure)
    /// The resolver answered a question of a mail route (`--mx`, `/mx`, `/route`).
    case resolved(DNSResponse)
}

/// Why a connection could not be made.
public struct ConnectFailure: Sendable, Hashable, Error {
    public enum Kind: String, Sendable, Hashable {
        case refused, unreachable, unknownHost, timeout, other
    }

    public let kind: Kind
    public let host: String
    public let port: Int
    /// The system's words, for the details.
    public let detail: String

    public init(kind: Kind, host: String, port: Int, detail: String) {
        self.kind = kind
        self.host = host
        self.port = port
        self.detail = detail
    }
}

/// Why a connection ended.
public enum CloseReason: Sendable, Hashable {
    /// The server closed it.
    case byServer
    /// We closed it (QUIT, /connect, /quit).
    case byClient
    /// The read or write failed; the system's words.
    case error(String)
    /// Nothing came from the server for too long.
    case idleTimeout(seconds: Int)
}

/// What the TLS layer negotiated, and the server's certificate chain.
public struct TLSInfo: Sendable, Hashable {
    /// "TLSv1.3".
    public var version: String
    /// The IANA name of the cipher suite, "TLS_AES_256_GCM_SHA384", or nil if unknown.
    public var cipherSuite: String?
    /// How the session key was agreed: "ECDHE X25519", "ECDHE P-256", "RSA" (none: no forward
    /// secrecy), or nil if unknown.
    public var keyExchange: String?
    /// The chain as the server sent it, leaf first.
    public var chain: [CertificateSummary]
    /// True when the chain was verified against the trust store and the host name.
    public var verified: Bool
    /// Why verification failed, when it did and the connection went on (`--insecure`).
    public var verificationProblems: [TLSFailure.Reason]

    public init(version: String, cipherSuite: String?, chain: [CertificateSummary], verified: Bool,
                verificationProblems: [TLSFailure.Reason] = [], keyExchange: String? = nil) {
        self.version = version
        self.cipherSuite = cipherSuite
        self.keyExchange = keyExchange
        self.chain = chain
        self.verified = verified
        self.verificationProblems = verificationProblems
    }
}

/// One certificate of a chain, as a person reads it.
public struct CertificateSummary: Sendable, Hashable {
    public var subject: String
    public var issuer: String
    public var names: [String]
    public var notBefore: Date
    public var notAfter: Date
    /// SHA-256 of the DER bytes, as colon-separated hex.
    public var sha256: String
    /// The public key: "RSA 2048", "ECDSA P-256", "Ed25519".
    public var publicKey: String
    /// How the issuer signed it: "sha256WithRSAEncryption", "ecdsa-with-SHA384".
    public var signatureAlgorithm: String
    /// The certificate as the server sent it (empty when read back from a record).
    public var der: [UInt8]
    /// The DER of its SubjectPublicKeyInfo, which pins and DANE's selector 1 hash.
    public var spki: [UInt8]

    public init(subject: String, issuer: String, names: [String], notBefore: Date, notAfter: Date, sha256: String,
                publicKey: String = "", signatureAlgorithm: String = "", der: [UInt8] = [], spki: [UInt8] = []) {
        self.der = der
        self.spki = spki
        self.subject = subject
        self.issuer = issuer
        self.names = names
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.sha256 = sha256
        self.publicKey = publicKey
        self.signatureAlgorithm = signatureAlgorithm
    }

    /// Whole days from `now` to the end of validity (negative once expired).
    public func daysLeft(at now: Date) -> Int {
        Int((notAfter.timeIntervalSince(now) / 86_400).rounded(.down))
    }
}

/// Why a TLS handshake failed, in terms a person can act on.
public struct TLSFailure: Sendable, Hashable, Error {
    public enum Reason: Sendable, Hashable {
        case expired(Date)
        case notYetValid(Date)
        case selfSigned
        case wrongName(expected: String, names: [String])
        case unknownIssuer(String)
        /// `--pin`: no certificate of the chain has this key (or fingerprint).
        case pinMismatch(String)
        case handshake(String)
    }

    /// Every problem found, the most fundamental first.
    public let reasons: [Reason]
    public let chain: [CertificateSummary]

    public init(reasons: [Reason], chain: [CertificateSummary] = []) {
        precondition(!reasons.isEmpty)
        self.reasons = reasons
        self.chain = chain
    }

    public var reason: Reason { reasons[0] }
}
