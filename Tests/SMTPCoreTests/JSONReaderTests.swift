import Foundation
import Testing
@testable import SMTPCore

/// What JSONSerialization reads, as a JSONValue: the reference the byte reader is held to.
func reference(_ value: Any) -> JSONValue? {
    switch value {
    case let text as String: return .string(text)
    case let number as NSNumber:
        if String(cString: number.objCType) == "c" { return .bool(number.boolValue) }
        let double = number.doubleValue
        return double == double.rounded() && abs(double) < 1e15 ? .int(Int(double)) : .number(double)
    case let values as [Any]: return .array(values.compactMap(reference))
    case let object as [String: Any]:
        return .object(object.keys.sorted().compactMap { key in reference(object[key] as Any).map { (key, $0) } })
    case is NSNull: return .null
    default: return nil
    }
}

/// Objects with their keys sorted, all the way down.
func canonical(_ value: JSONValue) -> JSONValue {
    switch value {
    case .array(let values): return .array(values.map(canonical))
    case .object(let fields): return .object(fields.map { ($0.0, canonical($0.1)) }.sorted { $0.0 < $1.0 })
    default: return value
    }
}

@Suite("JSON read from bytes")
struct JSONReaderTests {
    static let documents = [
        #"{"time":"2026-12-01T20:18:04.216Z","dir":"recv","raw":"250-mx.example.test\r\n","tls":false,"latency_ms":1.25}"#,
        #"{"a":[1,2,[3,[4,{}]],[]],"b":{"c":null,"d":true,"e":false},"f":-0,"g":1e3,"h":-12.5e-2,"i":0.1}"#,
        #"{"esc":"quote \" backslash \\ slash \/ \b\f\n\r\t","u":"\u00e9\u4e2d\ud83d\ude00","cr":"\u000d"}"#,
        #"  [ 1 , "two" , { "three" : 3 } ]  "#,
        #""just a string""#, "42", "-7", "3.25", "true", "null",
        #"{"big":12345678901234567890,"small":1e-300,"whole":1e14,"past":1e15,"neg":-999999999999999}"#,
        #"{"utf8":"héllo 中文 😀","empty":"","nested":{"deep":{"deeper":["x"]}}}"#,
    ]

    @Test("every document reads as JSONSerialization reads it", arguments: documents)
    func sameAsFoundation(_ text: String) throws {
        let mine = try #require(JSONValue.parse(text), "\(text)")
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        let theirs = try #require(reference(object))
        #expect(canonical(mine).serialized == canonical(theirs).serialized, "\(text)")
    }

    @Test("keys stay in the order of the document")
    func keyOrder() throws {
        let value = try #require(JSONValue.parse(#"{"z":1,"a":2,"m":3}"#))
        guard case .object(let fields) = value else { Issue.record("not an object"); return }
        #expect(fields.map(\.0) == ["z", "a", "m"])
        #expect(value.serialized == #"{"z":1,"a":2,"m":3}"#)
    }

    @Test("what is not JSON (RFC 8259) is refused; JSONSerialization refuses it too, but for trailing commas", arguments: [
        "", "{", "}", #"{"a":}"#, #"{"a" 1}"#, #"{"a":1,}"#, "[1,]", "[1 2]", #""unterminated"#, "\"raw\u{01}control\"",
        #""bad \x escape""#, #""\u12G4""#, "01x", "-", "1.", "1e", "tru", "nul", "{} {}", "[1] x", "+1", ".5",
    ])
    func refused(_ text: String) {
        #expect(JSONValue.parse(text) == nil, "\(text)")
        if !text.hasSuffix(",}") && !text.hasSuffix(",]") {
            #expect((try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])) == nil, "\(text)")
        }
    }

    @Test("a lone surrogate (JSONSerialization refuses the line) reads as U+FFFD, the rest of the line kept")
    func loneSurrogate() {
        #expect(JSONValue.parse(#"{"a":"\ud800x"}"#)?["a"]?.string == "\u{FFFD}x")
        #expect(JSONValue.parse(#"{"b":"\udc00"}"#)?["b"]?.string == "\u{FFFD}")
    }

    @Test("nesting past the limit is refused without exhausting the stack")
    func deepNesting() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(JSONValue.parse(deep) == nil)
        let fine = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        #expect(JSONValue.parse(fine) != nil)
    }

    @Test("a record read byte by byte: every piece of the document cut anywhere is refused, the whole read")
    func truncations() throws {
        let text = Self.documents[2]
        let bytes = Array(text.utf8)
        for cut in 0..<bytes.count {
            #expect(JSONValue.parse(bytes: Array(bytes[..<cut])) == nil, "cut at \(cut)")
        }
        #expect(JSONValue.parse(bytes: bytes) != nil)
    }
}

@Suite("Long recordings read in pieces")
struct LongRecordingTests {
    @Test("a recording over 4 MiB read on every core gives the entries of a read in one piece, in order")
    func piecesInOrder() {
        var text = ""
        var n = 0
        while text.utf8.count < 5 * 1024 * 1024 {
            n += 1
            let entry = TranscriptEntry(direction: n % 2 == 0 ? .sent : .received, bytes: Array("250 line \(n)\r\n".utf8),
                                        time: Date(timeIntervalSince1970: Double(n)), tls: false)
            // Both line ends, and a text line among the JSON ones.
            text += TranscriptFormat.jsonLine(entry) + (n % 3 == 0 ? "\r\n" : "\n")
            if n % 1000 == 0 { text += "<-  250 text line \(n)\n" }
        }
        let pieces = TranscriptFormat.read(text)
        var copy = text
        let whole = copy.withUTF8 { TranscriptFormat.read(lines: $0) }
        #expect(pieces.count == n + n / 1000)
        #expect(pieces.map { $0.text() } == whole.map { $0.text() })
        #expect(pieces.map(\.time) == whole.map(\.time))
        #expect(pieces.first?.text() == "250 line 1" && pieces.last?.text() == whole.last?.text())
    }
}
