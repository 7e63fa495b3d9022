/// Where a basic reply code stands.
public enum ReplyCodeStanding: String, Sendable, Codable, CaseIterable {
    /// In RFC 5321 itself.
    case standard
    /// Defined by an SMTP extension's RFC.
    case `extension`
    /// Named only in the IANA enhanced-status registry, next to one of its codes.
    case registry
    /// From an experimental RFC that few servers implemented.
    case experimental
    /// From an Internet-Draft that never became an RFC.
    case draft
    /// From before RFC 821, or used by one program only.
    case historic

    public var text: Localized {
        switch self {
        case .standard: return L("standard (RFC 5321)", "标准（RFC 5321）")
        case .extension: return L("defined by an SMTP extension", "由 SMTP 扩展定义")
        case .registry: return L("only in the IANA enhanced-status registry, next to an enhanced code; servers rarely send it",
                                 "只出现在 IANA 增强状态码注册表中，与某个增强状态码相关联；服务器很少发送它")
        case .experimental: return L("experimental: from an RFC few servers implemented", "实验性：来自一份很少有服务器实现的 RFC")
        case .draft: return L("a draft's proposal, never standardized; you may still meet it", "草案中的提议，从未标准化；但你仍可能遇到")
        case .historic: return L("historic: from before today's SMTP; old tutorials still list it", "历史遗留：早于今天的 SMTP；旧教程中仍然会列出")
        }
    }
}

extension ReplyCodes {
    /// Codes a learner meets in registries, old tutorials and drafts rather than in RFC 5321.
    static let rare: [ReplyCodeInfo] = [
        ReplyCodeInfo(200,
            L("Nonstandard success reply", "非标准的成功回复"),
            L("Some pre-RFC 821 servers answered with a plain 200; RFC 876 described it. Today's SMTP has no 200: read it as 250.",
              "一些早于 RFC 821 的服务器用简单的 200 回答；RFC 876 描述过它。今天的 SMTP 没有 200：把它当作 250 理解。"),
            ref: "RFC 876", standing: .historic),
        ReplyCodeInfo(355,
            L("Octet offset is the transaction offset", "字节偏移量即事务偏移量"),
            L("CHECKPOINT (RFC 1845): the answer to DATA when a broken transfer resumes; the text says how many octets the server already holds, and the client sends the rest.",
              "CHECKPOINT（RFC 1845）：中断的传输恢复时对 DATA 的回答；文字说明服务器已经收到多少字节，客户端只需发送剩下的部分。"),
            ref: "RFC 1845 §4", standing: .experimental),
        ReplyCodeInfo(422,
            L("A password transition is needed (registry form)", "需要进行密码过渡（注册表中的写法）"),
            L("The IANA registry lists 422 with X.7.12; RFC 4954 itself sends 432 4.7.12. Either means: log in once with a plain mechanism over TLS so the server can store the password for a stronger one.",
              "IANA 注册表把 422 与 X.7.12 列在一起；RFC 4954 本身发送的是 432 4.7.12。两者的意思相同：在 TLS 上用明文机制登录一次，让服务器为更强的机制保存密码。"),
            ref: "RFC 5248 §2.4", enhanced: ["4.7.12"], standing: .registry),
        ReplyCodeInfo(456,
            L("Retry over IPv4 (draft)", "请改用 IPv4 重试（草案）"),
            L("An expired draft (IPv6 to IPv4 fallback, 2013) proposed that a server refusing mail over IPv6 say so with 456, so that the sender retries at once over IPv4 instead of bouncing.",
              "一份已过期的草案（IPv6 到 IPv4 回退，2013 年）提议：通过 IPv6 拒收邮件的服务器用 456 说明，让发送方立刻改用 IPv4 重试，而不是退信。"),
            ref: "draft-martin-smtp-ipv6-to-ipv4-fallback", standing: .draft),
        ReplyCodeInfo(520,
            L("Use the correct QHLO identifier (draft)", "请使用正确的 QHLO 标识（草案）"),
            L("A draft for a faster session start (quickstart, QHLO) proposed 520 when the client's QHLO identifier did not match. No server uses it.",
              "一份加快会话开始的草案（quickstart，QHLO）提议在客户端的 QHLO 标识不匹配时回答 520。没有服务器使用它。"),
            ref: "draft-fanf-smtp-quickstart", standing: .draft),
        ReplyCodeInfo(523,
            L("Encryption needed", "需要加密"),
            L("The registry's code for X.7.10: a strong privacy layer is needed before this login, typically TLS before a plain-text mechanism.",
              "注册表中 X.7.10 的代码：在这种登录之前需要一个强隐私层，通常是在明文机制之前先启用 TLS。"),
            ref: "RFC 5248 §2.4", enhanced: ["5.7.10"], standing: .registry),
        ReplyCodeInfo(524,
            L("Encryption required for the mechanism (registry form)", "该机制需要加密（注册表中的写法）"),
            L("The IANA registry lists 524 with X.7.11; servers send 538 5.7.11 instead. Run STARTTLS, then AUTH again.",
              "IANA 注册表把 524 与 X.7.11 列在一起；服务器实际发送的是 538 5.7.11。先执行 STARTTLS，再重新 AUTH。"),
            ref: "RFC 5248 §2.4", enhanced: ["5.7.11"], standing: .registry),
        ReplyCodeInfo(525,
            L("User account disabled", "用户账户已停用"),
            L("The registry's code for X.7.13: the password was right, but the account is disabled (unpaid, abused, locked after a break-in). Retrying does not help; the administrator must enable it.",
              "注册表中 X.7.13 的代码：密码是对的，但账户已被停用（欠费、滥用、被入侵后锁定）。重试没有用，必须由管理员重新启用。"),
            ref: "RFC 5248 §2.4", enhanced: ["5.7.13"], standing: .registry),
    ]
}
