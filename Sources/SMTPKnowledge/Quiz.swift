/// `smtpx quiz`: questions drawn from the knowledge tables — what a reply code means, what an
/// enhanced code says, which code a server answers, what to send next — each with four choices
/// in both languages and the explanation shown after the answer.
public struct QuizQuestion: Sendable, Hashable {
    public var prompt: Localized
    public var choices: [Localized]
    public var answer: Int
    /// Said after the answer, right or wrong.
    public var why: Localized
}

public enum Quiz {
    /// A generator whose sequence depends only on its seed, so a class can share a quiz.
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Situations whose code a server answers (RFC 5321 §4.2, §4.3.2; RFC 4954; RFC 1870).
    static let situations: [(Localized, Int)] = [
        (Localized("RCPT TO before any MAIL FROM", "还没有 MAIL FROM 就发送 RCPT TO"), 503),
        (Localized("RCPT TO a mailbox that does not exist", "RCPT TO 一个不存在的邮箱"), 550),
        (Localized("MAIL FROM with a SIZE over the server's limit", "MAIL FROM 声明的 SIZE 超过服务器上限"), 552),
        (Localized("RCPT TO from a sender a greylisting server has not seen", "灰名单服务器没见过的发信方发送 RCPT TO"), 450),
        (Localized("a command the server does not know", "服务器不认识的命令"), 500),
        (Localized("QUIT", "QUIT"), 221),
        (Localized("DATA after an accepted RCPT", "在 RCPT 被接受之后发送 DATA"), 354),
        (Localized("AUTH with the right password", "AUTH 使用正确的密码"), 235),
        (Localized("AUTH with a wrong password", "AUTH 使用错误的密码"), 535),
        (Localized("the lone dot that ends an accepted message", "结束一封被接受邮件的那一行单独的点"), 250),
        (Localized("STARTTLS on a server that offers it", "在提供 STARTTLS 的服务器上发送 STARTTLS"), 220),
        (Localized("RCPT TO another domain on a server that does not relay", "在不中继的服务器上 RCPT TO 另一个域"), 554),
    ]

    /// What comes next after a reply.
    static let nexts: [(Localized, [Localized])] = [
        (Localized("The server answered 354 to DATA.", "服务器对 DATA 回答了 354。"),
         [Localized("The message: headers, an empty line, the body, then a line with only a dot", "邮件：信头、一个空行、正文，然后是只有一个点的一行"),
          Localized("RCPT TO for the next recipient", "下一个收件人的 RCPT TO"), Localized("QUIT, the message is sent", "QUIT，邮件已发出"),
          Localized("DATA again, louder", "再发一次 DATA")]),
        (Localized("The server greeted with 220.", "服务器以 220 问候。"),
         [Localized("EHLO with your host's name", "EHLO 加你主机的名字"), Localized("MAIL FROM", "MAIL FROM"),
          Localized("DATA", "DATA"), Localized("Wait for a second greeting", "等待第二次问候")]),
        (Localized("The server answered 220 to STARTTLS.", "服务器对 STARTTLS 回答了 220。"),
         [Localized("The TLS handshake, then EHLO again", "TLS 握手，然后再发一次 EHLO"), Localized("MAIL FROM, now encrypted", "MAIL FROM，现在已加密"),
          Localized("AUTH PLAIN at once", "立即 AUTH PLAIN"), Localized("STARTTLS again to confirm", "再发一次 STARTTLS 确认")]),
        (Localized("RCPT TO got 450 4.7.1 (greylisted).", "RCPT TO 得到 450 4.7.1（灰名单）。"),
         [Localized("Keep the mail and try again later", "保留邮件，稍后再试"), Localized("Give up and bounce the mail", "放弃并退信"),
          Localized("Send DATA anyway", "照样发送 DATA"), Localized("Try another recipient address", "换一个收件人地址")]),
        (Localized("AUTH LOGIN got 334 VXNlcm5hbWU6.", "AUTH LOGIN 得到 334 VXNlcm5hbWU6。"),
         [Localized("The user name, in base64", "base64 编码的用户名"), Localized("The password, in base64", "base64 编码的密码"),
          Localized("The word Username:", "单词 Username:"), Localized("MAIL FROM", "MAIL FROM")]),
        (Localized("MAIL FROM got 250.", "MAIL FROM 得到 250。"),
         [Localized("RCPT TO, one per recipient", "RCPT TO，每个收件人一条"), Localized("DATA", "DATA"),
          Localized("RCPT CC for the copies", "抄送用 RCPT CC"), Localized("EHLO", "EHLO")]),
    ]

