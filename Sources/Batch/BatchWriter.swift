import Conversation
import FaceIO
import Foundation
import SMTPCore
import SMTPKnowledge

/// How batch mode prints the conversation.
public enum BatchFormat: String, CaseIterable, Sendable {
    case text, jsonl, markdown
}

/// Prints batch mode's transcript from the conversation's log: swaks-style text and JSON Lines
/// as each line is logged, or a Markdown handout at the end, each exchange with its explanation.
/// Every line goes through the display policy before it is printed.
final class BatchWriter {
    /// Dialog lines a handout keeps; the rest are counted (a flood stays bounded).
    static let handoutLineLimit = 10_000

    let format: BatchFormat
    let explain: Bool
    let showSecrets: Bool
    let output: (String) -> Void
    /// `--record`: every line, as it happens, whatever the output format.
    var record: RecordWriter?
    /// Why `--record` stopped, if it did, and its file.
    private(set) var recordFailure: String?
    private(set) var recordPath: String?
    var label = ""
    var started = Date()
    /// The handout: blocks of dialog, each followed by its explanation.
    var blocks: [(dialog: [String], notes: [String])] = []
    var handoutLines = 0
    var handoutDropped = 0
    var lastWasReply = false

    init(format: BatchFormat, explain: Bool, showSecrets: Bool, record: RecordWriter?, output: @escaping (String) -> Void) {
        self.record = record
        self.format = format
        self.explain = explain
        self.showSecrets = showSecrets
        self.output = output
    }

    func begin(label: String, at time: Date) {
        self.label = label
        started = time
    }

    /// One new line of the log.
    func write(_ index: Int, of conversation: Conversation) {
        guard var entry = conversation.record(index), let logged = conversation.log[index] else { return }
        let language = conversation.language
        let explainer = Explainer(language: language)
        if let writer = record {
            do {
                try writer.write(entry)
            } catch {
                record = nil
                recordPath = writer.path
                recordFailure = "\(error)"
            }
        }
        // Only what is shown is explained: a plain transcript does not wait for the knowledge tables.
        let wanted = explain || format == .markdown
        let explanation = wanted && logged.isReply && logged.isFinal ? conversation.explanation(of: index, explainer: explainer) : nil
        var facts: [String] = []
        if case .tlsEstablished(let info, _)? = entry.event { facts = explainer.tlsFacts(info, at: entry.time) }
        switch format {
        case .text:
            emit(TranscriptFormat.text(entry, showSecrets: showSecrets))
            for line in facts { emit("***   " + line) }
            if explain, let explanation {
                emit("    = " + explanation.summary)
                for note in Self.notes(explanation) { emit("    = " + note) }
            }
        case .jsonl:
            if explain, let explanation {
                entry.explanation = explanation.summary
                entry.notes = Self.notes(explanation)
            }
            emit(TranscriptFormat.jsonLine(entry, showSecrets: showSecrets))
        case .markdown:
            let text = entry.isSensitive && !showSecrets ? entry.text() : VisibleText.escape(entry.bytes)
            let marked: String
            switch entry.direction {
            case .sent: marked = "C: " + text
            case .received: marked = "S: " + text
            case .local: marked = "*** " + text
            }
            if blocks.isEmpty || (lastWasReply && entry.direction != .received) { blocks.append(([], [])) }
            lastWasReply = entry.direction == .received
            if handoutLines >= Self.handoutLineLimit {
                handoutDropped += 1
                return
            }
            handoutLines += 1
            blocks[blocks.count - 1].dialog.append(marked)
            for line in facts { blocks[blocks.count - 1].dialog.append("***   " + line) }
            if let explanation { blocks[blocks.count - 1].notes += handoutNote(explanation) }
        }
    }

    /// What the screen shows beside a summary that a transcript must carry too: the envelope
    /// and the headers of an accepted message, a line each.
    static func notes(_ explanation: Explanation) -> [String] {
        explanation.sections.filter { $0.role == .envelope }.flatMap { section in
            section.items.map { $0.term.hasSuffix(":") ? "\($0.term) \($0.text)" : "\($0.term): \($0.text)" } + section.paragraphs
        }
    }

