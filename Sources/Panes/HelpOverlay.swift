import Conversation
import SMTPKnowledge

/// The help screen over the panes, generated from a face's key table and, for the explorer,
/// the slash-command table.
struct HelpOverlay: Sendable {
    var visible = false
    var scroll = 0

    mutating func toggle() {
        visible.toggle()
        scroll = 0
    }

    /// Keys while the help is shown; returns true when the key was the help's.
    mutating func handle(_ key: Key, rows: Int) -> Bool {
        switch key {
        case .escape, .function(1):
            visible = false
        case .pageUp, .shiftPageUp: scroll = max(0, scroll - rows / 2)
        case .up: scroll = max(0, scroll - 1)
        case .pageDown, .shiftPageDown: scroll += rows / 2
        case .down: scroll += 1
        case .character:
            visible = false
            return false
        default:
            return false
        }
        return true
    }

    static func lines(keys: [(names: String, help: Localized)], commands: [SlashCommand], footer: [Localized],
                      language: Language, width: Int) -> [StyledLine] {
        var lines: [StyledLine] = [StyledLine([(UIText.helpTitle[language], .title)]), StyledLine([("", .body)]),
                                   StyledLine([(UIText.helpKeys[language], .heading)])]
        lines += table(keys.map { ($0.names, $0.help[language]) }, termLimit: 20, width: width)
        if !commands.isEmpty {
            lines.append(StyledLine([("", .body)]))
            lines.append(StyledLine([(UIText.helpCommands[language], .heading)]))
            lines += table(commands.map { ($0.usage, $0.help[language]) }, termLimit: 24, width: width)
        }
        lines.append(StyledLine([("", .body)]))
        for text in footer {
            for line in TextWidth.wrap(text[language], width: width - 2) { lines.append(StyledLine([("  " + line, .body)])) }
        }
        return lines
    }

    static func table(_ rows: [(String, String)], termLimit: Int, width: Int) -> [StyledLine] {
        let termWidth = min(termLimit, rows.map { TextWidth.of($0.0) }.max() ?? 10)
        var lines: [StyledLine] = []
        let indent = String(repeating: " ", count: termWidth + 4)
        for (term, help) in rows {
            let wrapped = TextWidth.wrap(help, width: max(10, width - termWidth - 4))
            if TextWidth.of(term) > termWidth {
                // A term too wide for the column goes on its own line, whole.
                lines.append(StyledLine([("  " + term, .term)]))
                lines += wrapped.map { StyledLine([(indent + $0, .body)]) }
                continue
            }
            let pad = String(repeating: " ", count: termWidth - TextWidth.of(term) + 2)
            for (index, text) in wrapped.enumerated() {
                lines.append(index == 0 ? StyledLine([("  " + term, .term), (pad + text, .body)]) : StyledLine([(indent + text, .body)]))
            }
        }
        return lines
    }

    func draw(_ lines: [StyledLine], into canvas: inout Canvas, layout: Layout) {
        let rect = Rect(x: 1, y: 1, width: layout.width - 2, height: layout.height - 2)
        canvas.fill(rect)
        canvas.put("│", x: 0, y: layout.separator, role: .border)
        canvas.put("│", x: layout.width - 1, y: layout.separator, role: .border)
        if !layout.wide {
            canvas.put("│", x: 0, y: layout.divider, role: .border)
            canvas.put("│", x: layout.width - 1, y: layout.divider, role: .border)
        }
        let top = min(scroll, max(0, lines.count - rect.height))
        for (row, line) in lines.dropFirst(top).prefix(rect.height).enumerated() {
            var x = rect.x + 1
            for span in line.spans {
                x += canvas.put(span.text, x: x, y: rect.y + row, role: ExplainerPane.role(span.role), limit: rect.maxX - x)
            }
        }
        canvas.cursor = nil
    }
}

/// `/auth` asking for the secret: what it is for, and what was typed (never shown).
struct SecretPrompt: Sendable {
    let request: SecretRequest
    var secret: [Character] = []

    enum Outcome {
        case typing, done(String), cancelled
    }

    /// Keys while the prompt is open: nothing is echoed, nothing goes to the history.
    mutating func handle(_ key: Key) -> Outcome {
        switch key {
        case .character(let character): secret.append(character)
        case .backspace, .control("h"): if !secret.isEmpty { secret.removeLast() }
        case .control("u"): secret = []
        case .escape: return .cancelled
        case .enter: return .done(String(secret))
        default: break
        }
        return .typing
    }

    func draw(into canvas: inout Canvas, rect: Rect, language: Language) {
        let label = request.mechanism == .xoauth2 ? Localized("token: ", "令牌：") : Localized("password: ", "密码：")
        let width = canvas.put(label[language], x: rect.x, y: rect.y, role: .prompt)
        let stars = String(repeating: "*", count: min(secret.count, rect.width - width - 1))
        canvas.put(stars, x: rect.x + width, y: rect.y, role: .normal)
        canvas.cursor = (rect.x + width + stars.count, rect.y)
    }
}
