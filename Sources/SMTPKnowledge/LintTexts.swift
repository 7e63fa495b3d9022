import SMTPCore

/// The words for each lint finding.
public enum LintTexts {
    public static func text(_ issue: LintIssue) -> Localized {
        switch issue {
        case .textOutsideData(let refused):
            return refused
                ? L("This looks like message text, but DATA was refused: the server reads each line as a command. Get MAIL FROM and RCPT TO accepted, then DATA again.",
                    "这看起来是邮件内容，但 DATA 被拒绝了：服务器会把每一行都当作命令。先让 MAIL FROM 和 RCPT TO 被接受，再重新 DATA。")
                : L("This looks like a message header: headers belong to the message, typed after DATA and its 354, not as a command.",
                    "这看起来是邮件头：邮件头属于邮件内容，要在 DATA 和它的 354 之后输入，而不是作为命令。")
        case .emptyLine:
            return L("An empty line is not a command.", "空行不是命令。")
        case .unknownVerb(let verb):
            if let entry = VerbCatalog.entry(verb) {
                return L("{0} is no SMTP command but {1}'s own: other servers answer 500 or 502.",
                         "{0} 不是 SMTP 命令，而是 {1} 自己的命令：其他服务器会回答 500 或 502。").format(entry.keyword, entry.server)
            }
            return L("\"{0}\" is not an SMTP verb smtpx knows; the server will probably answer 500.",
                     "「{0}」不是 smtpx 认识的 SMTP 命令；服务器多半会回答 500。").format(verb)
        case .missingArgument(let verb):
            return L("{0} needs an argument: {1}", "{0} 需要参数：{1}").format(verb.rawValue, verb.syntax)
        case .unexpectedArgument(let verb):
            return L("{0} takes no argument.", "{0} 不带参数。").format(verb.rawValue)
        case .missingPathPrefix(let verb):
            return L("Write {0} with its keyword: {1}", "{0} 要带上关键字：{1}").format(verb.rawValue, verb.syntax)
        case .spaceAfterColon(let verb):
            let prefix = verb == .rcpt ? "TO:" : "FROM:"
            return L("No space after \"{0}\": RFC 5321 writes {1}<address>; strict servers answer 501.",
                     "「{0}」后面不应有空格：RFC 5321 的写法是 {1}<地址>；严格的服务器会回答 501。").format(prefix, prefix)
        case .missingAngleBrackets(let verb):
            return L("Put the address in angle brackets: {0}", "地址要放在尖括号里：{0}").format(verb.syntax)
        case .unbalancedAngleBrackets:
            return L("The angle brackets around the address do not match.", "地址两侧的尖括号不配对。")
        case .badAddress(let address, let problem):
            let detail = problemText(problem)
            return L("Address {0}: ", "地址 {0}：").format(address).appending(detail)
        case .nullRecipient:
            return L("RCPT TO:<> is not allowed: the null path is only for the sender of bounces.",
                     "不允许 RCPT TO:<>：空路径只用于退信的发件人。")
        case .unknownParameter(let verb, let name):
            return L("{0} has no parameter {1} in any registered extension; expect 555.",
                     "任何已注册扩展都没有为 {0} 定义参数 {1}；预计会得到 555。").format(verb.rawValue, name)
        case .badParameterValue(let name, let value):
            return L("{0}={1} is not a valid value for {0}.", "{0}={1} 不是 {0} 的有效取值。").format(name, value ?? "")
        case .duplicateParameter(let name):
            return L("{0} is given twice.", "{0} 出现了两次。").format(name)
        case .lineTooLong(let length):
            return L("The line is {0} octets with CRLF; RFC 5321 §4.5.3.1.4 allows 512.",
                     "这一行加上 CRLF 共 {0} 个八位组；RFC 5321 §4.5.3.1.4 只允许 512。").format(length)
        case .obsoleteVerb(let verb):
            return L("{0} is obsolete; servers answer 502.", "{0} 已废弃；服务器会回答 502。").format(verb.rawValue)
        case .badHelloArgument(let argument):
            return L("\"{0}\" is not a domain or an address literal like [192.0.2.1].",
                     "「{0}」不是域名，也不是 [192.0.2.1] 这样的地址字面量。").format(argument)
        case .badChunkSize(let argument):
            return L("BDAT needs a byte count and optionally LAST: \"{0}\" is neither.",
                     "BDAT 需要一个字节数，可选加上 LAST：「{0}」不符合。").format(argument)
        case .controlCharacters:
            return L("The line contains control characters.", "这一行含有控制字符。")
        case .notConnected:
            return L("Not connected: /connect HOST [PORT] first.", "尚未连接：请先 /connect 主机 [端口]。")
        case .greetingNotReceived:
            return L("The server has not greeted yet; a client must wait for the 220. Many servers drop early talkers.",
                     "服务器还没有发出问候；客户端必须等待 220。许多服务器会断开抢先发言的客户端。")
        case .helloRequired(let verb):
            return L("{0} before EHLO or HELO: the server will answer 503.", "在 EHLO 或 HELO 之前发 {0}：服务器会回答 503。")
                .format(verb.rawValue)
        case .rcptBeforeMail:
            return L("No sender yet: send MAIL FROM first, or the server will answer 503.",
                     "还没有发件人：先发 MAIL FROM，否则服务器会回答 503。")
        case .mailInTransaction:
            return L("A transaction is already open: finish it or send RSET; a second MAIL gets 503.",
                     "已经有一个事务在进行：先完成它或发 RSET；再发一次 MAIL 会得到 503。")
        case .dataWithoutRecipients:
            return L("No recipient was accepted: add RCPT TO first, or the server will answer 503 or 554.",
                     "没有被接受的收件人：先添加 RCPT TO，否则服务器会回答 503 或 554。")
        case .notAdvertised(let verb, let keyword):
            return L("The server did not advertise {0}, so {1} will likely get 502 or 500.",
                     "服务器没有声明 {0}，因此 {1} 多半会得到 502 或 500。").format(keyword, verb.rawValue)
        case .parameterNotAdvertised(let parameter, let keyword):
            return L("{0}= belongs to the {1} extension, which the server did not advertise; expect 555.",
                     "{0}= 属于 {1} 扩展，而服务器没有声明它；预计会得到 555。").format(parameter, keyword)
        case .extensionsNeedEhlo(let name):
            return L("The session began with HELO, so no extension such as {0} is available; use EHLO.",
                     "会话以 HELO 开始，因此 {0} 等扩展都不可用；请使用 EHLO。").format(name)
        case .sizeOverLimit(let declared, let limit):
            return L("SIZE={0} is over the server's limit of {1} octets: expect 552.",
                     "SIZE={0} 超过了服务器 {1} 个八位组的上限：预计会得到 552。").format(declared, limit)
        case .alreadyUnderTLS:
            return L("The connection is already encrypted.", "连接已经加密了。")
        case .alreadyAuthenticated:
            return L("Already authenticated in this session: a second AUTH gets 503.", "本会话已经认证过：再次 AUTH 会得到 503。")
        case .authInTransaction:
            return L("AUTH is not allowed inside a mail transaction; send RSET first.", "邮件事务中不允许 AUTH；请先发 RSET。")
        case .authOverPlaintext:
            return L("This connection is not encrypted: the credentials can be read on the way. Run STARTTLS first.",
                     "这条连接没有加密：凭据在传输途中可能被读取。请先执行 STARTTLS。")
        case .afterQuit:
            return L("QUIT was already sent; the connection is closing.", "已经发送过 QUIT；连接正在关闭。")
        case .replyOutstandingWithoutPipelining:
            return L("A reply is still awaited and the server did not advertise PIPELINING: wait for it.",
                     "还在等待回复，而服务器没有声明 PIPELINING：请先等待。")
        case .afterStartTLSInPipeline:
            return L("STARTTLS is still awaiting its reply: anything sent now travels in plaintext and will be thrown away (RFC 3207 §4.2).",
                     "STARTTLS 还在等待回复：现在发送的任何内容都以明文传输，并会被丢弃（RFC 3207 §4.2）。")
        case .dataAfterBdat:
            return L("This message is being sent with BDAT; DATA cannot be mixed in.", "这封邮件正在用 BDAT 发送；不能混用 DATA。")
        case .nonASCIIWithoutSMTPUTF8:
            return L("The address has non-ASCII characters: add SMTPUTF8 to MAIL FROM (if advertised), or expect 553.",
                     "地址含有非 ASCII 字符：请在 MAIL FROM 中加上 SMTPUTF8（如果服务器声明了），否则预计会得到 553。")
        case .mechanismNotAdvertised(let mechanism):
            return L("{0} is not among the server's AUTH mechanisms: expect 504.", "{0} 不在服务器的 AUTH 机制之中：预计会得到 504。")
                .format(mechanism)
        case .dotStuffed:
            return L("This line starts with \".\", so smtpx sends it as \"..\" (dot-stuffing, RFC 5321 §4.5.2): the server removes the extra dot, and a lone \".\" still ends the message.",
                     "这一行以「.」开头，所以 smtpx 会把它发送成「..」（点填充，RFC 5321 §4.5.2）：服务器会去掉多出的点，而单独的「.」仍然表示邮件结束。")
        case .textLineTooLong(let length):
            return L("The line is {0} octets with CRLF; RFC 5321 allows 1000 per message line (RFC 5322: 998 characters and CRLF).",
                     "这一行加上 CRLF 共 {0} 个八位组；RFC 5321 规定每行邮件内容最多 1000 个（RFC 5322：998 个字符加 CRLF）。").format(length)
        case .lowercaseVerb(let keyword):
            return L("\"{0}\" is in lower case. Verbs are case-insensitive (RFC 5321 §2.4), so most servers take it; an old or strict one may not.",
                     "「{0}」是小写。命令动词不区分大小写（RFC 5321 §2.4），所以大多数服务器都接受；老旧或严格的服务器可能不接受。").format(keyword)
        case .headerWithoutColon:
            return L("This line has no colon, so it is no header (Name: value): mail readers take the body to start here. An empty line should end the headers first.",
                     "这一行没有冒号，所以不是邮件头（名称: 值）：邮件阅读器会认为正文从这里开始。应该先用一个空行结束邮件头。")
        case .unencodedHeader(let name):
            return L("{0}: holds non-ASCII text. Without SMTPUTF8 it must be encoded (RFC 2047, =?UTF-8?B?…?=), or readers may show garbage.",
                     "{0}: 含有非 ASCII 文字。没有 SMTPUTF8 时必须编码（RFC 2047，=?UTF-8?B?…?=），否则阅读器可能显示乱码。").format(name)
        case .bareLineBreak:
            return L("A CR or LF alone inside the line: RFC 5321 §2.3.8 allows them only together, as the end of a line.",
                     "行内有单独的 CR 或 LF：RFC 5321 §2.3.8 只允许二者连用，作为行尾。")
        case .commandInMessage(let verb):
            return L("You are still inside DATA: \"{0}\" goes into the message as text, not to the server as a command. End the message with a lone \".\" first.",
                     "你仍在 DATA 之中：「{0}」会作为文字写进邮件，而不是作为命令发给服务器。请先用单独的「.」结束邮件。").format(verb)
        case .missingHeader(let name):
            return L("The message has no {0}: header. RFC 5322 §3.6 asks for From: and Date: (Message-ID: should be there too); many servers add them or mark the mail as suspicious.",
                     "这封邮件没有 {0}: 头。RFC 5322 §3.6 要求有 From: 和 Date:（也应该有 Message-ID:）；许多服务器会补上，或者把邮件标为可疑。").format(name)
        }
    }

