import Foundation
import Testing
@testable import SMTPCore

@Suite("Transcript and visible text")
struct TranscriptTests {
    let time = Date(timeIntervalSince1970: 1_795_000_000.123)

    @Test("text lines carry swaks marks and the latency")
    func text() {
        let sent = TranscriptEntry(direction: .sent, bytes: Array("EHLO me\r\n".utf8), time: time, tls: false)
        let received = TranscriptEntry(direction: .received, bytes: Array("250 ok\r\n".utf8), time: time, tls: true,
                                       latencySeconds: 0.0031)
        #expect(TranscriptFormat.text(sent) == " -> EHLO me")
        #expect(TranscriptFormat.text(received) == "<~  250 ok  (+3.1ms)")
        #expect(TranscriptFormat.text(.local("connected", time: time)) == "*** connected")
    }

    @Test("escape sequences never reach the text output")
    func escapes() {
        let bytes: [UInt8] = Array("250 \u{1B}[2J\u{7}hi".utf8) + [0xFF, 0x0D, 0x0A]
        let entry = TranscriptEntry(direction: .received, bytes: bytes, time: time, tls: false)
        #expect(TranscriptFormat.text(entry) == "<-  250 \\x1b[2J\\x07hi\\xff")
    }

    @Test("JSON lines keep exact bytes and read back the same")
    func jsonRoundTrip() {
        let entries = [
            TranscriptEntry(direction: .received, bytes: Array("250 2.1.0 Ok\r\n".utf8), time: time, tls: false,
                            answers: "MAIL FROM:<a@b>", latencySeconds: 0.012),
            TranscriptEntry(direction: .received, bytes: [0x32, 0x35, 0x30, 0x20, 0xFF, 0x0A], time: time, tls: true),
            TranscriptEntry(direction: .sent, bytes: Array("NOOP\r\n".utf8), time: time, tls: false),
        ]
        let text = entries.map { TranscriptFormat.jsonLine($0) }.joined(separator: "\n")
        let back = TranscriptFormat.read(text)
        #expect(back.map(\.bytes) == entries.map(\.bytes))
        #expect(back.map(\.direction) == entries.map(\.direction))
        #expect(back[0].latencySeconds == 0.012)
        #expect(back[0].answers == "MAIL FROM:<a@b>")
        #expect(back[0].code == 250)
        #expect(back[0].enhancedCode?.description == "2.1.0")
        #expect(text.contains("\"time\":\"2026-11-18T"))
        #expect(abs(back[0].time.timeIntervalSince(time)) < 0.001)
    }

    @Test("secrets are masked in both formats unless asked")
    func secrets() {
        let entry = TranscriptEntry(direction: .sent, bytes: Array("AUTH PLAIN AGFsaWNlAHg=\r\n".utf8), time: time,
                                    tls: true, masked: "AUTH PLAIN ********")
        #expect(!TranscriptFormat.text(entry).contains("AGFs"))
        #expect(!TranscriptFormat.jsonLine(entry).contains("AGFs"))
        #expect(TranscriptFormat.text(entry, showSecrets: true).contains("AGFs"))
    }

    @Test("text transcripts read back with their marks and latency")
    func textRoundTrip() {
        let text = "*** connected to 127.0.0.1:25\n<-  220 hi  (+4.0ms)\n -> EHLO me\n<~  250 ok\n"
        let entries = TranscriptFormat.read(text)
        #expect(entries.map(\.direction) == [.local, .received, .sent, .received])
        #expect(entries[1].latencySeconds == 0.004)
        #expect(entries[3].tls)
    }

    @Test("visible text escapes every dangerous byte", arguments: [
        ([UInt8](arrayLiteral: 0x1B, 0x5B, 0x33, 0x31, 0x6D), "\\x1b[31m"),
        ([0x00, 0x07, 0x7F], "\\x00\\x07\\x7f"),
        ([0x61, 0x0D, 0x62], "a␍b"),
        ([0xC2, 0x9B, 0x41], "\\u009b" + "A"),
        ([0xE2, 0x80, 0xAE, 0x61], "\\u202e" + "a"),
        ([0xC0, 0xAF], "\\xc0\\xaf"),
        ([0xE4, 0xBD, 0xA0], "你"),
        ([0xF0, 0x9F, 0x93, 0xA7], "📧"),
    ])
    func visibleText(bytes: [UInt8], expected: String) {
        #expect(VisibleText.escape(bytes) == expected)
    }

    @Test("line endings are shown on request")
    func lineEndings() {
        #expect(VisibleText.escape(Array("ok\r\n".utf8), lineEndings: true) == "ok␍␊")
        #expect(VisibleText.escape(Array("ok\n".utf8), lineEndings: true) == "ok␊")
        #expect(VisibleText.escape(Array("ok\r\n".utf8)) == "ok")
    }
}

