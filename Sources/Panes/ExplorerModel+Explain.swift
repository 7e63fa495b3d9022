import Foundation
import SMTPCore
import SMTPKnowledge

extension Explanation {
    /// A page of the screen's own (a mode, a state, a raw line), about no code or keyword.
    static func page(_ title: String, recognized: Bool = true, sections: [Section] = [],
                     references: [String] = []) -> Explanation {
        Explanation(kind: .unknown, subject: "", title: title, recognized: recognized, sections: sections,
                    references: references)
    }

    static let blank = page("")
}

extension ExplorerModel {
    /// Where the explainer's content comes from: cheap to work out on every frame, and the
    /// key of the cache that keeps the laid-out explanation between frames.
    enum ExplanationSource: Hashable {
        case info(Int)
        case secret(String, String, Bool)
        case slash(String)
        case typing(String, ClientSession.InputMode, String)
        case mode(ClientSession.InputMode, String)
        case line(Int, latest: Bool, String)
        case note(Int)
        case waitingGreeting, welcome, notConnected
        case connecting(String, Int)
    }

    /// What the explainer shows now, from the most immediate to the most general: a one-off
    /// answer (/b64, completions), the line being typed, the selected line, the latest reply,
    /// and otherwise what to do first.
    func explanationSource() -> ExplanationSource {
        if info != nil { return .info(infoGeneration) }
        if let prompt = secretPrompt { return .secret(prompt.mechanism.rawValue, prompt.user, session?.isTLS ?? false) }
        let mode = session?.inputMode ?? .command
        let state = sessionSignature
        if !input.isEmpty {
            if input.text.hasPrefix("/") { return .slash(input.text) }
            return .typing(input.text, mode, state)
        }
        if let selected, stream.line(selected) != nil { return .line(selected, latest: false, state) }
        if mode != .command { return .mode(mode, state) }
        // The welcome stays until the learner has sent something.
        if config.welcome != nil && !hasSent { return .welcome }
        // The newest of the latest explained event and the latest reply.
        let latestNote = notes.keys.max()
        let latestReply = lastReplyLine.flatMap { stream.line($0) != nil ? $0 : nil }
        if let latestNote, latestNote > (latestReply ?? -1), stream.line(latestNote) != nil { return .note(latestNote) }
        if let latestReply { return .line(latestReply, latest: true, state) }
        if case .connected = link, session?.awaiting.contains(.greeting) == true { return .waitingGreeting }
        if config.welcome != nil { return .welcome }
        if case .connecting(let host, let port) = link { return .connecting(host, port) }
        return .notConnected
    }

    /// What the session's state says, for the parts of explanations that depend on it.
    var sessionSignature: String {
        guard let session else { return "-" }
        return "\(session.phase.rawValue)|\(session.awaiting.count)|\(session.isTLS)|\(session.isAuthenticated)|"
            + "\(session.hello?.rawValue ?? "")|\(session.capabilities?.items.count ?? -1)|\(session.lastReply?.code ?? 0)"
    }

    func currentExplanation() -> Explanation {
        explanation(for: explanationSource())
    }

    func explanation(for source: ExplanationSource) -> Explanation {
        switch source {
        case .info: return info ?? .blank
        case .slash(let text): return slashExplanation(text)
        case .secret(let mechanism, let user, let tls): return secretExplanation(mechanism: mechanism, user: user, tls: tls)
        case .typing(let text, let mode, _):
            switch mode {
            case .command: return typingExplanation(text)
            case .messageText: return messageExplanation(text)
            case .saslResponse: return saslExplanation(text)
            case .chunk(let remaining): return chunkExplanation(remaining)
            }
        case .mode(let mode, _):
            switch mode {
            case .messageText: return messageExplanation("")
            case .saslResponse: return saslExplanation("")
            case .chunk(let remaining): return chunkExplanation(remaining)
            case .command: return .blank
            }
        case .line(let index, let latest, _): return explanation(ofLine: index, latest: latest)
        case .note(let index): return notes[index] ?? .blank
        case .waitingGreeting:
            return Explanation.page(UIText.waitingGreeting[language])
        case .welcome:
            return config.welcome?(language) ?? .blank
        case .connecting(let host, let port):
            return Explanation.page(UIText.trying.format(host, port)[language])
        case .notConnected:
            return Explanation.page(UIText.notConnected[language],
                                    sections: [.init(paragraphs: [UIText.notConnectedHelp[language]])])
        }
    }

    /// The explanation laid out at `width`, from the cache when nothing it depends on changed.
    func explanationLines(width: Int) -> (title: String, lines: [StyledLine]) {
        let key = ExplanationCache.Key(source: explanationSource(), width: width, language: language)
        if let hit = explanationCache.lookup(key) { return hit }
        let explanation = explanation(for: key.source)
        let lines = ExplanationLayout.lines(explanation, width: width, language: language)
        explanationCache.store(key, title: explanation.title, lines: lines)
        return (explanation.title, lines)
    }

