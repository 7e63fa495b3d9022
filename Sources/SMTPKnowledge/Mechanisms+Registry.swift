/// How the IANA SASL registry says a mechanism is meant to be used.
public enum MechanismUsage: String, Sendable, Codable, CaseIterable {
    case common, limited, obsolete
    /// Not in the registry at all.
    case unregistered

    public var text: Localized {
        switch self {
        case .common: return L("COMMON in the IANA SASL registry: fit for general use", "IANA SASL 注册表中为 COMMON：适合普遍使用")
        case .limited: return L("LIMITED in the IANA SASL registry: meant for a narrow use or one vendor", "IANA SASL 注册表中为 LIMITED：只用于狭窄的场合或某个厂商")
        case .obsolete: return L("OBSOLETE in the IANA SASL registry: do not use it for anything new", "IANA SASL 注册表中为 OBSOLETE：新的用途不要再使用它")
        case .unregistered: return L("not in the IANA SASL registry: one vendor's own name", "不在 IANA SASL 注册表中：某个厂商自己的名称")
        }
    }
}

extension MechanismInfo {
    public var usage: MechanismUsage { Mechanisms.usage[name] ?? .unregistered }
}

extension Mechanisms {
    /// The registry's usage column.
    static let usage: [String: MechanismUsage] = {
        var table: [String: MechanismUsage] = [:]
        let common = ["ANONYMOUS", "EXTERNAL", "GSSAPI", "OTP", "PLAIN", "SECURID", "SCRAM-SHA-1", "SCRAM-SHA-1-PLUS",
                      "SCRAM-SHA-256", "SCRAM-SHA-256-PLUS", "SCRAM-SHA-512", "SCRAM-SHA-512-PLUS", "SCRAM-SHA3-512",
                      "SCRAM-SHA3-512-PLUS", "SAML20", "OPENID20", "GS2-KRB5", "GS2-KRB5-PLUS", "EAP-AES128",
                      "EAP-AES128-PLUS", "OAUTH10A", "OAUTHBEARER", "SXOVER-PLUS", "KERBEROS_V5", "9798-U-RSA-SHA1-ENC",
                      "9798-M-RSA-SHA1-ENC", "9798-U-DSA-SHA1", "9798-M-DSA-SHA1", "9798-U-ECDSA-SHA1", "9798-M-ECDSA-SHA1"]
        let limited = ["CRAM-MD5", "GSS-SPNEGO", "NTLM", "NMAS_LOGIN", "NMAS_AUTHEN", "NMAS-SAMBA-AUTH",
                       "ECDH-X25519-CHALLENGE", "ECDSA-NIST256P-CHALLENGE"]
        let obsolete = ["KERBEROS_V4", "SKEY", "DIGEST-MD5", "LOGIN", "SPNEGO", "SPNEGO-PLUS", "XOAUTH", "XOAUTH2"]
        for name in common { table[name] = .common }
        for name in limited { table[name] = .limited }
        for name in obsolete { table[name] = .obsolete }
        return table
    }()

