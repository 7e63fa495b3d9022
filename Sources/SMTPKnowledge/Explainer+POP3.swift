import Foundation
import SMTPCore

extension Explainer {
    /// A POP3 response in its place: what it answers, what it means there, its response code,
    /// and for a fetched message the headers the SMTP server added. `envelope` is the MAIL FROM
    /// of an SMTP session earlier in the same conversation, when there was one.
    public func explain(pop3 response: POP3Response, answering sent: POP3ClientSession.Sent?,
                        envelope: String? = nil, findings: [POP3LintFinding] = []) -> Explanation {
        var sections: [Explanation.Section] = []
        if response.status == .err, !findings.isEmpty {
            // What the lint saw in the command comes first: it is most often the cause.
            sections.append(.init(.finding, heading: t(L("What you sent", "你发送的内容")),
                                  paragraphs: findings.map { t(POP3Texts.lint($0.issue)) }, tone: .warning))
        }
        let statusLine = response.status.rawValue + (response.text.isEmpty ? "" : " " + response.text)
        if !response.text.isEmpty {
            sections.append(.init(.serverSaid, heading: t(Words.serverSaid), paragraphs: [VisibleText.sanitize(response.text)]))
        }
        var verb: POP3Verb?
        switch sent {
        case .greeting?:
            sections.append(.init(.context, heading: t(Words.context), paragraphs: [t(L("The greeting", "问候语"))]))
        case .command(let command)?:
            verb = command.verb
            sections.append(.init(.context, heading: t(Words.context),
                                  paragraphs: [t(L("The answer to {0}", "对 {0} 的回答").format(command.masked))]))
        case .saslResponse?:
            sections.append(.init(.context, heading: t(Words.context), paragraphs: [t(L("The answer to a line of AUTH", "对 AUTH 中一行的回答"))]))
        case nil: break
        }
        let outOfPhase = findings.contains { if case .notInPhase = $0.issue { return true }; return false }
        sections.append(.init(.meaning, heading: t(L("What it means here", "在这里的含义")),
                              paragraphs: [t(outOfPhase && response.status == .err
                                             ? L("The command was refused because of the state: POP3 takes it only in the other one (AUTHORIZATION before the login, TRANSACTION after).",
                                                 "这条命令因为状态不对被拒绝：POP3 只在另一个状态中接受它（登录前是 AUTHORIZATION，登录后是 TRANSACTION）。")
                                             : pop3Meaning(response, sent: sent, verb: verb))]))
        if let code = response.code, let known = POP3Texts.code(code) {
            sections.append(.init(.code, heading: "[\(code)] — " + t(known.title), paragraphs: [t(known.meaning)]))
        }
        if response.multiline {
            sections += pop3Lines(response, verb: verb, envelope: envelope)
        }
        let problems = describe(anomalies: response.anomalies)
        if !problems.isEmpty { sections.append(.init(.problems, heading: t(Words.problems), paragraphs: problems)) }
        return Explanation(kind: .reply, subject: VisibleText.sanitize(statusLine),
                           title: VisibleText.sanitize(statusLine.count > 60 ? String(statusLine.prefix(60)) + "…" : statusLine),
                           recognized: true, sections: sections,
                           references: [verb?.reference ?? "RFC 1939 §3"] + (response.code == nil ? [] : ["RFC 2449 §8", "RFC 3206"]))
    }

