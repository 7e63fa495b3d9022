import Foundation
import SMTPCore

extension Explainer {
    /// A whole reply: what the server said, its code, its enhanced code, what went wrong on the
    /// wire, and, when known, the command it answers.
    public func explain(reply: Reply, answering command: Command? = nil) -> Explanation {
        explain(reply: reply, context: ReplyContext(answering: command))
    }

    /// A reply in its place in the conversation: what it means after the command it answers
    /// (a rule of ``ContextRules``), led by what the lint found in that command when the server
    /// refused it, then the code's own meaning, digit by digit.
    public func explain(reply: Reply, context: ReplyContext) -> Explanation {
        let command = context.command
        let isEHLO = context.verb == .ehlo || (context.answered == .unknown && Self.looksLikeEHLO(reply))
        if isEHLO, reply.code == 250 { return explain(ehloReply: reply) }
        let codeExplanation = explain(replyCode: reply.code)
        let enhanced = reply.enhancedCode
        let enhancedExplanation = enhanced.map { explain(enhanced: $0) }
        var title = codeExplanation.title
        if let enhanced {
            // The enhanced code names the reply better, unless it only says "other" (X.0.0, or
            // a success's X.y.0 such as Postfix's 250 2.1.0 for an accepted sender).
            let generic = (enhanced.subject == 0 && enhanced.detail == 0) || (enhanced.statusClass == 2 && enhanced.detail == 0)
            if let wild = EnhancedCodes.wild(enhanced) {
                title = "\(reply.code) \(enhanced) — \(t(wild.title))"
            } else if let detail = EnhancedCodes.info(enhanced), !generic {
                title = "\(reply.code) \(enhanced) — \(t(detail.title))"
            } else if let info = ReplyCodes.info(reply.code) {
                title = "\(reply.code) \(enhanced) — \(t(info.title))"
            }
        }
        var sections: [Explanation.Section] = []
        if reply.replyClass >= 4, !context.findings.isEmpty {
            sections.append(.init(.finding, heading: t(L("What you sent", "你发送的内容")),
                                  paragraphs: context.findings.map { describe($0) }, tone: .warning))
        }
        let texts = reply.humanTexts
        var said = texts.prefix(Self.listedLines).joined(separator: " ").trimmingCharacters(in: .whitespaces)
        let more = max(0, texts.count - Self.listedLines) + reply.droppedLineCount
        if more > 0 { said += " " + t(L("(… {0} more lines)", "（……还有 {0} 行）").format(more)) }
        if !said.isEmpty {
            sections.append(.init(.serverSaid, heading: t(Words.serverSaid), paragraphs: [said]))
        }
        if let command {
            let what = context.answered == .messageEnd
                ? t(L("The answer to the end of the message (the lone \".\")", "对邮件结束标记（单独的「.」）的回答"))
                : t(L("The answer to {0}", "对 {0} 的回答").format(Secrets.masked(command)))
            sections.append(.init(.context, heading: t(Words.context), paragraphs: [what]))
        }
        let rule = ContextRules.rule(for: reply, in: context)
        if let rule {
            sections.append(.init(.meaning, heading: t(L("What it means here", "在这里的含义")), paragraphs: [t(rule.meaning)]))
        }
        var anomalies = reply.anomalies
        if context.smtputf8 { anomalies.remove(.nonASCII) }
        var problems = describe(anomalies: anomalies)
        if let enhanced, !Self.classesAgree(reply: reply.code, enhanced: enhanced) {
            problems.append(t(L("The enhanced code's class {0} contradicts the reply class {1}yz (RFC 3463 §2).",
                                "增强状态码的类别 {0} 与回复类别 {1}yz 相矛盾（RFC 3463 §2）。")
                .format(enhanced.statusClass, reply.replyClass)))
        }
        if !problems.isEmpty { sections.append(.init(.problems, heading: t(Words.problems), paragraphs: problems)) }
        if let decoded = challengeSection(reply) { sections.append(decoded) }
        sections += codeSections(reply.code, enhanced: enhanced, rule: rule)
        var references = codeExplanation.references + (enhancedExplanation?.references ?? [])
        references = references.enumerated().filter { references.firstIndex(of: $0.element) == $0.offset }.map(\.element)
        var explanation = Explanation(kind: .reply, subject: reply.lines.map(\.visibleString).joined(separator: "\n"), title: title,
                                      recognized: codeExplanation.recognized && (enhancedExplanation?.recognized ?? true),
                                      sections: sections, references: references)
        explanation.rule = rule?.id
        return explanation
    }

