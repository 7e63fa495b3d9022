import SMTPCore

/// An explanation laid out in lines of a given width, each made of styled spans.
public struct StyledLine: Sendable, Hashable {
    public enum Role: Sendable, Hashable { case title, heading, body, term, reference, warning, error }

    public var spans: [(text: String, role: Role)]

    public init(_ spans: [(String, Role)]) { self.spans = spans.map { (text: $0.0, role: $0.1) } }

    public var text: String { spans.map(\.text).joined() }

    /// The line with every span through the display policy (``VisibleText/sanitize(_:)``),
    /// for a sink that writes it to a terminal.
    public var sanitized: StyledLine {
        StyledLine(spans.map { (VisibleText.sanitize($0.text), $0.role) })
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.spans.map(\.text) == b.spans.map(\.text) && a.spans.map(\.role) == b.spans.map(\.role)
    }

    public func hash(into hasher: inout Hasher) {
        for span in spans { hasher.combine(span.text); hasher.combine(span.role) }
    }
}

public enum ExplanationLayout {
    /// The lines of `explanation` at `width` columns.
    public static func lines(_ explanation: Explanation, width: Int, language: Language) -> [StyledLine] {
        let width = max(10, width)
        var out: [StyledLine] = []
        for line in TextWidth.wrap(explanation.title, width: width) { out.append(StyledLine([(line, .title)])) }
        for section in explanation.sections {
            if let heading = section.heading {
                for line in TextWidth.wrap(heading, width: width) { out.append(StyledLine([(line, .heading)])) }
            }
            let indent = section.heading == nil ? 0 : 2
            let role: StyledLine.Role = section.tone == .error ? .error : section.tone == .warning ? .warning : .body
            for paragraph in section.paragraphs {
                for line in TextWidth.wrap(paragraph, width: width - indent) {
                    out.append(StyledLine([(String(repeating: " ", count: indent) + line, role)]))
                }
            }
            let widest = section.items.map { TextWidth.of($0.term) }.max() ?? 0
            let termWidth = min(max(widest, 3), max(3, width / 3))
            for item in section.items {
                let textWidth = width - indent - termWidth - 2
                if textWidth < 12 || TextWidth.of(item.term) > termWidth {
                    // A term too wide for the column goes on its own line, whole.
                    for line in TextWidth.wrap(item.term, width: width - indent) {
                        out.append(StyledLine([(String(repeating: " ", count: indent) + line, .term)]))
                    }
                    for line in TextWidth.wrap(item.text, width: width - indent - 4) {
                        out.append(StyledLine([(String(repeating: " ", count: indent + 4) + line, .body)]))
                    }
                    continue
                }
                let pad = String(repeating: " ", count: termWidth - TextWidth.of(item.term) + 2)
                let wrapped = TextWidth.wrap(item.text, width: textWidth)
                for (index, line) in wrapped.enumerated() {
                    if index == 0 {
                        out.append(StyledLine([(String(repeating: " ", count: indent) + item.term, .term), (pad + line, .body)]))
                    } else {
                        out.append(StyledLine([(String(repeating: " ", count: indent + termWidth + 2) + line, .body)]))
                    }
                }
            }
        }
        if !explanation.references.isEmpty {
            let label = language == .zh ? "参考：" : "See: "
            for line in TextWidth.wrap(label + explanation.references.joined(separator: "; "), width: width) {
                out.append(StyledLine([(line, .reference)]))
            }
        }
        return out
    }
}