    /// Codes common enough to be choices.
    static let common = [220, 221, 235, 250, 251, 252, 334, 354, 421, 450, 451, 452, 500, 501, 502, 503, 504, 530, 535, 550, 551, 552, 553, 554]

    public static func questions(count: Int, seed: UInt64) -> [QuizQuestion] {
        var random = Seeded(state: seed)
        var out: [QuizQuestion] = []
        while out.count < count {
            switch out.count % 4 {
            case 0: out.append(meaning(&random))
            case 1: out.append(situation(&random))
            case 2: out.append(enhanced(&random))
            default: out.append(next(&random))
            }
        }
        return out
    }

    static func shuffled(_ right: Localized, _ wrong: [Localized], _ random: inout Seeded) -> ([Localized], Int) {
        var choices = [right] + wrong.prefix(3)
        choices.shuffle(using: &random)
        return (choices, choices.firstIndex(of: right)!)
    }

    static func meaning(_ random: inout Seeded) -> QuizQuestion {
        let codes = common.compactMap(ReplyCodes.info)
        let right = codes.randomElement(using: &random)!
        let wrong = codes.filter { $0.code != right.code }.shuffled(using: &random).map(\.title)
        let (choices, answer) = shuffled(right.title, wrong, &random)
        return QuizQuestion(prompt: Localized("What does a {0} reply mean?", "{0} 回复是什么意思？").format(right.code),
                            choices: choices, answer: answer, why: Localized("\(right.code): \(right.meaning.en)", "\(right.code)：\(right.meaning.zh)"))
    }

    static func situation(_ random: inout Seeded) -> QuizQuestion {
        let (what, code) = situations.randomElement(using: &random)!
        let wrong = common.filter { $0 != code }.shuffled(using: &random).map { Localized(String($0), String($0)) }
        let (choices, answer) = shuffled(Localized(String(code), String(code)), wrong, &random)
        let title = ReplyCodes.info(code)?.title ?? Localized("", "")
        return QuizQuestion(prompt: Localized("Which code does a server answer to: \(what.en)?", "服务器对下面的情况回答哪个代码：\(what.zh)？"),
                            choices: choices, answer: answer,
                            why: Localized("\(code): \(title.en)", "\(code)：\(title.zh)"))
    }

    static func enhanced(_ random: inout Seeded) -> QuizQuestion {
        let codes = EnhancedCodes.all.filter { $0.subject >= 1 && $0.subject <= 7 }
        let right = codes.randomElement(using: &random)!
        let wrong = codes.filter { $0.key != right.key && $0.title != right.title }.shuffled(using: &random).map(\.title)
        let (choices, answer) = shuffled(right.title, wrong, &random)
        let shown = "\((right.usualReplies.first ?? 550) / 100).\(right.subject).\(right.detail)"
        return QuizQuestion(prompt: Localized("What does the enhanced code {0} say?", "增强状态码 {0} 说的是什么？").format(shown),
                            choices: choices, answer: answer,
                            why: Localized("\(shown): \(right.meaning.en)", "\(shown)：\(right.meaning.zh)"))
    }

    static func next(_ random: inout Seeded) -> QuizQuestion {
        let (what, options) = nexts.randomElement(using: &random)!
        let (choices, answer) = shuffled(options[0], Array(options.dropFirst()), &random)
        return QuizQuestion(prompt: Localized("\(what.en) What do you send next?", "\(what.zh)接下来发送什么？"),
                            choices: choices, answer: answer, why: options[0])
    }
}
