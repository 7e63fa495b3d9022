import SMTPCore
import SMTPKnowledge

extension Conversation {
    /// The explanation of one log line, as every face shows it: a reply with the command it
    /// answers (and, when `latest`, what to send next), a sent line with what the lint found,
    /// a local event with its own page.
    public func explanation(of index: Int, latest: Bool = false, explainer: Explainer) -> Explanation {
        let words = { (text: Localized) in text[explainer.language] }
        guard let entry = log[index] else { return Explanation(kind: .unknown, subject: "", title: "", recognized: false) }
        if log.wire(at: index) == .pop3, entry.kind == .received || entry.kind == .sent {
            return pop3Explanation(of: index, entry: entry, latest: latest, explainer: explainer)
        }
        switch entry.kind {
        case .received:
            guard let (reply, answers) = log.reply(containing: index) else { break }
            let context = replyContext(for: index, answers: answers)
            var explanation = explainer.explain(reply: reply, context: context)
            if context.verb == .ehlo, let before = session?.capabilitiesBeforeTLS, entry.tls, reply.code == 250 {
                explanation.sections.insert(capabilityChanges(from: before, to: Capabilities(ehloReply: reply),
                                                              explainer: explainer), at: 0)
            }
            if context.answered == .messageEnd, reply.replyClass == 2, let answers,
               let envelope = EnvelopeView(log: log, end: answers) {
                // Right after what the reply means: the lesson matters more than the digits.
                let place = (explanation.sections.firstIndex { $0.role == .meaning }).map { $0 + 1 } ?? explanation.sections.endIndex
                explanation.sections.insert(contentsOf: envelope.sections(explainer: explainer), at: place)
            }
            if latest, let next = nextSection(explainer: explainer) { explanation.sections.insert(next, at: 0) }
            return explanation
        case .sent:
            let text = log.display(index, showSecrets: config.showSecrets)
            var explanation = explainer.explain(command: Command(parsing: text))
            explanation.sections.insert(.init(.context, heading: words(Localized("You sent", "你发送了")), paragraphs: [text]),
                                        at: 0)
            if tracking.waiting.first == index {
                explanation.sections.insert(.init(.context, paragraphs: [
                    words(Localized("Waiting for the reply to {0}", "正在等待对 {0} 的回复").format(text))]), at: 0)
            }
            return explanation
        case .note, .warning, .tls:
            if let event = log.event(index), let explanation = explainer.explain(event: event) { return explanation }
            let title = log.event(index).map { words($0.words) } ?? VisibleText.escape(entry.bytes)
            return Explanation(kind: .unknown, subject: "", title: title, recognized: true)
        case .stray:
            var explanation = Explanation(kind: .unknown, subject: "", title: VisibleText.escape(entry.bytes), recognized: false)
            explanation.sections.append(.init(.problems, paragraphs: [words(Localized("(not part of any reply)", "（不属于任何回复）"))],
                                              tone: .warning))
            var parser = ReplyParser()
            parser.feed(entry.bytes)
            if case .stray(let parsed)? = parser.next() {
                explanation.sections.append(.init(.problems, paragraphs: explainer.describe(anomalies: parsed.anomalies)))
            }
            return explanation
        }
        return Explanation(kind: .unknown, subject: "", title: VisibleText.escape(entry.bytes), recognized: false)
    }

    /// What a reply answers, from the log: the greeting, a command (with what its lint found),
    /// the message's end, a SASL answer; and whether SMTPUTF8 was given in its transaction.
    func replyContext(for index: Int, answers: Int?) -> ReplyContext {
        if log.isGreeting(index) { return ReplyContext(answered: .greeting) }
        guard let answers, log[answers] != nil else { return ReplyContext(answered: .unknown) }
        let text = log.display(answers)
        let answered: ReplyContext.Answered
        switch log.awaited(answers) {
        case .messageEnd?: answered = .messageEnd
        case .saslResponse?: answered = .saslResponse(cancel: text == "*")
        case .command(let command)?: answered = .command(command.verb)
        case .greeting?, nil: answered = .command(Command(parsing: text).verb)
        }
        return ReplyContext(answered: answered, command: Command(parsing: text), findings: log.findings(answers),
                            smtputf8: smtputf8(before: index))
    }

