import SMTPCore

/// What POP3's commands, response codes and capabilities mean, in both languages.
public enum POP3Texts {
    public static func title(_ verb: POP3Verb) -> Localized {
        switch verb {
        case .user: return L("Name the user", "给出用户名")
        case .pass: return L("Give the password", "给出密码")
        case .apop: return L("Log in with a digest (no password on the wire)", "用摘要登录（不在网络上传送密码）")
        case .auth: return L("Log in with SASL", "用 SASL 登录")
        case .stls: return L("Start TLS", "启动 TLS")
        case .capa: return L("List the capabilities", "列出服务器的能力")
        case .quit: return L("End the session (and delete what was marked)", "结束会话（并删除已标记的邮件）")
        case .stat: return L("Count the messages", "统计邮件")
        case .list: return L("List the messages and their sizes", "列出邮件及其大小")
        case .retr: return L("Fetch a message", "取回一封邮件")
        case .dele: return L("Mark a message for deletion", "标记一封邮件以便删除")
        case .noop: return L("Do nothing (keep the session alive)", "什么也不做（保持会话）")
        case .rset: return L("Unmark every deletion", "取消所有删除标记")
        case .top: return L("Fetch the headers and the first lines of a message", "取回一封邮件的邮件头和正文的前几行")
        case .uidl: return L("List the unique ids of the messages", "列出邮件的唯一标识")
        case .utf8: return L("Allow UTF-8 (RFC 6856)", "允许 UTF-8（RFC 6856）")
        }
    }

    public static func meaning(_ verb: POP3Verb) -> Localized {
        switch verb {
        case .user:
            return L("The first half of the plain login: the server says +OK whatever the name, so that USER does not tell who has a mailbox. PASS follows.",
                     "明文登录的前一半：无论用户名是什么服务器都回答 +OK，这样 USER 就不会泄露谁有邮箱。接下来是 PASS。")
        case .pass:
            return L("The password, readable by anyone on the path unless the connection is under TLS (STLS, or port 995). On +OK the maildrop is locked and the TRANSACTION state begins.",
                     "密码。除非连接处于 TLS 之下（STLS，或 995 端口），否则路径上的任何人都能读到。回答 +OK 后，邮箱被锁定，进入 TRANSACTION 状态。")
        case .apop:
            return L("The name and MD5 of the greeting's <timestamp> followed by the password: the password itself never crosses the wire (RFC 1939 §7). MD5 is weak today; prefer TLS.",
                     "用户名，以及问候语中的 <时间戳> 加上密码后的 MD5：密码本身从不在网络上传送（RFC 1939 §7）。如今 MD5 已不安全；应优先使用 TLS。")
        case .auth:
            return L("SASL login (RFC 5034), as SMTP's AUTH: the server answers \"+ \" and base64 until +OK or -ERR; \"*\" cancels.",
                     "SASL 登录（RFC 5034），与 SMTP 的 AUTH 相同：服务器回答「+ 」和 base64，直到 +OK 或 -ERR；「*」取消。")
        case .stls:
            return L("Upgrade this connection to TLS (RFC 2595), before logging in. The server forgets its capabilities: ask CAPA again.",
                     "把这条连接升级为 TLS（RFC 2595），要在登录之前进行。服务器会忘记它声明过的能力：请重新发送 CAPA。")
        case .capa:
            return L("The capabilities (RFC 2449): TOP, UIDL, USER, SASL mechanisms, STLS, RESP-CODES…, one per line up to a lone \".\".",
                     "服务器的能力（RFC 2449）：TOP、UIDL、USER、SASL 机制、STLS、RESP-CODES……每行一个，直到单独的「.」。")
        case .quit:
            return L("In TRANSACTION, QUIT enters the UPDATE state: the messages marked with DELE are removed now, and only now (RFC 1939 §6). A connection that drops deletes nothing.",
                     "在 TRANSACTION 状态下，QUIT 进入 UPDATE 状态：用 DELE 标记的邮件此时才被删除，而且只在此时（RFC 1939 §6）。连接中断则什么也不删除。")
        case .stat:
            return L("The number of messages and their total size in octets (those not marked deleted).", "邮件的数量和总大小（字节数，不含已标记删除的）。")
        case .list:
            return L("Each message's number and size; with a number, that message's only. Numbers are for this session only; UIDL gives ids that last.",
                     "每封邮件的编号和大小；给出编号时只列那一封。编号只在本次会话中有效；UIDL 给出长期不变的标识。")
        case .retr:
            return L("The whole message, as the server stored it: the headers the SMTP server added first (Return-Path:, Delivered-To:, Received:), then the sender's. Lines that start with \".\" come byte-stuffed.",
                     "整封邮件，与服务器保存的一样：最前面是 SMTP 服务器添加的邮件头（Return-Path:、Delivered-To:、Received:），然后是发件人写的。以「.」开头的行经过了字节填充。")
        case .dele:
            return L("Only a mark: the message disappears at QUIT, and RSET brings it back until then.", "只是一个标记：邮件在 QUIT 时才消失，在此之前 RSET 可以把它找回来。")
        case .noop:
            return L("Nothing happens; the server says +OK. It keeps the session from timing out.", "什么也不发生；服务器回答 +OK。它让会话不会超时。")
        case .rset:
            return L("Every DELE of this session is undone.", "撤销本次会话中所有的 DELE。")
        case .top:
            return L("TOP msg n: the headers, the blank line, and n lines of the body. TOP 1 0 shows only the headers.",
                     "TOP 编号 n：邮件头、空行，以及正文的 n 行。TOP 1 0 只显示邮件头。")
        case .uidl:
            return L("Each message's unique id: it stays the same across sessions, so a client that leaves mail on the server knows what it has seen.",
                     "每封邮件的唯一标识：它在不同会话之间保持不变，所以把邮件留在服务器上的客户端知道哪些已经看过。")
        case .utf8:
            return L("The client takes UTF-8 in mailbox names and messages (RFC 6856).", "客户端接受邮箱名和邮件中的 UTF-8（RFC 6856）。")
        }
    }

