import Foundation

/// What smtpx knows about one EHLO keyword.
public struct ExtensionInfo: Sendable {
    public enum Standing: String, Sendable, Codable {
        /// In the IANA registry of SMTP service extensions.
        case registered
        /// In the registry, but withdrawn or historic.
        case obsolete
        /// Not registered; announced by real servers anyway.
        case unregistered
    }

    public let keyword: String
    public let title: Localized
    public let meaning: Localized
    public let reference: String
    public let standing: Standing
    /// What the keyword's parameters mean, when it has any.
    public let parameters: Localized?

    init(_ keyword: String, _ title: Localized, _ meaning: Localized, ref reference: String,
         _ standing: Standing = .registered, parameters: Localized? = nil) {
        self.keyword = keyword
        self.title = title
        self.meaning = meaning
        self.reference = reference
        self.standing = standing
        self.parameters = parameters
    }
}

/// The IANA registry of SMTP service extensions, and keywords real servers announce besides.
public enum Extensions {
    public static func info(_ keyword: String) -> ExtensionInfo? { byKeyword[keyword.uppercased()] }

    /// A last EHLO line that is no keyword: "Ok", "OK.", "Ready", "Done".
    public static func isClosingFiller(_ text: String) -> Bool {
        let word = text.trimmingCharacters(in: .whitespaces).uppercased().trimmingCharacters(in: CharacterSet(charactersIn: ".!"))
        return ["OK", "READY", "DONE", "HELLO"].contains(word)
    }

    static let byKeyword: [String: ExtensionInfo] = Dictionary(all.map { ($0.keyword, $0) }, uniquingKeysWith: { a, _ in a })

    /// The registry and the keywords servers announce without it.
    public static let all: [ExtensionInfo] = listed + announced

