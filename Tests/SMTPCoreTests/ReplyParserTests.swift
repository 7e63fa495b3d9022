import Testing
@testable import SMTPCore

/// Feeds `input` to a parser whole, one byte at a time, or with `trailing` after it, and
/// returns every event. The three ways must agree (STYLE: feed every parser three ways).
func parse(_ input: [UInt8], _ way: FeedWay, parser: ReplyParser = ReplyParser()) -> [ReplyParser.Event] {
    var parser = parser
    var events: [ReplyParser.Event] = []
    switch way {
    case .whole:
        parser.feed(input)
        while let event = parser.next() { events.append(event) }
    case .byteByByte:
        for byte in input {
            parser.feed([byte])
            while let event = parser.next() { events.append(event) }
        }
    case .withTrailing(let trailing):
        parser.feed(input + trailing)
        while let event = parser.next() { events.append(event) }
    }
    return events
}

enum FeedWay: CustomStringConvertible, Sendable {
    case whole, byteByByte, withTrailing([UInt8])
    static let all: [FeedWay] = [.whole, .byteByByte, .withTrailing(Array("250-next reply start".utf8))]
    var description: String {
        switch self {
        case .whole: return "whole"
        case .byteByByte: return "byte by byte"
        case .withTrailing: return "with trailing bytes"
        }
    }
}

func replies(_ events: [ReplyParser.Event]) -> [Reply] {
    events.compactMap { if case .reply(let r) = $0 { return r } else { return nil } }
}

/// Shows CR and LF visibly in failure messages.
func visible(_ bytes: [UInt8]) -> String { VisibleText.escape(bytes, lineEndings: true) }

@Suite("Reply parser")
struct ReplyParserTests {
    static let ehlo = Array("250-mx.example.org\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250 STARTTLS\r\n".utf8)

    @Test("a multi-line reply keeps every line, its separator and raw bytes", arguments: FeedWay.all)
    func multiLine(way: FeedWay) {
        let events = parse(Self.ehlo, way)
        let all = replies(events)
        #expect(all.count == 1, "\(visible(Self.ehlo))")
        let reply = all[0]
        #expect(reply.code == 250)
        #expect(reply.lines.count == 4)
        #expect(reply.lines.map(\.separator) == [.continuation, .continuation, .continuation, .final])
        #expect(reply.texts == ["mx.example.org", "PIPELINING", "SIZE 10240000", "STARTTLS"])
        #expect(reply.raw == Self.ehlo)
        #expect(reply.anomalies.isEmpty)
        let lineEvents = events.filter { if case .line = $0 { return true } else { return false } }
        #expect(lineEvents.count == 4)
    }

    @Test("an enhanced status code is read from the first line", arguments: FeedWay.all)
    func enhanced(way: FeedWay) {
        let reply = replies(parse(Array("550 5.1.1 <x@y>: User unknown\r\n".utf8), way))[0]
        #expect(reply.enhancedCode == EnhancedStatusCode(statusClass: 5, subject: 1, detail: 1))
        #expect(reply.humanTexts == ["<x@y>: User unknown"])
    }

    @Test("two replies in one read come out in order", arguments: FeedWay.all)
    func twoReplies(way: FeedWay) {
        let input = Array("250 2.1.0 Ok\r\n354 End data with <CR><LF>.<CR><LF>\r\n".utf8)
        #expect(replies(parse(input, way)).map(\.code) == [250, 354])
    }

    @Test("a bare LF ends a line and is reported", arguments: FeedWay.all)
    func bareLF(way: FeedWay) {
        let reply = replies(parse(Array("220 host ready\n".utf8), way))[0]
        #expect(reply.lines[0].ending == .lf)
        #expect(reply.anomalies.contains(.bareLF))
        #expect(reply.texts == ["host ready"])
    }

    @Test("a code that changes mid-reply is reported and the final code wins", arguments: FeedWay.all)
    func codeChange(way: FeedWay) {
        let reply = replies(parse(Array("250-first\r\n550 second\r\n".utf8), way))[0]
        #expect(reply.code == 550)
        #expect(reply.firstCode == 250)
        #expect(reply.lines[1].anomalies.contains(.codeChanged))
    }

