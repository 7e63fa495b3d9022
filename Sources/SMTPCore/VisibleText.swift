/// Turns untrusted bytes into text that is safe to put on a terminal: every control
/// character, escape sequence, invalid UTF-8 byte and bidirectional override becomes a
/// visible escape (`\x1b`, `␍`, `\xff`, `\u202e`).
public enum VisibleText {
    /// The escaped form of `bytes`. With `lineEndings`, CR and LF show as `␍` and `␊`
    /// wherever they are; without it, a final CRLF or LF is left out.
    public static func escape<Bytes: Collection>(_ bytes: Bytes, lineEndings: Bool = false) -> String
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
        var out = ""
        out.reserveCapacity(body.count + 8)
        var index = 0
        while index < body.count {
            let byte = body[index]
            if byte < 0x80 {
                appendASCII(byte, to: &out)
                index += 1
                continue
            }
            if let (scalar, length) = decodeScalar(body, at: index) {
                appendScalar(scalar, to: &out)
                index += length
            } else {
                out += "\\x" + hex(byte)
                index += 1
            }
        }
        if lineEndings { out += ending }
        return out
    }

    /// True when `escape` would change nothing but the line ending.
    public static func isPlain<Bytes: Collection>(_ bytes: Bytes) -> Bool where Bytes.Element == UInt8 {
        bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7F || $0 == 0x0D || $0 == 0x0A }
    }

    private static func appendASCII(_ byte: UInt8, to out: inout String) {
        switch byte {
        case 0x0D: out += "␍"
        case 0x0A: out += "␊"
        case 0x09: out += "\\t"
        case 0x20..<0x7F: out.unicodeScalars.append(Unicode.Scalar(byte))
        default: out += "\\x" + hex(byte)
        }
    }

    private static func appendScalar(_ scalar: Unicode.Scalar, to out: inout String) {
        let value = scalar.value
        let invisible = (0x80...0x9F).contains(value)          // C1 controls
            || (0x200B...0x200F).contains(value)                // zero-width, LRM, RLM
            || (0x202A...0x202E).contains(value)                // bidi embeddings and overrides
            || (0x2066...0x2069).contains(value)                // bidi isolates
            || value == 0x061C || value == 0xFEFF || value == 0x2028 || value == 0x2029
        if invisible {
            out += "\\u" + String(value, radix: 16).leftPadded(to: 4)
        } else {
            out.unicodeScalars.append(scalar)
        }
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
