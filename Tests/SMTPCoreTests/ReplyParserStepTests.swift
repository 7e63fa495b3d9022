import Testing
@testable import SMTPCore

/// A stream of reply lines with every kind of fault, from a seed, so a failure can be replayed.
struct FaultyReplies {
    private var state: UInt64
    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 | 1 }

    mutating func next(_ bound: Int) -> Int {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return Int(state % UInt64(bound))
    }

    static let texts: [[UInt8]] = [
        Array("mx.example.org".utf8), Array("PIPELINING".utf8), Array("2.1.0 Ok".utf8), [],
        Array("caf\u{E9} \u{2603}".utf8), [0xC2, 0x85, 0x41], [0xFF, 0xFE, 0x41], [0x1B, 0x5B, 0x32, 0x4A],
        [0x41, 0x0D, 0x42], [0x09, 0x7F], Array(repeating: 0x61, count: 600), Array(repeating: 0x62, count: 70),
    ]

    /// One line: a code (sometimes a changed, bad or missing one), a separator, a text, an ending.
    mutating func line(code: Int, final: Bool) -> [UInt8] {
        var line: [UInt8]
        switch next(12) {
        case 0: line = Array("xyz".utf8)
        case 1: line = Array("\(code + 1)".utf8)
        case 2: line = Array("17".utf8)
        default: line = Array("\(code)".utf8)
        }
        switch next(10) {
        case 0: line.append(0x3F)
        case 1: break
        default: line.append(final ? 0x20 : 0x2D)
        }
        line += Self.texts[next(Self.texts.count)]
        switch next(8) {
        case 0: line.append(0x0A)
        case 1: line += [0x0D, 0x0D, 0x0A]
        default: line += [0x0D, 0x0A]
        }
        return line
    }

    mutating func stream(replies: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        for _ in 0..<replies {
            let code = [220, 250, 354, 421, 550, 199][next(6)]
            let count = 1 + next(next(4) == 0 ? 14 : 4)
            for index in 0..<count { bytes += line(code: code, final: index == count - 1) }
        }
        return bytes
    }
}

/// Everything `advance` and the accessors give, as values.
func steps(_ input: [UInt8], pieces: Int, parser: ReplyParser) -> [ReplyParser.Event] {
    var parser = parser
    var events: [ReplyParser.Event] = []
    var offset = 0
    let size = max(1, input.count / max(1, pieces))
    while offset < input.count {
        parser.feed(input[offset..<min(input.count, offset + size)])
        offset += size
        while let step = parser.advance() {
            switch step {
            case .line: events.append(.line(parser.line))
            case .stray: events.append(.stray(parser.line))
            case .reply: events.append(.reply(parser.reply))
            case .discarded(let count): events.append(.discarded(byteCount: count))
            }
        }
    }
    return events + parser.finish()
}

@Suite("Reply parser: steps and packed replies")
struct ReplyParserStepTests {
    static let parsers = [ReplyParser(), ReplyParser(lineCap: 64, linesCap: 4)]

    @Test("a reply's lines are the lines handed out, read any way, over 200 faulty streams", arguments: 0..<200)
    func linesMatch(seed: Int) {
        var source = FaultyReplies(seed: UInt64(seed))
        let input = source.stream(replies: 12)
        for parser in Self.parsers {
            let whole = steps(input, pieces: 1, parser: parser)
            #expect(steps(input, pieces: input.count, parser: parser) == whole, "seed \(seed), byte by byte")
            #expect(steps(input, pieces: 7, parser: parser) == whole, "seed \(seed), in 7 pieces")
            var copy = parser
            copy.feed(input)
            var values: [ReplyParser.Event] = []
            while let event = copy.next() { values.append(event) }
            #expect(values + copy.finish() == whole, "seed \(seed): next and advance disagree")

            var handedOut: [ReplyLine] = []
            var bytes = 0
            for event in whole {
                switch event {
                case .line(let line):
                    handedOut.append(line)
                    bytes += line.raw.count
                case .stray(let line): bytes += line.raw.count
                case .discarded(let count): bytes += count
                case .reply(let reply):
                    if reply.droppedLineCount == 0 { #expect(reply.lines == handedOut, "seed \(seed)") }
                    #expect(reply.lineCount == reply.lines.count)
                    #expect(reply.raw == reply.lines.flatMap(\.raw))
                    let rebuilt = Reply(lines: reply.lines, droppedLineCount: reply.droppedLineCount)
                    #expect(rebuilt == reply && rebuilt.hashValue == reply.hashValue)
                    #expect(rebuilt.code == reply.code && rebuilt.firstCode == reply.firstCode)
                    handedOut = []
                }
            }
            #expect(bytes == input.count, "seed \(seed): every byte is in a line or counted as dropped")
        }
    }

    @Test("a packed reply survives the read buffer moving under it")
    func compaction() {
        var parser = ReplyParser()
        parser.feed(Array("250 first\r\n250-a\r\n".utf8))
        var codes: [Int] = []
        while let step = parser.advance() { if case .reply = step { codes.append(parser.reply.code) } }
        // The second read moves the half-read reply to the front of the buffer.
        parser.feed(Array("250 b\r\n".utf8))
        var last: Reply?
        while let step = parser.advance() { if case .reply = step { last = parser.reply } }
        #expect(codes == [250])
        #expect(last?.texts == ["a", "b"])
        #expect(last?.raw == Array("250-a\r\n250 b\r\n".utf8))
    }

    @Test("a reply taken out lives on after the parser reads more")
    func independent() {
        var parser = ReplyParser()
        parser.feed(Array("250-one\r\n250 two\r\n".utf8))
        var kept: [Reply] = []
        while let step = parser.advance() { if case .reply = step { kept.append(parser.reply) } }
        parser.feed(Array(repeating: 0x41, count: 100_000) + [0x0A])
        while parser.advance() != nil {}
        #expect(kept.first?.texts == ["one", "two"])
    }
}

@Suite("Reply parser: the read buffer")
struct ReplyParserBufferTests {
    @Test("a reply kept after a huge line does not keep a huge buffer alive")
    func shrinks() {
        var parser = ReplyParser()
        parser.feed(Array(repeating: 0x41, count: 1 << 20) + [0x0A])
        while parser.advance() != nil {}
        #expect(parser.bufferCapacity >= 1 << 20)
        parser.feed(Array("250 ok\r\n".utf8))
        var kept: Reply?
        while let step = parser.advance() { if case .reply = step { kept = parser.reply } }
        #expect(kept?.texts == ["ok"])
        #expect(parser.bufferCapacity <= ReplyParser.roomyCapacity)
    }
}
