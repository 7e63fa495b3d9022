/// Turns untrusted bytes into text that is safe to put on a terminal: every control
/// character, escape sequence, invalid UTF-8 byte and bidirectional override becomes a
/// visible escape (`\x1b`, `␍`, `\xff`, `\u202e`).
public enum VisibleText {
    /// The escaped form of `bytes`. With `lineEndings`, CR and LF show as `␍` and `␊`
    /// wherever they are; without it, a final CRLF or LF is left out.
    public static func escape<Bytes: Collection>(_ bytes: Bytes, lineEndings: Bool = false) -> String
    where Bytes.Element == UInt8 {
        segments(bytes, lineEndings: lineEndings).map(\.text).joined()
    }

    /// A run of text, and whether it is an escape that stands for bytes the server sent.
    public struct Segment: Sendable, Hashable {
        public var text: String
        public var isEscape: Bool

        public init(text: String, isEscape: Bool) {
            self.text = text
            self.isEscape = isEscape
        }
    }

    /// The escaped form of `bytes` as runs of plain text and of escapes, so that a screen can
    /// show the escapes differently.
    public static func segments<Bytes: Collection>(_ bytes: Bytes, lineEndings: Bool = false) -> [Segment]
    where Bytes.Element == UInt8 {
        var body = Array(bytes)
        var ending = ""
        if body.last == 0x0A {
            body.removeLast()
            ending = "␊"
            if body.last == 0x0D {
                body.removeLast()
                ending = "␍␊"
            }
        }
        var segments: [Segment] = []
        var plain = ""
        func escape(_ text: String) {
            if !plain.isEmpty { segments.append(Segment(text: plain, isEscape: false)); plain = "" }
            if let last = segments.last, last.isEscape {
                segments[segments.count - 1].text += text
            } else {
                segments.append(Segment(text: text, isEscape: true))
            }
        }
        var index = 0
        while index < body.count {
            let byte = body[index]
            if byte < 0x80 {
                switch byte {
                case 0x0D: escape("␍")
                case 0x0A: escape("␊")
                case 0x09: escape("\\t")
                case 0x20..<0x7F: plain.unicodeScalars.append(Unicode.Scalar(byte))
                default: escape("\\x" + hex(byte))
                }
                index += 1
                continue
            }
            if let (scalar, length) = decodeScalar(body, at: index) {
                if isInvisible(scalar) {
                    escape("\\u" + String(scalar.value, radix: 16).leftPadded(to: 4))
                } else {
                    plain.unicodeScalars.append(scalar)
                }
                index += length
            } else {
                escape("\\x" + hex(byte))
                index += 1
            }
        }
        if !plain.isEmpty { segments.append(Segment(text: plain, isEscape: false)) }
        if lineEndings && !ending.isEmpty { segments.append(Segment(text: ending, isEscape: true)) }
        return segments
    }

    /// Characters that change how text is shown without being seen: C1 controls,
    /// zero-width marks, bidirectional overrides and isolates, line separators.
    static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return (0x80...0x9F).contains(value) || (0x200B...0x200F).contains(value)
            || (0x202A...0x202E).contains(value) || (0x2066...0x2069).contains(value)
            || value == 0x061C || value == 0xFEFF || value == 0x2028 || value == 0x2029
    }

    /// Decodes one well-formed UTF-8 scalar (no overlongs, no surrogates).
    static func decodeScalar(_ bytes: [UInt8], at index: Int) -> (Unicode.Scalar, Int)? {
        let lead = bytes[index]
        let length: Int
        var value: UInt32
        switch lead {
        case 0xC2...0xDF: length = 2; value = UInt32(lead & 0x1F)
        case 0xE0...0xEF: length = 3; value = UInt32(lead & 0x0F)
        case 0xF0...0xF4: length = 4; value = UInt32(lead & 0x07)
        default: return nil
        }
        guard index + length <= bytes.count else { return nil }
        for offset in 1..<length {
            let byte = bytes[index + offset]
            guard byte & 0xC0 == 0x80 else { return nil }
            value = value << 6 | UInt32(byte & 0x3F)
        }
        let minimum: UInt32 = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000
        guard value >= minimum, let scalar = Unicode.Scalar(value) else { return nil }
        return (scalar, length)
    }

    static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
