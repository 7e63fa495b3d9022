/// SASL mechanisms an AUTH line can offer.
public struct MechanismInfo: Sendable {
    public let name: String
    public let title: Localized
    public let meaning: Localized
    public let reference: String
    /// Sends the password in a form anyone who sees the traffic can read back.
    public let revealsPassword: Bool
}

public enum Mechanisms {
    public static func info(_ name: String) -> MechanismInfo? { byName[name.uppercased()] }

    static let byName: [String: MechanismInfo] = Dictionary(all.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })

    /// Every mechanism smtpx knows: those mail servers offer, then the rest of the registry.
    public static let all: [MechanismInfo] = mail + registryRest

    static let mail: [MechanismInfo] = [
        MechanismInfo(name: "PLAIN", title: L("User name and password in one message", "一条消息中发送用户名和密码"),
            meaning: L("One base64 line: authorization identity, NUL, user name, NUL, password. Readable by anyone who sees it, so use it only inside TLS.",
                       "一行 base64：授权身份、NUL、用户名、NUL、密码。任何看到它的人都能解码，所以只能在 TLS 内使用。"),
            reference: "RFC 4616", revealsPassword: true),
        MechanismInfo(name: "LOGIN", title: L("User name, then password", "先用户名，后密码"),
            meaning: L("The server prompts \"Username:\" and \"Password:\" (in base64) and the client answers each in base64. Never standardized but everywhere; as weak as PLAIN.",
                       "服务器以 base64 提示「Username:」和「Password:」，客户端逐一用 base64 回答。从未标准化，但到处都在用；与 PLAIN 一样弱。"),
            reference: "draft-murchison-sasl-login", revealsPassword: true),
        MechanismInfo(name: "CRAM-MD5", title: L("Challenge and response with HMAC-MD5", "基于 HMAC-MD5 的质询与应答"),
            meaning: L("The server sends a challenge; the client answers with its user name and HMAC-MD5(password, challenge) in hex. The password never crosses the wire, but the server must store it in clear, and MD5 is weak.",
                       "服务器发出质询；客户端用用户名和十六进制的 HMAC-MD5(密码, 质询) 回答。密码不在网络上传输，但服务器必须明文保存密码，而且 MD5 已不安全。"),
            reference: "RFC 2195", revealsPassword: false),
        MechanismInfo(name: "DIGEST-MD5", title: L("HTTP-digest-style challenge (historic)", "HTTP 摘要式质询（已成历史）"),
            meaning: L("A complex challenge-response scheme, moved to historic by RFC 6331; prefer SCRAM.", "一种复杂的质询应答方案，已被 RFC 6331 列为历史；建议改用 SCRAM。"),
            reference: "RFC 2831; RFC 6331", revealsPassword: false),
        MechanismInfo(name: "SCRAM-SHA-1", title: L("Salted challenge response (SHA-1)", "加盐质询应答（SHA-1）"),
            meaning: L("Both sides prove they know the password without sending it, and the server stores only a salted hash.",
                       "双方都在不发送密码的前提下证明自己知道密码，服务器只保存加盐的哈希。"),
            reference: "RFC 5802", revealsPassword: false),
        MechanismInfo(name: "SCRAM-SHA-1-PLUS", title: L("SCRAM-SHA-1 with channel binding", "带通道绑定的 SCRAM-SHA-1"),
            meaning: L("SCRAM bound to the TLS channel, so a man in the middle cannot relay it.", "与 TLS 通道绑定的 SCRAM，中间人无法转发它。"),
            reference: "RFC 5802", revealsPassword: false),
        MechanismInfo(name: "SCRAM-SHA-256", title: L("Salted challenge response (SHA-256)", "加盐质询应答（SHA-256）"),
            meaning: L("SCRAM with SHA-256: the modern password mechanism.", "使用 SHA-256 的 SCRAM：现代的密码认证机制。"),
            reference: "RFC 7677", revealsPassword: false),
        MechanismInfo(name: "SCRAM-SHA-256-PLUS", title: L("SCRAM-SHA-256 with channel binding", "带通道绑定的 SCRAM-SHA-256"),
            meaning: L("SCRAM-SHA-256 bound to the TLS channel.", "与 TLS 通道绑定的 SCRAM-SHA-256。"),
            reference: "RFC 7677", revealsPassword: false),
        MechanismInfo(name: "XOAUTH2", title: L("OAuth 2.0 bearer token (Google, Microsoft)", "OAuth 2.0 持有者令牌（Google、Microsoft）"),
            meaning: L("base64 of \"user=…^Aauth=Bearer TOKEN^A^A\": an access token instead of a password, as Gmail and Microsoft 365 require.",
                       "「user=…^Aauth=Bearer 令牌^A^A」的 base64：用访问令牌代替密码，Gmail 和 Microsoft 365 要求这样做。"),
            reference: "Google XOAUTH2 protocol", revealsPassword: true),
        MechanismInfo(name: "OAUTHBEARER", title: L("OAuth 2.0 bearer token (standard)", "OAuth 2.0 持有者令牌（标准）"),
            meaning: L("The standard form of XOAUTH2.", "XOAUTH2 的标准化形式。"), reference: "RFC 7628", revealsPassword: true),
        MechanismInfo(name: "XOAUTH", title: L("OAuth 1.0 (Google, retired)", "OAuth 1.0（Google，已停用）"),
            meaning: L("Google's earlier OAuth 1.0 mechanism.", "Google 早期的 OAuth 1.0 机制。"), reference: "Google", revealsPassword: true),
        MechanismInfo(name: "PLAIN-CLIENTTOKEN", title: L("Google client token", "Google 客户端令牌"),
            meaning: L("A Google-specific variant of PLAIN carrying a client token.", "Google 特有的、携带客户端令牌的 PLAIN 变体。"),
            reference: "Google", revealsPassword: true),
        MechanismInfo(name: "GSSAPI", title: L("Kerberos", "Kerberos 认证"),
            meaning: L("Single sign-on with Kerberos tickets, common inside organizations.", "使用 Kerberos 票据的单点登录，常见于组织内部。"),
            reference: "RFC 4752", revealsPassword: false),
        MechanismInfo(name: "NTLM", title: L("Windows NTLM", "Windows NTLM 认证"),
            meaning: L("Microsoft's challenge-response login, used by Exchange; outdated.", "微软的质询应答登录，Exchange 使用；已经过时。"),
            reference: "Microsoft [MS-NLMP]", revealsPassword: false),
        MechanismInfo(name: "EXTERNAL", title: L("Identity from outside SASL", "由 SASL 之外提供的身份"),
            meaning: L("The identity comes from elsewhere, usually the TLS client certificate.", "身份来自别处，通常是 TLS 客户端证书。"),
            reference: "RFC 4422 Appendix A", revealsPassword: false),
        MechanismInfo(name: "ANONYMOUS", title: L("Anonymous", "匿名"),
            meaning: L("No identity at all, only a trace string.", "没有任何身份，只有一个跟踪字符串。"),
            reference: "RFC 4505", revealsPassword: false),
    ]
}
