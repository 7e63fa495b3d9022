import Foundation
import SMTPCore

extension Explainer {
    /// Explains whatever was typed or pasted: a reply code, an enhanced code, a whole reply
    /// (one or many lines), an EHLO keyword with parameters, a verb or command, a SASL mechanism.
    public func explain(_ input: String) -> Explanation {
        let text = input.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty {
            return Explanation(kind: .unknown, subject: input, title: t(L("Nothing to explain", "没有要解释的内容")),
                               recognized: false)
        }
        if let reply = Self.parseReply(text) { return explain(reply: reply) }
        if text.hasPrefix("+OK") || text.hasPrefix("-ERR"), let pop3 = parsePOP3(text) { return pop3 }
        if let port = Self.port(text), let explanation = explain(port: port) { return explanation }
        if text.count == 3, let code = Int(text), text.allSatisfy(\.isNumber) { return explain(replyCode: code) }
        if let topic = explain(topic: text) { return topic }
        if let enhanced = parseEnhanced(text) { return enhanced }

        let words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        let head = words[0].uppercased()
        let capability = Capability(text: text)
        if words.count > 1 {
            if Verb(keyword: head) == nil, Extensions.info(capability.keyword) == nil, POP3Verb(keyword: head) != nil {
                let command = POP3Command(parsing: text)
                return explain(pop3Line: command, findings: command.syntaxFindings)
            }
            if Extensions.info(capability.keyword) != nil && Self.isKeywordLine(capability) {
                return explain(capability: capability)
            }
            if Verb(keyword: head) != nil { return explain(command: Command(parsing: text)) }
            if let entry = VerbCatalog.entry(head) { return explain(catalogVerb: entry) }
            if Extensions.info(capability.keyword) != nil { return explain(capability: capability) }
            return unknown(text)
        }
        if capability.legacyEquals, Extensions.info(capability.keyword) != nil { return explain(capability: capability) }

        var found: [Explanation] = []
        if let verb = Verb(keyword: head) { found.append(explain(verb: verb)) }
        if let entry = VerbCatalog.entry(head) { found.append(explain(catalogVerb: entry)) }
        if Extensions.info(head) != nil { found.append(explain(capability: capability)) }
        // A POP3 command (RETR, STAT, UIDL…) when the word is no SMTP one.
        if found.isEmpty, let pop3 = POP3Verb(keyword: head) { found.append(explain(pop3Verb: pop3)) }
        if Mechanisms.info(head) != nil { found.append(explain(mechanism: head)) }
        guard var first = found.first else { return unknown(text) }
        for other in found.dropFirst() {
            // The same word as a keyword or a mechanism: only what it adds, under its own heading.
            let heading = other.kind == .keyword ? L("Also an EHLO keyword: {0}", "也是 EHLO 关键字：{0}")
                : other.kind == .verb ? L("Also a command: {0}", "也是命令：{0}")
                : L("Also a SASL mechanism: {0}", "也是 SASL 机制：{0}")
            first.sections.append(.init(.other, heading: t(heading.format(other.title))))
            first.sections += other.sections.filter { section in
                !first.sections.contains { $0.role == section.role && $0.paragraphs == section.paragraphs && $0.items == section.items }
            }
            first.references += other.references.filter { reference in
                !first.references.contains { $0 == reference || $0.hasPrefix(reference + " ") }
            }
        }
        return first
    }

    /// Splits command-line arguments into the things to explain: `550 5.1.1` is one reply,
    /// `SIZE 35882577` one keyword, `PIPELINING STARTTLS` two keywords.
    public static func things(from arguments: [String]) -> [String] {
        guard arguments.count > 1 else { return arguments }
        let joined = arguments.joined(separator: " ")
        if Topics.info(joined) != nil { return [joined] }
        let first = arguments[0].uppercased()
        if arguments[0].count == 3, arguments[0].allSatisfy(\.isNumber) { return [joined] }
        if Verb(keyword: first) != nil && Extensions.info(first) == nil { return [joined] }
        if let info = Extensions.info(first), info.parameters != nil,
           !arguments.dropFirst().contains(where: { Extensions.info($0) != nil && Mechanisms.info($0) == nil }) {
            return [joined]
        }
        return arguments
    }

