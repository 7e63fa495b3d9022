import Foundation
import SMTPCore
import SMTPKnowledge

extension ExplorerModel {
    // MARK: - Keys

    public mutating func handle(_ key: Key) -> [Effect] {
        if secretPrompt != nil, key != .control("c") { return handleSecret(key) }
        if helpVisible {
            switch key {
            case .escape, .function(1): helpVisible = false; return []
            case .pageUp, .shiftPageUp, .up: helpScroll = max(0, helpScroll - (key == .up ? 1 : lastSize.height / 2)); return []
            case .pageDown, .shiftPageDown, .down: helpScroll += key == .down ? 1 : lastSize.height / 2; return []
            case .character: helpVisible = false
            default: break
            }
        }
        if case .character(let character) = key {
            info = nil
            explainerScroll = 0
            input.insert(character)
            return []
        }
        if key == .tab, session?.inputMode != .command, session != nil {
            input.insert("\t")
            return []
        }
        guard let action = KeyMap.action(for: key) else { return [] }
        return perform(action)
    }

    /// Keys while `/auth` asks for the secret: nothing is echoed, nothing goes to the history.
    mutating func handleSecret(_ key: Key) -> [Effect] {
        guard var prompt = secretPrompt else { return [] }
        switch key {
        case .character(let character):
            prompt.secret.append(character)
            secretPrompt = prompt
        case .backspace, .control("h"):
            if !prompt.secret.isEmpty { prompt.secret.removeLast() }
            secretPrompt = prompt
        case .control("u"):
            prompt.secret = []
            secretPrompt = prompt
        case .escape:
            secretPrompt = nil
            return local(Localized("AUTH cancelled", "已取消 AUTH")[language])
        case .enter:
            secretPrompt = nil
            return startAuth(prompt)
        default:
            break
        }
        return []
    }

    mutating func startAuth(_ prompt: SecretPrompt) -> [Effect] {
        guard isConnected else { return local(UIText.notConnectedError[language], kind: .warning) }
        let helper = SASLClient(mechanism: prompt.mechanism, user: prompt.user, secret: String(prompt.secret),
                                hmacMD5: config.hmacMD5 ?? { _, _ in [] })
        authHelper = helper
        return transmit { session, time in session.send(helper.command, at: time) }
    }

    /// Text pasted or typed in one go.
    public mutating func type(_ text: String) -> [Effect] {
        var effects: [Effect] = []
        for character in text {
            effects += character == "\n" || character == "\r" ? handle(.enter) : handle(.character(character))
        }
        return effects
    }

    mutating func perform(_ action: Action) -> [Effect] {
        switch action {
        case .send: return submit()
        case .complete: complete()
        case .historyUp: input.historyUp()
        case .historyDown: input.historyDown()
        case .left: input.left()
        case .right: input.right()
        case .home:
            if input.isEmpty { scrollOffset = max(0, stream.count - 1) } else { input.home() }
        case .end:
            if input.isEmpty { scrollOffset = 0; selected = nil } else { input.end() }
        case .startOfLine: input.home()
        case .endOfLine: input.end()
        case .backspace: input.backspace(); info = nil
        case .deleteForward: input.deleteForward()
        case .killToEnd: input.killToEnd()
        case .killToStart: input.killToStart()
        case .killWord: input.killWord()
        case .scrollUp: scrollOffset = min(max(0, stream.count - 1), scrollOffset + max(1, streamRows - 1))
        case .scrollDown: scrollOffset = max(0, scrollOffset - max(1, streamRows - 1))
        case .selectPrevious: select(previous: true)
        case .selectNext: select(previous: false)
        case .followLatest:
            selected = nil
            info = nil
            scrollOffset = 0
            explainerScroll = 0
        case .explainerUp: explainerScroll = max(0, explainerScroll - max(1, explainerRows / 2))
        case .explainerDown: explainerScroll += max(1, explainerRows / 2)
        case .help: helpVisible.toggle(); helpScroll = 0
        case .toggleLineEndings: showLineEndings.toggle()
        case .redraw: break
        case .quit:
            wantsQuit = true
            return [.quit]
        case .quitIfEmpty:
            if input.isEmpty {
                wantsQuit = true
                return [.quit]
            }
            input.deleteForward()
        }
        return []
    }