    /// The explanation of one stream line; `latest` adds what to send next.
    func explanation(ofLine index: Int, latest: Bool) -> Explanation {
        guard let line = stream.line(index) else { return Explanation.page("", recognized: false) }
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
            return Explanation.page(VisibleText.escape(line.bytes))
        case .stray:
            var explanation = Explanation.page(VisibleText.escape(line.bytes), recognized: false)
            explanation.sections.append(.init(paragraphs: [UIText.stray[language]], tone: .warning))
            var parser = ReplyParser()
            parser.feed(line.bytes)
            if case .stray(let parsed)? = parser.next() {
                explanation.sections.append(.init(paragraphs: explainer.describe(anomalies: parsed.anomalies)))
            }
            return explanation
        }
        return Explanation.page(VisibleText.escape(line.bytes), recognized: false)
    }

    /// The reply a received line belongs to, rebuilt from the stream, and the command it answers.
    /// Like the parser, it keeps at most `SMTPLimits.replyLinesHardCap` lines (the first ones and
    /// the last), so a reply of a million lines costs no more to explain than one of a thousand.
    func reply(containing index: Int) -> (Reply, Command?)? {
        guard let line = stream.line(index) else { return nil }
        let cap = SMTPLimits.replyLinesHardCap
        let first = max(index - line.replyBack, stream.firstIndex)
        var indexes: [Int] = []
        var cursor = first
        while indexes.count < cap - 1, let current = stream.line(cursor), current.kind == .received {
            indexes.append(cursor)
            if current.isFinal { break }
            cursor += 1
        }
        var dropped = 0
        if let last = indexes.last, stream.line(last)?.isFinal == false {
            // Find the final line, looking a bounded distance past the given line.
            var probe = max(index, last + 1)
            while probe < stream.endIndex, probe - index < cap, let current = stream.line(probe), current.kind == .received {
                if current.isFinal {
                    dropped = probe - last - 1
                    indexes.append(probe)
                    break
                }
                probe += 1
            }
        }
        var lines: [ReplyLine] = []
        var parser = ReplyParser()
        for position in indexes {
            guard let current = stream.line(position) else { continue }
            parser.feed(current.bytes)
            while let event = parser.next() {
                switch event {
                case .line(let parsed), .stray(let parsed): lines.append(parsed)
                case .reply, .discarded: break
                }
            }
        }
        for event in parser.finish() {
            if case .line(let parsed) = event { lines.append(parsed) }
        }
        guard !lines.isEmpty else { return nil }
        let result = Reply(lines: lines, droppedLineCount: dropped)
        let lastLine = indexes.last.flatMap { stream.line($0) }
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
        if command.verb == .auth {
            let parts = command.argument.split(separator: " ", maxSplits: 1).map(String.init)
            if parts.count == 2, let decoded = SASLClient.describe(mechanism: parts[0], response: parts[1],
                                                                   showSecrets: config.showSecrets) {
                sections.append(explainer.decodedSection(decoded))
            }
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

    func secretExplanation(mechanism: String, user: String, tls: Bool) -> Explanation {
        var sections: [Explanation.Section] = []
        if !tls {
            sections.append(.init(paragraphs: [Localized(
                "Warning: this connection is not encrypted. The password can be read by anyone on the way (PLAIN and LOGIN send it barely encoded). Press Esc, run /starttls and EHLO, then /auth again; or type it anyway.",
                "警告：这条连接没有加密。途中任何人都能读出密码（PLAIN 和 LOGIN 几乎不加掩饰地发送它）。按 Esc，执行 /starttls 和 EHLO 后再 /auth；或者仍然输入。")[language]],
                tone: .error))
        }
        sections.append(.init(paragraphs: [Localized(
            "Type the password for {0} and press Enter; it is not shown, not kept in the history, and masked in the stream, /save and --record. Esc cancels.",
            "输入 {0} 的密码并按回车；它不会显示，不进入历史，在记录、/save 和 --record 中都会被遮盖。按 Esc 取消。").format(user)[language]]))
        var explanation = explainer.explain(mechanism: mechanism)
        explanation.title = "/auth \(mechanism.lowercased()) \(user)"
        explanation.sections = sections + explanation.sections
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
        if let challenge = session?.lastReply, let decoded = explainer.challengeSection(challenge) {
            sections.append(decoded)
        }
        let asksPassword = session?.lastReply?.challenge.map { String(decoding: $0, as: UTF8.self).lowercased().contains("password") }
            ?? false
        if !text.isEmpty && text != "*" {
            if let data = Data(base64Encoded: text) {
                let shown = asksPassword && !config.showSecrets ? Secrets.mask : VisibleText.escape(Array(data))
                sections.append(.init(paragraphs: [UIText.decodesTo.format("\"" + shown + "\"")[language]]))
            } else {
                sections.append(.init(paragraphs: [UIText.notBase64[language]], tone: .warning))
            }
        }
        sections.append(.init(paragraphs: [UIText.saslHelp[language]]))
        return Explanation.page(UIText.saslMode[language],
                                sections: sections.filter { !$0.paragraphs.isEmpty || !$0.items.isEmpty },
                                references: ["RFC 4954 §4"])
    }

    func chunkExplanation(_ remaining: Int) -> Explanation {
        Explanation.page(UIText.chunkMode.format(remaining)[language],
                         sections: [.init(paragraphs: [UIText.chunkHelp[language]])], references: ["RFC 3030 §2"])
    }
}
