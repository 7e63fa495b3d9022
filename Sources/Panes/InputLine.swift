/// The command line being edited: text, cursor, history, and the editing keys of a shell.
public struct InputLine: Sendable {
    public private(set) var characters: [Character] = []
    /// Cursor position, in characters.
    public private(set) var cursor = 0
    private var history: [String] = []
    private var historyPosition: Int?
    private var draft: [Character] = []
    public static let historyLimit = 500

    public init() {}

    public var text: String { String(characters) }
    public var isEmpty: Bool { characters.isEmpty }

    public mutating func set(_ text: String) {
        characters = Array(text)
        cursor = characters.count
    }

    public mutating func insert(_ character: Character) {
        characters.insert(character, at: cursor)
        cursor += 1
        historyPosition = nil
    }

    public mutating func backspace() {
        guard cursor > 0 else { return }
        characters.remove(at: cursor - 1)
        cursor -= 1
    }

    public mutating func deleteForward() {
        guard cursor < characters.count else { return }
        characters.remove(at: cursor)
    }

    public mutating func left() { cursor = max(0, cursor - 1) }
    public mutating func right() { cursor = min(characters.count, cursor + 1) }
    public mutating func home() { cursor = 0 }
    public mutating func end() { cursor = characters.count }

    /// Ctrl-K: delete to the end of the line.
    public mutating func killToEnd() { characters.removeSubrange(cursor...) }

    /// Ctrl-U: delete to the start of the line.
    public mutating func killToStart() {
        characters.removeSubrange(..<cursor)
        cursor = 0
    }

    /// Ctrl-W: delete the word before the cursor.
    public mutating func killWord() {
        var start = cursor
        while start > 0 && characters[start - 1] == " " { start -= 1 }
        while start > 0 && characters[start - 1] != " " { start -= 1 }
        characters.removeSubrange(start..<cursor)
        cursor = start
    }

    /// Takes the line for sending, and remembers it in the history when asked.
    public mutating func take(remember: Bool) -> String {
        let line = text
        if remember && !line.isEmpty && history.last != line {
            history.append(line)
            if history.count > Self.historyLimit { history.removeFirst() }
        }
        characters = []
        cursor = 0
        historyPosition = nil
        return line
    }

    public mutating func historyUp() {
        guard !history.isEmpty else { return }
        let position: Int
        if let current = historyPosition {
            position = max(0, current - 1)
        } else {
            draft = characters
            position = history.count - 1
        }
        historyPosition = position
        set(history[position])
    }

    public mutating func historyDown() {
        guard let current = historyPosition else { return }
        if current + 1 < history.count {
            historyPosition = current + 1
            set(history[current + 1])
        } else {
            historyPosition = nil
            characters = draft
            cursor = characters.count
        }
    }

    /// The word the cursor is in or right after, and where it starts.
    public var currentWord: (text: String, start: Int) {
        var start = cursor
        while start > 0 && characters[start - 1] != " " { start -= 1 }
        return (String(characters[start..<cursor]), start)
    }

    /// Replaces the current word with `text`.
    public mutating func replaceCurrentWord(with text: String) {
        let start = currentWord.start
        characters.replaceSubrange(start..<cursor, with: Array(text))
        cursor = start + text.count
    }
}