    static let listed: [ExtensionInfo] = [
        ExtensionInfo("8BITMIME", L("8-bit MIME transport", "8 位 MIME 传输"),
            L("The server takes message bodies with 8-bit characters; declare them with MAIL FROM:<…> BODY=8BITMIME.",
              "服务器接受含 8 位字符的邮件正文；用 MAIL FROM:<…> BODY=8BITMIME 声明。"), ref: "RFC 6152"),
        ExtensionInfo("SIZE", L("Message size declaration", "邮件大小声明"),
            L("The parameter is the largest message the server accepts, in octets (0: no fixed limit). A client can declare its size with MAIL FROM:<…> SIZE=n and be refused before sending it.",
              "参数是服务器接受的最大邮件，单位为八位组（0 表示没有固定上限）。客户端可以用 MAIL FROM:<…> SIZE=n 声明邮件大小，在发送前就得知是否会被拒绝。"),
            ref: "RFC 1870", parameters: L("the size limit in octets", "大小上限（八位组）")),
        ExtensionInfo("PIPELINING", L("Command pipelining", "命令流水线"),
            L("The client may send several commands without waiting for each reply (MAIL, RCPT…, DATA); the replies come back in order.",
              "客户端可以连续发送多条命令而不必逐条等待回复（MAIL、RCPT……、DATA）；回复会按顺序返回。"), ref: "RFC 2920"),
        ExtensionInfo("DSN", L("Delivery status notifications", "投递状态通知"),
            L("The client may ask for delivery reports: RET= and ENVID= on MAIL, NOTIFY= and ORCPT= on RCPT.",
              "客户端可以请求投递报告：MAIL 上的 RET= 和 ENVID=，RCPT 上的 NOTIFY= 和 ORCPT=。"), ref: "RFC 3461"),
        ExtensionInfo("ENHANCEDSTATUSCODES", L("Enhanced status codes", "增强状态码"),
            L("Replies start with a class.subject.detail code such as 5.1.1, which says more than the three digits.",
              "回复文字以 5.1.1 这样的「类别.主题.细节」代码开头，比三位数回复码说明得更多。"), ref: "RFC 2034"),
        ExtensionInfo("STARTTLS", L("Secure SMTP over TLS", "基于 TLS 的安全 SMTP"),
            L("The client may turn this connection into an encrypted one with STARTTLS; afterwards it must send EHLO again.",
              "客户端可以用 STARTTLS 把当前连接升级为加密连接；之后必须重新发送 EHLO。"), ref: "RFC 3207"),
        ExtensionInfo("AUTH", L("Authentication", "认证"),
            L("The client may log in with AUTH and one of the listed SASL mechanisms; servers usually let authenticated users relay.",
              "客户端可以用 AUTH 和所列的某个 SASL 机制登录；服务器通常允许已认证的用户中继邮件。"),
            ref: "RFC 4954", parameters: L("the SASL mechanisms offered", "提供的 SASL 机制")),
        ExtensionInfo("CHUNKING", L("Chunking (BDAT)", "分块传输（BDAT）"),
            L("The message may be sent in chunks with BDAT n [LAST] instead of DATA: no dot-stuffing, exact byte counts.",
              "可以用 BDAT n [LAST] 分块发送邮件来代替 DATA：不需要点填充，按确切字节数传输。"), ref: "RFC 3030"),
        ExtensionInfo("BINARYMIME", L("Binary MIME", "二进制 MIME"),
            L("With CHUNKING, the body may be raw binary: MAIL FROM:<…> BODY=BINARYMIME, sent with BDAT.",
              "配合 CHUNKING，正文可以是原始二进制：MAIL FROM:<…> BODY=BINARYMIME，用 BDAT 发送。"), ref: "RFC 3030"),
        ExtensionInfo("SMTPUTF8", L("Internationalized email", "国际化电子邮件"),
            L("Addresses and headers may contain UTF-8 (jörg@exämple.de, δοκιμή@παράδειγμα.δοκιμή); declare it with MAIL FROM:<…> SMTPUTF8.",
              "地址和邮件头可以包含 UTF-8（例如 jörg@exämple.de、用户@例子.中国）；用 MAIL FROM:<…> SMTPUTF8 声明。"), ref: "RFC 6531"),
        ExtensionInfo("ETRN", L("Remote message queue starting", "远程启动邮件队列"),
            L("A client can ask the server to start delivering mail it queued for a domain: ETRN example.org.",
              "客户端可以请求服务器开始投递为某个域名排队的邮件：ETRN example.org。"), ref: "RFC 1985"),
        ExtensionInfo("ATRN", L("Authenticated TURN", "经过认证的 TURN"),
            L("After AUTH, the roles reverse and the server delivers queued mail for your domains over this connection (on-demand mail relay).",
              "AUTH 之后双方角色互换，服务器通过这条连接投递为你的域名排队的邮件（按需邮件中继）。"), ref: "RFC 2645"),
        ExtensionInfo("BURL", L("Message submission by reference", "通过引用提交邮件"),
            L("The message can come from an IMAP URL instead of DATA, so a client need not upload it twice.",
              "邮件内容可以来自一个 IMAP URL 而不是 DATA，客户端无需重复上传。"),
            ref: "RFC 4468", parameters: L("the URL kinds accepted, e.g. imap", "接受的 URL 类型，例如 imap")),
        ExtensionInfo("DELIVERBY", L("Deliver by", "限时投递"),
            L("The client may ask for delivery within a time limit: MAIL FROM:<…> BY=seconds;R|N.",
              "客户端可以要求在时限内投递：MAIL FROM:<…> BY=秒数;R|N。"),
            ref: "RFC 2852", parameters: L("the shortest BY time accepted, in seconds", "接受的最短 BY 时间（秒）")),
        ExtensionInfo("CHECKPOINT", L("Checkpoint/restart", "断点续传"),
            L("A transaction broken off can be resumed where it stopped (TRANSID=).", "中断的事务可以从断点继续（TRANSID=）。"),
            ref: "RFC 1845"),
        ExtensionInfo("MTRK", L("Message tracking", "邮件跟踪"),
            L("The client may ask for the message to be trackable (MTRK= on MAIL).", "客户端可以要求邮件可被跟踪（MAIL 上的 MTRK=）。"),
            ref: "RFC 3885"),
        ExtensionInfo("NO-SOLICITING", L("No soliciting", "拒绝推销"),
            L("The server names keywords of solicitations it refuses.", "服务器列出它拒绝的推销邮件关键字。"),
            ref: "RFC 3865", parameters: L("solicitation class keywords", "推销类别关键字")),
        ExtensionInfo("FUTURERELEASE", L("Future message release", "定时放行邮件"),
            L("The client may ask to hold the message until later: HOLDFOR= or HOLDUNTIL= on MAIL.",
              "客户端可以要求延后放行邮件：MAIL 上的 HOLDFOR= 或 HOLDUNTIL=。"),
            ref: "RFC 4865", parameters: L("the longest hold in seconds, and the latest date", "最长保留秒数和最晚日期")),
        ExtensionInfo("CONPERM", L("Content conversion permission", "内容转换许可"),
            L("Fax-oriented: whether content may be converted on the way.", "面向传真：邮件内容在途中是否允许转换。"), ref: "RFC 4141"),
        ExtensionInfo("CONNEG", L("Content negotiation", "内容协商"),
            L("Fax-oriented: the client may learn the recipient's content capabilities first.", "面向传真：客户端可以先了解收件方的内容能力。"),
            ref: "RFC 4141"),
        ExtensionInfo("MT-PRIORITY", L("Message transfer priority", "邮件传输优先级"),
            L("The client may give the message a priority from -9 to 9 with MT-PRIORITY= on MAIL.",
              "客户端可以用 MAIL 上的 MT-PRIORITY= 给邮件指定 -9 到 9 的优先级。"),
            ref: "RFC 6710", parameters: L("the priority assignment policy, e.g. MIXER", "优先级分配策略，例如 MIXER")),
        ExtensionInfo("RRVS", L("Require recipient valid since", "要求收件人自某时起有效"),
            L("The client may say since when it has known an address (RRVS= on RCPT), so mail to a reassigned mailbox is not delivered.",
              "客户端可以说明自何时起知道该地址（RCPT 上的 RRVS=），以免邮件投递到已被重新分配的邮箱。"), ref: "RFC 7293"),
        ExtensionInfo("REQUIRETLS", L("Require TLS", "要求 TLS"),
            L("The client may ask that every hop of the message use verified TLS (REQUIRETLS on MAIL).",
              "客户端可以要求邮件的每一跳都使用经过验证的 TLS（MAIL 上的 REQUIRETLS）。"), ref: "RFC 8689"),
        ExtensionInfo("LIMITS", L("Server limits", "服务器限制"),
            L("The server states its limits up front, such as RCPTMAX (recipients per transaction) and MAILMAX (transactions per session).",
              "服务器预先说明它的限制，例如 RCPTMAX（每个事务的收件人数）和 MAILMAX（每个会话的事务数）。"),
            ref: "RFC 9422", parameters: L("NAME=value limits", "NAME=值 形式的限制")),
        ExtensionInfo("SUBMITTER", L("Responsible submitter", "负责的提交者"),
            L("Sender ID's SUBMITTER= parameter on MAIL (experimental, historic).", "Sender ID 的 MAIL 参数 SUBMITTER=（实验性，已成历史）。"),
            ref: "RFC 4405", .obsolete),
        ExtensionInfo("HELP", L("Help", "帮助"),
            L("The server answers HELP with a list of commands, or help on one of them.", "服务器会用命令列表或某个命令的说明来回答 HELP。"),
            ref: "RFC 821; RFC 5321 §4.1.1.8"),
        ExtensionInfo("EXPN", L("Expand mailing list", "展开邮件列表"),
            L("The server answers EXPN with the members of a list (most public servers switch it off).",
              "服务器会用列表的成员来回答 EXPN（大多数公开服务器关闭了它）。"), ref: "RFC 821; RFC 5321 §3.5"),
        ExtensionInfo("SEND", L("Send to terminal", "发送到终端"),
            L("Announced by a server that still takes RFC 821's SEND command; none does since RFC 2821 withdrew it.", "声明服务器仍接受 RFC 821 的 SEND 命令；自从 RFC 2821 撤销它以后，已没有服务器这样做。"),
            ref: "RFC 821", .obsolete),
        ExtensionInfo("SOML", L("Send or mail", "发送到终端或邮箱"),
            L("Announced by a server that still takes RFC 821's SOML command (to the terminal if the user is logged in, else to the mailbox); withdrawn.", "声明服务器仍接受 RFC 821 的 SOML 命令（用户已登录则发到终端，否则投递到邮箱）；已撤销。"),
            ref: "RFC 821", .obsolete),
        ExtensionInfo("SAML", L("Send and mail", "同时发送到终端和邮箱"),
            L("Announced by a server that still takes RFC 821's SAML command (to the terminal and to the mailbox); withdrawn.", "声明服务器仍接受 RFC 821 的 SAML 命令（同时发到终端和邮箱）；已撤销。"), ref: "RFC 821", .obsolete),
        ExtensionInfo("TURN", L("Turn the roles around", "互换角色"),
            L("RFC 821: client and server swap roles; withdrawn because anyone could collect someone else's mail (ATRN replaced it).",
              "RFC 821：客户端与服务器互换角色；因为任何人都可能取走别人的邮件而被撤销（由 ATRN 取代）。"),
            ref: "RFC 821; RFC 5321 Appendix F.1", .obsolete),
        ExtensionInfo("VERB", L("Verbose", "详细模式"),
            L("Sendmail's verbose mode: the server reports its delivery steps.", "Sendmail 的详细模式：服务器报告它的投递步骤。"),
            ref: "IANA (Sendmail)"),
        ExtensionInfo("ONEX", L("One message transaction only", "只有一个邮件事务"),
            L("Sendmail: the client will send only one message on this connection.", "Sendmail：客户端在这条连接上只发送一封邮件。"),
            ref: "IANA (Sendmail)"),
        ExtensionInfo("UTF8SMTP", L("UTF-8 SMTP (experimental)", "UTF-8 SMTP（实验性）"),
            L("The experimental predecessor of SMTPUTF8.", "SMTPUTF8 的实验性前身。"), ref: "RFC 5336", .obsolete),
        ExtensionInfo("VRFY", L("Verify (announced)", "验证（已声明）"),
            L("Not a registered extension: VRFY is part of SMTP itself; Postfix announces it to say VRFY is switched on.",
              "并非注册的扩展：VRFY 是 SMTP 本身的命令；Postfix 声明它以表明 VRFY 处于开启状态。"),
            ref: "RFC 5321 §3.5.1", .unregistered),
        ExtensionInfo("PRDR", L("Per-recipient data responses", "按收件人分别回复 DATA"),
            L("Exim and others: after DATA the server may answer each recipient separately (MAIL FROM:<…> PRDR).",
              "Exim 等：DATA 之后服务器可以对每个收件人分别回复（MAIL FROM:<…> PRDR）。"),
            ref: "draft-hall-prdr", .unregistered),
        ExtensionInfo("PIPECONNECT", L("Early pipelining", "提前流水线"),
            L("Exim: a client that has seen this before may pipeline EHLO and more before the greeting.",
              "Exim：见过这个关键字的客户端，可以在问候语之前就以流水线方式发送 EHLO 等命令。"),
            ref: "Exim documentation", .unregistered),
        ExtensionInfo("XCLIENT", L("Postfix XCLIENT", "Postfix 的 XCLIENT 扩展"),
            L("Postfix: a trusted proxy may tell the server the real client's name, address and login.",
              "Postfix：受信任的代理可以把真实客户端的名称、地址和登录名告诉服务器。"),
            ref: "Postfix XCLIENT_README", .unregistered, parameters: L("the attributes a proxy may set", "代理可以设置的属性")),
        ExtensionInfo("XFORWARD", L("Postfix XFORWARD", "Postfix 的 XFORWARD 扩展"),
            L("Postfix: a content filter may pass on the original client's details for logging.",
              "Postfix：内容过滤器可以转交原始客户端的信息用于记录。"),
            ref: "Postfix XFORWARD_README", .unregistered, parameters: L("the attributes that may be forwarded", "可以转交的属性")),
        ExtensionInfo("XVERP", L("Variable envelope return paths", "可变信封返回路径"),
            L("Postfix and qmail: MAIL FROM:<…> XVERP makes a distinct return path per recipient, for bounce handling.",
              "Postfix 和 qmail：MAIL FROM:<…> XVERP 为每个收件人生成不同的返回路径，便于处理退信。"),
            ref: "Postfix VERP_README", .unregistered),
        ExtensionInfo("X-EXPS", L("Exchange authentication", "Exchange 认证"),
            L("Microsoft Exchange: authentication between Exchange servers with the listed mechanisms (GSSAPI, NTLM).",
              "Microsoft Exchange：Exchange 服务器之间使用所列机制（GSSAPI、NTLM）进行认证。"),
            ref: "Microsoft [MS-XLOGIN]", .unregistered, parameters: L("the mechanisms offered", "提供的机制")),
        ExtensionInfo("X-LINK2STATE", L("Exchange link state", "Exchange 链路状态"),
            L("Microsoft Exchange 2000/2003 routing information between servers.", "Microsoft Exchange 2000/2003 服务器之间的路由信息。"),
            ref: "Microsoft", .unregistered),
        ExtensionInfo("XEXCH50", L("Exchange properties", "Exchange 属性"),
            L("Microsoft Exchange: passes message properties between Exchange servers.", "Microsoft Exchange：在 Exchange 服务器之间传递邮件属性。"),
            ref: "Microsoft", .unregistered),
        ExtensionInfo("X-ANONYMOUSTLS", L("Exchange anonymous TLS", "Exchange 匿名 TLS"),
            L("Microsoft Exchange: encrypted connections between Exchange servers without certificates.", "Microsoft Exchange：Exchange 服务器之间不使用证书的加密连接。"),
            ref: "Microsoft", .unregistered),
        ExtensionInfo("XRDST", L("Exchange redirect destination", "Exchange 重定向目标"),
            L("Microsoft Exchange: a proxy may learn where to redirect the session.", "Microsoft Exchange：代理可以得知把会话重定向到哪里。"),
            ref: "Microsoft", .unregistered),
        ExtensionInfo("XSHADOW", L("Exchange shadow redundancy", "Exchange 影子冗余"),
            L("Microsoft Exchange: keeps a shadow copy of each message until the next hop has it.", "Microsoft Exchange：在下一跳收到之前保留每封邮件的影子副本。"),
            ref: "Microsoft", .unregistered),
        ExtensionInfo("XSHADOWREQUEST", L("Exchange shadow request", "Exchange 影子请求"),
            L("Microsoft Exchange: asks another server to hold shadow copies.", "Microsoft Exchange：请求另一台服务器保存影子副本。"),
            ref: "Microsoft", .unregistered),
        ExtensionInfo("XOORG", L("Exchange originating organization", "Exchange 源组织"),
            L("Microsoft Exchange: names the organization a message comes from.", "Microsoft Exchange：标明邮件来自哪个组织。"),
            ref: "Microsoft", .unregistered),
        ExtensionInfo("XXXXXXXA", L("A masked keyword (a firewall's SMTP inspection)", "被屏蔽的关键字（防火墙的 SMTP 检查）"),
            L("Eight X's: a firewall such as Cisco ASA's ESMTP inspection overwrote a keyword it does not allow, usually STARTTLS. Encryption is not possible through it.",
              "八个 X：Cisco ASA 等防火墙的 ESMTP 检查把它不允许的关键字覆盖掉了，通常是 STARTTLS。经过它无法加密。"),
            ref: "Cisco ASA documentation", .unregistered),
        ExtensionInfo("TLS", L("Pre-standard STARTTLS", "标准化之前的 STARTTLS"),
            L("An old announcement of TLS before RFC 2487; use STARTTLS.", "RFC 2487 之前对 TLS 的旧式声明；请使用 STARTTLS。"),
            ref: "—", .unregistered),
    ]
}
