import Foundation
import SMTPCore
import SMTPKnowledge

/// Prints batch mode's transcript: swaks-style text and JSON Lines as they happen, or a
/// Markdown handout at the end, each exchange with its explanation.
final class BatchWriter {
    let format: BatchFormat
    let explain: Bool
    let language: Language
    let showSecrets: Bool
    let output: (String) -> Void
    /// `--record`: every line, as it happens, whatever the output format.
    var record: RecordWriter?
    let explainer: Explainer
    var host = ""
    var started = Date()
    /// The handout: blocks of dialog, each followed by its explanation.
    var blocks: [(dialog: [String], notes: [String])] = []
    var lastWasReply = false

    init(format: BatchFormat, explain: Bool, language: Language, showSecrets: Bool, record: RecordWriter?,
         output: @escaping (String) -> Void) {
        self.record = record
        self.format = format
        self.explain = explain
        self.language = language
        self.showSecrets = showSecrets
        self.output = output
        explainer = Explainer(language: language)
    }

    func begin(host: String) {
        self.host = host
        started = Date()
    }

    /// One line of the conversation; `reply` is set on a reply's last line.
    func write(_ entry: TranscriptEntry, reply: Reply? = nil, answering: Command? = nil) {
        var entry = entry
        if let writer = record {
            do { try writer.write(entry) } catch { record = nil }
        }
        let explanation = reply.map { explainer.explain(reply: $0, answering: answering) }
        switch format {
        case .text:
            emit(TranscriptFormat.text(entry, showSecrets: showSecrets))
            if explain, let explanation { emit("    = " + summary(explanation)) }
        case .jsonl:
            if explain, let explanation { entry.explanation = summary(explanation) }
            emit(TranscriptFormat.jsonLine(entry, showSecrets: showSecrets))
        case .markdown:
            let line = entry.isSensitive && !showSecrets ? entry.text() : VisibleText.escape(entry.bytes)
            let marked: String
            switch entry.direction {
            case .sent: marked = "C: " + line
            case .received: marked = "S: " + line
            case .local: marked = "*** " + line
            }
            if blocks.isEmpty || (lastWasReply && entry.direction != .received) { blocks.append(([], [])) }
            blocks[blocks.count - 1].dialog.append(marked)
            lastWasReply = entry.direction == .received
            if let explanation { blocks[blocks.count - 1].notes += handoutNote(explanation) }
        }
    }

    /// "title: the first words of its meaning", on one line.
    func summary(_ explanation: Explanation) -> String {
        let meaning = explanation.sections.first { $0.heading != nil && !$0.paragraphs.isEmpty && !$0.isContext }?
            .paragraphs.first
        return explanation.title + (meaning.map { ": " + $0 } ?? "")
    }

    /// The explanation as a quoted block: paragraphs apart, list items together, the
    /// digit-by-digit items left out (the handout says what the codes mean, not how to read them).
    func handoutNote(_ explanation: Explanation) -> [String] {
        var lines = ["> **" + Self.markdownEscape(explanation.title) + "**"]
        for section in explanation.sections {
            if section.isDigitBreakdown { continue }
            var text: [String] = []
            if let heading = section.heading { text.append("*" + Self.markdownEscape(heading) + "*") }
            text += section.paragraphs.map(Self.markdownEscape)
            if !text.isEmpty { lines += [">", "> " + text.joined(separator: " — ")] }
            let items = section.items.filter { !Self.isDigitTerm($0.term) }
            if !items.isEmpty { lines.append(">") }
            for item in items {
                lines.append("> - `" + item.term.replacingOccurrences(of: "`", with: "'") + "`: " + Self.markdownEscape(item.text))
            }
        }
        return lines
    }

    /// "5yz", "x5z", "xy0", "5.x.x", "x.1.x": the digit-by-digit items.
    static func isDigitTerm(_ term: String) -> Bool {
        let digitsOrX = term.allSatisfy { $0.isNumber || $0 == "x" || $0 == "y" || $0 == "z" || $0 == "." }
        return digitsOrX && term.contains(where: { $0 == "x" || $0 == "y" || $0 == "z" })
    }

    static func markdownEscape(_ text: String) -> String {
        var out = ""
        for character in text {
            if "\\*_`[]<>#|".contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }

    func finish() {
        guard format == .markdown else { return }
        let title = Localized("SMTP session with {0}", "与 {0} 的 SMTP 会话").format(host)[language]
        let intro = Localized(
            "Recorded by smtpx on {0}. Lines marked `C:` are what the client sent, `S:` what the server answered; each exchange is followed by what its reply means.",
            "由 smtpx 于 {0} 记录。`C:` 开头的行是客户端发送的，`S:` 开头的行是服务器的回答；每次交换之后都附有回复的解释。")
            .format(TranscriptFormat.timestamp(started))[language]
        var lines = ["# " + Self.markdownEscape(title), "", "*" + intro + "*", ""]
        for block in blocks {
            lines.append("```text")
            lines += block.dialog
            lines.append("```")
            lines.append("")
            if !block.notes.isEmpty {
                lines += block.notes
                lines.append("")
            }
        }
        for line in lines { emit(line) }
    }

    /// Every line batch mode prints goes through the display policy (``VisibleText``): the
    /// last defence if a text built from the server's words missed its escape.
    func emit(_ line: String) {
        output(VisibleText.sanitize(line))
    }
}