    /// How many lines of a long reply an explanation lists; the rest are counted.
    static let listedLines = 60

    /// One section per code (its meaning, then its digits), then the causes and advice of the
    /// most precise code that has them. A rule for this context says better: its meaning
    /// replaces the codes' general ones (554 fails "the whole transaction", but not after RCPT).
    func codeSections(_ code: Int, enhanced: EnhancedStatusCode?, rule: ContextRule? = nil) -> [Explanation.Section] {
        let info = ReplyCodes.info(code)
        var sections: [Explanation.Section] = [
            .init(.code, heading: "\(code) — " + (info.map { t($0.title) } ?? t(Words.unknown)),
                  paragraphs: rule == nil ? info.map { [t($0.meaning)] } ?? [] : [], items: digitItems(code)),
        ]
        if let info, ![.standard, .extension].contains(info.standing) {
            sections.append(.init(.status, heading: t(Words.status), paragraphs: [t(info.standing.text)]))
        }
        var advice: (causes: Localized?, advice: Localized?) = (info?.causes, info?.advice)
        if let enhanced {
            let detail = EnhancedCodes.info(enhanced)
            let statusClass = EnhancedCodes.statusClass(enhanced.statusClass)
            let subject = EnhancedCodes.subject(enhanced.subject)
            let wild = EnhancedCodes.wild(enhanced)
            let heading = wild.map { "\(enhanced) — \(t($0.title)) (\($0.sender))" }
                ?? "\(enhanced) — " + (detail.map { t($0.title) } ?? t(L("unregistered detail", "未注册的细节码")))
            let meaning = wild.map { t($0.meaning) } ?? detail.map { t(EnhancedCodes.meaning(of: $0, inClass: enhanced.statusClass)) }
            sections.append(.init(
                .code, heading: heading,
                paragraphs: rule == nil || wild != nil ? meaning.map { [$0] } ?? [] : [],
                items: [
                    .init("\(enhanced.statusClass).x.x", statusClass.map { t($0.title) } ?? t(Words.unknown), isDigit: true),
                    // A success names its subject; the subject's words are about problems.
                    .init("x.\(enhanced.subject).x",
                          subject.map { enhanced.statusClass == 2 ? t($0.title) : phrase($0.title, $0.meaning) } ?? t(Words.unknown),
                          isDigit: true),
                ]))
            if let wild {
                sections.append(.init(.status, heading: t(Words.status), paragraphs: [wildStatus(wild, registered: detail)]))
            } else if let detail, let entry = EnhancedAdvice.entry(for: enhanced.description, key: detail.key) {
                advice = (entry.causes, entry.advice)
            }
        }
        if let rule {
            // The rule knows this context: the generic causes and advice would mislead (a
            // greylisted 4.7.1 is no relay refusal, a 250 to VRFY delivered nothing, a 501 to a
            // badly written MAIL is no unsupported parameter).
            advice = (nil, rule.advice)
        }
        if let causes = advice.causes { sections.append(.init(.causes, heading: t(Words.causes), paragraphs: [t(causes)])) }
        if let next = advice.advice { sections.append(.init(.advice, heading: t(Words.advice), paragraphs: [t(next)])) }
        return sections
    }

    static func classesAgree(reply: Int, enhanced: EnhancedStatusCode) -> Bool {
        switch reply / 100 {
        case 2, 3: return enhanced.statusClass == 2
        case 4: return enhanced.statusClass == 4
        case 5: return enhanced.statusClass == 5
        default: return false
        }
    }

    /// A 250 with several lines whose later lines look like EHLO keywords.
    static func looksLikeEHLO(_ reply: Reply) -> Bool {
        guard reply.code == 250, reply.lines.count >= 2, reply.enhancedCode == nil else { return false }
        let keywords = reply.visibleTexts.dropFirst().map { Capability(text: $0).keyword }
        let known = keywords.filter { Extensions.info($0) != nil }.count
        return known * 2 >= keywords.count
    }

    /// A section saying what some base64 holds.
    public func decodedSection(_ text: String) -> Explanation.Section {
        .init(.decoded, heading: t(Words.decoded), paragraphs: [text])
    }

    /// What a 334's challenge decodes to, when it is base64.
    public func challengeSection(_ reply: Reply) -> Explanation.Section? {
        guard reply.code == 334, let decoded = reply.challenge else { return nil }
        return decodedSection("\"" + VisibleText.escape(decoded) + "\"")
    }

    // MARK: - EHLO

