/// What smtpx knows about one basic reply code.
public struct ReplyCodeInfo: Sendable {
    public let code: Int
    public let title: Localized
    public let meaning: Localized
    public let reference: String
    /// Enhanced status codes that commonly come with this reply; their class matches.
    public let usualEnhanced: [String]
    /// Why a server typically sends it: for the codes learners meet most.
    public let causes: Localized?
    /// What to do next.
    public let advice: Localized?
    /// Where the code stands: in SMTP itself, in an extension, or only in history.
    public let standing: ReplyCodeStanding

    init(_ code: Int, _ title: Localized, _ meaning: Localized, ref reference: String,
         enhanced usualEnhanced: [String] = [], causes: Localized? = nil, advice: Localized? = nil,
         standing: ReplyCodeStanding? = nil) {
        self.standing = standing ?? (reference.hasPrefix("RFC 5321") ? .standard : .extension)
        self.code = code
        self.title = title
        self.meaning = meaning
        self.reference = reference
        self.usualEnhanced = usualEnhanced
        self.causes = causes
        self.advice = advice
    }
}

/// The basic reply codes of RFC 821, RFC 5321 §4.2 and the extensions.
public enum ReplyCodes {
    public static func info(_ code: Int) -> ReplyCodeInfo? { byCode[code] }

