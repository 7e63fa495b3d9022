import SMTPCore

/// Turns codes, replies, keywords, verbs and mechanisms into explanations in one language.
public struct Explainer: Sendable {
    public let language: Language

    public init(language: Language) {
        self.language = language
    }

    func t(_ text: Localized) -> String { text[language] }

    /// "Title: meaning" with the colon of the language.
    func phrase(_ title: Localized, _ meaning: Localized) -> String {
        t(title) + (language == .zh ? "：" : ": ") + t(meaning)
    }

    // MARK: - Reply codes

    /// A basic reply code; an unknown one is decomposed digit by digit.
    public func explain(replyCode code: Int) -> Explanation {
        let info = ReplyCodes.info(code)
        let title = info.map { "\(code) — \(t($0.title))" }
            ?? "\(code) — " + t(L("not a code smtpx knows", "smtpx 不认识的回复码"))
        var sections = [Explanation.Section(.digits, heading: t(Words.digits), items: digitItems(code))]
        if let info {
            sections.append(.init(.meaning, heading: t(Words.meaning), paragraphs: [t(info.meaning)]))
            if let causes = info.causes { sections.append(.init(.causes, heading: t(Words.causes), paragraphs: [t(causes)])) }
            if let advice = info.advice { sections.append(.init(.advice, heading: t(Words.advice), paragraphs: [t(advice)])) }
            let usual = info.usualEnhanced.compactMap { key -> Explanation.Item? in
                guard let code = EnhancedStatusCode(key), let detail = EnhancedCodes.info(code) else { return nil }
                return .init(key, t(detail.title))
            }
            if !usual.isEmpty { sections.append(.init(.details, heading: t(Words.usualEnhanced), items: usual)) }
            sections.append(.init(.status, heading: t(Words.status), paragraphs: [t(info.standing.text)]))
        } else {
            sections.append(.init(paragraphs: [t(L("smtpx cannot name this code; the digits above are what RFC 5321 §4.2.1 says of each position.",
                                                  "smtpx 无法说出这个回复码的名称；上面是 RFC 5321 §4.2.1 对每一位的说明。"))]))
        }
        let verbs = Verb.allCases.filter { $0.replies.all.contains(code) || VerbReplies.always.contains(code) }
        if !verbs.isEmpty && verbs.count < Verb.allCases.count {
            sections.append(.init(.details, heading: t(Words.answers), paragraphs: [verbs.map(\.rawValue).joined(separator: ", ")]))
        }
        return Explanation(kind: .replyCode, subject: String(code), title: title, recognized: info != nil,
                           sections: sections, references: info.map { [$0.reference] } ?? ["RFC 5321 §4.2.1"])
    }

    func digitItems(_ code: Int) -> [Explanation.Item] {
        let first = code / 100, second = code / 10 % 10
        var items: [Explanation.Item] = []
        items.append(.init("\(first)yz", ReplyCodes.firstDigit(first).map(t) ?? t(Words.unknown), isDigit: true))
        items.append(.init("x\(second)z", ReplyCodes.secondDigit(second).map(t) ?? t(Words.unknown), isDigit: true))
        // The third digit has no meaning of its own: a known code's meaning already says it; an
        // unknown one gets told what is known about its neighbours.
        if ReplyCodes.info(code) == nil {
            let third = code % 10
            let siblings = (0...9).map { first * 100 + second * 10 + $0 }.filter { ReplyCodes.info($0) != nil }
            let text = siblings.isEmpty
                ? L("A finer grade within {0}{1}z; no defined code starts {0}{1}, so only this server knows what {2} means.",
                    "{0}{1}z 之内更细的区分；没有已定义的回复码以 {0}{1} 开头，{2} 的含义只有这台服务器知道。")
                    .format(first, second, third)
                : L("A finer grade within {0}{1}z; the defined codes there are {3}, none ends in {2}, so only this server knows what it means.",
                    "{0}{1}z 之内更细的区分；那里已定义的回复码是 {3}，没有以 {2} 结尾的，它的含义只有这台服务器知道。")
                    .format(first, second, third, siblings.map(String.init).joined(separator: ", "))
            items.append(.init("xy\(third)", t(text), isDigit: true))
        }
        return items
    }

