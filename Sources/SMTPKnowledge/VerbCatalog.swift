import SMTPCore

/// Where a verb stands.
public enum VerbStanding: String, Sendable, Codable, CaseIterable {
    /// In RFC 5321.
    case current
    /// Defined by an extension (announced in EHLO) or by LMTP.
    case `extension`
    /// One server's own: Sendmail, Postfix, Exchange.
    case nonstandard
    /// Withdrawn.
    case obsolete

    public var text: Localized {
        switch self {
        case .current: return L("current (RFC 5321)", "现行（RFC 5321）")
        case .extension: return L("extension: only when the server announces it in EHLO, or in LMTP", "扩展：只有服务器在 EHLO 中声明时才能使用，或用于 LMTP")
        case .nonstandard: return L("nonstandard: one server's own command", "非标准：某一种服务器自己的命令")
        case .obsolete: return L("obsolete: withdrawn from SMTP", "已废弃：已从 SMTP 中撤销")
        }
    }
}

/// A verb a server may answer that the session does not drive: LMTP's, and the nonstandard
/// verbs of Sendmail, Postfix and Exchange.
public struct VerbEntry: Sendable {
    public let keyword: String
    public let syntax: String
    public let standing: VerbStanding
    /// Who answers it.
    public let server: String
    public let meaning: Localized
    public let reference: String
}

public enum VerbCatalog {
    public static func entry(_ keyword: String) -> VerbEntry? { byKeyword[keyword.uppercased()] }

    /// Where any verb stands, the session's own included.
    public static func standing(_ keyword: String) -> VerbStanding? {
        if let verb = Verb(keyword: keyword.uppercased()) {
            switch verb.status {
            case .current: return .current
            case .extension: return .extension
            case .obsolete: return .obsolete
            }
        }
        return entry(keyword)?.standing
    }

    static let byKeyword: [String: VerbEntry] = Dictionary(all.map { ($0.keyword, $0) }, uniquingKeysWith: { a, _ in a })

    static let sendmail = "Sendmail", postfix = "Postfix", exchange = "Microsoft Exchange"

