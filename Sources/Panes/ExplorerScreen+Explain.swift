import Foundation
import Conversation
import SMTPCore
import SMTPKnowledge

extension Explanation {
    /// A page of the screen's own (a mode, a state), about no code or keyword.
    static func page(_ title: String, sections: [Section] = [], references: [String] = []) -> Explanation {
        Explanation(kind: .unknown, subject: "", title: title, recognized: true, sections: sections, references: references)
    }

    static let blank = page("")
}

extension ExplorerScreen {
    /// What the explainer shows now, from the most immediate to the most general: a one-off
    /// page, the secret prompt, the line being typed, the selected line, the mode the input is
    /// in, the welcome, a reply awaited for long, the latest explained event or reply.
    func explanationSource(at moment: Moment) -> ExplanationSource {
        if info != nil { return .info(infoGeneration) }
        if let secret { return .secret(secret.request) }
        let mode = conversation.inputMode
        let snapshot = SessionSnapshot(conversation)
        if !input.isEmpty {
            if input.text.hasPrefix("/") && !input.text.hasPrefix("//") { return .slash(input.text) }
            return .typing(input.text, mode, snapshot)
        }
        if let selected = stream.selection(in: conversation.log) { return .line(selected, latest: false, snapshot) }
        if settings.interactive, mode != .command, conversation.queuedLines.isEmpty { return .mode(mode, snapshot) }
        // The welcome gives way once something was sent, or a route looked up.
        if settings.welcome != nil && !conversation.hasSent && !conversation.hasRoute && settings.interactive {
            return .welcome
        }
        if let waiting = conversation.waiting(at: moment), waiting.seconds >= StatusBar.waitingAfterSeconds,
           conversation.oldestAwaited != -1 {
            return .waiting(waiting.what, seconds: Int(waiting.seconds))
        }
        let latestNote = conversation.lastNoteIndex
        let latestReply = conversation.lastReplyIndex
        // Replay steps end at replies: the step's reply is what it explains.
        if let latestNote, latestNote > (latestReply ?? -1), settings.interactive || latestReply == nil { return .note(latestNote) }
        if let latestReply { return .line(latestReply, latest: settings.interactive, snapshot) }
        if case .connected = conversation.link, conversation.oldestAwaited == -1 { return .waitingGreeting }
        if settings.welcome != nil { return .welcome }
        if case .connecting(let target) = conversation.link { return .connecting(target.host, target.port) }
        return .notConnected
    }

    func explanation(for source: ExplanationSource) -> Explanation {
        let explainer = Explainer(language: language)
        let t = { (text: Localized) in text[self.language] }
        switch source {
        case .info: return info ?? .blank
        case .slash(let text): return slashExplanation(text)
        case .secret(let request): return secretExplanation(request)
        case .typing(let text, let mode, _):
            switch mode {
            case .command: return typingExplanation(text, explainer: explainer)
            case .messageText: return messageExplanation(text, explainer: explainer)
            case .saslResponse: return saslExplanation(text, explainer: explainer)
            case .chunk(let remaining): return chunkExplanation(remaining)
            }
        case .mode(let mode, _):
            switch mode {
            case .messageText: return messageExplanation("", explainer: explainer)
            case .saslResponse: return saslExplanation("", explainer: explainer)
            case .chunk(let remaining): return chunkExplanation(remaining)
            case .command: return .blank
            }
        case .line(let index, let latest, _):
            return conversation.explanation(of: index, latest: latest, explainer: explainer)
        case .note(let index):
            return conversation.explanation(of: index, explainer: explainer)
        case .waiting(let what, let seconds):
            return .page(t(UIText.waitingFor.format(what)),
                         sections: [.init(.context, paragraphs: [t(UIText.waitingPage.format(seconds))])])
        case .waitingGreeting: return .page(t(UIText.waitingGreeting))
        case .welcome: return settings.welcome?(language) ?? .blank
        case .connecting(let host, let port): return .page(t(LocalEvent.connecting(host: host, port: port).words))
        case .notConnected:
            return .page(t(UIText.notConnected), sections: [.init(.advice, paragraphs: [t(UIText.notConnectedHelp)])])
        }
    }