    // MARK: - Enhanced codes

    /// An enhanced status code; an unregistered one is decomposed by class and subject.
    public func explain(enhanced code: EnhancedStatusCode) -> Explanation {
        explainEnhanced(classValue: code.statusClass, subject: code.subject, detail: code.detail,
                        display: code.description)
    }

    func explainEnhanced(classValue: Int?, subject: Int, detail: Int, display: String) -> Explanation {
        let info = EnhancedCodes.info(subject: subject, detail: detail)
        if let classValue, let wild = EnhancedCodes.wild(EnhancedStatusCode(statusClass: classValue, subject: subject, detail: detail)) {
            return explainWild(wild, registered: info, classValue: classValue, display: display)
        }
        var items: [Explanation.Item] = []
        if let classValue {
            let statusClass = EnhancedCodes.statusClass(classValue)
            items.append(.init("\(classValue).x.x", statusClass.map { phrase($0.title, $0.meaning) } ?? t(Words.unknown),
                               isDigit: true))
        }
        let subjectInfo = EnhancedCodes.subject(subject)
        items.append(.init("x.\(subject).x", subjectInfo.map { phrase($0.title, $0.meaning) } ?? t(Words.unknown),
                           isDigit: true))
        items.append(.init("x.x.\(detail)", info.map { t($0.title) } ?? t(Words.unknown), isDigit: true))
        var sections = [Explanation.Section(.digits, heading: t(Words.digits), items: items)]
        if let info {
            sections.append(.init(.meaning, heading: t(Words.meaning),
                                  paragraphs: [t(classValue.map { EnhancedCodes.meaning(of: info, inClass: $0) } ?? info.meaning)]))
            if let advice = EnhancedAdvice.entry(for: display, key: info.key) {
                sections.append(.init(.causes, heading: t(Words.causes), paragraphs: [t(advice.causes)]))
                sections.append(.init(.advice, heading: t(Words.advice), paragraphs: [t(advice.advice)]))
            }
            let replies = info.usualReplies.filter { classValue == nil || $0 / 100 == classValue || ($0 / 100 == 3 && classValue == 2) }
            if !replies.isEmpty {
                sections.append(.init(.details, heading: t(Words.usualReplies), items: replies.map { code in
                    .init(String(code), ReplyCodes.info(code).map { t($0.title) } ?? "")
                }))
            }
        } else {
            let why = subjectInfo == nil
                ? L("The subject is not in the registry either; only the class tells something.",
                    "主题也不在注册表中；只有类别能说明一些情况。")
                : L("This detail is not in the IANA registry: the server uses its own code. The class and subject still say what kind of problem it is.",
                    "这个细节码不在 IANA 注册表中：服务器使用了自己的代码。类别和主题仍能说明这是哪一类问题。")
            sections.append(.init(paragraphs: [t(why)]))
        }
        let title = "\(display) — " + (info.map { t($0.title) }
            ?? subjectInfo.map { t($0.title) + " (" + t(L("unregistered detail", "未注册的细节码")) + ")" }
            ?? t(L("unregistered code", "未注册的代码")))
        return Explanation(kind: .enhancedCode, subject: display, title: title,
                           recognized: info != nil && (classValue.map { [2, 4, 5].contains($0) } ?? true),
                           sections: sections, references: [info?.reference ?? "RFC 3463 §2"])
    }

    /// A provider's own code, or a provider's meaning of a registered one.
    func explainWild(_ wild: WildCodeInfo, registered: EnhancedCodeInfo?, classValue: Int, display: String) -> Explanation {
        var items: [Explanation.Item] = []
        if let statusClass = EnhancedCodes.statusClass(classValue) {
            items.append(.init("\(classValue).x.x", phrase(statusClass.title, statusClass.meaning), isDigit: true))
        }
        if let subject = EnhancedCodes.subject(wild.subject) {
            items.append(.init("x.\(wild.subject).x", phrase(subject.title, subject.meaning), isDigit: true))
        }
        var sections = [Explanation.Section(.digits, heading: t(Words.digits), items: items),
                        .init(.meaning, heading: t(Words.meaning), paragraphs: [t(wild.meaning)]),
                        .init(.status, heading: t(Words.status), paragraphs: [wildStatus(wild, registered: registered)])]
        if let registered {
            sections.append(.init(.other, heading: t(L("In the registry", "在注册表中")),
                                  paragraphs: [phrase(registered.title, EnhancedCodes.meaning(of: registered, inClass: classValue))]))
        }
        return Explanation(kind: .enhancedCode, subject: display, title: "\(display) — \(t(wild.title)) (\(wild.sender))",
                           recognized: true, sections: sections,
                           references: [wild.reference] + (registered.map { [$0.reference] } ?? []))
    }