    public static let all: [VerbEntry] = [
        VerbEntry(keyword: "LHLO", syntax: "LHLO <domain>", standing: .extension, server: "LMTP (Dovecot, Cyrus, Postfix lmtp)",
                  meaning: L("LMTP's EHLO. LMTP is SMTP for the last hop into a mailbox store: same commands, but LHLO instead of EHLO, and after the final \".\" one reply per accepted recipient, since one mailbox may be full while another takes the message.",
                             "LMTP 的 EHLO。LMTP 是投递进邮箱存储的最后一跳所用的 SMTP：命令相同，但用 LHLO 代替 EHLO，并且在最后的「.」之后对每个已接受的收件人各回复一次，因为可能一个邮箱满了而另一个收下了邮件。"),
                  reference: "RFC 2033 §4.1"),
        VerbEntry(keyword: "XCLIENT", syntax: "XCLIENT NAME=… ADDR=… PROTO=…", standing: .nonstandard, server: postfix,
                  meaning: L("A trusted proxy or filter tells Postfix who the real client is (address, name, HELO, login), so that Postfix applies its rules to that client. Refused (550 5.7.0) to anyone not listed in smtpd_authorized_xclient_hosts.",
                             "受信任的代理或过滤器告诉 Postfix 真正的客户端是谁（地址、名称、HELO、登录名），让 Postfix 对那个客户端执行规则。不在 smtpd_authorized_xclient_hosts 中的人会被拒绝（550 5.7.0）。"),
                  reference: "Postfix XCLIENT_README"),
        VerbEntry(keyword: "XFORWARD", syntax: "XFORWARD NAME=… ADDR=… HELO=…", standing: .nonstandard, server: postfix,
                  meaning: L("A content filter hands the original client's details back to Postfix for logging only; unlike XCLIENT it changes no decision.",
                             "内容过滤器把原始客户端的信息交还给 Postfix，仅用于记录日志；与 XCLIENT 不同，它不改变任何决定。"),
                  reference: "Postfix XFORWARD_README"),
        VerbEntry(keyword: "VERB", syntax: "VERB", standing: .nonstandard, server: sendmail,
                  meaning: L("Sendmail's verbose mode: the server reports its delivery steps as it goes. Announced in EHLO as VERB; usually switched off.",
                             "Sendmail 的详细模式：服务器随时报告它的投递步骤。在 EHLO 中声明为 VERB；通常是关闭的。"),
                  reference: "Sendmail srvrsmtp.c"),
        VerbEntry(keyword: "ONEX", syntax: "ONEX", standing: .nonstandard, server: sendmail,
                  meaning: L("The client promises to send only one message on this connection, so Sendmail may deliver at once.",
                             "客户端承诺在这条连接上只发送一封邮件，因此 Sendmail 可以立即投递。"),
                  reference: "Sendmail srvrsmtp.c"),
        VerbEntry(keyword: "XUSR", syntax: "XUSR", standing: .nonstandard, server: sendmail,
                  meaning: L("Marks the message as an initial user submission, so Sendmail may fix up its headers as a submission server would.",
                             "把邮件标记为用户的初次提交，这样 Sendmail 可以像提交服务器那样修正邮件头。"),
                  reference: "Sendmail srvrsmtp.c"),
        VerbEntry(keyword: "DEBUG", syntax: "DEBUG", standing: .nonstandard, server: sendmail,
                  meaning: L("An old Sendmail debugging command that let a remote user run programs; the Morris worm used it in 1988. Sendmail now only logs the attempt and refuses.",
                             "Sendmail 早年的调试命令，能让远程用户运行程序；1988 年的莫里斯蠕虫利用了它。如今 Sendmail 只记录这次尝试并拒绝。"),
                  reference: "Sendmail srvrsmtp.c"),
        VerbEntry(keyword: "WIZ", syntax: "WIZ <password>", standing: .nonstandard, server: sendmail,
                  meaning: L("Old Sendmail's \"wizard mode\", a back door guarded by a password; removed long ago, and modern Sendmail logs any try.",
                             "早期 Sendmail 的「巫师模式」，一个由密码保护的后门；早已删除，现代 Sendmail 会记录每一次尝试。"),
                  reference: "Sendmail srvrsmtp.c"),
        VerbEntry(keyword: "XEXCH50", syntax: "XEXCH50 <size> <guid>", standing: .nonstandard, server: exchange,
                  meaning: L("Exchange 2000 and 2003 servers passed a binary blob of message properties to each other with it; later Exchange versions dropped it.",
                             "Exchange 2000 和 2003 服务器用它互相传递一段二进制的邮件属性；后来的 Exchange 版本不再使用。"),
                  reference: "Microsoft Exchange"),
        VerbEntry(keyword: "X-LINK2STATE", syntax: "X-LINK2STATE …", standing: .nonstandard, server: exchange,
                  meaning: L("Exchange 2000 and 2003 exchanged routing link-state information between servers with it.",
                             "Exchange 2000 和 2003 用它在服务器之间交换路由链路状态信息。"),
                  reference: "Microsoft Exchange"),
        VerbEntry(keyword: "XSHADOW", syntax: "XSHADOW <server>", standing: .nonstandard, server: exchange,
                  meaning: L("Exchange shadow redundancy: two Exchange servers agree that the receiver keeps a copy until the next hop has the message.",
                             "Exchange 的影子冗余：两台 Exchange 服务器约定，接收方保留一份副本，直到下一跳收到邮件为止。"),
                  reference: "Microsoft Exchange"),
        VerbEntry(keyword: "XSHADOWREQUEST", syntax: "XSHADOWREQUEST …", standing: .nonstandard, server: exchange,
                  meaning: L("Asks the peer Exchange server to hold a shadow copy (shadow redundancy).", "请求对端的 Exchange 服务器保留一份影子副本（影子冗余）。"),
                  reference: "Microsoft Exchange"),
        VerbEntry(keyword: "XPROXY", syntax: "XPROXY …", standing: .nonstandard, server: exchange,
                  meaning: L("Exchange's front end passes the original client's session details to the back end it proxies for.",
                             "Exchange 的前端把原始客户端的会话信息传给它所代理的后端。"),
                  reference: "Microsoft Exchange"),
        VerbEntry(keyword: "XPROXYFROM", syntax: "XPROXYFROM …", standing: .nonstandard, server: exchange,
                  meaning: L("Exchange's front end tells the back end where the proxied connection comes from.", "Exchange 的前端告诉后端被代理的连接来自哪里。"),
                  reference: "Microsoft Exchange"),
        VerbEntry(keyword: "XPROXYTO", syntax: "XPROXYTO …", standing: .nonstandard, server: exchange,
                  meaning: L("Exchange's back end asks its front end to proxy the session on to another server.", "Exchange 的后端请求前端把会话继续代理到另一台服务器。"),
                  reference: "Microsoft Exchange"),
        VerbEntry(keyword: "XSESSIONPARAMS", syntax: "XSESSIONPARAMS …", standing: .nonstandard, server: exchange,
                  meaning: L("Exchange servers pass session parameters (such as the tenant) between front and back end.",
                             "Exchange 服务器在前端与后端之间传递会话参数（例如租户）。"),
                  reference: "Microsoft Exchange"),
    ]
}
