// Theory of operation
//
// One policy decides what of untrusted text reaches a terminal as itself. Bytes from the
// network are shown like this, on every output path (the screen, batch text, Markdown,
// `smtpx explain`, the server's log):
//
//   printable ASCII                      as itself
//   TAB                                  \t
//   CR, LF                               ␍ ␊ (a final line ending is left out unless asked)
//   other C0 controls, DEL               \xNN
//   bytes that are not well-formed UTF-8 \xNN
//   invisible or format-changing scalars \uXXXX (\u{XXXXX} beyond the BMP)
//   every other scalar                   as itself
//
// "Invisible" is `isInvisible`: C1 controls, bidirectional embeddings, overrides and
// isolates, zero-width and joiner marks, soft hyphen, word joiner and invisible operators,
// fillers that draw nothing, interlinear annotation marks, the BOM, tag characters and
// variation selectors beyond the BMP's emoji ones, line and paragraph separators,
// noncharacters. JSON strings carry the same scalars as `\uXXXX` escapes (surrogate pairs
// beyond the BMP), so a JSON reader gets the exact text and a terminal showing the JSON
// gets nothing it would act on.
//
// Texts built from network data escape at the source (`escape(bytes)`); every sink also
// runs what it writes through `sanitize`, which is idempotent on escaped text, so a text
// that missed its source escape still cannot reach the terminal raw.

/// Turns untrusted bytes into text that is safe to put on a terminal: every control
/// character, escape sequence, invalid UTF-8 byte and invisible or bidirectional scalar
/// becomes a visible escape (`\x1b`, `␍`, `\xff`, `\u202e`).
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
                if byte >= 0x20 && byte < 0x7F {
                    plain.unicodeScalars.append(Unicode.Scalar(byte))
                } else {
                    escape(controlEscape(byte))
                }
                index += 1
                continue
            }
            if let (scalar, length) = decodeScalar(body, at: index) {
                if isInvisible(scalar) {
                    escape(scalarEscape(scalar))
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

    /// `text` with every scalar the policy escapes shown as its escape; everything else,
    /// escapes already made included, is left as it is. For text that is already a `String`
    /// (a sink's last line of defence, or what a user pasted).
    public static func sanitize(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isShownEscaped) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar.value < 0x80, isShownEscaped(scalar) {
                out += controlEscape(UInt8(scalar.value))
            } else if isShownEscaped(scalar) {
                out += scalarEscape(scalar)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A JSON document with every invisible scalar inside its strings written as a `\u`
    /// escape; C0 controls are left to the encoder, which must escape them. The JSON means
    /// the same; a terminal that shows it gets nothing it would act on.
    public static func jsonSafe(_ json: String) -> String {
        guard json.unicodeScalars.contains(where: { $0.value >= 0x80 && isInvisible($0) }) else { return json }
        var out = ""
        for scalar in json.unicodeScalars {
            if scalar.value >= 0x80 && isInvisible(scalar) {
                out += jsonEscape(scalar)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// `\uXXXX`, or a surrogate pair beyond the BMP, as JSON writes a scalar.
    public static func jsonEscape(_ scalar: Unicode.Scalar) -> String {
        let value = scalar.value
        guard value > 0xFFFF else { return "\\u" + String(value, radix: 16).leftPadded(to: 4) }
        let offset = value - 0x10000
        let high = 0xD800 + (offset >> 10), low = 0xDC00 + (offset & 0x3FF)
        return "\\u" + String(high, radix: 16) + "\\u" + String(low, radix: 16)
    }

    /// True for a scalar that is never written to a terminal as itself.
    public static func isShownEscaped(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x20 || value == 0x7F { return true }
        return value >= 0x80 && isInvisible(scalar)
    }

    /// Scalars that change how text is shown without being seen (see the policy above).
    public static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x80...0x9F, 0xAD, 0x34F, 0x61C, 0x115F...0x1160, 0x17B4...0x17B5, 0x180B...0x180F,
             0x200B...0x200F, 0x2028...0x202E, 0x2060...0x206F, 0x3164, 0xFEFF, 0xFFA0, 0xFFF0...0xFFFB,
             0xFFFE...0xFFFF, 0x1BCA0...0x1BCA3, 0x1D173...0x1D17A, 0xE0000...0xE0FFF:
            return true
        default:
            return false
        }
    }

    static func controlEscape(_ byte: UInt8) -> String {
        switch byte {
        case 0x0D: return "␍"
        case 0x0A: return "␊"
        case 0x09: return "\\t"
        default: return "\\x" + hex(byte)
        }
    }

    static func scalarEscape(_ scalar: Unicode.Scalar) -> String {
        scalar.value > 0xFFFF ? "\\u{" + String(scalar.value, radix: 16) + "}"
                              : "\\u" + String(scalar.value, radix: 16).leftPadded(to: 4)
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