    // MARK: - Verbs

    public func explain(verb: Verb) -> Explanation {
        var sections: [Explanation.Section] = [
            .init(.syntax, heading: t(Words.syntax), paragraphs: [verb.syntax]),
            .init(.meaning, heading: t(Words.meaning), paragraphs: [t(VerbTexts.purpose(verb))]),
            .init(.status, heading: t(Words.status), paragraphs: [t(VerbTexts.status(verb.status))]),
        ]
        if let keyword = verb.requiredExtension {
            sections.append(.init(.details, heading: t(Words.needs),
                                  paragraphs: [t(L("the EHLO keyword {0}", "EHLO 关键字 {0}").format(keyword))]))
        }
        let replies = verb.replies
        let codes = replies.intermediate + replies.success + replies.failure
        let items = codes.enumerated().filter { codes.firstIndex(of: $0.element) == $0.offset }.map(\.element).map { code in
            Explanation.Item(String(code), ReplyCodes.info(code).map { t($0.title) } ?? "")
        }
        sections.append(.init(.replies, heading: t(Words.replies), items: items))
        return Explanation(kind: .verb, subject: verb.rawValue, title: "\(verb.rawValue) — \(t(VerbTexts.title(verb)))",
                           recognized: true, sections: sections, references: [verb.reference])
    }

    /// A whole command line: the verb, and what the lint finds in its syntax.
    public func explain(command: Command) -> Explanation {
        guard let verb = command.verb else {
            return Explanation(kind: .command, subject: command.line,
                               title: command.keyword + " — " + t(L("unknown command", "未知命令")), recognized: false,
                               sections: [.init(paragraphs: [t(LintTexts.text(.unknownVerb(command.keyword)))])])
        }
        var explanation = explain(verb: verb)
        explanation.kind = .command
        explanation.subject = command.line
        let findings = CommandLint.syntax(command)
        if !findings.isEmpty {
            explanation.sections.insert(.init(.problems, heading: t(Words.problems),
                                              paragraphs: findings.map { describe($0) }), at: 0)
        }
        return explanation
    }

    /// One lint finding, with the reply it foretells.
    public func describe(_ finding: LintFinding) -> String {
        t(LintTexts.text(finding.issue))
    }

    // MARK: - Mechanisms

    public func explain(mechanism name: String) -> Explanation {
        guard let info = Mechanisms.info(name) else {
            return Explanation(kind: .mechanism, subject: name, title: name + " — " + t(L("unknown SASL mechanism", "未知的 SASL 机制")),
                               recognized: false)
        }
        var paragraphs = [t(info.meaning)]
        if info.revealsPassword {
            paragraphs.append(t(L("Anyone who can read the connection can read this secret: use it only after STARTTLS or on implicit TLS.",
                                  "能读取这条连接的人就能读出这个秘密：只能在 STARTTLS 之后或隐式 TLS 上使用。")))
        }
        return Explanation(kind: .mechanism, subject: info.name, title: "\(info.name) — \(t(info.title))", recognized: true,
                           sections: [.init(.meaning, heading: t(Words.meaning), paragraphs: paragraphs),
                                      .init(.status, heading: t(Words.status), paragraphs: [t(info.usage.text)])],
                           references: [info.reference])
    }

    // MARK: - Anomalies

    /// What the server did wrong in a reply, in words.
    public func describe(anomalies: ReplyAnomalies) -> [String] {
        LintTexts.anomalies(anomalies).map(t)
    }
}