    func pop3Meaning(_ response: POP3Response, sent: POP3ClientSession.Sent?, verb: POP3Verb?) -> Localized {
        if response.status == .continuation {
            return L("The server wants the next step of the login, base64 (decoded below if it is text). Answer with one base64 line, or \"*\" to cancel.",
                     "服务器要求登录的下一步，内容是 base64（如果是文本，下面有解码）。用一行 base64 回答，或者用「*」取消。")
        }
        if case .greeting? = sent {
            return response.isOK
                ? (response.apopTimestamp == nil
                   ? L("The server is ready: log in with USER and PASS (after STLS), or AUTH. CAPA lists what it offers.",
                       "服务器已就绪：用 USER 和 PASS（在 STLS 之后）或 AUTH 登录。CAPA 会列出它提供的功能。")
                   : L("The server is ready. The <…> at the end is the timestamp APOP hashes with the password, so APOP works here too.",
                       "服务器已就绪。末尾的 <…> 是 APOP 与密码一起计算摘要的时间戳，所以这里也可以用 APOP。"))
                : L("The server will not talk: it said -ERR at once.", "服务器不愿通信：一开始就回答了 -ERR。")
        }
        guard response.isOK else {
            let login = verb == .pass || verb == .apop || verb == .auth || sentIsSASL(sent)
            if login, let code = response.code, code.hasPrefix("SYS/") {
                return code == "SYS/TEMP"
                    ? L("The server could not check the login now (its side failed for the moment): the same login may work later.",
                        "服务器现在无法检查这次登录（是它那一方暂时出了问题）：同样的登录稍后可能会成功。")
                    : L("The server's side failed for good: its administrator must fix it.", "服务器一方出现了永久性故障：必须由它的管理员修复。")
            }
            if login {
                return response.code == "IN-USE"
                    ? L("The password was right, but the maildrop is locked by another session of this user: only one may change it at a time.",
                        "密码是对的，但这个用户的另一个会话锁定了邮箱：同一时间只能有一个会话修改它。")
                    : L("The login failed: the name, the password or the SASL answer is wrong. You are still in the AUTHORIZATION state; try again.",
                        "登录失败：用户名、密码或 SASL 回答不对。你仍处于 AUTHORIZATION 状态，可以再试。")
            }
            switch verb {
            case .retr?, .top?, .dele?, .list?, .uidl?:
                return L("No such message: it is out of range, or marked deleted in this session (RSET brings it back).",
                         "没有这封邮件：编号超出范围，或者在本次会话中已被标记删除（RSET 可以找回）。")
            case .quit?:
                return L("QUIT failed in the UPDATE state: some messages marked deleted are still there.", "在 UPDATE 状态中 QUIT 失败：有些标记删除的邮件仍然存在。")
            default:
                return L("The server refused the command: its text says why. A POP3 server counts such mistakes and may hang up.",
                         "服务器拒绝了这条命令：它的文字说明了原因。POP3 服务器会统计这类错误，可能会断开连接。")
            }
        }
        switch verb {
        case .user?: return L("Now PASS. The server says this for any name, so it proves nothing yet.", "接下来是 PASS。服务器对任何用户名都这样回答，所以还说明不了什么。")
        case .pass?, .apop?, .auth?:
            return L("Logged in: the maildrop is locked for this session, and the TRANSACTION state begins. STAT or LIST next.",
                     "已登录：邮箱为本次会话锁定，进入 TRANSACTION 状态。接下来可以 STAT 或 LIST。")
        case .stls?: return L("TLS starts now; then ask CAPA again: the server forgets what it said before.", "TLS 现在开始；然后重新发送 CAPA：服务器会忘记之前说过的内容。")
        case .stat?:
            let words = response.text.split(separator: " ")
            if words.count >= 2 {
                return (words[0] == "1" ? L("1 message, {1} octets in all.", "共 1 封邮件，总共 {1} 个字节。")
                                        : L("{0} messages, {1} octets in all.", "共 {0} 封邮件，总共 {1} 个字节。")).format(words[0], words[1])
            }
            return POP3Texts.meaning(.stat)
        case .dele?: return L("Marked: it goes at QUIT, not before. RSET would bring it back.", "已标记：它在 QUIT 时才被删除。RSET 可以把它找回来。")
        case .quit?: return L("The UPDATE state is done: what was marked is gone, the maildrop unlocked, the connection closes.",
                              "UPDATE 状态已完成：标记的邮件已删除，邮箱已解锁，连接即将关闭。")
        case .retr?: return L("The message follows, headers first; see below which headers the SMTP server added.", "邮件内容如下，邮件头在前；下面说明哪些邮件头是 SMTP 服务器添加的。")
        case let other?: return POP3Texts.meaning(other)
        case nil: return L("Accepted.", "已接受。")
        }
    }

    func sentIsSASL(_ sent: POP3ClientSession.Sent?) -> Bool {
        if case .saslResponse? = sent { return true }
        return false
    }