    /// RFC 2449 §8 and RFC 3206 response codes.
    public static func code(_ code: String) -> (title: Localized, meaning: Localized)? {
        switch code.uppercased() {
        case "IN-USE":
            return (L("Maildrop in use", "邮箱正在被使用"),
                    L("Another session of this user has the maildrop open (and locked). Try again once it has ended (RFC 2449 §8.1.1).",
                      "这个用户的另一个会话已经打开（并锁定）了邮箱。等它结束后再试（RFC 2449 §8.1.1）。"))
        case "LOGIN-DELAY":
            return (L("Logging in too soon", "登录太频繁"),
                    L("The server allows a login only so often; CAPA's LOGIN-DELAY says how long to wait (RFC 2449 §8.1.2).",
                      "服务器限制登录的频率；CAPA 中的 LOGIN-DELAY 说明要等多久（RFC 2449 §8.1.2）。"))
        case "SYS/TEMP":
            return (L("A temporary system failure", "暂时性的系统故障"),
                    L("The server's side failed for now (a disk, a lock); the same command may work later (RFC 3206).",
                      "服务器一方暂时出了问题（磁盘、锁）；同样的命令稍后可能会成功（RFC 3206）。"))
        case "SYS/PERM":
            return (L("A permanent system failure", "永久性的系统故障"),
                    L("The server's side failed in a way that will not pass by itself; tell its administrator (RFC 3206).",
                      "服务器一方出了不会自行消失的问题；请告诉它的管理员（RFC 3206）。"))
        case "AUTH":
            return (L("The credentials were refused", "凭据被拒绝"),
                    L("The name or password (or the SASL exchange) is wrong; the server's state is fine. Check them and log in again (RFC 3206).",
                      "用户名或密码（或 SASL 交换）不对；服务器的状态没有问题。检查之后重新登录（RFC 3206）。"))
        case "UTF8":
            return (L("UTF-8 needed", "需要 UTF-8"), L("The command needs UTF8 mode first (RFC 6856).", "这个命令需要先进入 UTF8 模式（RFC 6856）。"))
        default:
            return nil
        }
    }

