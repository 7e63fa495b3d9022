import Foundation
import SMTPCore

/// What each TLS weakness means and what to do about it, in both languages. The explorer's
/// warning line, batch output and probe's report all say a weakness with these words.
public enum TLSTexts {
    /// One line: what is weak.
    public static func words(_ weakness: TLSWeakness) -> Localized {
        switch weakness {
        case .oldVersion(let version):
            return L("{0} is deprecated (RFC 8996)", "{0} 已被废弃（RFC 8996）").format(version)
        case .cbcSHA1(let suite):
            return L("{0} uses CBC with SHA-1", "{0} 使用 CBC 加 SHA-1").format(suite)
        case .rsaKeyExchange(let suite):
            return L("{0} has no forward secrecy (RSA key exchange)", "{0} 没有前向保密（RSA 密钥交换）").format(suite)
        case .weakKey(let key):
            return L("the certificate's key is {0}, under 2048 bits", "证书的密钥是 {0}，不足 2048 位").format(key)
        case .sha1Signature(let algorithm):
            return L("the certificate is signed with {0}", "证书使用 {0} 签名").format(algorithm)
        case .expiresSoon(let days):
            return L("the certificate expires in {0} days", "证书将在 {0} 天后过期").format(days)
        }
    }

    /// Why it matters and what to change.
    public static func advice(_ weakness: TLSWeakness) -> Localized {
        switch weakness {
        case .oldVersion:
            return L("TLS 1.0 and 1.1 lack modern hashes and AEAD ciphers; RFC 8996 forbids them. Offer TLS 1.2 and 1.3 only (Postfix: smtpd_tls_protocols = >=TLSv1.2).",
                     "TLS 1.0 和 1.1 缺少现代哈希和 AEAD 密码；RFC 8996 禁止使用它们。只提供 TLS 1.2 和 1.3（Postfix：smtpd_tls_protocols = >=TLSv1.2）。")
        case .cbcSHA1:
            return L("CBC suites with a SHA-1 MAC are the ones padding-oracle attacks (Lucky 13) went after; RFC 9325 §4.2 recommends AEAD suites (GCM, ChaCha20-Poly1305).",
                     "带 SHA-1 MAC 的 CBC 套件正是填充预言攻击（Lucky 13）针对的对象；RFC 9325 §4.2 建议使用 AEAD 套件（GCM、ChaCha20-Poly1305）。")
        case .rsaKeyExchange:
            return L("The session key travels encrypted with the server's RSA key: whoever records the session and later obtains that key can read it. Prefer ECDHE suites (RFC 9325 §4.1).",
                     "会话密钥用服务器的 RSA 密钥加密传送：录下会话的人一旦日后拿到该密钥，就能读出内容。应优先使用 ECDHE 套件（RFC 9325 §4.1）。")
        case .weakKey:
            return L("RSA keys under 2048 bits can be factored with enough computing; issue a new certificate with RSA 2048+ or ECDSA P-256.",
                     "不足 2048 位的 RSA 密钥在算力足够时可以被分解；请换发 RSA 2048 位以上或 ECDSA P-256 的证书。")
        case .sha1Signature:
            return L("SHA-1 collisions can be computed (SHAttered, 2017); certificates signed with it are no longer trusted by browsers. Reissue with SHA-256.",
                     "SHA-1 碰撞已可以计算出来（SHAttered，2017 年）；用它签名的证书已不再被浏览器信任。请用 SHA-256 重新签发。")
        case .expiresSoon:
            return L("Renew it now: senders that verify certificates (MTA-STS, DANE, most submission clients) will stop delivering when it expires. With ACME, check why the automatic renewal has not run.",
                     "请立即续期：证书过期后，验证证书的发送方（MTA-STS、DANE 以及大多数提交客户端）将停止投递。若使用 ACME，请检查自动续期为何没有运行。")
        }
    }

    /// The warning line the stream shows after `TLS established`.
    public static func warning(_ weaknesses: [TLSWeakness]) -> Localized {
        L("Weak TLS: {0}", "TLS 较弱：{0}").formatEach(index: 0) { language in
            weaknesses.map { words($0)[language] }.joined(separator: "; ")
        }
    }
}