    // MARK: - While typing

    func typingExplanation(_ text: String, explainer: Explainer) -> Explanation {
        if conversation.protocolSpoken == .pop3 {
            let command = POP3Command(parsing: text)
            var explanation = explainer.explain(pop3Line: command, findings: conversation.pop3 == nil ? command.syntaxFindings
                                                                                                     : conversation.pop3Lint(text))
            if !conversation.isConnected {
                explanation.sections.insert(.init(.finding, paragraphs: [LocalEvent.notConnected.words[language]], tone: .warning), at: 0)
            }
            explanation.title = UIText.typing[language] + (language == .zh ? "：" : ": ") + explanation.title
            return explanation
        }
        let command = Command(parsing: text)
        let session = conversation.session
        let findings = session?.lint(command) ?? CommandLint.syntax(command)
        var explanation: Explanation
        if let verb = command.verb {
            explanation = explainer.explain(verb: verb)
        } else {
            explanation = Explanation(kind: .command, subject: text, title: command.keyword, recognized: false)
        }
        var sections: [Explanation.Section] = []
        if !conversation.isConnected {
            sections.append(.init(.finding, paragraphs: [LocalEvent.notConnected.words[language]], tone: .warning))
        }
        for finding in findings {
            var words = explainer.describe(finding)
            if let code = finding.expectedReply, !words.contains(String(code)) { words += " → \(code)" }
            sections.append(.init(.finding, paragraphs: [words], tone: finding.severity == .error ? .error : .warning))
        }
        if command.verb == .auth {
            let parts = command.argument.split(separator: " ", maxSplits: 1).map(String.init)
            if parts.count == 2, let decoded = SASLClient.describe(mechanism: parts[0], response: parts[1],
                                                                   showSecrets: conversation.config.showSecrets) {
                sections.append(explainer.decodedSection(decoded))
            }
        }
        if let session {
            let codes = session.likelyReplies(to: command).prefix(6)
            sections.append(.init(.replies, heading: UIText.likelyReplies[language], items: codes.map { code in
                .init(String(code), ReplyCodes.info(code).map { $0.title[language] } ?? "")
            }))
            explanation.sections.removeAll { $0.role == .replies }
        }
        explanation.sections = sections + explanation.sections
        explanation.title = (findings.isEmpty ? "" : "⚠ ") + UIText.typing[language] + (language == .zh ? "：" : ": ")
            + explanation.title
        return explanation
    }

    func secretExplanation(_ request: SecretRequest) -> Explanation {
        let explainer = Explainer(language: language)
        var sections: [Explanation.Section] = []
        if !request.encrypted && request.mechanism.revealsSecret {
            sections.append(.init(.finding, paragraphs: [Localized(
                "Warning: this connection is not encrypted, and you allowed the secret to go in the clear. Anyone on the way can read it (PLAIN and LOGIN send it barely encoded). Esc cancels.",
                "警告：这条连接没有加密，而你允许了以明文发送。途中任何人都能读出密码（PLAIN 和 LOGIN 几乎不加掩饰地发送它）。按 Esc 取消。")[language]],
                tone: .error))
        }
        sections.append(.init(.advice, paragraphs: [Localized(
            "Type the password for {0} and press Enter; it is not shown, not kept in the history, and masked in the stream, /save and --record. Esc cancels.",
            "输入 {0} 的密码并按回车；它不会显示，不进入历史，在记录、/save 和 --record 中都会被遮盖。按 Esc 取消。").format(request.user)[language]]))
        var explanation = explainer.explain(mechanism: request.mechanism.rawValue)
        explanation.title = "/auth \(request.mechanism.rawValue.lowercased()) \(request.user)"
        explanation.sections = sections + explanation.sections
        return explanation
    }