    /// The MAIL before this line said SMTPUTF8 (RFC 6531: replies may then carry UTF-8).
    func smtputf8(before index: Int) -> Bool {
        var cursor = index - 1
        while cursor >= max(log.firstIndex, index - 2000) {
            if let entry = log[cursor], entry.kind == .sent, log.awaited(cursor) != nil {
                let text = log.display(cursor).uppercased()
                if text.hasPrefix("MAIL ") { return text.contains(" SMTPUTF8") }
            }
            cursor -= 1
        }
        return false
    }

    /// A POP3 line: a response with what it answers (and the envelope of an SMTP session
    /// before it, for a fetched message), or a command sent with what its lint found.
    func pop3Explanation(of index: Int, entry: LogEntry, latest: Bool, explainer: Explainer) -> Explanation {
        let words = { (text: Localized) in text[explainer.language] }
        if entry.kind == .sent {
            let text = log.display(index, showSecrets: config.showSecrets)
            var explanation = explainer.explain(pop3Line: POP3Command(parsing: text), findings: log.pop3Findings(index))
            explanation.sections.insert(.init(.context, heading: words(Localized("You sent", "你发送了")), paragraphs: [text]), at: 0)
            return explanation
        }
        // The final line of the response this line belongs to.
        var last = index
        while let next = log[last], !next.isFinal, last + 1 < log.endIndex { last += 1 }
        guard let response = log.pop3Response(last) else {
            return Explanation(kind: .unknown, subject: "", title: VisibleText.escape(entry.bytes), recognized: false)
        }
        let first = last - (log[last]?.replyBack ?? 0)
        let answered: POP3ClientSession.Sent? = log.isGreeting(first) ? .greeting
            : log[last]?.answers.flatMap { log.pop3Awaited($0) }
        let findings = log[last]?.answers.map { log.pop3Findings($0) } ?? []
        var explanation = explainer.explain(pop3: response, answering: answered, envelope: lastEnvelopeSender(before: index),
                                            findings: findings)
        if latest, let next = nextSection(explainer: explainer) { explanation.sections.insert(next, at: 0) }
        return explanation
    }

    /// The MAIL FROM of the last SMTP transaction in the log before `index`.
    func lastEnvelopeSender(before index: Int) -> String? {
        var cursor = index - 1
        while cursor >= max(log.firstIndex, index - 20_000) {
            if let entry = log[cursor], entry.kind == .sent, log.wire(at: cursor) == .smtp, log.awaited(cursor) != nil {
                let command = Command(parsing: log.display(cursor))
                if command.verb == .mail, let path = command.pathArgument { return path.address }
            }
            cursor -= 1
        }
        return nil
    }

    /// "Next: …" from the session's state.
    public func nextSection(explainer: Explainer) -> Explanation.Section? {
        guard !sessionClosed else { return nil }
        let suggestions = nextSteps
        guard !suggestions.isEmpty else { return nil }
        return .init(.next, heading: Localized("Next", "下一步")[explainer.language],
                     paragraphs: [suggestions.joined(separator: "  ·  ")])
    }

    func capabilityChanges(from before: Capabilities, to after: Capabilities, explainer: Explainer) -> Explanation.Section {
        let words = { (text: Localized) in text[explainer.language] }
        let changes = after.changes(from: before)
        var items: [Explanation.Item] = []
        for capability in changes.added { items.append(.init("+ " + capability.text, words(Localized("added", "新增")))) }
        for capability in changes.removed { items.append(.init("- " + capability.text, words(Localized("removed", "移除")))) }
        for (old, new) in changes.changed {
            items.append(.init("~ " + new.keyword, old.text + " → " + new.text))
        }
        if items.isEmpty { items.append(.init("=", words(Localized("nothing changed", "没有变化")))) }
        return .init(.context, heading: words(Localized("What changed since STARTTLS", "STARTTLS 之后的变化")), items: items)
    }

    /// The log line as a record, in the language of the moment.
    public func record(_ index: Int) -> TranscriptEntry? {
        log.transcriptEntry(index, language: language)
    }
}
