import SMTPCore
import SMTPKnowledge

/// The explainer's first page when smtpx runs on its built-in practice server.
public enum Welcome {
    public static func practice(address: String, maildir: String, config: ServerConfig, tls: Bool = false,
                                language: Language) -> Explanation {
        let domain = config.domains.first ?? "example.test"
        let t = { (text: Localized) in text[language] }
        var sections: [Explanation.Section] = [
            .init(paragraphs: [t(Localized(
                "A real SMTP server is listening on {0}, just for you. Type the commands below one by one and watch its replies on the left; each one is explained here.",
                "一台真正的 SMTP 服务器正在 {0} 上为你监听。逐条输入下面的命令，在左边观察它的回复；每条回复都会在这里解释。").format(address))]),
            .init(heading: t(Localized("Try this first", "先试试这些")), items: [
                .init("EHLO laptop", t(Localized("say hello; the reply lists what the server can do", "打招呼；回复会列出服务器的能力"))),
                .init("MAIL FROM:<you@example.net>", t(Localized("who the message is from", "邮件来自谁"))),
                .init("RCPT TO:<alice@\(domain)>", t(Localized("who it is for", "邮件发给谁"))),
                .init("DATA", t(Localized("then type the message", "然后输入邮件内容"))),
                .init("Subject: hello", t(Localized("a header line", "一行邮件头"))),
                .init(t(Localized("(empty line)", "（空行）")), t(Localized("ends the headers", "表示邮件头结束"))),
                .init("Hi Alice!", t(Localized("the body", "正文"))),
                .init(".", t(Localized("a lone dot sends it", "单独一个点表示发送"))),
                .init("QUIT", t(Localized("say goodbye", "道别"))),
            ]),
            .init(heading: t(Localized("Who lives here", "这里有谁")), paragraphs: [
                t(Localized("Mailboxes {0}; the list {1} (try VRFY and EXPN). Mail for any other domain is refused: this server never relays.",
                            "邮箱 {0}；邮件列表 {1}（试试 VRFY 和 EXPN）。发往其他域名的邮件会被拒绝：这台服务器从不中继。")
                    .format(config.mailboxes.map { "\($0)@\(domain)" }.joined(separator: ", "),
                            config.lists.keys.sorted().map { "\($0)@\(domain)" }.joined(separator: ", "))),
                t(Localized("Delivered mail is written to {0}.", "投递的邮件保存在 {0}。").format(maildir)),
            ]),
        ]
        if !config.accounts.isEmpty {
            let users = config.accounts.keys.sorted()
            let accounts = users.map { "\($0) / \(config.accounts[$0] ?? "")" }.joined(separator: t(Localized(" and ", " 和 ")))
            let next = tls ? Localized("The connection is encrypted from the first byte: EHLO, then /auth plain {0}.",
                                       "连接从第一个字节起就已加密：EHLO，然后 /auth plain {0}。")
                           : Localized("STARTTLS first, EHLO again, then /auth plain {0}.",
                                       "先执行 STARTTLS，再次 EHLO，然后 /auth plain {0}。")
            sections.append(.init(heading: t(Localized("Logging in", "登录")), paragraphs: [
                t(Localized("Demo accounts: {0}. {1}", "演示账户：{0}。{1}").format(accounts, t(next.format(users[0])))),
            ]))
        }
        if !config.scenarios.isEmpty {
            sections.append(.init(heading: t(Localized("Scenarios switched on", "已开启的场景")),
                                  items: config.scenarios.sorted { $0.rawValue < $1.rawValue }.map {
                                      .init($0.rawValue, t(scenarioText($0)))
                                  }, tone: .warning))
        }
        sections.append(.init(heading: t(Localized("In a class", "在课堂上")), paragraphs: [
            t(Localized("On the teacher's server, trust its certificate as `smtpx serve` prints it: smtpx --pin sha256//… HOST PORT (or --ca-file with the certificate the teacher hands out). Lessons: smtpx learn.",
                        "连接老师的服务器时，按 `smtpx serve` 打印的方式信任它的证书：smtpx --pin sha256//… HOST PORT（或用老师分发的证书加 --ca-file）。课程：smtpx learn。")),
        ]))
        sections.append(.init(paragraphs: [t(Localized("F1 shows the keys, /help the commands, Ctrl-C quits.",
                                                       "F1 显示按键，/help 显示命令，Ctrl-C 退出。"))]))
        return Explanation.page(t(Localized("Welcome to smtpx", "欢迎使用 smtpx")), sections: sections)
    }

    /// What a scenario does to the learner's session.
    public static func scenarioText(_ scenario: Scenario) -> Localized {
        switch scenario {
        case .greylist:
            return Localized("the first try of each sender and recipient gets 450 4.7.1; retry after a few seconds and it goes through",
                             "每对发件人和收件人的第一次尝试会得到 450 4.7.1；几秒后重试即可通过")
        case .busy: return Localized("every connection gets 421 4.3.2 and is closed", "每个连接都会得到 421 4.3.2 并被关闭")
        case .mailboxFull: return Localized("every mailbox is full: 552 5.2.2 at RCPT", "所有邮箱都已满：RCPT 时得到 552 5.2.2")
        case .slow: return Localized("every reply comes late", "每个回复都会延迟")
        case .tarpit: return Localized("replies get slower with every recipient and every error", "每多一个收件人或错误，回复就更慢")
        case .sizeLimit: return Localized("messages over 10 KiB get 552 5.3.4", "超过 10 KiB 的邮件会得到 552 5.3.4")
        case .disconnectAfterData:
            return Localized("after the final \".\" the server hangs up without a reply: was the message sent?",
                             "在最后的「.」之后服务器不作回复直接挂断：邮件到底发出去了吗？")
        case .tlsRequired: return Localized("MAIL gets 530 5.7.0 until STARTTLS", "在 STARTTLS 之前，MAIL 会得到 530 5.7.0")
        case .authRequired: return Localized("MAIL gets 530 5.7.0 until AUTH", "在 AUTH 之前，MAIL 会得到 530 5.7.0")
        }
    }
}