    static func parseReply(_ text: String) -> Reply? {
        let lines = text.split(omittingEmptySubsequences: true, whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        guard let first = lines.first, first.count > 4,
              first.prefix(3).allSatisfy(\.isNumber),
              first.dropFirst(3).first == " " || first.dropFirst(3).first == "-" else { return nil }
        var parser = ReplyParser()
        var bytes: [UInt8] = []
        for (index, line) in lines.enumerated() {
            var line = line
            // A pasted reply may have lost its last line's space: treat the last line as final.
            if index == lines.count - 1, line.count > 3, line.dropFirst(3).first == "-" {
                line = String(line.prefix(3)) + " " + line.dropFirst(4)
            }
            bytes += Array((line + "\r\n").utf8)
        }
        parser.feed(bytes)
        var replies: [Reply] = []
        while let event = parser.next() {
            if case .reply(let reply) = event { replies.append(reply) }
        }
        return replies.first
    }

    func parseEnhanced(_ text: String) -> Explanation? {
        if let code = EnhancedStatusCode(text) { return explain(enhanced: code) }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[1].allSatisfy(\.isNumber), parts[2].allSatisfy(\.isNumber),
              !parts[1].isEmpty, !parts[2].isEmpty, parts[1].count <= 3, parts[2].count <= 3,
              let subject = Int(parts[1]), let detail = Int(parts[2]) else { return nil }
        if parts[0].uppercased() == "X" {
            return explainEnhanced(classValue: nil, subject: subject, detail: detail, display: "X.\(subject).\(detail)")
        }
        guard parts[0].count == 1, let classValue = Int(parts[0]) else { return nil }
        var explanation = explainEnhanced(classValue: classValue, subject: subject, detail: detail, display: text)
        explanation.recognized = false
        explanation.sections.insert(.init(.problems, heading: t(Words.problems), paragraphs: [
            t(L("{0} is not a class: RFC 3463 defines 2 (success), 4 (transient) and 5 (permanent).",
                "{0} 不是有效的类别：RFC 3463 只定义了 2（成功）、4（暂时）和 5（永久）。").format(classValue)),
        ]), at: 0)
        return explanation
    }

    static func isKeywordLine(_ capability: Capability) -> Bool {
        switch capability.keyword {
        case "AUTH", "X-EXPS":
            return capability.parameters.allSatisfy { Mechanisms.info($0) != nil }
        case "SIZE", "DELIVERBY":
            return capability.parameters.count <= 1 && capability.parameters.allSatisfy { Int($0) != nil }
        default:
            return Verb(keyword: capability.keyword) == nil
        }
    }

    func unknown(_ text: String) -> Explanation {
        let word = text.split(separator: " ").first.map(String.init) ?? text
        var paragraphs: [String] = []
        if word.allSatisfy({ $0.isNumber }) {
            let ports = Ports.all.map(\.port).sorted().map(String.init).joined(separator: ", ")
            paragraphs.append(t(L("A reply code has exactly three digits, an enhanced code is class.subject.detail (5.1.1); the mail ports smtpx knows are {0}.",
                                  "回复码正好是三位数字，增强状态码的格式是「类别.主题.细节」（例如 5.1.1）；smtpx 认识的邮件端口有 {0}。")
                .format(ports)))
        } else if word.uppercased().hasPrefix("X") {
            paragraphs.append(unknownKeywordText(word.uppercased()))
        } else {
            paragraphs.append(t(L("Not a reply code, enhanced code, port, EHLO keyword, SMTP verb, SASL mechanism or topic that smtpx knows.",
                                  "不是 smtpx 认识的回复码、增强状态码、端口、EHLO 关键字、SMTP 命令、SASL 机制或主题。")))
        }
        return Explanation(kind: .unknown, subject: text,
                           title: VisibleText.escape(Array(word.utf8)) + " — " + t(L("not recognized", "无法识别")),
                           recognized: false, sections: [.init(paragraphs: paragraphs)])
    }

    /// A verb outside the session's own: LMTP's, Sendmail's, Postfix's, Exchange's.
    public func explain(catalogVerb entry: VerbEntry) -> Explanation {
        Explanation(kind: .verb, subject: entry.keyword, title: "\(entry.keyword) — \(entry.server)", recognized: true,
                    sections: [.init(.syntax, heading: t(Words.syntax), paragraphs: [entry.syntax]),
                               .init(.meaning, heading: t(Words.meaning), paragraphs: [t(entry.meaning)]),
                               .init(.status, heading: t(Words.status), paragraphs: [t(entry.standing.text)])],
                    references: [entry.reference])
    }
}