    public static func capability(_ name: String) -> Localized? {
        switch name.uppercased() {
        case "TOP": return L("TOP works: headers and the first lines of a message", "支持 TOP：邮件头和邮件的前几行")
        case "USER": return L("USER and PASS are accepted", "接受 USER 和 PASS")
        case "SASL": return L("AUTH with these SASL mechanisms", "可以用这些 SASL 机制进行 AUTH")
        case "RESP-CODES": return L("-ERR may carry [CODES] (RFC 2449 §8)", "-ERR 可能带有 [代码]（RFC 2449 §8）")
        case "AUTH-RESP-CODE": return L("a failed login says [AUTH] or [SYS/…] (RFC 3206)", "登录失败时会给出 [AUTH] 或 [SYS/…]（RFC 3206）")
        case "LOGIN-DELAY": return L("the least time between two logins, in seconds", "两次登录之间的最短间隔，单位为秒")
        case "PIPELINING": return L("commands may be sent without waiting for each response", "可以不等每个回答就连续发送命令")
        case "EXPIRE": return L("how long the server keeps mail (NEVER: until deleted)", "服务器保留邮件的时间（NEVER：直到被删除）")
        case "UIDL": return L("UIDL works: unique ids that last", "支持 UIDL：长期不变的唯一标识")
        case "IMPLEMENTATION": return L("the server's software, for humans", "服务器的软件名称，给人看的")
        case "STLS": return L("STLS works: TLS on this connection (RFC 2595)", "支持 STLS：在这条连接上启用 TLS（RFC 2595）")
        case "UTF8": return L("UTF-8 mode (RFC 6856)", "UTF-8 模式（RFC 6856）")
        case "LANG": return L("the server can speak other languages (RFC 6856)", "服务器可以使用其他语言（RFC 6856）")
        default: return nil
        }
    }

    public static func lint(_ issue: POP3LintIssue) -> Localized {
        switch issue {
        case .unknownVerb(let word):
            return L("\"{0}\" is not a POP3 command; the server will answer -ERR.", "「{0}」不是 POP3 命令；服务器会回答 -ERR。").format(word)
        case .missingArgument(let verb): return L("{0} needs its argument: {1}", "{0} 需要参数：{1}").format(verb.rawValue, verb.syntax)
        case .unexpectedArgument(let verb): return L("{0} takes no argument.", "{0} 不带参数。").format(verb.rawValue)
        case .notANumber(let verb, let word):
            return L("{0} takes a message number (1, 2, …), not \"{1}\".", "{0} 需要邮件编号（1、2……），而不是「{1}」。").format(verb.rawValue, word)
        case .notInPhase(let verb, let phase):
            return phase == .authorization
                ? L("{0} needs a login first: USER and PASS (or APOP, AUTH).", "{0} 需要先登录：USER 和 PASS（或 APOP、AUTH）。").format(verb.rawValue)
                : L("{0} is for before logging in; you are logged in.", "{0} 是登录之前用的；你已经登录了。").format(verb.rawValue)
        case .passWithoutUser: return L("PASS comes after USER.", "PASS 要在 USER 之后。")
        case .beforeGreeting: return L("The server has not greeted yet.", "服务器还没有发送问候。")
        case .plaintextPassword(let verb):
            return L("{0} sends the password readable: STLS first (or connect to port 995).", "{0} 会以可读形式发送密码：请先 STLS（或连接 995 端口）。")
                .format(verb.rawValue)
        case .afterQuit: return L("The session is over.", "会话已经结束。")
        case .lineTooLong(let octets):
            return L("{0} octets: POP3 command lines are at most 255 (RFC 2449 §4).", "{0} 个字节：POP3 命令行最多 255 个字节（RFC 2449 §4）。").format(octets)
        }
    }

    /// Headers the receiving SMTP server added, as POP3 shows them at the top of a message.
    public static func header(_ name: String) -> Localized? {
        switch name.lowercased() {
        case "return-path":
            return L("Added by the last SMTP server from the envelope: the MAIL FROM of the transaction that delivered it (RFC 5321 §4.4). Bounces go there, not to From:.",
                     "由最后一台 SMTP 服务器根据信封添加：就是投递这封邮件的事务中的 MAIL FROM（RFC 5321 §4.4）。退信发往这里，而不是 From:。")
        case "delivered-to":
            return L("Added at delivery from the envelope: the RCPT TO this copy was delivered for. A Bcc recipient shows here, and nowhere else.",
                     "投递时根据信封添加：这份副本所对应的 RCPT TO。密送的收件人会出现在这里，而不会出现在别处。")
        case "received":
            return L("Each server that handled the message adds one, on top: who it came from, who took it, with which protocol (SMTP, ESMTP, ESMTPS with TLS, ESMTPSA logged in), when.",
                     "每台处理过这封邮件的服务器都会在最上面加一条：从谁那里来、谁接收了它、用的什么协议（SMTP、ESMTP，带 TLS 的 ESMTPS，登录后的 ESMTPSA）、什么时间。")
        case "x-original-to":
            return L("Postfix's record of the RCPT TO before any alias rewrote it.", "Postfix 记录的、经过别名改写之前的 RCPT TO。")
        default:
            return nil
        }
    }
}
