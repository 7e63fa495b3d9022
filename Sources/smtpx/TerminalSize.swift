import Foundation
import SMTPKnowledge
#if canImport(Glibc)
import Glibc
#endif

enum TerminalSize {
    /// The width of the terminal on standard output, or `COLUMNS`, or nil.
    static func columns() -> Int? {
        var size = winsize()
        if isatty(STDOUT_FILENO) == 1, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 {
            return Int(size.ws_col)
        }
        if let value = ProcessInfo.processInfo.environment["COLUMNS"], let columns = Int(value), columns > 0 {
            return columns
        }
        return nil
    }
}

/// Bold titles and headings when standard output is a terminal that takes them.
struct TextStyle {
    let enabled: Bool

    static func forStandardOutput() -> TextStyle {
        let environment = ProcessInfo.processInfo.environment
        let enabled = isatty(STDOUT_FILENO) == 1 && environment["NO_COLOR"] == nil && environment["TERM"] != "dumb"
        return TextStyle(enabled: enabled)
    }

    func render(_ line: StyledLine) -> String {
        guard enabled else { return line.text }
        return line.spans.map { span in
            switch span.role {
            case .title: return "\u{1B}[1m" + span.text + "\u{1B}[0m"
            case .heading: return "\u{1B}[1;4m" + span.text + "\u{1B}[0m"
            case .term: return "\u{1B}[36m" + span.text + "\u{1B}[0m"
            case .reference: return "\u{1B}[2m" + span.text + "\u{1B}[0m"
            case .warning: return "\u{1B}[33m" + span.text + "\u{1B}[0m"
            case .error: return "\u{1B}[31m" + span.text + "\u{1B}[0m"
            case .body: return span.text
            }
        }.joined()
    }
}