    static let byCode: [Int: ReplyCodeInfo] = Dictionary(all.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })

    /// Every code smtpx knows: SMTP's and its extensions', then the rare and the historic.
    public static let all: [ReplyCodeInfo] = current + rare

    static let current: [ReplyCodeInfo] = [
        ReplyCodeInfo(211,
            L("System status, or system help reply", "系统状态或系统帮助回复"),
            L("Information about the server's status or its help system. Rarely seen; some servers use it to answer HELP.",
              "关于服务器状态或帮助系统的信息。很少见，有些服务器用它来回答 HELP。"),
            ref: "RFC 5321 §4.2.3"),
        ReplyCodeInfo(214,
            L("Help message", "帮助信息"),
            L("Text meant for a person, usually the answer to HELP: the commands the server knows, or how to use one of them.",
              "写给人看的说明，通常是对 HELP 的回答：服务器认识哪些命令，或者某个命令怎么用。"),
            ref: "RFC 5321 §4.2.3", enhanced: ["2.0.0"]),
        ReplyCodeInfo(220,
            L("<domain> Service ready", "<域名> 服务就绪"),
            L("The greeting: the server is ready for your EHLO. It is also the reply to STARTTLS, where it means \"start the TLS handshake now\".",
              "问候语：服务器已准备好，等待你的 EHLO。它也是对 STARTTLS 的回复，此时的意思是「现在开始 TLS 握手」。"),
            ref: "RFC 5321 §4.2.3; RFC 3207 §4", enhanced: ["2.0.0"]),
        ReplyCodeInfo(221,
            L("<domain> Service closing transmission channel", "<域名> 服务正在关闭传输通道"),
            L("The answer to QUIT: the server says goodbye and closes the connection.",
              "对 QUIT 的回答：服务器道别并关闭连接。"),
            ref: "RFC 5321 §4.2.3", enhanced: ["2.0.0"]),
        ReplyCodeInfo(235,
            L("Authentication succeeded", "认证成功"),
            L("AUTH worked: you are logged in for the rest of this session, and MAIL FROM can now use your account's rights, such as relaying.",
              "AUTH 成功：本次会话剩余时间内你都处于登录状态，MAIL FROM 现在可以使用该账户的权限，例如中继。"),
            ref: "RFC 4954 §6", enhanced: ["2.7.0"]),
        ReplyCodeInfo(250,
            L("Requested mail action okay, completed", "请求的邮件操作完成"),
            L("The command worked. After EHLO the lines list the server's extensions; after the final \".\" of DATA it means the server has taken responsibility for the message.",
              "命令成功。对 EHLO 而言，其余各行列出服务器支持的扩展；对 DATA 末尾的「.」而言，表示服务器已经接手这封邮件，对其投递负责。"),
            ref: "RFC 5321 §4.2.3", enhanced: ["2.0.0", "2.1.0", "2.1.5", "2.6.0"],
            causes: L("Success. It does not mean the message has reached an inbox: the server may still filter it, or return it later in a bounce (a delivery status notification).",
                      "成功。但不表示邮件已进入收件箱：服务器之后仍可能过滤它，或用退信（投递状态通知）把它退回。"),
            advice: L("Go on: after EHLO send MAIL FROM; after MAIL, RCPT TO; after RCPT, another RCPT or DATA; after the message, a new MAIL or QUIT.",
                      "继续下一步：EHLO 之后发 MAIL FROM；MAIL 之后发 RCPT TO；RCPT 之后可以再加收件人或发 DATA；邮件发完后开始新邮件或发 QUIT。")),
        ReplyCodeInfo(251,
            L("User not local; will forward to <forward-path>", "用户不在本地；将转发到 <forward-path>"),
            L("The recipient is accepted, but the server will forward the message elsewhere (RFC 5321 §3.4 discourages saying so). After ETRN it means \"no messages waiting for that node\" (RFC 1985).",
              "收件人被接受，但服务器会把邮件转发到别处（RFC 5321 §3.4 不鼓励透露这一点）。作为 ETRN 的回复时，意思是「该节点没有等待投递的邮件」（RFC 1985）。"),
            ref: "RFC 5321 §4.2.3", enhanced: ["2.1.5"]),
        ReplyCodeInfo(252,
            L("Cannot VRFY user, but will accept message and attempt delivery", "无法用 VRFY 验证该用户，但会接收邮件并尝试投递"),
            L("The usual answer to VRFY from servers that do not reveal which mailboxes exist (RFC 5321 §3.5.3). After ETRN it means \"pending messages for the node started\".",
              "不愿透露哪些邮箱存在的服务器对 VRFY 的常见回答（RFC 5321 §3.5.3）。作为 ETRN 的回复时，意思是「已开始投递该节点的待发邮件」。"),
            ref: "RFC 5321 §4.2.3; RFC 1985 §5", enhanced: ["2.5.0", "2.1.5", "2.0.0"]),
        ReplyCodeInfo(253,
            L("Pending messages for node started", "已开始投递该节点的待发邮件"),
            L("The answer to ETRN: the server starts delivering the mail it queued for your domain, and may say how many messages there are.",
              "对 ETRN 的回答：服务器开始投递为你的域名排队的邮件，并可能说明有多少封。"),
            ref: "RFC 1985 §5"),
        ReplyCodeInfo(334,
            L("Server challenge (AUTH continues)", "服务器质询（AUTH 继续进行）"),
            L("AUTH goes on: the text is a base64 challenge and you answer with one line of base64, or \"*\" to give up. With LOGIN the challenges decode to \"Username:\" and \"Password:\".",
              "AUTH 还在进行：回复文字是 base64 编码的质询，你要回一行 base64，或用「*」放弃。LOGIN 机制的质询解码后是「Username:」和「Password:」。"),
            ref: "RFC 4954 §4"),
        ReplyCodeInfo(354,
            L("Start mail input; end with <CRLF>.<CRLF>", "开始输入邮件内容；以 <CRLF>.<CRLF> 结束"),
            L("The server waits for the message: headers, an empty line, the body, and then a line holding a single \".\". A message line that starts with \".\" is sent with one more \".\" (dot-stuffing).",
              "服务器在等待邮件内容：先是邮件头，然后一个空行，再是正文，最后是只有一个「.」的一行。以「.」开头的正文行发送时要多加一个「.」（点填充）。"),
            ref: "RFC 5321 §4.2.3, §4.5.2",
            causes: L("The answer to DATA once at least one recipient was accepted.",
                      "在至少一个收件人被接受之后，对 DATA 的回答。"),
            advice: L("Type the message: headers such as From:, To: and Subject:, one empty line, the body, and a line with only \".\" to end it.",
                      "输入邮件：先写 From:、To:、Subject: 等邮件头，空一行，再写正文，最后单独一行输入「.」结束。")),
        ReplyCodeInfo(421,
            L("<domain> Service not available, closing transmission channel", "<域名> 服务不可用，正在关闭传输通道"),
            L("The server is closing the connection now. It may say so at any moment, in answer to any command.",
              "服务器马上要关闭连接。它可以在任何时刻、对任何命令这样回答。"),
            ref: "RFC 5321 §4.2.3, §3.8", enhanced: ["4.3.2", "4.4.2", "4.7.0"],
            causes: L("Too many connections from your address, a rate limit or reputation block, a server shutting down, or an idle client that timed out.",
                      "来自你地址的连接太多、触发了频率限制或信誉封锁、服务器正在关机，或客户端空闲太久而超时。"),
            advice: L("It is temporary: reconnect later (a real MTA retries with growing delays). If it keeps happening, read the text: it often names the limit or a page to visit.",
                      "这是暂时性的：稍后重新连接（真正的邮件服务器会以越来越长的间隔重试）。如果一直发生，请读回复文字：它常常说明是哪个限制，或给出说明网页。")),
        ReplyCodeInfo(432,
            L("A password transition is needed", "需要进行密码过渡"),
            L("The account must first log in once with a plaintext mechanism, over TLS, so that the server can set up the mechanism you asked for.",
              "该账户必须先在 TLS 之上用明文类机制登录一次，服务器才能为你请求的机制做好准备。"),
            ref: "RFC 4954 §6", enhanced: ["4.7.12"]),
        ReplyCodeInfo(450,
            L("Requested mail action not taken: mailbox unavailable", "请求的邮件操作未执行：邮箱暂时不可用"),
            L("A temporary refusal: the mailbox is busy or locked, or the server wants you to come back later.",
              "暂时性拒绝：邮箱正忙或被锁定，或者服务器希望你稍后再来。"),
            ref: "RFC 5321 §4.2.3", enhanced: ["4.2.0", "4.7.1", "4.2.1", "4.1.8"],
            causes: L("Greylisting (the first attempt from an unknown sender is deferred), a locked mailbox or a temporary quota, or a DNS lookup that failed for a moment.",
                      "灰名单（陌生发件人的第一次尝试会被推迟）、邮箱被锁定或暂时超出配额，或者某次 DNS 查询暂时失败。"),
            advice: L("Retry later with the same sender and recipient; greylisting lets the retry through after a few minutes. A real MTA keeps the message in its queue and retries by itself.",
                      "稍后用同样的发件人和收件人重试；灰名单几分钟后就会放行重试。真正的邮件服务器会把邮件留在队列里自动重试。")),
        ReplyCodeInfo(451,
            L("Requested action aborted: local error in processing", "请求的操作中止：本地处理出错"),
            L("The server had a temporary problem of its own and stopped; nothing is wrong with the command itself.",
              "服务器自身出现了暂时性问题而中止；命令本身没有错。"),
            ref: "RFC 5321 §4.2.3", enhanced: ["4.3.0", "4.4.3", "4.7.1", "4.3.5"],
            causes: L("A failing DNS or database lookup on the server, a content filter or virus scanner that did not answer, a rate limit, or greylisting applied at the end of DATA.",
                      "服务器端 DNS 或数据库查询失败、内容过滤或病毒扫描没有响应、触发频率限制，或在 DATA 结束时才执行的灰名单。"),
            advice: L("Retry later. If the text names a policy or a rate, send more slowly.",
                      "稍后重试。如果回复文字提到某项策略或速率，就放慢发送速度。")),
        ReplyCodeInfo(452,
            L("Requested action not taken: insufficient system storage", "请求的操作未执行：系统存储空间不足"),
            L("Temporarily out of room: the server's storage is full or, in answer to RCPT, there are too many recipients for one message (RFC 5321 §4.5.3.1.10).",
              "暂时没有空间：服务器存储已满；或者作为 RCPT 的回复时，表示一封邮件的收件人太多（RFC 5321 §4.5.3.1.10）。"),
            ref: "RFC 5321 §4.2.3", enhanced: ["4.5.3", "4.3.1", "4.2.2"],
            causes: L("A full disk or queue on the server, or more recipients than it takes per transaction (452 4.5.3).",
                      "服务器的磁盘或队列已满，或者收件人数量超过了每个事务允许的上限（452 4.5.3）。"),
            advice: L("For too many recipients: send the message now to those accepted, then the rest in a new transaction. Otherwise retry later.",
                      "如果是收件人太多：先把邮件发给已被接受的收件人，其余的在新事务中再发。其他情况稍后重试。")),
        ReplyCodeInfo(453,
            L("You have no mail", "没有你的邮件"),
            L("The answer to ATRN when nothing is waiting for your domains.",
              "没有为你的域名等待投递的邮件时，对 ATRN 的回答。"),
            ref: "RFC 2645 §4"),
        ReplyCodeInfo(454,
            L("Temporary authentication failure, or TLS not available", "暂时性认证失败，或 TLS 暂不可用"),
            L("AUTH failed for a temporary reason on the server's side (RFC 4954), or STARTTLS cannot begin right now (RFC 3207). Try again later.",
              "AUTH 因服务器端的暂时原因失败（RFC 4954），或 STARTTLS 目前无法开始（RFC 3207）。请稍后再试。"),
            ref: "RFC 4954 §6; RFC 3207 §4", enhanced: ["4.7.0", "4.3.0"]),
        ReplyCodeInfo(455,
            L("Server unable to accommodate parameters", "服务器暂时无法满足这些参数"),
            L("The server understood the MAIL or RCPT parameters but cannot honour them at the moment.",
              "服务器理解 MAIL 或 RCPT 的参数，但暂时无法满足它们。"),
            ref: "RFC 5321 §4.2.3", enhanced: ["4.5.4", "4.3.0"]),
        ReplyCodeInfo(458,
            L("Unable to queue messages for node", "无法为该节点排队邮件"),
            L("ETRN failed for a temporary reason; ask again later.", "ETRN 因暂时原因失败；稍后再请求。"),
            ref: "RFC 1985 §5"),
        ReplyCodeInfo(459,
            L("Node not allowed", "不允许该节点"),
            L("ETRN for this node is refused; the text gives the reason.", "该节点的 ETRN 请求被拒绝；回复文字说明原因。"),
            ref: "RFC 1985 §5"),
        ReplyCodeInfo(500,
            L("Syntax error, command unrecognized", "语法错误，命令无法识别"),
            L("The server does not know the verb, or the line was too long.", "服务器不认识这个命令动词，或者这一行太长。"),
            ref: "RFC 5321 §4.2.3", enhanced: ["5.5.1", "5.5.2", "5.5.6"],
            causes: L("A typo in the verb, a command from an extension the server does not have, a line over 512 octets, or message text sent when the server expected a command (for example after a refused DATA).",
                      "命令动词拼错、使用了服务器没有的扩展命令、一行超过 512 个八位组，或者在服务器等待命令时发送了邮件正文（例如 DATA 被拒绝之后）。"),
            advice: L("Check the spelling and the EHLO reply for the commands the server offers; type HELP to ask the server.",
                      "检查拼写，并查看 EHLO 回复中服务器提供的命令；可以输入 HELP 询问服务器。")),
        ReplyCodeInfo(501,
            L("Syntax error in parameters or arguments", "参数语法错误"),
            L("The verb is known but its argument is malformed.", "命令动词正确，但参数格式不对。"),
            ref: "RFC 5321 §4.2.3", enhanced: ["5.5.2", "5.5.4", "5.1.3", "5.1.7"],
            causes: L("A malformed address (no < >, a space after \"FROM:\", no @), a parameter the grammar does not allow, a missing argument (HELO with no domain), or bad base64 during AUTH.",
                      "地址格式错误（缺少 < >、「FROM:」后面多了空格、没有 @）、语法不允许的参数、缺少参数（HELO 后没有域名），或 AUTH 过程中的 base64 不正确。"),
            advice: L("Write the argument exactly as the syntax shows, e.g. MAIL FROM:<you@example.org> with no space after the colon.",
                      "严格按语法书写参数，例如 MAIL FROM:<you@example.org>，冒号后不要有空格。")),
        ReplyCodeInfo(502,
            L("Command not implemented", "命令未实现"),
            L("The server knows the verb but does not offer it.", "服务器认识这个命令，但不提供它。"),
            ref: "RFC 5321 §4.2.3", enhanced: ["5.5.1"],
            causes: L("VRFY or EXPN switched off, an obsolete command (SEND, SOML, SAML, TURN), or an extension command the server did not advertise.",
                      "VRFY 或 EXPN 被关闭、已废弃的命令（SEND、SOML、SAML、TURN），或服务器没有声明的扩展命令。"),
            advice: L("Use only what the EHLO reply lists, or reach the goal another way (RCPT instead of VRFY).",
                      "只使用 EHLO 回复中列出的功能，或者换一种方式达到目的（比如用 RCPT 代替 VRFY）。")),
        ReplyCodeInfo(503,
            L("Bad sequence of commands", "命令顺序错误"),
            L("The command is valid but not at this point of the session.", "命令本身有效，但不该在会话的这个阶段出现。"),
            ref: "RFC 5321 §4.2.3", enhanced: ["5.5.1"],
            causes: L("RCPT before MAIL, DATA with no accepted RCPT, MAIL before EHLO or HELO, a second MAIL inside a transaction, AUTH twice, or a command that needs AUTH first.",
                      "在 MAIL 之前发 RCPT、没有被接受的 RCPT 就发 DATA、在 EHLO 或 HELO 之前发 MAIL、事务中再次发 MAIL、重复 AUTH，或者在认证之前使用需要认证的命令。"),
            advice: L("Follow the order EHLO, MAIL FROM, RCPT TO (one or more), DATA. RSET starts the transaction over.",
                      "按照 EHLO、MAIL FROM、RCPT TO（一个或多个）、DATA 的顺序。RSET 让事务重新开始。")),
        ReplyCodeInfo(504,
            L("Command parameter not implemented", "命令参数未实现"),
            L("The command is known but this parameter of it is not supported.", "命令本身支持，但不支持这个参数。"),
            ref: "RFC 5321 §4.2.3", enhanced: ["5.5.4", "5.7.4"],
            causes: L("An AUTH mechanism the server does not offer, a HELO domain form it refuses, or an unsupported BODY= value.",
                      "服务器没有提供的 AUTH 机制、它拒绝的 HELO 域名格式，或不支持的 BODY= 取值。"),
            advice: L("Pick one of the options the EHLO reply lists; for AUTH, one of the mechanisms on the AUTH line.",
                      "从 EHLO 回复列出的选项中挑选；对 AUTH 而言，从 AUTH 那一行列出的机制中选一个。")),
        ReplyCodeInfo(521,
            L("Host does not accept mail", "该主机不接收邮件"),
            L("This server never accepts mail, and says so at once instead of holding a session.",
              "这台服务器从不接收邮件，并且一连接就直接说明，而不进行会话。"),
            ref: "RFC 7504 §3", enhanced: ["5.3.2"]),
        ReplyCodeInfo(530,
            L("Authentication required, or must issue STARTTLS first", "需要认证，或必须先执行 STARTTLS"),
            L("The server takes mail from you only after AUTH (RFC 4954) or only after STARTTLS (RFC 3207).",
              "服务器只在 AUTH 之后（RFC 4954），或只在 STARTTLS 之后（RFC 3207）才接收你的邮件。"),
            ref: "RFC 4954 §6; RFC 3207 §4", enhanced: ["5.7.0"],
            causes: L("A submission port (587) or a policy that needs an account, or a server that requires encryption before mail: \"530 5.7.0 Must issue a STARTTLS command first\".",
                      "提交端口（587）或需要账户的策略，或者要求先加密再发信的服务器：「530 5.7.0 Must issue a STARTTLS command first」。"),
            advice: L("Run STARTTLS if it is advertised, send EHLO again, then authenticate. In smtpx: /starttls, then /auth plain USER.",
                      "如果服务器声明了 STARTTLS，先执行它，再发一次 EHLO，然后认证。在 smtpx 中：先 /starttls，再 /auth plain 用户名。")),
        ReplyCodeInfo(534,
            L("Authentication mechanism is too weak", "认证机制太弱"),
            L("Policy forbids the mechanism you chose; pick a stronger one from the AUTH line.",
              "策略不允许你选择的机制；从 AUTH 那一行中选一个更强的机制。"),
            ref: "RFC 4954 §6", enhanced: ["5.7.9"]),
        ReplyCodeInfo(535,
            L("Authentication credentials invalid", "认证凭据无效"),
            L("AUTH failed: the server did not accept the user name and secret.", "AUTH 失败：服务器不接受这个用户名和密码。"),
            ref: "RFC 4954 §6", enhanced: ["5.7.8"],
            causes: L("A wrong user name or password, a wrong encoding (PLAIN is base64 of NUL user NUL password), an account that needs an app password or OAuth (Gmail, Microsoft 365), or a locked account.",
                      "用户名或密码错误、编码错误（PLAIN 是「NUL 用户名 NUL 密码」的 base64）、账户需要应用专用密码或 OAuth（Gmail、Microsoft 365），或账户被锁定。"),
            advice: L("Check the credentials and the encoding (/b64 helps), or let smtpx build the exchange: /auth plain USER. Many providers refuse ordinary passwords over SMTP.",
                      "检查凭据和编码（可以借助 /b64），或让 smtpx 生成整个交换：/auth plain 用户名。许多服务商不允许用普通密码进行 SMTP 认证。")),
        ReplyCodeInfo(538,
            L("Encryption required for requested authentication mechanism", "所请求的认证机制需要加密"),
            L("This mechanism would expose the password; the server allows it only over TLS. Run STARTTLS first.",
              "这个机制会暴露密码；服务器只允许在 TLS 之上使用它。请先执行 STARTTLS。"),
            ref: "RFC 4954 §6", enhanced: ["5.7.11"]),
        ReplyCodeInfo(550,
            L("Requested action not taken: mailbox unavailable", "请求的操作未执行：邮箱不可用"),
            L("A permanent refusal: the mailbox does not exist, or policy forbids the action. Trying the same thing again will fail again.",
              "永久性拒绝：邮箱不存在，或策略禁止该操作。原样重试还会失败。"),
            ref: "RFC 5321 §4.2.3", enhanced: ["5.1.1", "5.7.1", "5.2.1", "5.7.26", "5.1.10"],
            causes: L("An unknown recipient (550 5.1.1), relaying refused (550 5.7.1), the sender's address on a blocklist, failed SPF, DKIM or DMARC checks (550 5.7.26 at Gmail), or content taken for spam.",
                      "收件人不存在（550 5.1.1）、拒绝中继（550 5.7.1）、发件地址在黑名单上、SPF、DKIM 或 DMARC 检查失败（Gmail 的 550 5.7.26），或内容被判为垃圾邮件。"),
            advice: L("Read the enhanced code and the text: 5.1.x means fix the address; 5.7.x is a policy matter for the sender's administrator (DNS records, reputation). Do not retry unchanged.",
                      "看增强状态码和回复文字：5.1.x 表示要改正地址；5.7.x 是发件方管理员要处理的策略问题（DNS 记录、信誉）。不要原样重试。")),
        ReplyCodeInfo(551,
            L("User not local; please try <forward-path>", "用户不在本地；请尝试 <forward-path>"),
            L("The server will not take mail for this recipient, and may name where to send it instead.",
              "服务器不接收发给这个收件人的邮件，可能会指出应该发往哪里。"),
            ref: "RFC 5321 §4.2.3, §3.4", enhanced: ["5.1.6"],
            causes: L("The recipient moved and the server does not forward, or (on many servers) relaying denied.",
                      "收件人已迁移而服务器不负责转发，或者（在许多服务器上）表示拒绝中继。"),
            advice: L("Send to the address the text gives, if any; otherwise ask the recipient for a current address.",
                      "如果回复文字给出了新地址就发往那里；否则向收件人询问当前地址。")),
        ReplyCodeInfo(552,
            L("Requested mail action aborted: exceeded storage allocation", "请求的邮件操作中止：超出存储配额"),
            L("The message does not fit: it is too big for the server, or for the recipient's mailbox.",
              "邮件放不下：对服务器或收件人的邮箱来说太大了。"),
            ref: "RFC 5321 §4.2.3; RFC 1870 §6", enhanced: ["5.3.4", "5.2.2", "5.2.3"],
            causes: L("The message is larger than the SIZE limit in the EHLO reply (552 5.3.4), or the recipient's mailbox is full (552 5.2.2).",
                      "邮件超过了 EHLO 回复中的 SIZE 限制（552 5.3.4），或收件人的邮箱已满（552 5.2.2）。"),
            advice: L("Compare the message size with the SIZE parameter and make it smaller (a link instead of an attachment). For a full mailbox, reach the recipient another way.",
                      "把邮件大小与 SIZE 参数比较，把邮件变小（用链接代替附件）。如果是邮箱已满，请通过其他方式联系收件人。")),
        ReplyCodeInfo(553,
            L("Requested action not taken: mailbox name not allowed", "请求的操作未执行：邮箱名不允许"),
            L("The address is refused as written: bad syntax, or not one you may use.", "地址按现在的写法被拒绝：语法错误，或你无权使用它。"),
            ref: "RFC 5321 §4.2.3", enhanced: ["5.1.3", "5.1.7", "5.7.1", "5.6.7"],
            causes: L("A malformed address, a sender address the server will not accept from you (not your domain or account), or non-ASCII characters without SMTPUTF8.",
                      "地址格式错误、服务器不接受你使用的发件地址（不是你的域名或账户），或者没有 SMTPUTF8 却使用了非 ASCII 字符。"),
            advice: L("Check the address for typos and stray characters; once authenticated, use the address that belongs to your account.",
                      "检查地址中的拼写错误和多余字符；认证之后，使用属于你账户的地址。")),
        ReplyCodeInfo(554,
            L("Transaction failed (as a greeting: no SMTP service here)", "事务失败（作为问候语时：这里没有 SMTP 服务）"),
            L("A permanent failure of the whole transaction; as the first reply of a connection it means the server refuses to talk to you.",
              "整个事务永久失败；如果是连接后的第一个回复，意思是服务器拒绝与你对话。"),
            ref: "RFC 5321 §4.2.3, §3.1", enhanced: ["5.7.1", "5.3.0", "5.6.0", "5.7.0"],
            causes: L("The message was refused at the end of DATA (spam, virus, policy), relaying denied (554 5.7.1), or, as the greeting, your address is blocked.",
                      "邮件在 DATA 结束时被拒绝（垃圾邮件、病毒、策略）、拒绝中继（554 5.7.1），或者作为问候语时表示你的地址被封锁。"),
            advice: L("Read the text, which usually names the reason or a page. If the greeting was 554, send QUIT: this server will not take mail from your address.",
                      "阅读回复文字，它通常会说明原因或给出网页。如果问候语是 554，请发 QUIT：这台服务器不会接收来自你地址的邮件。")),
        ReplyCodeInfo(555,
            L("MAIL FROM/RCPT TO parameters not recognized or not implemented", "无法识别或未实现 MAIL FROM/RCPT TO 参数"),
            L("A parameter after the address is unknown to the server, or belongs to an extension it did not advertise.",
              "地址后面的某个参数服务器不认识，或者属于它没有声明的扩展。"),
            ref: "RFC 5321 §4.2.3", enhanced: ["5.5.4"]),
        ReplyCodeInfo(556,
            L("Domain does not accept mail", "该域名不接收邮件"),
            L("The recipient's domain publishes a null MX (RFC 7505): it never receives mail.",
              "收件人的域名发布了空 MX 记录（RFC 7505）：它从不接收邮件。"),
            ref: "RFC 7504 §3", enhanced: ["5.1.10"]),
    ]

    /// The meaning of each digit of a code (RFC 5321 §4.2.1).
    public static func firstDigit(_ digit: Int) -> Localized? {
        switch digit {
        case 1: return L("Positive preliminary reply: accepted, but wait for another reply (not used by SMTP today)",
                         "肯定的初步回复：已接受，但还要等另一个回复（如今的 SMTP 不使用）")
        case 2: return L("Positive completion: the action succeeded", "肯定的完成回复：操作成功")
        case 3: return L("Positive intermediate: accepted, send the rest (the message, or the AUTH response)",
                         "肯定的中间回复：已接受，请继续发送剩余内容（邮件正文或 AUTH 应答）")
        case 4: return L("Transient negative completion: failed for now, the same request may work later",
                         "暂时性否定回复：暂时失败，同样的请求稍后可能成功")
        case 5: return L("Permanent negative completion: failed, do not repeat it unchanged",
                         "永久性否定回复：失败，不要原样重复")
        default: return nil
        }
    }

    public static func secondDigit(_ digit: Int) -> Localized? {
        switch digit {
        case 0: return L("Syntax: the command's grammar, or an unknown or unimplemented command", "语法：命令的语法，或未知、未实现的命令")
        case 1: return L("Information: replies to requests for information such as status or help", "信息：对状态、帮助等信息请求的回复")
        case 2: return L("Connections: the transmission channel", "连接：传输通道")
        case 3: return L("Unspecified (used by AUTH's 334 and DATA's 354)", "未指定（AUTH 的 334 和 DATA 的 354 使用）")
        case 4: return L("Unspecified", "未指定")
        case 5: return L("Mail system: the state of the receiver's mail system", "邮件系统：接收方邮件系统的状态")
        default: return nil
        }
    }

}