    static func problemText(_ problem: AddressProblem) -> Localized {
        switch problem {
        case .noAt: return L("no @ between local-part and domain", "本地部分和域名之间没有 @")
        case .emptyLocalPart: return L("nothing before the @", "@ 前面是空的")
        case .emptyDomain: return L("nothing after the @", "@ 后面是空的")
        case .localPartTooLong(let n): return L("the local-part is {0} octets, over 64", "本地部分有 {0} 个八位组，超过 64").format(n)
        case .domainTooLong(let n): return L("the domain is {0} octets, over 255", "域名有 {0} 个八位组，超过 255").format(n)
        case .pathTooLong(let n): return L("the path is {0} octets, over 256", "路径有 {0} 个八位组，超过 256").format(n)
        case .badLocalPartCharacter(let c):
            return L("\"{0}\" may not appear unquoted in the local-part", "「{0}」不能不加引号地出现在本地部分").format(String(c))
        case .badDots: return L("dots at an end or two in a row", "点出现在开头或结尾，或连续两个点")
        case .badDomainLabel(let label): return L("\"{0}\" is not a valid domain label", "「{0}」不是有效的域名标签").format(label)
        case .badAddressLiteral(let literal): return L("\"{0}\" is not a valid address literal", "「{0}」不是有效的地址字面量").format(literal)
        case .nonASCII: return L("non-ASCII characters need SMTPUTF8", "非 ASCII 字符需要 SMTPUTF8")
        case .sourceRoute: return L("a source route (@relay:) is obsolete", "源路由（@relay:）已废弃")
        case .unterminatedQuote: return L("a quote is not closed", "引号没有闭合")
        }
    }