    func slashExplanation(_ text: String) -> Explanation {
        let name = text.dropFirst().split(separator: " ").first.map { $0.lowercased() } ?? ""
        let matches = SlashCommand.all.filter { name.isEmpty || $0.name.hasPrefix(name) }
        return Explanation(kind: .unknown, subject: text, title: UIText.helpCommands[language], recognized: true,
                           sections: [.init(.details, items: matches.map { .init($0.usage, $0.help[language]) })])
    }

    func messageExplanation(_ text: String, explainer: Explainer) -> Explanation {
        var sections = [Explanation.Section(.meaning, paragraphs: [UIText.messageHelp[language]])]
        if let session = conversation.session {
            for finding in session.lint(line: text) {
                sections.insert(.init(.finding, paragraphs: [explainer.describe(finding)], tone: .warning), at: 0)
            }
        }
        return Explanation(kind: .unknown, subject: text, title: UIText.messageMode[language], recognized: true,
                           sections: sections, references: ["RFC 5321 §4.1.1.4, §4.5.2", "RFC 5322"])
    }

    func saslExplanation(_ text: String, explainer: Explainer) -> Explanation {
        var sections: [Explanation.Section] = []
        let lastReply = conversation.session?.lastReply
        if let challenge = lastReply, let decoded = explainer.challengeSection(challenge) { sections.append(decoded) }
        let asksPassword = lastReply?.challenge.map { String(decoding: $0, as: UTF8.self).lowercased().contains("password") }
            ?? false
        if !text.isEmpty && text != "*" {
            if let data = Data(base64Encoded: text) {
                let shown = asksPassword && !conversation.config.showSecrets ? Secrets.mask : VisibleText.escape(Array(data))
                sections.append(.init(.decoded, paragraphs: [UIText.decodesTo.format("\"" + shown + "\"")[language]]))
            } else {
                sections.append(.init(.finding, paragraphs: [UIText.notBase64[language]], tone: .warning))
            }
        }
        sections.append(.init(.advice, paragraphs: [UIText.saslHelp[language]]))
        return .page(UIText.saslMode[language], sections: sections.filter { !$0.paragraphs.isEmpty || !$0.items.isEmpty },
                     references: ["RFC 4954 §4"])
    }

    func chunkExplanation(_ remaining: Int) -> Explanation {
        .page(UIText.chunkMode.format(remaining)[language], sections: [.init(.advice, paragraphs: [UIText.chunkHelp[language]])],
              references: ["RFC 3030 §2"])
    }

    // MARK: - Completion

    static let completions: [String] = Verb.allCases.map { verb in
        switch verb {
        case .mail: return "MAIL FROM:<"
        case .rcpt: return "RCPT TO:<"
        default: return verb.argument == .none ? verb.rawValue : verb.rawValue + " "
        }
    }

    static let pop3Completions: [String] = POP3Verb.allCases.map { verb in
        verb.syntax.contains(" ") ? verb.rawValue + " " : verb.rawValue
    }

    /// Tab: a verb at the start of the line, or a /command.
    mutating func complete() {
        let text = input.text
        if text.hasPrefix("/") && !text.dropFirst().contains(" ") {
            let prefix = text.dropFirst().lowercased()
            offer(SlashCommand.all.filter { $0.name.hasPrefix(prefix) }.map(\.completion))
            return
        }
        let word = input.currentWord
        guard word.start == 0, !word.text.isEmpty else { return }
        let prefix = word.text.uppercased()
        let verbs = conversation.protocolSpoken == .pop3 ? Self.pop3Completions : Self.completions
        offer(verbs.filter { $0.hasPrefix(prefix) })
    }

    mutating func offer(_ matches: [String]) {
        guard !matches.isEmpty else { return }
        if matches.count == 1 {
            input.set(matches[0])
            info = nil
            return
        }
        var common = matches[0]
        for match in matches.dropFirst() {
            while !match.hasPrefix(common) { common.removeLast() }
        }
        if common.count > input.text.count { input.set(common) }
        info = .page(UIText.completions[language], sections: [.init(.details, paragraphs: [
            matches.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: "  ")])])
    }
}
