import Foundation
import SMTPCore
import SMTPKnowledge

extension Conversation {
    /// Carries out one slash command from the table.
    mutating func run(_ invocation: SlashCommand.Invocation, _ command: SlashCommand,
                      at moment: Moment) -> [ConversationEffect] {
        let arguments = invocation.arguments
        let usage = { (self: inout Conversation) -> [ConversationEffect] in
            self.note(.usage(command.usage), at: moment)
            return []
        }
        switch command.action {
        case .connect:
            guard let next = connectTarget(arguments) else { return usage(&self) }
            // /connect speaks the protocol of the moment.
            let closing: [ConversationEffect] = isConnected || link != .idle ? [.close] : []
            dropQueue(.closed, at: moment)
            return closing + connect(to: next, at: moment)
        case .route:
            guard arguments.count == 1 else { return usage(&self) }
            return beginRoute(arguments[0], connect: false, port: 25, at: moment)
        case .mx:
            guard (1...2).contains(arguments.count) else { return usage(&self) }
            var port = 25
            if arguments.count == 2 {
                guard let given = Int(arguments[1]), (1...65535).contains(given) else { return usage(&self) }
                port = given
            }
            let closing: [ConversationEffect] = isConnected || link != .idle ? [.close] : []
            dropQueue(.closed, at: moment)
            return closing + beginRoute(arguments[0], connect: true, port: port, at: moment)
        case .pop3:
            return switchProtocol(.pop3, arguments, usage: command.usage, at: moment)
        case .smtp:
            return switchProtocol(.smtp, arguments, usage: command.usage, at: moment)
        case .starttls:
            guard isConnected else { note(.notConnected, at: moment); return [] }
            if pop3 != nil { return transmitPOP3({ session, time in session.send(POP3Command(.stls), at: time) }, at: moment) }
            return transmit({ session, time in session.send(Command(.starttls), at: time) }, at: moment)
        case .auth:
            if pop3 != nil { return startAuthPOP3(arguments, command, at: moment) }
            return startAuth(arguments, command, at: moment)
        case .cert:
            return certificate(arguments, usage: command.usage, at: moment)
        case .b64:
            guard !invocation.text.isEmpty else { return usage(&self) }
            return [.show(base64Page(invocation.text))]
        case .save:
            guard !invocation.text.isEmpty else { return usage(&self) }
            let path = invocation.text
            let (contents, lines) = log.transcript(json: path.lowercased().hasSuffix(".jsonl"), language: language,
                                                   showSecrets: config.showSecrets)
            return [.save(path: path, contents: contents, what: .transcript(lines: lines))]
        case .raw:
            guard !invocation.text.isEmpty else { return usage(&self) }
            guard isConnected else { note(.notConnected, at: moment); return [] }
            let bytes = Self.unescape(invocation.text)
            log.append(.sent, bytes, at: moment.wall, tls: session?.isTLS ?? false)
            tracking.hasSent = true
            return [.send(bytes)]
        case .lang:
            guard arguments.count == 1, let chosen = Language(rawValue: arguments[0].lowercased()) else { return usage(&self) }
            language = chosen
            note(.languageSet(chosen.rawValue), at: moment)
            return [.languageChanged(chosen)]
        case .clear:
            log.removeAll()
            tracking.lastReply = nil
            tracking.lastNote = nil
            tracking.replyStart = nil
            return [.cleared]
        case .help:
            return [.showHelp]
        case .hint:
            return [.hint]
        case .quit:
            return [.quit]
        }
    }

    /// `/connect [--tls] [HOST [PORT]]`; nil for anything else.
    func connectTarget(_ arguments: [String]) -> Target? {
        var words = arguments
        var implicitTLS = false
        if words.first == "--tls" {
            implicitTLS = true
            words.removeFirst()
        }
        guard words.count <= 2, !words.contains(where: { $0.hasPrefix("-") }) else { return nil }
        guard let host = words.first ?? target?.host else { return nil }
        if words.isEmpty, let target { return Target(host: target.host, port: target.port, implicitTLS: implicitTLS || target.implicitTLS) }
        let port: Int
        if words.count == 2 {
            guard let given = Int(words[1]), (1...65535).contains(given) else { return nil }
            port = given
        } else {
            port = implicitTLS ? 465 : 25
        }
        return Target(host: host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")), port: port,
                      implicitTLS: implicitTLS)
    }

    func base64Page(_ text: String) -> Explanation {
        let words = { (text: Localized) in text[self.language] }
        var items = [Explanation.Item(words(Localized("encoded", "编码")), Data(text.utf8).base64EncodedString())]
        if let data = Data(base64Encoded: text) {
            items.append(.init(words(Localized("decoded", "解码")), VisibleText.escape(Array(data))))
        }
        return Explanation(kind: .unknown, subject: text, title: "/b64 " + text, recognized: true,
                           sections: [.init(.decoded, items: items)])
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

    /// A slash command that talks SMTP, typed inside a message or an exchange.
    mutating func refuseHere(_ command: SlashCommand, at moment: Moment) -> [ConversationEffect] {
        note(.notAvailableHere(command.name), at: moment)
        return []
    }

    /// `/cert`: the session and chain in the explainer; `/cert save FILE`: the chain as PEM.
    mutating func certificate(_ arguments: [String], usage: String, at moment: Moment) -> [ConversationEffect] {
        if arguments.isEmpty {
            guard let tls else {
                return [.show(Explainer(language: language).explainNoTLS())]
            }
            return [.show(Explainer(language: language).explain(tls: tls))]
        }
        guard arguments.count == 2, arguments[0].lowercased() == "save" else {
            note(.usage(usage), at: moment)
            return []
        }
        let path = arguments[1]
        guard let chain = tls?.chain, !chain.isEmpty, chain.allSatisfy({ !$0.der.isEmpty }) else {
            note(.saveFailed(path: path, reason: Explainer(language: language).noChainWords), at: moment)
            return []
        }
        return [chainSave(chain, to: path)]
    }

    func chainSave(_ chain: [CertificateSummary], to path: String) -> ConversationEffect {
        .save(path: path, contents: chain.map(\.pem).joined(), what: .chain(certificates: chain.count))
    }
}