    /// Describes what a server did wrong on a reply.
    public static func anomalies(_ anomalies: ReplyAnomalies) -> [Localized] {
        var texts: [Localized] = []
        let table: [(ReplyAnomalies, Localized)] = [
            (.bareLF, L("A line ended with LF alone instead of CRLF.", "有一行只以 LF 结尾，而不是 CRLF。")),
            (.strayCR, L("A CR appears inside a line.", "某一行中间出现了 CR。")),
            (.badSeparator, L("After the code comes neither \"-\" nor a space.", "回复码后面既不是「-」也不是空格。")),
            (.noCode, L("A line does not start with a three-digit code.", "有一行不是以三位数回复码开头。")),
            (.codeOutOfRange, L("The code is outside 2yz–5yz with a second digit 0–5.", "回复码不在 2yz–5yz 范围内，或第二位不在 0–5 之间。")),
            (.codeChanged, L("The lines of the reply carry different codes; smtpx uses the last one.",
                             "回复的各行带有不同的回复码；smtpx 采用最后一行的。")),
            (.invalidUTF8, L("Bytes that are not valid UTF-8 (shown as \\xNN).", "含有无效的 UTF-8 字节（显示为 \\xNN）。")),
            (.controlBytes, L("Control characters or escape sequences (shown escaped, never sent to your terminal).",
                              "含有控制字符或转义序列（以转义形式显示，绝不会发送到你的终端）。")),
            (.overLong, L("A line is longer than the 512 octets RFC 5321 allows.", "某一行超过了 RFC 5321 允许的 512 个八位组。")),
            (.truncated, L("A line was too long: smtpx kept its start and dropped the rest.", "某一行太长：smtpx 保留了开头，丢弃了其余部分。")),
            (.unterminated, L("The connection ended in the middle of a line.", "连接在一行的中间结束了。")),
            (.nonASCII, L("8-bit text in a reply, allowed only after SMTPUTF8.", "回复中含有 8 位文字，只有在 SMTPUTF8 之后才允许。")),
            (.tooManyLines, L("The reply had too many lines; smtpx kept the first ones and the last.",
                              "回复行数太多；smtpx 保留了前面若干行和最后一行。")),
        ]
        for (flag, text) in table where anomalies.contains(flag) { texts.append(text) }
        return texts
    }
}
