import Foundation
import SMTPCore
import SMTPKnowledge

extension ExplorerModel {
    /// What the explainer shows now, from the most immediate to the most general: a one-off
    /// answer (/b64, completions), the line being typed, the selected line, the latest reply,
    /// and otherwise what to do first.
    func currentExplanation() -> Explanation {
        if let info { return info }
        let mode = session?.inputMode ?? .command
        if !input.isEmpty {
            if input.text.hasPrefix("/") { return slashExplanation(input.text) }
            switch mode {
            case .command: return typingExplanation(input.text)
            case .messageText: return messageExplanation(input.text)
            case .saslResponse: return saslExplanation(input.text)
            case .chunk(let remaining): return chunkExplanation(remaining)
            }
        }
        if let selected, stream.line(selected) != nil { return explanation(ofLine: selected, latest: false) }
        switch mode {
        case .messageText: return messageExplanation("")
        case .saslResponse: return saslExplanation("")
        case .chunk(let remaining): return chunkExplanation(remaining)
        case .command: break
        }
        if let last = stream.line(stream.endIndex - 1), last.kind == .local || last.kind == .warning, let note = notes[last.index] {
            return note
        }
        if let lastReplyLine, stream.line(lastReplyLine) != nil {
            return explanation(ofLine: lastReplyLine, latest: true)
        }
        if case .connected = link, session?.awaiting.contains(.greeting) == true {
            return Explanation(kind: .unknown, subject: "", title: UIText.waitingGreeting[language], recognized: true)
        }
        if let welcome = config.welcome { return welcome }
        if case .connecting(let host, let port) = link {
            return Explanation(kind: .unknown, subject: "", title: UIText.trying.format(host, port)[language], recognized: true)
        }
        return Explanation(kind: .unknown, subject: "", title: UIText.notConnected[language], recognized: true,
                           sections: [.init(paragraphs: [UIText.notConnectedHelp[language]])])
    }

    /// The explanation of one stream line; `latest` adds what to send next.
    func explanation(ofLine index: Int, latest: Bool) -> Explanation {
        guard let line = stream.line(index) else { return Explanation(kind: .unknown, subject: "", title: "", recognized: false) }
        switch line.kind {
        case .received:
            guard let (reply, answering) = reply(containing: index) else { break }
            var explanation = explainer.explain(reply: reply, answering: answering)
            if answering?.verb == .ehlo, let before = session?.capabilitiesBeforeTLS, line.tls, reply.code == 250 {
                explanation.sections.insert(capabilityChanges(from: before, to: Capabilities(ehloReply: reply)), at: 0)
            }
            if latest, let next = nextSection() { explanation.sections.insert(next, at: 0) }
            return explanation
        case .sent:
            let text = line.sensitive ? (masked[index] ?? Secrets.mask) : VisibleText.escape(line.bytes)
            var explanation = explainer.explain(command: Command(parsing: text))
            explanation.sections.insert(.init(heading: UIText.sentLine[language], paragraphs: [text]), at: 0)
            if let waitingIndex = waiting.first, waitingIndex == index {
                explanation.sections.insert(.init(paragraphs: [UIText.waitingFor.format(text)[language]]), at: 0)
            }
            return explanation
        case .local, .warning:
            if let note = notes[index] { return note }
            return Explanation(kind: .unknown, subject: "", title: VisibleText.escape(line.bytes), recognized: true)
        case .stray:
            var explanation = Explanation(kind: .unknown, subject: "", title: VisibleText.escape(line.bytes), recognized: false)
            explanation.sections.append(.init(paragraphs: [UIText.stray[language]], tone: .warning))
            var parser = ReplyParser()
            parser.feed(line.bytes)
            if case .stray(let parsed)? = parser.next() {
                explanation.sections.append(.init(paragraphs: explainer.describe(anomalies: parsed.anomalies)))
            }
            return explanation
        }
        return Explanation(kind: .unknown, subject: "", title: VisibleText.escape(line.bytes), recognized: false)
    }

    /// The reply a received line belongs to, rebuilt from the stream, and the command it answers.
    func reply(containing index: Int) -> (Reply, Command?)? {
        guard let line = stream.line(index) else { return nil }
        let first = index - line.replyBack
        var parser = ReplyParser()
        var cursor = max(first, stream.firstIndex)
        var lastLine: StreamLine?
        while let current = stream.line(cursor), current.kind == .received {
            parser.feed(current.bytes)
            lastLine = current
            if current.isFinal { break }
            cursor += 1
        }
        var reply: Reply?
        var lines: [ReplyLine] = []
        for event in parser.finish() {
            switch event {
            case .line(let line): lines.append(line)
            case .reply(let complete): reply = complete
            case .stray, .discarded: break
            }
        }
        guard let result = reply ?? (lines.isEmpty ? nil : Reply(lines: lines)) else { return nil }
        let answering = (lastLine?.answers ?? line.answers).flatMap { stream.line($0) }.map { sent in
            Command(parsing: sent.sensitive ? (masked[sent.index] ?? Secrets.mask) : VisibleText.escape(sent.bytes))
        }
        return (result, answering)
    }