    /// The rest of the registry: mechanisms a mail server rarely offers, described so that an
    /// AUTH line naming them is not a mystery.
    static let registryRest: [MechanismInfo] = [
        MechanismInfo(name: "SCRAM-SHA-512", title: L("Salted challenge response (SHA-512)", "加盐质询应答（SHA-512）"),
            meaning: L("SCRAM with SHA-512; registered from a draft, offered by few servers yet.", "使用 SHA-512 的 SCRAM；依据一份草案注册，目前提供它的服务器还很少。"),
            reference: "draft-melnikov-scram-sha-512", revealsPassword: false),
        MechanismInfo(name: "SCRAM-SHA-512-PLUS", title: L("SCRAM-SHA-512 with channel binding", "带通道绑定的 SCRAM-SHA-512"),
            meaning: L("SCRAM-SHA-512 bound to the TLS channel.", "与 TLS 通道绑定的 SCRAM-SHA-512。"),
            reference: "draft-melnikov-scram-sha-512", revealsPassword: false),
        MechanismInfo(name: "SCRAM-SHA3-512", title: L("Salted challenge response (SHA3-512)", "加盐质询应答（SHA3-512）"),
            meaning: L("SCRAM with SHA3-512; registered from a draft.", "使用 SHA3-512 的 SCRAM；依据一份草案注册。"),
            reference: "draft-melnikov-scram-sha3-512", revealsPassword: false),
        MechanismInfo(name: "SCRAM-SHA3-512-PLUS", title: L("SCRAM-SHA3-512 with channel binding", "带通道绑定的 SCRAM-SHA3-512"),
            meaning: L("SCRAM-SHA3-512 bound to the TLS channel.", "与 TLS 通道绑定的 SCRAM-SHA3-512。"),
            reference: "draft-melnikov-scram-sha3-512", revealsPassword: false),
        MechanismInfo(name: "GS2-KRB5", title: L("Kerberos through the GS2 bridge", "经由 GS2 桥接的 Kerberos"),
            meaning: L("Kerberos V5 carried by the generic GS2 bridge from GSS-API to SASL, the successor of GSSAPI.",
                       "通过通用的 GS2 桥接（从 GSS-API 到 SASL）承载的 Kerberos V5，是 GSSAPI 的后继者。"),
            reference: "RFC 5801", revealsPassword: false),
        MechanismInfo(name: "GS2-KRB5-PLUS", title: L("GS2-KRB5 with channel binding", "带通道绑定的 GS2-KRB5"),
            meaning: L("GS2-KRB5 bound to the TLS channel.", "与 TLS 通道绑定的 GS2-KRB5。"), reference: "RFC 5801", revealsPassword: false),
        MechanismInfo(name: "GSS-SPNEGO", title: L("Windows negotiate (Kerberos or NTLM)", "Windows 协商认证（Kerberos 或 NTLM）"),
            meaning: L("Microsoft's SPNEGO through GSS-API: picks Kerberos or NTLM; Exchange offers it inside a domain.",
                       "微软经由 GSS-API 的 SPNEGO：在 Kerberos 和 NTLM 之间选择；Exchange 在域内部提供它。"),
            reference: "Microsoft [MS-SPNG]", revealsPassword: false),
        MechanismInfo(name: "SPNEGO", title: L("SPNEGO through GS2 (obsolete)", "经由 GS2 的 SPNEGO（已废弃）"),
            meaning: L("Registered with GS2 and declared obsolete at once: negotiation inside negotiation is unsafe.",
                       "随 GS2 一起注册并立即被宣布废弃：在协商之中再协商是不安全的。"),
            reference: "RFC 5801 §14", revealsPassword: false),
        MechanismInfo(name: "SPNEGO-PLUS", title: L("SPNEGO with channel binding (obsolete)", "带通道绑定的 SPNEGO（已废弃）"),
            meaning: L("The channel-bound form of SPNEGO, obsolete for the same reason.", "SPNEGO 的通道绑定形式，出于同样的原因已废弃。"),
            reference: "RFC 5801 §14", revealsPassword: false),
        MechanismInfo(name: "KERBEROS_V4", title: L("Kerberos version 4 (obsolete)", "Kerberos 第 4 版（已废弃）"),
            meaning: L("From the first SASL RFC; Kerberos 4 is broken and long gone. Seen only in very old AUTH lines.",
                       "来自第一份 SASL RFC；Kerberos 4 已被攻破，早已不再使用。只会出现在非常老的 AUTH 行中。"),
            reference: "RFC 2222 §7.1", revealsPassword: false),
        MechanismInfo(name: "KERBEROS_V5", title: L("Kerberos version 5 without GSS-API", "不经 GSS-API 的 Kerberos 第 5 版"),
            meaning: L("Kerberos 5 spoken directly in SASL, from an expired draft; mail servers use GSSAPI instead.",
                       "在 SASL 中直接使用 Kerberos 5，来自一份已过期的草案；邮件服务器改用 GSSAPI。"),
            reference: "draft-josefsson-kerberos5-sasl", revealsPassword: false),
        MechanismInfo(name: "SKEY", title: L("S/KEY one-time passwords (obsolete)", "S/KEY 一次性密码（已废弃）"),
            meaning: L("One-time passwords from a hash chain; replaced by OTP.", "基于哈希链的一次性密码；已被 OTP 取代。"),
            reference: "RFC 2444", revealsPassword: false),
        MechanismInfo(name: "OTP", title: L("One-time password", "一次性密码"),
            meaning: L("A password valid once, from a hash chain (RFC 2289); a stolen one is useless afterwards.",
                       "只能使用一次的密码，来自哈希链（RFC 2289）；被偷走的密码之后就没用了。"),
            reference: "RFC 2444", revealsPassword: false),
        MechanismInfo(name: "SECURID", title: L("RSA SecurID token", "RSA SecurID 令牌"),
            meaning: L("A PIN and the code shown on an RSA SecurID token.", "PIN 加上 RSA SecurID 令牌上显示的代码。"),
            reference: "RFC 2808", revealsPassword: false),
        MechanismInfo(name: "NMAS_LOGIN", title: L("Novell NMAS login", "Novell NMAS 登录"),
            meaning: L("Novell's modular authentication service (eDirectory).", "Novell 的模块化认证服务（eDirectory）。"),
            reference: "Novell", revealsPassword: false),
        MechanismInfo(name: "NMAS_AUTHEN", title: L("Novell NMAS authentication", "Novell NMAS 认证"),
            meaning: L("Another entry point of Novell's NMAS.", "Novell NMAS 的另一个入口。"), reference: "Novell", revealsPassword: false),
        MechanismInfo(name: "NMAS-SAMBA-AUTH", title: L("Novell NMAS for Samba", "面向 Samba 的 Novell NMAS"),
            meaning: L("NMAS as used between Samba and eDirectory.", "Samba 与 eDirectory 之间使用的 NMAS。"), reference: "Novell",
            revealsPassword: false),
        MechanismInfo(name: "9798-U-RSA-SHA1-ENC", title: L("ISO/IEC 9798 signatures (unilateral, RSA)", "ISO/IEC 9798 签名（单向，RSA）"),
            meaning: L("The client proves itself by a public-key signature (RFC 3163). The six 9798 mechanisms (U: client only, M: mutual; RSA, DSA or ECDSA) are registered but nearly never offered.",
                       "客户端用公钥签名证明自己（RFC 3163）。六个 9798 机制（U：只验证客户端，M：双向；RSA、DSA 或 ECDSA）虽已注册，但几乎没有人提供。"),
            reference: "RFC 3163", revealsPassword: false),
        MechanismInfo(name: "9798-M-RSA-SHA1-ENC", title: L("ISO/IEC 9798 signatures (mutual, RSA)", "ISO/IEC 9798 签名（双向，RSA）"),
            meaning: L("Both sides prove themselves by RSA signatures (RFC 3163).", "双方都用 RSA 签名证明自己（RFC 3163）。"), reference: "RFC 3163",
            revealsPassword: false),
        MechanismInfo(name: "9798-U-DSA-SHA1", title: L("ISO/IEC 9798 signatures (unilateral, DSA)", "ISO/IEC 9798 签名（单向，DSA）"),
            meaning: L("The client proves itself by a DSA signature (RFC 3163).", "客户端用 DSA 签名证明自己（RFC 3163）。"), reference: "RFC 3163",
            revealsPassword: false),
        MechanismInfo(name: "9798-M-DSA-SHA1", title: L("ISO/IEC 9798 signatures (mutual, DSA)", "ISO/IEC 9798 签名（双向，DSA）"),
            meaning: L("Both sides prove themselves by DSA signatures (RFC 3163).", "双方都用 DSA 签名证明自己（RFC 3163）。"), reference: "RFC 3163",
            revealsPassword: false),
        MechanismInfo(name: "9798-U-ECDSA-SHA1", title: L("ISO/IEC 9798 signatures (unilateral, ECDSA)", "ISO/IEC 9798 签名（单向，ECDSA）"),
            meaning: L("The client proves itself by an ECDSA signature (RFC 3163).", "客户端用 ECDSA 签名证明自己（RFC 3163）。"), reference: "RFC 3163",
            revealsPassword: false),
        MechanismInfo(name: "9798-M-ECDSA-SHA1", title: L("ISO/IEC 9798 signatures (mutual, ECDSA)", "ISO/IEC 9798 签名（双向，ECDSA）"),
            meaning: L("Both sides prove themselves by ECDSA signatures (RFC 3163).", "双方都用 ECDSA 签名证明自己（RFC 3163）。"), reference: "RFC 3163",
            revealsPassword: false),
        MechanismInfo(name: "EAP-AES128", title: L("EAP through GSS-API (Moonshot)", "经由 GSS-API 的 EAP（Moonshot）"),
            meaning: L("Federated login with EAP and RADIUS, from the Moonshot project (RFC 7055).", "使用 EAP 和 RADIUS 的联合登录，来自 Moonshot 项目（RFC 7055）。"),
            reference: "RFC 7055", revealsPassword: false),
        MechanismInfo(name: "EAP-AES128-PLUS", title: L("EAP-AES128 with channel binding", "带通道绑定的 EAP-AES128"),
            meaning: L("EAP-AES128 bound to the TLS channel.", "与 TLS 通道绑定的 EAP-AES128。"), reference: "RFC 7055", revealsPassword: false),
        MechanismInfo(name: "SAML20", title: L("SAML 2.0 single sign-on", "SAML 2.0 单点登录"),
            meaning: L("The client is sent to a SAML identity provider and comes back logged in (RFC 6595).", "客户端被引导到 SAML 身份提供者，登录后再回来（RFC 6595）。"),
            reference: "RFC 6595", revealsPassword: false),
        MechanismInfo(name: "OPENID20", title: L("OpenID 2.0 login", "OpenID 2.0 登录"),
            meaning: L("Login through an OpenID 2.0 provider (RFC 6616); OpenID 2.0 itself has faded.", "通过 OpenID 2.0 提供者登录（RFC 6616）；OpenID 2.0 本身已逐渐淘汰。"),
            reference: "RFC 6616", revealsPassword: false),
        MechanismInfo(name: "OAUTH10A", title: L("OAuth 1.0a token", "OAuth 1.0a 令牌"),
            meaning: L("An OAuth 1.0a signed token instead of a password (RFC 7628); OAUTHBEARER is its OAuth 2.0 sibling.",
                       "用 OAuth 1.0a 签名令牌代替密码（RFC 7628）；OAUTHBEARER 是对应的 OAuth 2.0 版本。"),
            reference: "RFC 7628", revealsPassword: true),
        MechanismInfo(name: "SXOVER-PLUS", title: L("Session transfer (XMPP)", "会话转移（XMPP）"),
            meaning: L("Resuming a session across servers, registered for XMPP; no mail server uses it.", "在服务器之间恢复会话，为 XMPP 注册；没有邮件服务器使用它。"),
            reference: "draft-cridland-sasl-sxover", revealsPassword: false),
        MechanismInfo(name: "ECDH-X25519-CHALLENGE", title: L("X25519 key challenge (IRC)", "X25519 密钥质询（IRC）"),
            meaning: L("A public-key login used by IRC networks; not used by mail.", "IRC 网络使用的公钥登录；邮件中不使用。"),
            reference: "IANA SASL registry", revealsPassword: false),
        MechanismInfo(name: "ECDSA-NIST256P-CHALLENGE", title: L("ECDSA P-256 key challenge (IRC)", "ECDSA P-256 密钥质询（IRC）"),
            meaning: L("A public-key login used by IRC networks; not used by mail.", "IRC 网络使用的公钥登录；邮件中不使用。"),
            reference: "IANA SASL registry", revealsPassword: false),
    ]
}
