import Foundation
import Testing
@testable import SMTPCore

/// The display policy: one table of what is escaped and how, checked in every form.
@Suite("Display policy")
struct VisibleTextTests {
    /// One representative of every class of invisible scalar the policy names, with the
    /// escape the text form shows.
    static let invisible: [(UInt32, String)] = [
        (0x85, "\\u0085"), (0x9B, "\\u009b"), (0xAD, "\\u00ad"), (0x34F, "\\u034f"), (0x61C, "\\u061c"),
        (0x115F, "\\u115f"), (0x1160, "\\u1160"), (0x17B4, "\\u17b4"), (0x180E, "\\u180e"),
        (0x200B, "\\u200b"), (0x200C, "\\u200c"), (0x200D, "\\u200d"), (0x200E, "\\u200e"), (0x200F, "\\u200f"),
        (0x2028, "\\u2028"), (0x2029, "\\u2029"), (0x202A, "\\u202a"), (0x202E, "\\u202e"),
        (0x2060, "\\u2060"), (0x2062, "\\u2062"), (0x2066, "\\u2066"), (0x2069, "\\u2069"), (0x206F, "\\u206f"),
        (0x3164, "\\u3164"), (0xFEFF, "\\ufeff"), (0xFFA0, "\\uffa0"), (0xFFF9, "\\ufff9"), (0xFFFB, "\\ufffb"),
        (0xFFFE, "\\ufffe"), (0x1BCA0, "\\u{1bca0}"), (0x1D173, "\\u{1d173}"),
        (0xE0001, "\\u{e0001}"), (0xE0041, "\\u{e0041}"), (0xE007F, "\\u{e007f}"), (0xE0100, "\\u{e0100}"),
    ]

    @Test("every invisible scalar is escaped in bytes, in text and in JSON", arguments: invisible)
    func invisibleScalars(value: UInt32, escaped: String) throws {
        let scalar = try #require(Unicode.Scalar(value))
        let text = "a" + String(Character(scalar)) + "b"
        #expect(VisibleText.escape(Array(text.utf8)) == "a" + escaped + "b")
        #expect(VisibleText.sanitize(text) == "a" + escaped + "b")
        let quoted = TranscriptFormat.quote(text)
        #expect(quoted.unicodeScalars.allSatisfy { $0.isASCII })
        let decoded = try JSONSerialization.jsonObject(with: Data(quoted.utf8), options: .fragmentsAllowed) as? String
        #expect(decoded == text)
        let safe = VisibleText.jsonSafe("[" + quoted.replacingOccurrences(of: "\\u", with: "\\\\u") + "]")
        #expect(!safe.unicodeScalars.contains(where: VisibleText.isInvisible))
    }

    @Test("C0 controls and DEL: tab, CR and LF have signs, the rest are hex")
    func controls() {
        for byte in UInt8(0)..<0x20 {
            let shown = VisibleText.escape([0x61, byte, 0x62], lineEndings: true)
            switch byte {
            case 0x09: #expect(shown == "a\\tb")
            case 0x0A: #expect(shown == "a␊b")
            case 0x0D: #expect(shown == "a␍b")
            default: #expect(shown == "a\\x" + String(format: "%02x", byte) + "b")
            }
            #expect(VisibleText.sanitize("a" + String(UnicodeScalar(byte)) + "b") == shown)
        }
        #expect(VisibleText.escape([0x61, 0x7F]) == "a\\x7f")
    }

    @Test("bytes that are not UTF-8 are hex; the C1 CSI as a raw byte and as UTF-8 differ")
    func invalidBytes() {
        #expect(VisibleText.escape([0x9B, 0x32, 0x4A]) == "\\x9b2J")
        #expect(VisibleText.escape([0xC2, 0x9B, 0x32, 0x4A]) == "\\u009b2J")
        #expect(VisibleText.escape([0xC0, 0xAF, 0xFF, 0xED, 0xA0, 0x80]) == "\\xc0\\xaf\\xff\\xed\\xa0\\x80")
    }

    @Test("visible text is untouched; escaping escaped text changes nothing")
    func idempotent() {
        let plain = "250 mx.example.org 你好 émoji 👍🏽 \\x1b"
        #expect(VisibleText.sanitize(plain) == plain)
        let once = VisibleText.escape(Array("\u{1B}]0;t\u{7}\u{202E}x".utf8))
        #expect(VisibleText.sanitize(once) == once)
        #expect(VisibleText.escape(Array(once.utf8)) == once)
    }

    @Test("a reply's texts and an EHLO's capabilities are escaped at the source")
    func replySources() {
        var parser = ReplyParser()
        parser.feed(Array("250-\u{1B}]0;owned\u{7}mx.example\r\n250-AUTH PLAIN \u{202E}X\r\n250 SIZE \u{1B}[2J\r\n".utf8))
        var reply: Reply?
        while let event = parser.next() { if case .reply(let r) = event { reply = r } }
        guard let reply else { Issue.record("no reply"); return }
        let capabilities = Capabilities(ehloReply: reply)
        #expect(capabilities.domain == "\\x1b]0;owned\\x07mx.example")
        #expect(capabilities.parameters(of: "AUTH") == ["PLAIN", "\\u202eX"])
        #expect(capabilities.parameters(of: "SIZE") == ["\\x1b[2J"])
        #expect(reply.humanTexts.allSatisfy { !$0.unicodeScalars.contains(where: VisibleText.isShownEscaped) })
    }
}
