import SMTPCore
import SMTPKnowledge

/// Draws the raw stream: newest line at the bottom, swaks marks, visible escapes, latency.
struct StreamPane {
    static let maxRowsPerLine = 6

    let stream: StreamBuffer
    let scrollOffset: Int
    let selected: Int?
    let showLineEndings: Bool
    let masked: [Int: String]

    func draw(into canvas: inout Canvas, rect: Rect) {
        guard rect.height > 0, rect.width > 8 else { return }
        var y = rect.maxY - 1
        var index = stream.endIndex - 1 - scrollOffset
        while y >= rect.y, index >= stream.firstIndex {
            guard let line = stream.line(index) else { break }
            let rows = layout(line, width: rect.width)
            let isSelected = selected.map { selected in
                guard let chosen = stream.line(selected) else { return false }
                if chosen.kind == .received && line.kind == .received {
                    return index - line.replyBack == selected - chosen.replyBack
                }
                return selected == index
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
    func layout(_ line: StreamLine, width: Int) -> [[Span]] {
        let (mark, role) = Self.mark(line)
        var segments: [VisibleText.Segment]
        if line.sensitive {
            segments = [VisibleText.Segment(text: masked[line.index] ?? Secrets.mask, isEscape: false)]
        } else if line.kind == .local || line.kind == .warning {
            segments = [VisibleText.Segment(text: VisibleText.escape(line.bytes), isEscape: false)]
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
                        return finish(rows, line: line, width: width)
                    }
                    rows.append([Span(text: "    ", role: role)])
                    used = 0
                }
                chunk.append(character)
                used += w
            }
            if !chunk.isEmpty { rows[rows.count - 1].append(Span(text: chunk, role: segmentRole)) }
        }
        return finish(rows, line: line, width: width)
    }

    func finish(_ rows: [[Span]], line: StreamLine, width: Int) -> [[Span]] {
        guard let latency = line.latency else { return rows }
        var rows = rows
        let label = " +" + Self.format(milliseconds: latency)
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

    static func mark(_ line: StreamLine) -> (String, Role) {
        switch line.kind {
        case .sent: return (line.tls ? " ~>" : " ->", .sent)
        case .received: return (line.tls ? "<~ " : "<- ", role(code: line.code))
        case .stray: return (line.tls ? "<~?" : "<-?", .problem)
        case .local: return ("***", .local)
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

import Foundation