    /// An EHLO reply: the server's name and every extension with its parameters decoded.
    public func explain(ehloReply reply: Reply) -> Explanation {
        let capabilities = Capabilities(ehloReply: reply)
        var items: [Explanation.Item] = []
        var recognized = true
        var fillers = 0
        for (index, capability) in capabilities.items.prefix(Self.listedLines).enumerated() {
            if index == capabilities.items.count - 1, Extensions.isClosingFiller(capability.text) {
                // "250 Ok" (Amazon SES and others): the list ends, nothing is announced.
                fillers += 1
                items.append(.init(capability.text, t(L("Not a keyword: a closing line that only ends the list (Amazon SES and others end with \"250 Ok\").",
                                                        "不是关键字：只用来结束列表的收尾行（Amazon SES 等以「250 Ok」结尾）。"))))
                continue
            }
            let (summary, known) = summarize(capability)
            recognized = recognized && known
            items.append(.init(capability.text, summary))
        }
        let more = max(0, capabilities.items.count - Self.listedLines) + reply.droppedLineCount
        if more > 0 { items.append(.init("…", t(L("{0} more lines", "还有 {0} 行").format(more)))) }
        let count = capabilities.items.count - fillers
        let title = t((count == 1 ? L("EHLO reply from {0}: 1 extension", "来自 {0} 的 EHLO 回复：1 个扩展")
                                  : L("EHLO reply from {0}: {1} extensions", "来自 {0} 的 EHLO 回复：{1} 个扩展"))
            .format(capabilities.domain, count))
        var sections = [Explanation.Section(.details, heading: t(Words.extensions), items: items)]
        if !capabilities.greeting.isEmpty {
            sections.insert(.init(.serverSaid, heading: t(Words.serverSaid),
                                  paragraphs: [capabilities.domain + " " + capabilities.greeting]),
                            at: 0)
        }
        let problems = describe(anomalies: reply.anomalies)
        if !problems.isEmpty { sections.append(.init(.problems, heading: t(Words.problems), paragraphs: problems)) }
        return Explanation(kind: .ehloReply, subject: reply.lines.map(\.visibleString).joined(separator: "\n"), title: title,
                           recognized: recognized, sections: sections, references: ["RFC 5321 §4.1.1.1"])
    }

    /// One line of a summary per capability: its title and decoded parameters.
    func summarize(_ capability: Capability) -> (String, Bool) {
        guard let info = Extensions.info(capability.keyword) else {
            return (unknownKeywordText(capability.keyword), false)
        }
        var text = t(info.title)
        if let decoded = decodeParameters(capability) { text += ": " + decoded }
        if capability.legacyEquals {
            text += " " + t(L("(the pre-standard AUTH= form, for old clients)", "（标准化之前的 AUTH= 写法，为旧客户端保留）"))
        }
        return (text, true)
    }

    func unknownKeywordText(_ keyword: String) -> String {
        if keyword.hasPrefix("X") {
            return t(L("A private extension: keywords starting with X are for local use (RFC 5321 §4.1.5); smtpx does not know this one.",
                       "私有扩展：以 X 开头的关键字供本地使用（RFC 5321 §4.1.5）；smtpx 不认识这一个。"))
        }
        return t(L("Not in the IANA registry, and not a keyword smtpx knows.", "不在 IANA 注册表中，也不是 smtpx 认识的关键字。"))
    }