    @Test("a line with only a code is a final line; a bad separator ends the reply", arguments: FeedWay.all)
    func separators(way: FeedWay) {
        let input = Array("250\r\n250OK\r\n".utf8)
        let all = replies(parse(input, way))
        #expect(all.count == 2)
        #expect(all[0].anomalies.isEmpty)
        #expect(all[1].lines[0].separator == .invalid(UInt8(ascii: "O")))
        #expect(all[1].anomalies.contains(.badSeparator))
    }

    @Test("non-digits outside a reply are stray; inside a reply they stay in it", arguments: FeedWay.all)
    func nonDigits(way: FeedWay) {
        let input = Array("HTTP/1.1 400 Bad Request\r\n250-start\r\ngarbage in the middle\r\n250 end\r\n".utf8)
        let events = parse(input, way)
        guard case .stray(let stray) = events.first else {
            Issue.record("expected a stray line first: \(events)")
            return
        }
        #expect(stray.anomalies.contains(.noCode))
        let reply = replies(events)[0]
        #expect(reply.lines.count == 3)
        #expect(reply.lines[1].code == nil)
        #expect(reply.code == 250)
    }

    @Test("out-of-range codes are replies with an anomaly", arguments: FeedWay.all)
    func outOfRange(way: FeedWay) {
        let all = replies(parse(Array("199 what\r\n260 odd\r\n".utf8), way))
        #expect(all.map(\.code) == [199, 260])
        #expect(all.allSatisfy { $0.anomalies.contains(.codeOutOfRange) })
    }

    @Test("invalid UTF-8 and control bytes are kept raw and reported", arguments: FeedWay.all)
    func badBytes(way: FeedWay) {
        let input: [UInt8] = Array("250 caf".utf8) + [0xE9, 0x1B] + Array("[31mred\u{0}\r\n".utf8)
        let reply = replies(parse(input, way))[0]
        #expect(reply.raw == input)
        #expect(reply.anomalies.contains(.invalidUTF8))
        #expect(reply.anomalies.contains(.controlBytes))
    }

    @Test("valid UTF-8 is reported as non-ASCII only")
    func utf8() {
        let reply = replies(parse(Array("250 你好 ok\r\n".utf8), .whole))[0]
        #expect(reply.anomalies == [.nonASCII])
        #expect(reply.texts == ["你好 ok"])
    }

    @Test("a stray CR inside a line is reported", arguments: FeedWay.all)
    func strayCR(way: FeedWay) {
        let reply = replies(parse(Array("250 a\rb\r\n".utf8), way))[0]
        #expect(reply.anomalies.contains(.strayCR))
    }

    @Test("a line over 512 octets is reported but kept whole")
    func overLong() {
        let input = Array(("250 " + String(repeating: "x", count: 600) + "\r\n").utf8)
        let reply = replies(parse(input, .whole))[0]
        #expect(reply.anomalies.contains(.overLong))
        #expect(reply.raw.count == input.count)
    }

    @Test("a line that never ends is cut at the cap and memory stays bounded")
    func endlessLine() {
        var parser = ReplyParser(lineCap: 64)
        var events: [ReplyParser.Event] = []
        let chunk = [UInt8](repeating: UInt8(ascii: "A"), count: 1000)
        parser.feed(Array("250 ".utf8))
        for _ in 0..<1000 {
            parser.feed(chunk)
            while let event = parser.next() { events.append(event) }
            #expect(parser.bufferedByteCount <= 64)
        }
        #expect(events.count == 1)
        guard case .line(let line) = events[0] else {
            Issue.record("expected the cut line: \(events)")
            return
        }
        #expect(line.raw.count == 64)
        #expect(line.anomalies.contains(.truncated))
        parser.feed(Array("tail\r\n220 next\r\n".utf8))
        var after: [ReplyParser.Event] = []
        while let event = parser.next() { after.append(event) }
        #expect(after.first == .discarded(byteCount: 1_000_000 + 4 + 6 - 64))
        #expect(replies(after).map(\.code) == [250, 220])
    }

