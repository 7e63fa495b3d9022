import SMTPCore

/// What each verb is for, in words; the grammar, status and replies come from ``Verb``.
public enum VerbTexts {
    public static func title(_ verb: Verb) -> Localized {
        switch verb {
        case .helo: return L("Hello (RFC 821 style)", "问候（RFC 821 方式）")
        case .ehlo: return L("Extended hello", "扩展问候")
        case .mail: return L("Start a mail transaction: the sender", "开始邮件事务：发件人")
        case .rcpt: return L("Add a recipient", "添加收件人")
        case .data: return L("Send the message", "发送邮件内容")
        case .rset: return L("Reset the transaction", "重置事务")
        case .vrfy: return L("Verify a user or mailbox", "验证用户或邮箱")
        case .expn: return L("Expand a mailing list", "展开邮件列表")
        case .help: return L("Ask for help", "请求帮助")
        case .noop: return L("Do nothing", "无操作")
        case .quit: return L("Close the session", "结束会话")
        case .send: return L("Send to a terminal (obsolete)", "发送到终端（已废弃）")
        case .soml: return L("Send or mail (obsolete)", "发送到终端或邮箱（已废弃）")
        case .saml: return L("Send and mail (obsolete)", "发送到终端并投递到邮箱（已废弃）")
        case .turn: return L("Reverse the roles (obsolete)", "互换角色（已废弃）")
        case .starttls: return L("Start TLS encryption", "开始 TLS 加密")
        case .auth: return L("Authenticate with SASL", "使用 SASL 认证")
        case .bdat: return L("Send a chunk of the message", "发送邮件的一个分块")
        case .etrn: return L("Start the queue for a domain", "为某个域名启动队列")
        case .atrn: return L("Authenticated turn", "经过认证的角色互换")
        case .burl: return L("Submit the message from a URL", "通过 URL 提交邮件")
        }
    }

    public static func purpose(_ verb: Verb) -> Localized {
        switch verb {
        case .helo: return L("Names the client and starts the session in plain RFC 821 SMTP: the reply has no list of extensions, so none can be used.",
                             "报出客户端名称，以纯 RFC 821 SMTP 方式开始会话：回复中没有扩展列表，因此不能使用任何扩展。")
        case .ehlo: return L("Names the client (its domain, or an address literal such as [192.0.2.1]) and asks for the server's extensions, one per reply line. Send it first, and again after STARTTLS.",
                             "报出客户端名称（它的域名，或 [192.0.2.1] 这样的地址字面量），并请求服务器的扩展列表，每行一个。首先发送它，STARTTLS 之后还要再发一次。")
        case .mail: return L("Starts a new message and gives the reverse-path: where bounces go. <> is the null sender, used for bounces themselves. Extension parameters (SIZE=, BODY=, SMTPUTF8…) follow the address.",
                             "开始一封新邮件并给出返回路径：退信发往何处。<> 是空发件人，用于退信本身。扩展参数（SIZE=、BODY=、SMTPUTF8……）写在地址后面。")
        case .rcpt: return L("Adds one recipient (a forward-path). Repeat it for each recipient; each gets its own reply.",
                             "添加一个收件人（转发路径）。每个收件人发一次，每次都有自己的回复。")
        case .data: return L("After 354, send the message itself (headers, an empty line, the body), ended by a line with a single \".\". Lines starting with \".\" are dot-stuffed.",
                             "收到 354 后发送邮件本身（邮件头、一个空行、正文），以只有一个「.」的一行结束。以「.」开头的行要进行点填充。")
        case .rset: return L("Abandons the current transaction (sender, recipients, data); the session stays open.",
                             "放弃当前事务（发件人、收件人、内容）；会话保持打开。")
        case .vrfy: return L("Asks whether a user or mailbox exists. Many servers answer 252 to avoid revealing it.",
                             "询问某个用户或邮箱是否存在。许多服务器回答 252 以免泄露信息。")
        case .expn: return L("Asks for the members of a mailing list. Public servers usually refuse it.",
                             "请求邮件列表的成员。公开服务器通常拒绝。")
        case .help: return L("Asks the server for help, in general or on one command.", "向服务器请求帮助，可以是总体帮助或某个命令的帮助。")
        case .noop: return L("Does nothing and gets 250: a way to check the connection is alive or to measure latency.",
                             "什么也不做，得到 250：用来检查连接是否还活着，或测量延迟。")
        case .quit: return L("Ends the session: the server answers 221 and closes the connection.",
                             "结束会话：服务器回答 221 并关闭连接。")
        case .send, .soml, .saml:
            return L("RFC 821 commands to deliver to a logged-in user's terminal. Withdrawn; servers answer 502.",
                     "RFC 821 中用于投递到已登录用户终端的命令。已被撤销；服务器会回答 502。")
        case .turn: return L("RFC 821: swaps client and server so the server sends you its mail. Withdrawn because it let anyone collect someone else's mail.",
                             "RFC 821：互换客户端与服务器，让服务器把邮件发给你。因为任何人都能借此取走别人的邮件而被撤销。")
        case .starttls: return L("Turns the connection into TLS: after the 220 the TLS handshake starts, and then the client sends EHLO again. Anything sent before is forgotten.",
                                 "把连接升级为 TLS：收到 220 后开始 TLS 握手，然后客户端重新发送 EHLO。之前的一切都被忘掉。")
        case .auth: return L("Logs in with a SASL mechanism from the EHLO AUTH line. The server may answer 334 with challenges; base64 lines go back until 235 or an error.",
                             "使用 EHLO 中 AUTH 行列出的 SASL 机制登录。服务器可能用 334 发出质询；客户端回复 base64 行，直到收到 235 或错误。")
        case .bdat: return L("Sends exactly n octets of the message, with no dot-stuffing. LAST marks the final chunk; each chunk gets a reply.",
                             "准确发送邮件的 n 个八位组，不需要点填充。LAST 标记最后一块；每一块都有回复。")
        case .etrn: return L("Asks the server to deliver the mail it holds for a domain (@domain) or a queue (#queue).",
                             "请求服务器投递它为某个域名（@domain）或队列（#queue）保存的邮件。")
        case .atrn: return L("After AUTH, asks the server to turn around and deliver the queued mail for your domains over this connection.",
                             "AUTH 之后，请求服务器调转方向，通过这条连接投递为你的域名排队的邮件。")
        case .burl: return L("Gives the message as an IMAP URL instead of sending its bytes.", "用 IMAP URL 提供邮件，而不是发送邮件的字节。")
        }
    }

    public static func status(_ status: Verb.Status) -> Localized {
        switch status {
        case .current: return L("current (RFC 5321)", "现行（RFC 5321）")
        case .extension: return L("extension: only when EHLO advertises it", "扩展：只有在 EHLO 声明了它时才能使用")
        case .obsolete: return L("obsolete", "已废弃")
        }
    }
}
