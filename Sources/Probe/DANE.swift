import Crypto
import Foundation
import SMTPCore

/// DANE for SMTP (RFC 6698, RFC 7671, RFC 7672): whether the served chain matches the TLSA
/// records of `_PORT._tcp.HOST`, and how much the records can be believed.
public enum DANE {
    /// The owner name of the TLSA records of a server.
    public static func owner(host: String, port: Int) -> String { "_\(port)._tcp.\(host)" }

    /// The bytes a record's selector picks from a certificate, hashed as its matching type says.
    static func association(_ certificate: CertificateSummary, selector: Int, matching: Int) -> [UInt8]? {
        let picked: [UInt8]
        switch selector {
        case 0: picked = certificate.der
        case 1: picked = certificate.spki
        default: return nil
        }
        guard !picked.isEmpty else { return nil }
        switch matching {
        case 0: return picked
        case 1: return Array(SHA256.hash(data: picked))
        case 2: return Array(SHA512.hash(data: picked))
        default: return nil
        }
    }

    /// Whether a record matches the chain: DANE-EE (3) the leaf, DANE-TA (2) a certificate
    /// above it; PKIX usages (0, 1) match the same way but SMTP does not use them (RFC 7672 §3.1.3).
    public static func matches(_ record: TLSARecord, chain: [CertificateSummary]) -> Bool {
        let candidates: ArraySlice<CertificateSummary>
        switch record.usage {
        case 3, 1: candidates = chain.prefix(1)
        case 2, 0: candidates = chain.dropFirst()
        default: return false
        }
        return candidates.contains { association($0, selector: record.selector, matching: record.matching) == record.data }
    }

    static func check(_ server: ServerFindings) -> ProbeCheck? {
        guard let lookup = server.tlsa else { return nil }
        let evidence = ["TLSA \(lookup.name): " + (lookup.records.isEmpty ? (lookup.failure ?? "none") : "\(lookup.records.count) records, \(lookup.dnssec.rawValue)")]
            + lookup.records.map { "  \($0)" }
        if let failure = lookup.failure {
            let bogus = lookup.dnssec == .bogus
            return ProbeCheck("dane", .dane, server: server.label, bogus ? .problem : .warning,
                              bogus ? L("TLSA records fail DNSSEC", "TLSA 记录未通过 DNSSEC 验证") : L("TLSA lookup failed", "TLSA 查询失败"),
                              bogus ? L("The TLSA answer does not validate (bogus): DANE senders defer all mail to this server until it does (RFC 7672 §2.2).",
                                        "TLSA 应答无法通过验证（bogus）：使用 DANE 的发信方会推迟所有发往这台服务器的邮件，直到它恢复（RFC 7672 §2.2）。")
                                    : L("The resolver could not answer for {0} ({1}): DANE senders defer mail while it fails.", "解析器无法回答 {0}（{1}）：在此期间使用 DANE 的发信方会推迟邮件。").format(lookup.name, failure),
                              evidence: evidence)
        }
        if lookup.records.isEmpty {
            return ProbeCheck("dane", .dane, server: server.label, .note, L("No DANE", "没有 DANE"),
                              L("There are no TLSA records at {0}: senders use TLS here without authenticating the server, so an attacker on the path can impersonate it.",
                                "{0} 没有 TLSA 记录：发信方在这里使用 TLS 时不验证服务器身份，路径上的攻击者可以冒充它。").format(lookup.name),
                              evidence: evidence)
        }
        if lookup.dnssec != .secure {
            return ProbeCheck("dane", .dane, server: server.label, .warning, L("TLSA without DNSSEC", "TLSA 没有 DNSSEC"),
                              L("TLSA records exist but the zone is not signed (or not validated): senders ignore them (RFC 7672 §2.2), so they protect nothing. Sign the zone.",
                                "存在 TLSA 记录，但区域没有签名（或未通过验证）：发信方会忽略它们（RFC 7672 §2.2），它们什么也保护不了。请为区域签名。"),
                              evidence: evidence)
        }
        guard let chain = server.tlsInfo?.chain, !chain.isEmpty else {
            return ProbeCheck("dane", .dane, server: server.label, .problem, L("DANE without TLS", "有 DANE 却没有 TLS"),
                              L("Secure TLSA records exist, but no TLS session could be made: DANE senders will not deliver in the clear.",
                                "存在安全的 TLSA 记录，但无法建立 TLS 会话：使用 DANE 的发信方不会以明文投递。"),
                              evidence: evidence)
        }
        let usable = lookup.records.filter { $0.usage == 2 || $0.usage == 3 }
        let matching = usable.filter { matches($0, chain: chain) }
        if !matching.isEmpty {
            return ProbeCheck("dane", .dane, server: server.label, .ok, L("DANE", "DANE"),
                              L("Secure TLSA records, and {0} matches the chain served ({1}).", "TLSA 记录安全，其中 {0} 条与服务器的证书链匹配（{1}）。").format(matching.count, matching.map(Self.kind).joined(separator: ", ")),
                              evidence: evidence)
        }
        if usable.isEmpty {
            return ProbeCheck("dane", .dane, server: server.label, .note, L("Only PKIX TLSA records", "只有 PKIX 类 TLSA 记录"),
                              L("The TLSA records use usage 0 or 1 (PKIX-TA, PKIX-EE), which SMTP senders treat as unusable (RFC 7672 §3.1.3). Publish 3 1 1 (DANE-EE) or 2 1 1 (DANE-TA).",
                                "TLSA 记录使用的用途是 0 或 1（PKIX-TA、PKIX-EE），SMTP 发信方视之为不可用（RFC 7672 §3.1.3）。请发布 3 1 1（DANE-EE）或 2 1 1（DANE-TA）。"),
                              evidence: evidence)
        }
        return ProbeCheck("dane", .dane, server: server.label, .problem, L("DANE mismatch", "DANE 不匹配"),
                          L("Secure TLSA records exist, but none matches the certificate the server sends: DANE senders refuse to deliver. Update the TLSA records before (not after) a new key.",
                            "存在安全的 TLSA 记录，但没有一条与服务器发送的证书匹配：使用 DANE 的发信方会拒绝投递。更换密钥之前（而不是之后）先更新 TLSA 记录。"),
                          evidence: evidence + ["served leaf SPKI SHA-256: " + Array(SHA256.hash(data: chain[0].spki)).map { String(format: "%02x", $0) }.joined()])
    }

    static func kind(_ record: TLSARecord) -> String {
        let usage = ["PKIX-TA", "PKIX-EE", "DANE-TA", "DANE-EE"][min(max(record.usage, 0), 3)]
        let selector = record.selector == 0 ? "Cert" : "SPKI"
        let matching = ["Full", "SHA2-256", "SHA2-512"][min(max(record.matching, 0), 2)]
        return "\(usage) \(selector) \(matching)"
    }
}