    @Test("a line over the hard cap is cut the same way whether its end came in the same read or later",
          arguments: [SMTPLimits.replyLineHardCap - 1, SMTPLimits.replyLineHardCap, SMTPLimits.replyLineHardCap + 1, 9000])
    func capWhateverTheReads(length: Int) {
        let input = Array("250-".utf8) + [UInt8](repeating: 0x78, count: length - 6) + Array("\r\n250 end\r\n".utf8)
        let whole = parse(input, .whole)
        #expect(whole == parse(input, .byteByByte), "length \(length)")
        #expect(whole == parse(input, .withTrailing(Array("250-next".utf8))))
        for case .line(let line) in whole { #expect(line.raw.count <= SMTPLimits.replyLineHardCap) }
        #expect(replies(whole).count == 1)
    }

    @Test("a reply with too many lines keeps the cap and counts the rest")
    func tooManyLines() {
        var input: [UInt8] = []
        for n in 0..<50 { input += Array("250-line \(n)\r\n".utf8) }
        input += Array("250 last\r\n".utf8)
        let reply = replies(parse(input, .whole, parser: ReplyParser(linesCap: 10)))[0]
        #expect(reply.lines.count == 10)
        #expect(reply.droppedLineCount == 41)
        #expect(reply.lines.last?.text == "last")
        #expect(reply.anomalies.contains(.tooManyLines))
    }

    @Test("finish emits an unterminated last line")
    func finishUnterminated() {
        var parser = ReplyParser()
        parser.feed(Array("221 bye".utf8))
        #expect(parser.next() == nil)
        let events = parser.finish()
        let reply = replies(events)[0]
        #expect(reply.code == 221)
        #expect(reply.anomalies.contains(.unterminated))
    }

    @Test("unparsed bytes can be taken out, as at the STARTTLS switch")
    func takeUnparsed() {
        var parser = ReplyParser()
        parser.feed(Array("220 go ahead\r\n250 injected\r\n".utf8))
        #expect(replies([parser.next()!, parser.next()!]).map(\.code) == [220])
        #expect(parser.takeUnparsedBytes() == Array("250 injected\r\n".utf8))
        #expect(parser.next() == nil)
    }

    @Test("enhanced codes: the grammar of RFC 3463")
    func enhancedGrammar() {
        #expect(EnhancedStatusCode("5.7.26")?.description == "5.7.26")
        #expect(EnhancedStatusCode("3.1.1") == nil)
        #expect(EnhancedStatusCode("5.1") == nil)
        #expect(EnhancedStatusCode("5.1000.1") == nil)
        #expect(EnhancedStatusCode.parsePrefix(Array("2.0.0Ok".utf8)[...]) == nil)
        #expect(EnhancedStatusCode.parsePrefix(Array("4.7.1".utf8)[...])?.0.description == "4.7.1")
        #expect(EnhancedStatusCode.parsePrefix(Array("12.1.1 x".utf8)[...]) == nil)
    }
}

@Suite("Reply parser: special bytes at every offset")
struct ReplyParserOffsetTests {
    @Test("control bytes, CR, DEL and UTF-8 are found wherever they sit", arguments: [
        ([UInt8](arrayLiteral: 0x00), ReplyAnomalies.controlBytes), ([0x1B], .controlBytes), ([0x7F], .controlBytes),
        ([0x0D], .strayCR), ([0xC3, 0xA9], .nonASCII), ([0xFF], .invalidUTF8), ([0xC2, 0x85], .controlBytes),
    ])
    func everyOffset(special: [UInt8], anomaly: ReplyAnomalies) {
        for offset in 0..<40 {
            let text = Array(String(repeating: "a", count: offset).utf8) + special + Array(String(repeating: "b", count: 40 - offset).utf8)
            let line = Array("250 ".utf8) + text + [0x0D, 0x0A]
            let reply = replies(parse(line, .whole))[0]
            #expect(reply.anomalies.contains(anomaly), "offset \(offset): \(visible(line))")
        }
        let clean = Array(("250 " + String(repeating: "x", count: 80) + "\r\n").utf8)
        #expect(replies(parse(clean, .whole))[0].anomalies.isEmpty)
    }
}
