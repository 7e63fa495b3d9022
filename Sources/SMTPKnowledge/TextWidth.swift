/// Display width of text in a terminal: CJK and emoji take two columns, combining marks none.
public enum TextWidth {
    /// Columns taken by one Unicode scalar: 0, 1 or 2.
    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if value < 0x7F { return value >= 0x20 ? 1 : 0 }
        if value < 0xA0 { return 0 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if (0xFE00...0xFE0F).contains(value) || (0xE0100...0xE01EF).contains(value) { return 0 }
        if isWide(value) || scalar.properties.isEmojiPresentation { return 2 }
        return 1
    }

    /// Columns taken by one character (grapheme cluster): the width of its first scalar.
    public static func of(_ character: Character) -> Int {
        guard let first = character.unicodeScalars.first else { return 0 }
        let width = of(first)
        if width == 0, character.unicodeScalars.count > 1 {
            return character.unicodeScalars.dropFirst().map(of).max() ?? 0
        }
        return width
    }

    /// Columns taken by a string.
    public static func of(_ text: some StringProtocol) -> Int {
        var total = 0
        for character in text { total += of(character) }
        return total
    }

    static func isWide(_ v: UInt32) -> Bool {
        switch v {
        case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0, 0x23F3,
             0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
             0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F,
             0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F680...0x1F6FF, 0x1F900...0x1F9FF,
             0x1FA70...0x1FAFF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }

    /// Cuts `text` to at most `width` columns; adds "…" when something was cut.
    public static func truncate(_ text: String, to width: Int) -> String {
        guard width > 0 else { return "" }
        if of(text) <= width { return text }
        var result = ""
        var used = 0
        for character in text {
            let w = of(character)
            if used + w > width - 1 { break }
            result.append(character)
            used += w
        }
        return result + "…"
    }

    /// Breaks `text` into lines of at most `width` columns, at spaces, and between CJK
    /// characters, which need no spaces. A word wider than a line is cut.
    public static func wrap(_ text: String, width: Int) -> [String] {
        let width = max(1, width)
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lines += wrapParagraph(String(paragraph), width: width)
        }
        return lines
    }

    private static func wrapParagraph(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        var lineWidth = 0
        var word = ""
        var wordWidth = 0

        func flushWord() {
            guard !word.isEmpty else { return }
            if lineWidth + wordWidth > width && !line.isEmpty {
                lines.append(trimTrailing(line))
                line = ""
                lineWidth = 0
                if word.hasPrefix(" ") {
                    word.removeFirst()
                    wordWidth -= 1
                }
            }
            while wordWidth > width {
                var head = ""
                var headWidth = 0
                while let c = word.first, headWidth + of(c) <= width - lineWidth || (head.isEmpty && line.isEmpty) {
                    head.append(c)
                    headWidth += of(c)
                    word.removeFirst()
                    if headWidth >= width { break }
                }
                lines.append(trimTrailing(line + head))
                line = ""
                lineWidth = 0
                wordWidth -= headWidth
            }
            line += word
            lineWidth += wordWidth
            word = ""
            wordWidth = 0
        }

        var openPending = false
        for character in text {
            let w = of(character)
            if character == " " {
                flushWord()
                word = " "
                wordWidth = 1
                openPending = false
            } else if closing.contains(character) {
                word.append(character)
                wordWidth += w
            } else if opening.contains(character) {
                flushWord()
                word = String(character)
                wordWidth = w
                openPending = true
            } else if w == 2 {
                if openPending {
                    word.append(character)
                    wordWidth += 2
                    openPending = false
                } else {
                    flushWord()
                    word = String(character)
                    wordWidth = 2
                }
            } else {
                if let last = word.last, !openPending, of(last) == 2 { flushWord() }
                word.append(character)
                wordWidth += w
                openPending = false
            }
        }
        flushWord()
        lines.append(trimTrailing(line))
        return lines
    }

    /// Punctuation that must not start a line, and that must not end one (Chinese line breaking).
    static let closing: Set<Character> = Set("，。、；：！？」』）》〉】,.;:!?)]}…")
    static let opening: Set<Character> = Set("「『（《〈【")

    private static func trimTrailing(_ text: String) -> String {
        var text = Substring(text)
        while text.last == " " { text = text.dropLast() }
        return String(text)
    }
}
