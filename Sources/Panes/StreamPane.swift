import Conversation
import SMTPCore
import SMTPKnowledge

/// The raw stream: newest line at the bottom, swaks marks, visible escapes, latency, and the
/// lines typed but not yet sent. Its state is where the view is scrolled to and which line is
/// selected.
public struct StreamPane: Sendable {
    static let maxRowsPerLine = 6

    /// Lines scrolled up from the bottom.
    public internal(set) var scrollOffset = 0
    /// The selected line (a reply is selected by its first line).
    public internal(set) var selected: Int?
    public internal(set) var showLineEndings = false

    public init() {}

    /// What the pane draws from.
    struct Source {
        let log: ConversationLog
        let queued: [String]
        let language: Language
        let showSecrets: Bool
    }

    // MARK: - Keys

    mutating func scroll(up: Bool, rows: Int, log: ConversationLog) {
        let page = max(1, rows - 1)
        scrollOffset = up ? min(max(0, log.count - 1), scrollOffset + page) : max(0, scrollOffset - page)
    }

    mutating func top(_ log: ConversationLog) { scrollOffset = max(0, log.count - 1) }

    mutating func bottom() {
        scrollOffset = 0
        selected = nil
    }

    mutating func toggleLineEndings() { showLineEndings.toggle() }

    mutating func reset() {
        scrollOffset = 0
        selected = nil
    }

    /// Moves the selection one entry up or down: a reply counts as one entry.
    mutating func select(previous: Bool, log: ConversationLog, rows: Int) {
        guard !log.isEmpty else { return }
        let last = log.endIndex - 1
        var index = selected ?? (previous ? last + 1 : last)
        if previous {
            if let line = log[index], line.isReply { index -= line.replyBack }
            index -= 1
            if let line = log[index], line.isReply { index -= line.replyBack }
            index = max(log.firstIndex, index)
        } else {
            while let line = log[index], !line.isFinal, line.isReply, index < last { index += 1 }
            index = min(last, index + 1)
            if let line = log[index], line.isReply { index -= line.replyBack }
        }
        selected = index
        // Keep the selection on screen.
        let fromBottom = last - index
        if fromBottom < scrollOffset { scrollOffset = fromBottom }
        if fromBottom > scrollOffset + rows - 2 { scrollOffset = max(0, fromBottom - rows / 2) }
    }

    /// The selection, if its line is still kept.
    func selection(in log: ConversationLog) -> Int? { selected.flatMap { log[$0] != nil ? $0 : nil } }

    // MARK: - Drawing

    func draw(_ source: Source, into canvas: inout Canvas, rect: Rect) {
        guard rect.height > 0, rect.width > 8 else { return }
        let log = source.log
        var y = rect.maxY - 1
        if scrollOffset == 0 {
            // Lines typed and not yet sent, under the stream, newest at the bottom.
            for text in source.queued.suffix(max(0, rect.height / 3)).reversed() where y >= rect.y {
                let shown = TextWidth.truncate("…  " + VisibleText.sanitize(text), to: rect.width - 1)
                canvas.put(shown, x: rect.x, y: y, role: .dim)
                y -= 1
            }
        }
        var index = log.endIndex - 1 - scrollOffset
        let chosen = selection(in: log).flatMap { log[$0] }
        while y >= rect.y, index >= log.firstIndex {
            guard let line = log[index] else { break }
            let rows = layout(line, source, width: rect.width)
            let isSelected = chosen.map { chosen in
                if chosen.isReply && line.isReply { return index - line.replyBack == chosen.index - chosen.replyBack }
                return chosen.index == index
            } ?? false
            for row in rows.reversed() {
                guard y >= rect.y else { break }
                var x = rect.x
                for span in row {
                    x += canvas.put(span.text, x: x, y: y, role: span.role, limit: rect.maxX - x)
                }
                if isSelected { canvas.invert(row: y, from: rect.x, to: rect.maxX) }
                y -= 1
            }
            index -= 1
        }
    }

    struct Span {
        var text: String
        var role: Role
    }

    /// The rows of one line: mark, text wrapped under itself, latency at the right.
    func layout(_ line: LogEntry, _ source: Source, width: Int) -> [[Span]] {
        let (mark, role) = Self.mark(line)
        var segments: [VisibleText.Segment]
        if line.sensitive && !source.showSecrets {
            segments = [VisibleText.Segment(text: source.log.display(line.index), isEscape: false)]
        } else if line.isLocal {
            // A local event says itself in the language of the moment.
            let words = source.log.event(line.index).map { $0.words[source.language] } ?? VisibleText.escape(line.bytes)
            segments = [VisibleText.Segment(text: words, isEscape: false)]
        } else {
            segments = VisibleText.segments(line.bytes, lineEndings: showLineEndings)
        }
        let textWidth = width - 4
        var rows: [[Span]] = [[Span(text: mark + " ", role: role)]]
        var used = 0
        for segment in segments {
            let segmentRole: Role = segment.isEscape ? .escape : role
            var chunk = ""
            for character in segment.text {
                let w = TextWidth.of(character)
                if used + w > textWidth {
                    rows[rows.count - 1].append(Span(text: chunk, role: segmentRole))
                    chunk = ""
                    if rows.count == Self.maxRowsPerLine {
                        rows[rows.count - 1].append(Span(text: "…", role: .dim))
                        return finish(rows, line: line, log: source.log, width: width)
                    }
                    rows.append([Span(text: "    ", role: role)])
                    used = 0
                }
                chunk.append(character)
                used += w
            }
            if !chunk.isEmpty { rows[rows.count - 1].append(Span(text: chunk, role: segmentRole)) }
        }
        return finish(rows, line: line, log: source.log, width: width)
    }

    /// The latency at the right of a reply's first line (to its first byte), and on the last
    /// line of a reply of several lines, the time to it.
    func finish(_ rows: [[Span]], line: LogEntry, log: ConversationLog, width: Int) -> [[Span]] {
        let label: String
        if let first = line.latencySeconds {
            label = " +" + Self.format(milliseconds: first * 1000)
        } else if let last = line.lastLineLatencySeconds,
                  Self.format(milliseconds: last * 1000)
                    != log[line.index - line.replyBack]?.latencySeconds.map({ Self.format(milliseconds: $0 * 1000) }) {
            label = " …" + Self.format(milliseconds: last * 1000)
        } else {
            return rows
        }
        var rows = rows
        let used = rows[0].reduce(0) { $0 + TextWidth.of($1.text) }
        if used + TextWidth.of(label) <= width {
            rows[0].append(Span(text: String(repeating: " ", count: width - used - TextWidth.of(label)), role: .normal))
            rows[0].append(Span(text: label, role: .dim))
        }
        return rows
    }

    static func format(milliseconds: Double) -> String {
        if milliseconds < 10 { return String(format: "%.1fms", milliseconds) }
        if milliseconds < 10_000 { return "\(Int(milliseconds.rounded()))ms" }
        return String(format: "%.1fs", milliseconds / 1000)
    }

    static func mark(_ line: LogEntry) -> (String, Role) {
        switch line.kind {
        case .sent: return (line.tls ? " ~>" : " ->", .sent)
        case .received: return (line.tls ? "<~ " : "<- ", role(code: line.code))
        case .stray: return (line.tls ? "<~?" : "<-?", .problem)
        case .note, .tls: return ("***", .local)
        case .warning: return ("***", .warning)
        }
    }

    static func role(code: Int?) -> Role {
        switch (code ?? 0) / 100 {
        case 2: return .reply2
        case 3: return .reply3
        case 4: return .reply4
        case 5: return .reply5
        default: return .replyOther
        }
    }
}