    /// Moves the selection one entry up or down: a reply counts as one entry.
    mutating func select(previous: Bool) {
        guard !stream.isEmpty else { return }
        let last = stream.endIndex - 1
        var index = selected ?? (previous ? last + 1 : last)
        if previous {
            if let line = stream.line(index), line.kind == .received { index -= line.replyBack }
            index -= 1
            if let line = stream.line(index), line.kind == .received { index -= line.replyBack }
            index = max(stream.firstIndex, index)
        } else {
            while let line = stream.line(index), !line.isFinal, line.kind == .received, index < last { index += 1 }
            index = min(last, index + 1)
            if let line = stream.line(index), line.kind == .received { index -= line.replyBack }
        }
        selected = index
        info = nil
        explainerScroll = 0
        // Keep the selection on screen.
        let fromBottom = last - index
        if fromBottom < scrollOffset { scrollOffset = fromBottom }
        if fromBottom > scrollOffset + streamRows - 2 { scrollOffset = max(0, fromBottom - streamRows / 2) }
    }

    // MARK: - Sending

    mutating func submit() -> [Effect] {
        let mode = session?.inputMode ?? .command
        let line = input.take(remember: mode == .command)
        info = nil
        selected = nil
        scrollOffset = 0
        explainerScroll = 0
        if line.hasPrefix("/") && !line.hasPrefix("//") {
            let name = line.dropFirst().split(separator: " ", maxSplits: 1).first.map(String.init) ?? ""
            if mode == .command || SlashCommand.find(name) != nil {
                return slash(String(line.dropFirst()))
            }
        }
        let text = line.hasPrefix("//") ? String(line.dropFirst()) : line
        guard isConnected else { return local(UIText.notConnectedError[language], kind: .warning) }
        return transmit { session, time in session.submit(text, at: time) }
    }

    // MARK: - Slash commands

    mutating func slash(_ text: String) -> [Effect] {
        let parts = text.split(separator: " ", maxSplits: 1).map(String.init)
        let name = (parts.first ?? "").lowercased()
        let argument = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        switch name {
        case "connect":
            let words = argument.split(separator: " ").map(String.init)
            guard let target = words.first ?? host else { return usage("connect") }
            var port = words.count > 1 ? Int(words[1]) : (words.isEmpty ? self.port : (config.implicitTLS ? 465 : 25))
            if words.count > 1 && port == nil { return usage("connect") }
            if port.map({ !(1...65535).contains($0) }) ?? false { port = nil }
            guard let port else { return usage("connect") }
            return [.disconnect] + connect(host: target, port: port)
        case "starttls":
            guard isConnected else { return local(UIText.notConnectedError[language], kind: .warning) }
            return transmit { session, time in session.send(Command(.starttls), at: time) }
        case "auth":
            let words = argument.split(separator: " ").map(String.init)
            guard words.count == 2, let mechanism = SASLClient.Mechanism(name: words[0]) else { return usage("auth") }
            guard isConnected else { return local(UIText.notConnectedError[language], kind: .warning) }
            if mechanism == .cramMD5 && config.hmacMD5 == nil { return usage("auth") }
            secretPrompt = SecretPrompt(mechanism: mechanism, user: words[1])
            return []
        case "b64":
            guard !argument.isEmpty else { return usage("b64") }
            info = base64Explanation(argument)
            return []
        case "save":
            guard !argument.isEmpty else { return usage("save") }
            let (contents, count) = transcript(json: argument.lowercased().hasSuffix(".jsonl"))
            return [.save(path: argument, contents: contents, lines: count)]
        case "raw":
            guard !argument.isEmpty, isConnected else {
                return argument.isEmpty ? usage("raw") : local(UIText.notConnectedError[language], kind: .warning)
            }
            let bytes = Self.unescape(argument)
            let secure = session?.isTLS ?? false
            stream.append(.sent, bytes, tls: secure, time: elapsedMilliseconds)
            return [.send(bytes), .record(entry(.sent, bytes, tls: secure))]
        case "lang":
            guard let chosen = Language(rawValue: argument.lowercased()) else { return usage("lang") }
            language = chosen
            explainer = Explainer(language: chosen)
            return local(UIText.languageSet[language])
        case "clear":
            stream.removeAll()
            notes = [:]
            masked = [:]
            selected = nil
            scrollOffset = 0
            lastReplyLine = nil
            replyStart = nil
            return []
        case "help":
            helpVisible = true
            helpScroll = 0
            return []
        case "quit", "exit", "q":
            wantsQuit = true
            return [.quit]
        default:
            return local(UIText.unknownSlash.format(name)[language], kind: .warning)
        }
    }