@Suite("Timestamps are read fast and the same as Foundation reads them")
struct TimestampTests {
    @Test("what timestamp() writes reads back to the millisecond, as ISO8601DateFormatter reads it",
          arguments: [0.0, 1.5, 86_399.999, 951_782_400.25, 1_796_155_084.216, 4_102_444_800.001])
    func roundTrip(seconds: Double) throws {
        let date = Date(timeIntervalSince1970: seconds)
        let text = TranscriptFormat.timestamp(date)
        let fast = try #require(TranscriptFormat.parseTimestamp(text))
        #expect(abs(fast.timeIntervalSince1970 - seconds) < 0.0006, "\(text)")
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let slow = try #require(formatter.date(from: text))
        #expect(abs(fast.timeIntervalSince1970 - slow.timeIntervalSince1970) < 0.0006)
    }

    @Test("timestamp() writes every field zero-padded to its width")
    func exactText() {
        #expect(TranscriptFormat.timestamp(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(TranscriptFormat.timestamp(Date(timeIntervalSince1970: 951_782_400.25)) == "2000-02-29T00:00:00.250Z")
        #expect(TranscriptFormat.timestamp(Date(timeIntervalSince1970: 86_399.9996)) == "1970-01-02T00:00:00.000Z")
        #expect(TranscriptFormat.timestamp(Date(timeIntervalSince1970: 4_102_444_799.007)) == "2099-12-31T23:59:59.007Z")
    }

    @Test("years before 1 and after 9999 (a recording may say anything) come out as %04d writes them, without a trap",
          arguments: [-62_200_000_000.0, -62_135_596_801, -100_000_000_000, 253_402_300_800, 1e13, -1.5])
    func oddYears(seconds: Double) {
        let date = Date(timeIntervalSince1970: seconds)
        var whole = Int(seconds.rounded(.down))
        var ms = Int(((seconds - Double(whole)) * 1000).rounded())
        if ms == 1000 { whole += 1; ms = 0 }
        var t = time_t(whole)
        var parts = tm()
        gmtime_r(&t, &parts)
        let expected = String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                              Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), ms)
        #expect(TranscriptFormat.timestamp(date) == expected)
    }

    @Test("other forms go to Foundation; nonsense is nil",
          arguments: [("2026-12-01T20:18:04Z", true), ("2026-12-01T21:18:04+01:00", true), ("2026-13-01T20:18:04Z", false),
                      ("2026-12-01 20:18:04Z", false), ("not a time", false), ("2026-12-01T20:18:04.Z", false)])
    func forms(text: String, valid: Bool) {
        #expect((TranscriptFormat.parseTimestamp(text) != nil) == valid, "\(text)")
    }
}

extension TimestampTests {
    @Test("a fraction of any length is read without overflow: nine digits directly, more by Foundation or not at all")
    func longFractions() {
        let nine = TranscriptFormat.parseTimestamp("2026-12-01T21:31:49.123456789Z")
        #expect(nine.map { abs($0.timeIntervalSince1970 - 1_796_160_709.123456789) < 0.000_01 } == true)
        for count in [10, 15, 16, 19, 20, 40, 400] {
            let text = "2026-12-01T21:31:49." + String(repeating: "9", count: count) + "Z"
            #expect(TranscriptFormat.parseUTC(Array(text.utf8)) == nil)
            // Handed to Foundation only while short enough to be a time at all.
            #expect((TranscriptFormat.parseTimestamp(text) != nil) == (text.utf8.count <= 36), "\(count) digits")
        }
        #expect(TranscriptFormat.parseTimestamp("2026-12-01T21:18:04.123456789+01:00") != nil)
    }
}

@Suite("A damaged record is read without harm")
struct DamagedRecordTests {
    @Test("latencies that are no latencies are dropped, not trusted", arguments: ["1e300", "-5", "1e20", "NaN"])
    func latency(value: String) {
        let line = "{\"time\":\"2026-12-01T20:18:04.216Z\",\"dir\":\"recv\",\"kind\":\"received\",\"tls\":false,"
            + "\"raw\":\"250 ok\\r\\n\",\"latency_ms\":\(value),\"latency_last_ms\":\(value)}"
        let entries = TranscriptFormat.read(line)
        #expect(entries.first?.latencySeconds == nil)
        #expect(entries.first?.lastLineLatencySeconds == nil)
        #expect(entries.allSatisfy { !TranscriptFormat.text($0).isEmpty })
    }
}