    /// The lines of a multi-line response: CAPA's capabilities, a count for LIST and UIDL, and a
    /// fetched message's server-added headers with the envelope they came from.
    func pop3Lines(_ response: POP3Response, verb: POP3Verb?, envelope: String?) -> [Explanation.Section] {
        let texts = response.lines.map { VisibleText.sanitize(String(decoding: $0, as: UTF8.self)) }
        switch verb {
        case .capa?:
            let items = texts.map { line -> Explanation.Item in
                let name = String(line.prefix { $0 != " " })
                return .init(line, POP3Texts.capability(name).map(t) ?? t(L("not a capability smtpx knows", "smtpx 不认识的能力")))
            }
            return [.init(.details, heading: t(L("Capabilities", "能力")), items: items)]
        case .retr?, .top?:
            let headers = texts.prefix { !$0.isEmpty }
            var items: [Explanation.Item] = []
            for line in headers {
                guard let colon = line.firstIndex(of: ":") else { continue }
                let name = String(line[..<colon])
                guard let meaning = POP3Texts.header(name) else { continue }
                var text = t(meaning)
                if name.lowercased() == "return-path", let envelope {
                    text += " " + t(L("Here it is the MAIL FROM:<{0}> sent in the SMTP session above.", "在这里，它就是上面 SMTP 会话中发送的 MAIL FROM:<{0}>。")
                        .format(envelope))
                }
                items.append(.init(TextWidth.truncate(line, to: 60), text))
            }
            var sections: [Explanation.Section] = []
            if !items.isEmpty {
                sections.append(.init(.envelope, heading: t(L("Added by the SMTP server: the envelope made visible", "由 SMTP 服务器添加：让信封变得可见")),
                                      items: items))
            }
            let more = response.droppedLines
            sections.append(.init(.details, paragraphs: [t(L("{0} header lines, {1} octets in all{2}.", "共 {0} 行邮件头，总共 {1} 个字节{2}。")
                .format(headers.count, response.octets, more > 0 ? t(L(" ({0} more lines not kept)", "（另有 {0} 行未保留）").format(more)) : ""))]))
            return sections
        default:
            return [.init(.details, paragraphs: [t(L("{0} lines, up to the lone \".\".", "共 {0} 行，直到单独的「.」。").format(texts.count + response.droppedLines))])]
        }
    }

    /// A POP3 verb: its syntax, meaning and state.
    public func explain(pop3Verb verb: POP3Verb) -> Explanation {
        let phases = verb.phases.map { $0 == .authorization ? "AUTHORIZATION" : "TRANSACTION" }.sorted().joined(separator: ", ")
        return Explanation(kind: .verb, subject: verb.rawValue, title: "\(verb.rawValue) — " + t(POP3Texts.title(verb)), recognized: true,
                           sections: [.init(.syntax, heading: t(Words.syntax), paragraphs: [verb.syntax]),
                                      .init(.meaning, heading: t(Words.meaning), paragraphs: [t(POP3Texts.meaning(verb))]),
                                      .init(.status, heading: t(L("State", "状态")),
                                            paragraphs: [t(L("POP3, in the {0} state", "POP3，用于 {0} 状态").format(phases))])],
                           references: [verb.reference])
    }

    /// A typed POP3 line: its verb, and what is wrong with it now.
    public func explain(pop3Line command: POP3Command, findings: [POP3LintFinding]) -> Explanation {
        var explanation = command.verb.map { explain(pop3Verb: $0) }
            ?? Explanation(kind: .command, subject: command.line, title: VisibleText.sanitize(command.keyword) + " — " + t(L("not a POP3 command", "不是 POP3 命令")),
                           recognized: false)
        if !findings.isEmpty {
            explanation.sections.insert(.init(.finding, heading: t(L("What smtpx sees", "smtpx 发现的问题")),
                                              paragraphs: findings.map { t(POP3Texts.lint($0.issue)) }, tone: .warning), at: 0)
        }
        return explanation
    }

    /// `+OK …` or `-ERR [IN-USE] …` pasted: explained as a POP3 response.
    func parsePOP3(_ text: String) -> Explanation? {
        var reader = POP3ResponseReader()
        reader.expectations = [false]
        reader.feed(Array((text.split(whereSeparator: \.isNewline).first.map(String.init) ?? text).utf8) + [0x0D, 0x0A])
        while let event = reader.next() {
            if case .response(let response) = event { return explain(pop3: response, answering: nil) }
        }
        return nil
    }
}