    /// "Next: …" from the session's state.
    func nextSection() -> Explanation.Section? {
        guard let session, !session.isClosed else { return nil }
        let suggestions = session.suggestions
        guard !suggestions.isEmpty else { return nil }
        return .init(heading: UIText.next[language], paragraphs: [suggestions.joined(separator: "  ·  ")])
    }

    func capabilityChanges(from before: Capabilities, to after: Capabilities) -> Explanation.Section {
        let changes = after.changes(from: before)
        var items: [Explanation.Item] = []
        for capability in changes.added { items.append(.init("+ " + capability.text, UIText.added[language])) }
        for capability in changes.removed { items.append(.init("- " + capability.text, UIText.removed[language])) }
        for (old, new) in changes.changed {
            items.append(.init("~ " + new.keyword, old.text + " → " + new.text))
        }
        if items.isEmpty { items.append(.init("=", Localized("nothing changed", "没有变化")[language])) }
        return .init(heading: UIText.capabilitiesChanged[language], items: items)
    }

    // MARK: - While typing

    func typingExplanation(_ text: String) -> Explanation {
        let command = Command(parsing: text)
        let findings = session?.lint(command) ?? CommandLint.syntax(command)
        var explanation: Explanation
        if let verb = command.verb {
            explanation = explainer.explain(verb: verb)
        } else {
            explanation = Explanation(kind: .command, subject: text, title: command.keyword, recognized: false)
        }
        var sections: [Explanation.Section] = []
        if !isConnected {
            sections.append(.init(paragraphs: [UIText.notConnectedError[language]], tone: .warning))
        }
        for finding in findings {
            var words = explainer.describe(finding)
            if let code = finding.expectedReply, !words.contains(String(code)) { words += " → \(code)" }
            sections.append(.init(paragraphs: [words], tone: finding.severity == .error ? .error : .warning))
        }
        if let session {
            let codes = session.likelyReplies(to: command).prefix(6)
            sections.append(.init(heading: UIText.likelyReplies[language], items: codes.map { code in
                .init(String(code), ReplyCodes.info(code).map { $0.title[language] } ?? "")
            }))
        }
        explanation.sections = sections + explanation.sections.filter { $0.heading != Localized("Replies to expect", "预期的回复")[language] }
        explanation.title = (findings.isEmpty ? "" : "⚠ ") + UIText.typing[language] + (language == .zh ? "：" : ": ")
            + explanation.title
        return explanation
    }

    func slashExplanation(_ text: String) -> Explanation {
        let name = text.dropFirst().split(separator: " ").first.map { $0.lowercased() } ?? ""
        let matches = SlashCommand.all.filter { name.isEmpty || $0.name.hasPrefix(name) }
        return Explanation(kind: .unknown, subject: text, title: UIText.helpCommands[language], recognized: true,
                           sections: [.init(items: matches.map { .init($0.usage, $0.help[language]) })])
    }

    func messageExplanation(_ text: String) -> Explanation {
        var sections = [Explanation.Section(paragraphs: [UIText.messageHelp[language]])]
        if let session {
            for finding in session.lint(line: text) {
                sections.insert(.init(paragraphs: [explainer.describe(finding)], tone: .warning), at: 0)
            }
        }
        return Explanation(kind: .unknown, subject: text, title: UIText.messageMode[language], recognized: true,
                           sections: sections, references: ["RFC 5321 §4.1.1.4, §4.5.2", "RFC 5322"])
    }

    func saslExplanation(_ text: String) -> Explanation {
        var sections: [Explanation.Section] = []
        if let challenge = session?.lastReply, challenge.code == 334 {
            sections.append(explainer.explain(reply: challenge).sections.first { $0.heading == Localized("Decoded", "解码")[language] }
                            ?? .init())
        }
        if !text.isEmpty && text != "*" {
            if let data = Data(base64Encoded: text) {
                sections.append(.init(paragraphs: [UIText.decodesTo.format("\"" + VisibleText.escape(Array(data)) + "\"")[language]]))
            } else {
                sections.append(.init(paragraphs: [UIText.notBase64[language]], tone: .warning))
            }
        }
        sections.append(.init(paragraphs: [UIText.saslHelp[language]]))
        return Explanation(kind: .unknown, subject: "", title: UIText.saslMode[language], recognized: true,
                           sections: sections.filter { !$0.paragraphs.isEmpty || !$0.items.isEmpty },
                           references: ["RFC 4954 §4"])
    }

    func chunkExplanation(_ remaining: Int) -> Explanation {
        Explanation(kind: .unknown, subject: "", title: UIText.chunkMode.format(remaining)[language], recognized: true,
                    sections: [.init(paragraphs: [UIText.chunkHelp[language]])], references: ["RFC 3030 §2"])
    }
}
