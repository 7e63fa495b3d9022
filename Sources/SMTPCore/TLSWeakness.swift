import Foundation

/// Something about a TLS session that works today but should not be relied on: an old protocol
/// version, a suite without forward secrecy or with CBC and SHA-1, a weak key or signature, a
/// certificate about to expire. The explorer and batch mode warn with these; probe grades them.
public enum TLSWeakness: Sendable, Hashable {
    /// TLS 1.0 or 1.1, deprecated by RFC 8996.
    case oldVersion(String)
    /// A CBC suite with SHA-1 as its MAC (Lucky 13, BEAST-era constructions; RFC 9325 §4.2).
    case cbcSHA1(String)
    /// RSA key transport: no forward secrecy, a recorded session decrypts with the server's key.
    case rsaKeyExchange(String)
    /// An RSA key shorter than 2048 bits (RFC 9325 §4.1 asks at least 2048).
    case weakKey(String)
    /// The certificate is signed with SHA-1, which no public CA may use any more.
    case sha1Signature(String)
    /// The server's certificate ends within ``TLSWeakness/expiryWarningDays`` days.
    case expiresSoon(days: Int)

    /// Fewer days left than this is worth a warning: an automated renewal (60 days into a
    /// 90-day certificate) has failed by then.
    public static let expiryWarningDays = 21

    /// Every weakness of the session; an expired certificate is a verification problem, not this.
    public static func find(in info: TLSInfo, at now: Date) -> [TLSWeakness] {
        var found: [TLSWeakness] = []
        if info.version == "TLSv1.0" || info.version == "TLSv1.1" { found.append(.oldVersion(info.version)) }
        if let suite = info.cipherSuite {
            if suite.hasPrefix("TLS_RSA_") { found.append(.rsaKeyExchange(suite)) }
            if suite.contains("_CBC_") && suite.hasSuffix("_SHA") { found.append(.cbcSHA1(suite)) }
        }
        if let leaf = info.chain.first {
            if leaf.publicKey.hasPrefix("RSA "), let bits = Int(leaf.publicKey.dropFirst(4)), bits < 2048 {
                found.append(.weakKey(leaf.publicKey))
            }
            if leaf.signatureAlgorithm.lowercased().hasPrefix("sha1") { found.append(.sha1Signature(leaf.signatureAlgorithm)) }
            let days = leaf.daysLeft(at: now)
            if days >= 0 && days < expiryWarningDays { found.append(.expiresSoon(days: days)) }
        }
        return found
    }
}

extension CertificateSummary {
    /// The certificate as PEM text, for `--save-chain` and `/cert save`.
    public var pem: String {
        let base64 = Data(der).base64EncodedString()
        var lines = ["-----BEGIN CERTIFICATE-----"]
        var rest = Substring(base64)
        while !rest.isEmpty {
            lines.append(String(rest.prefix(64)))
            rest = rest.dropFirst(64)
        }
        lines.append("-----END CERTIFICATE-----")
        return lines.joined(separator: "\n") + "\n"
    }
}