    /// The keyword's parameters in words, for the keywords whose parameters mean something.
    func decodeParameters(_ capability: Capability) -> String? {
        let parameters = capability.parameters
        switch capability.keyword {
        case "SIZE":
            guard let first = parameters.first else {
                return t(L("no limit announced", "未声明上限"))
            }
            guard let bytes = Int(first) else { return t(L("\"{0}\" is not a number", "「{0}」不是数字").format(first)) }
            if bytes == 0 { return t(L("0 means no fixed limit", "0 表示没有固定上限")) }
            return t(L("messages up to {0} ({1} octets)", "邮件最大 {0}（{1} 个八位组）").format(Self.byteSize(bytes), bytes))
        case "AUTH", "X-EXPS":
            guard !parameters.isEmpty else { return nil }
            return parameters.map { name in
                let info = Mechanisms.info(name)
                return name + (info.map { " (" + t($0.title) + ")" } ?? "")
            }.joined(separator: ", ")
        case "LIMITS":
            return parameters.map { parameter -> String in
                let parts = parameter.split(separator: "=", maxSplits: 1).map(String.init)
                let value = parts.count > 1 ? parts[1] : "?"
                switch parts[0].uppercased() {
                case "RCPTMAX": return t(L("at most {0} recipients per transaction", "每个事务最多 {0} 个收件人").format(value))
                case "MAILMAX": return t(L("at most {0} transactions per session", "每个会话最多 {0} 个事务").format(value))
                case "RCPTDOMAINMAX": return t(L("at most {0} recipient domains per transaction", "每个事务最多 {0} 个收件域名").format(value))
                default: return parameter
                }
            }.joined(separator: "; ")
        case "DELIVERBY":
            guard let first = parameters.first else { return nil }
            return t(L("BY= of at least {0} seconds", "BY= 至少 {0} 秒").format(first))
        case "FUTURERELEASE":
            guard parameters.count >= 1 else { return nil }
            return t(L("hold for at most {0} seconds", "最多保留 {0} 秒").format(parameters[0]))
                + (parameters.count > 1 ? ", " + t(L("until {0} at the latest", "最晚到 {0}").format(parameters[1])) : "")
        case "MT-PRIORITY":
            return parameters.first.map { t(L("priority policy {0}", "优先级策略 {0}").format($0)) }
        default:
            return parameters.isEmpty ? nil : parameters.joined(separator: " ")
        }
    }

    /// "9.8 MiB", "512 KiB", "800 B".
    public static func byteSize(_ bytes: Int) -> String {
        let value = Double(bytes)
        if value >= 1_073_741_824 { return String(format: "%.1f GiB", value / 1_073_741_824) }
        if value >= 1_048_576 { return String(format: "%.1f MiB", value / 1_048_576) }
        if value >= 1024 { return String(format: "%.1f KiB", value / 1024) }
        return "\(bytes) B"
    }

    /// One EHLO keyword with its parameters: `SIZE 35882577`, `AUTH PLAIN LOGIN`, `AUTH=LOGIN`.
    public func explain(capability: Capability) -> Explanation {
        guard let info = Extensions.info(capability.keyword) else {
            return Explanation(kind: .keyword, subject: capability.text,
                               title: capability.keyword + " — " + t(L("unknown keyword", "未知关键字")), recognized: false,
                               sections: [.init(paragraphs: [unknownKeywordText(capability.keyword)])])
        }
        var sections = [Explanation.Section(.meaning, heading: t(Words.meaning), paragraphs: [t(info.meaning)])]
        if let decoded = decodeParameters(capability) {
            sections.append(.init(.details, heading: t(Words.parameter), paragraphs: [decoded]))
        }
        if capability.keyword == "AUTH" || capability.keyword == "X-EXPS" {
            let items = capability.parameters.map { name -> Explanation.Item in
                let info = Mechanisms.info(name)
                return .init(name.uppercased(), info.map { phrase($0.title, $0.meaning) }
                             ?? t(L("unknown mechanism", "未知机制")))
            }
            if !items.isEmpty { sections.append(.init(.details, heading: t(Words.mechanisms), items: items)) }
        }
        if capability.legacyEquals {
            sections.append(.init(paragraphs: [t(L("Written with \"=\": the form of a draft of RFC 2554, which old Outlook versions needed. Servers announce it next to the standard AUTH line.",
                                                   "用「=」书写：这是 RFC 2554 草案时期的写法，旧版 Outlook 需要它。服务器会在标准 AUTH 行旁边一并声明。"))]))
        }
        switch info.standing {
        case .registered: break
        case .obsolete: sections.append(.init(.status, heading: t(Words.status), paragraphs: [t(L("obsolete", "已废弃"))]))
        case .unregistered: sections.append(.init(.status, heading: t(Words.status), paragraphs: [t(Words.notRegistered)]))
        }
        return Explanation(kind: .keyword, subject: capability.text, title: "\(info.keyword) — \(t(info.title))",
                           recognized: true, sections: sections, references: [info.reference])
    }

    /// Where a provider's code stands against the registry.
    func wildStatus(_ wild: WildCodeInfo, registered: EnhancedCodeInfo?) -> String {
        if let registered {
            return t(L("Registered as \"{0}\" ({1}), but {2} uses it with the meaning above: read the server's text.",
                       "注册表中的含义是「{0}」（{1}），但 {2} 按上面的含义使用它：请看服务器的文字。")
                .format(t(registered.title), registered.reference, wild.sender))
        }
        return t(L("Not in the IANA registry: {0}'s own code ({1}).", "不在 IANA 注册表中：这是 {0} 自己的代码（{1}）。")
            .format(wild.sender, wild.reference))
    }
}