    /// The explanation as a quoted block: paragraphs apart, list items together, the
    /// digit-by-digit items left out (the handout says what the codes mean, not how to read them).
    func handoutNote(_ explanation: Explanation) -> [String] {
        var lines = ["> **" + Self.markdownEscape(explanation.title) + "**"]
        for section in explanation.sections where !section.isDigitBreakdown {
            var text: [String] = []
            if let heading = section.heading { text.append("*" + Self.markdownEscape(heading) + "*") }
            text += section.paragraphs.map(Self.markdownEscape)
            if !text.isEmpty { lines += [">", "> " + text.joined(separator: " — ")] }
            let items = section.items.filter { !$0.isDigit }
            if !items.isEmpty { lines.append(">") }
            for item in items {
                lines.append("> - `" + item.term.replacingOccurrences(of: "`", with: "'") + "`: " + Self.markdownEscape(item.text))
            }
        }
        return lines
    }

    static func longestBacktickRun(_ text: String) -> Int {
        var longest = 0, run = 0
        for character in text {
            run = character == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        return longest
    }

    static func markdownEscape(_ text: String) -> String {
        var out = ""
        for character in text {
            if "\\*_`[]<>#|".contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }

    /// A teacher's note, before the explanation of the exchange just written.
    func note(_ text: String, language: Language) {
        guard format == .markdown, !blocks.isEmpty else { return }
        let heading = Localized("Note", "备注")[language]
        blocks[blocks.count - 1].notes.insert(contentsOf: ["> 📝 **" + heading + ":** " + Self.markdownEscape(text), ">"], at: 0)
    }

    func finish(language: Language) {
        guard format == .markdown else { return }
        let title = Localized("SMTP session with {0}", "与 {0} 的 SMTP 会话").format(label)[language]
        let intro = Localized(
            "Recorded by smtpx on {0}. Lines marked `C:` are what the client sent, `S:` what the server answered; each exchange is followed by what its reply means.",
            "由 smtpx 于 {0} 记录。`C:` 开头的行是客户端发送的，`S:` 开头的行是服务器的回答；每次交换之后都附有回复的解释。")
            .format(TranscriptFormat.timestamp(started))[language]
        var lines = ["# " + Self.markdownEscape(title), "", "*" + intro + "*", ""]
        for block in blocks where !block.dialog.isEmpty || !block.notes.isEmpty {
            // A fence longer than any run of backticks the server sent, so none can end it.
            let fence = String(repeating: "`", count: max(3, (block.dialog.map(Self.longestBacktickRun).max() ?? 0) + 1))
            lines.append(fence + "text")
            lines += block.dialog
            lines.append(fence)
            lines.append("")
            if !block.notes.isEmpty {
                lines += block.notes
                lines.append("")
            }
        }
        if handoutDropped > 0 {
            lines.append("*" + Localized("… and {0} more lines, not shown.", "……还有 {0} 行未显示。").format(handoutDropped)[language] + "*")
        }
        for line in lines { emit(line) }
    }

    /// Every line batch mode prints goes through the display policy (``VisibleText``): the
    /// last defence if a text built from the server's words missed its escape.
    func emit(_ line: String) {
        output(VisibleText.sanitize(line))
    }
}

/// A Markdown handout of a recording: the dialog, each reply's explanation, and the teacher's
/// notes at the steps they belong to (`smtpx replay FILE --handout`).
public enum Handout {
    /// `boundaries[k]` is the entry index where step k ends, as replay counts steps.
    public static func markdown(entries: [TranscriptEntry], name: String, language: Language, notes: [Int: String],
                                boundaries: [Int]) -> String {
        var text = ""
        let writer = BatchWriter(format: .markdown, explain: true, showSecrets: false, record: nil) { text += $0 + "\n" }
        let first = entries.first?.time ?? Date()
        writer.begin(label: name, at: first)
        let wire = entries.first { $0.direction != .local }
        var conversation = Conversation(config: ConversationConfig(target: Target(host: name, port: 0, implicitTLS: wire?.tls ?? false),
                                                                   language: language, scrollback: entries.count + 100),
                                        at: Moment(monotonic: 0, wall: first))
        var printed = 0
        for (index, entry) in entries.enumerated() {
            conversation.replay(entry, since: first)
            while printed < conversation.log.endIndex {
                writer.write(printed, of: conversation)
                printed += 1
            }
            if let step = boundaries.firstIndex(of: index + 1), let note = notes[step] { writer.note(note, language: language) }
        }
        writer.finish(language: language)
        return text
    }
}