    mutating func usage(_ name: String) -> [Effect] {
        local(UIText.usage.format(SlashCommand.find(name)?.usage ?? "/" + name)[language], kind: .warning)
    }

    func base64Explanation(_ text: String) -> Explanation {
        var items = [Explanation.Item(UIText.encoded[language], Data(text.utf8).base64EncodedString())]
        if let data = Data(base64Encoded: text) {
            items.append(.init(UIText.decoded[language], VisibleText.escape(Array(data))))
        }
        return Explanation(kind: .unknown, subject: text, title: "/b64 " + text, recognized: true,
                           sections: [.init(items: items)])
    }

    /// `\r`, `\n`, `\t`, `\\` and `\xNN` in a /raw argument.
    static func unescape(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var characters = Array(text.utf8)[...]
        while let byte = characters.popFirst() {
            guard byte == UInt8(ascii: "\\"), let next = characters.first else {
                bytes.append(byte)
                continue
            }
            switch next {
            case UInt8(ascii: "r"): bytes.append(0x0D); characters.removeFirst()
            case UInt8(ascii: "n"): bytes.append(0x0A); characters.removeFirst()
            case UInt8(ascii: "t"): bytes.append(0x09); characters.removeFirst()
            case UInt8(ascii: "\\"): bytes.append(0x5C); characters.removeFirst()
            case UInt8(ascii: "x"):
                let hex = characters.dropFirst().prefix(2)
                if hex.count == 2, let value = UInt8(String(decoding: hex, as: UTF8.self), radix: 16) {
                    bytes.append(value)
                    characters.removeFirst(3)
                } else {
                    bytes.append(byte)
                }
            default: bytes.append(byte)
            }
        }
        return bytes
    }

    /// The stream as a transcript file: JSON Lines or swaks-style text.
    func transcript(json: Bool) -> (String, Int) {
        var lines: [String] = []
        let start = clock.wall().addingTimeInterval(-elapsedMilliseconds / 1000)
        for index in stream.firstIndex..<stream.endIndex {
            guard let line = stream.line(index) else { continue }
            let direction: TranscriptEntry.Direction
            switch line.kind {
            case .sent: direction = .sent
            case .received, .stray: direction = .received
            case .local, .warning: direction = .local
            }
            var record = TranscriptEntry(direction: direction, bytes: Array(line.bytes),
                                         time: start.addingTimeInterval(line.time / 1000), tls: line.tls,
                                         latency: line.latency.map { $0 / 1000 })
            if line.sensitive { record.masked = masked[index] ?? Secrets.mask }
            if let answers = line.answers, let sent = stream.line(answers) {
                record.answers = masked[answers] ?? VisibleText.escape(sent.bytes)
            }
            lines.append(json ? TranscriptFormat.jsonLine(record, showSecrets: config.showSecrets)
                              : TranscriptFormat.text(record, showSecrets: config.showSecrets))
        }
        return (lines.joined(separator: "\n") + (lines.isEmpty ? "" : "\n"), lines.count)
    }

    // MARK: - Completion

    static let completions: [String] = Verb.allCases.map { verb in
        switch verb {
        case .mail: return "MAIL FROM:<"
        case .rcpt: return "RCPT TO:<"
        default: return verb.argument == .none ? verb.rawValue : verb.rawValue + " "
        }
    }

    mutating func complete() {
        let text = input.text
        let word = input.currentWord
        if text.hasPrefix("/") && !text.dropFirst().contains(" ") {
            let prefix = text.dropFirst().lowercased()
            let matches = SlashCommand.all.filter { $0.name.hasPrefix(prefix) }
            offer(matches.map { "/" + $0.name + ($0.name == "help" || $0.name == "quit" || $0.name == "clear" ? "" : " ") },
                  replacingFrom: 0)
            return
        }
        guard word.start == 0, !word.text.isEmpty else { return }
        let prefix = word.text.uppercased()
        offer(Self.completions.filter { $0.hasPrefix(prefix) }, replacingFrom: 0)
    }

    mutating func offer(_ matches: [String], replacingFrom start: Int) {
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
        info = Explanation.page(UIText.completions[language],
                                sections: [.init(paragraphs: [matches.map { $0.trimmingCharacters(in: .whitespaces) }
                                    .joined(separator: "  ")])])
    }
}
