#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Theory of operation
//
// The parser is fed bytes as they arrive (`feed`) and hands out steps one at a time
// (`advance`) until it needs more bytes. A line is complete at LF; CRLF is the norm, a bare LF
// is accepted and reported. `LineScan` finds each line's end and what is wrong inside it in
// one pass, and a step says only what was found: the line itself (`line`) and the reply
// (`reply`) are read from the parser when asked, so a reader that does not want a value does
// not pay for it. `next` is the same parse handing out values.
//
// Lines with a code gather into a reply until a final line (space, end of line or a bad
// separator after the code) closes it. A line with no code outside a reply is `stray`; inside
// a reply it stays part of that reply. A reply whose lines all end with LF and are all kept
// stays where it arrived in the read buffer and is handed out as a view of it (`Reply`'s
// packed form; the buffer is copied on the parser's next write if a reply still holds it); a
// reply with a cut line or dropped lines keeps its lines one by one.
//
// Memory is bounded whatever the peer sends: a line that reaches
// `SMTPLimits.replyLineHardCap` bytes without an LF is handed out at once, cut, with the
// `truncated` anomaly, and the rest of it is counted and dropped up to the next LF
// (`discarded`). A reply keeps at most `SMTPLimits.replyLinesHardCap` lines.

/// An incremental, sans-IO parser of SMTP replies (RFC 5321 §4.2).
public struct ReplyParser: Sendable {
    public enum Event: Sendable, Hashable {
        /// A line of the reply being received, as soon as it is complete.
        case line(ReplyLine)
        /// A complete reply; always follows the `.line` of its final line.
        case reply(Reply)
        /// A line with no reply code that is not inside a reply.
        case stray(ReplyLine)
        /// The end of a cut line arrived: this many bytes of it were dropped.
        case discarded(byteCount: Int)
    }

    /// What `advance` found. After `.line` and `.stray` the line is ``line``; after `.reply`
    /// the reply is ``reply``; both until the next `advance`, `next` or `feed`.
    public enum Step: Sendable, Hashable {
        case line, reply, stray
        case discarded(byteCount: Int)
    }

    private var buffer: [UInt8] = []
    private var start = 0
    private var scan = LineScan()
    /// The stream has ended (inside `finish`): a line without LF is complete.
    private var ended = false
    private var last: LineMark?

    // The reply in progress.
    private var packedFrom: Int?
    private var packedEnd = 0
    private var lineCount = 0
    private var held: [ReplyLine] = []
    private var droppedLines = 0
    private var firstCode: Int?
    private var lastCode = 0
    private var replyDue = false
    /// The reply was handed out; it is forgotten at the next step.
    private var replyOut = false

    private var discarding = false
    private var discardedCount = 0
    private var cutLineWasFinal = false
    private let lineCap: Int
    private let linesCap: Int

    public init(lineCap: Int = SMTPLimits.replyLineHardCap, linesCap: Int = SMTPLimits.replyLinesHardCap) {
        precondition(lineCap >= 8 && linesCap >= 2)
        self.lineCap = lineCap
        self.linesCap = linesCap
    }

    /// Bytes received and not yet part of a complete line.
    public var bufferedByteCount: Int { buffer.count - start }

    /// What the read buffer holds room for (for tests of its bound).
    var bufferCapacity: Int { buffer.capacity }

    /// Adds received bytes.
    public mutating func feed<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        compact()
        buffer.append(contentsOf: bytes)
    }

    /// The next event, or nil when more bytes are needed.
    public mutating func next() -> Event? {
        guard let step = advance() else { return nil }
        switch step {
        case .line: return .line(line)
        case .stray: return .stray(line)
        case .reply: return .reply(reply)
        case .discarded(let count): return .discarded(byteCount: count)
        }
    }

    /// The line of the last `.line` or `.stray` step.
    public var line: ReplyLine {
        guard let last else { preconditionFailure("no line was handed out since the last feed") }
        return buffer.withUnsafeBufferPointer { ReplyLine(last, in: $0.baseAddress!) }
    }

    /// The reply of the last `.reply` step.
    public var reply: Reply {
        precondition(replyOut, "no reply was handed out")
        guard let from = packedFrom else { return Reply(lines: held, droppedLineCount: droppedLines) }
        return Reply(packed: buffer, from..<packedEnd, lineCount: lineCount, code: lastCode, firstCode: firstCode ?? lastCode)
    }

    /// The next step, or nil when more bytes are needed.
    public mutating func advance() -> Step? {
        if replyOut { forgetReply() }
        if replyDue {
            replyDue = false
            replyOut = true
            return .reply
        }
        if discarding { return discard() }
        guard start < buffer.count else { return nil }
        let lineStart = start
        let limit = min(buffer.count, lineStart + lineCap)
        var scan = self.scan
        let ended = self.ended
        let (mark, cut): (LineMark?, Bool) = buffer.withUnsafeBufferPointer { pointer in
            let base = pointer.baseAddress!
            if let lf = scan.advance(base, lineStart: lineStart, limit: limit) {
                return (scan.mark(base, start: lineStart, end: lf + 1, terminated: true), false)
            }
            if limit - lineStart == lineCap {
                return (scan.mark(base, start: lineStart, end: limit, terminated: false), true)
            }
            if ended {
                return (scan.mark(base, start: lineStart, end: limit, terminated: false, extra: .unterminated), false)
            }
            return (nil, false)
        }
        guard let mark else {
            self.scan = scan
            return nil
        }
        self.scan = LineScan()
        start = mark.end
        if cut {
            discarding = true
            discardedCount = 0
        }
        return place(mark, cut: cut)
    }

    /// At the end of the stream: everything still to come, with a last line that never ended.
    public mutating func finish() -> [Event] {
        ended = true
        defer { ended = false }
        var events: [Event] = []
        while let event = next() { events.append(event) }
        return events
    }

    /// Removes and returns every byte not yet parsed, and forgets any reply in progress.
    /// Used at the STARTTLS switch: these bytes arrived in plaintext after the 220 and
    /// must not be read as part of the encrypted session (RFC 3207 §4.2, §6).
    public mutating func takeUnparsedBytes() -> [UInt8] {
        let rest = Array(buffer[start...])
        self = ReplyParser(lineCap: lineCap, linesCap: linesCap)
        return rest
    }

    // MARK: - Lines and replies

    /// The rest of a cut line, up to its LF (or the end of the stream).
    private mutating func discard() -> Step? {
        let lf = buffer.withUnsafeBufferPointer { $0.firstLF(from: start) }
        guard lf != nil || ended else {
            discardedCount += buffer.count - start
            start = buffer.count
            return nil
        }
        let end = lf.map { $0 + 1 } ?? buffer.count
        discardedCount += end - start
        start = end
        discarding = false
        let count = discardedCount
        discardedCount = 0
        if cutLineWasFinal {
            cutLineWasFinal = false
            replyDue = true
        }
        return .discarded(byteCount: count)
    }

    @inline(__always)
    private mutating func place(_ mark: LineMark, cut: Bool) -> Step {
        var mark = mark
        guard let code = mark.code else {
            last = mark
            if lineCount == 0 { return .stray }
            keep(mark, packable: !cut && mark.ending != .none)
            return .line
        }
        mark.compareCode(with: &firstCode)
        lastCode = code
        last = mark
        keep(mark, packable: !cut && mark.ending != .none)
        if mark.isFinal {
            if cut {
                cutLineWasFinal = true
            } else {
                replyDue = true
            }
        }
        return .line
    }

    @inline(__always)
    private mutating func keep(_ mark: LineMark, packable: Bool) {
        guard lineCount < linesCap - 1 || mark.isFinal else {
            unpack()
            droppedLines += 1
            return
        }
        if packable && (lineCount == 0 || packedFrom != nil) {
            if lineCount == 0 { packedFrom = mark.start }
            packedEnd = mark.end
            lineCount += 1
            return
        }
        unpack()
        // Room for a usual reply at once, not grown line by line.
        if held.isEmpty { held.reserveCapacity(mark.isFinal ? 1 : 12) }
        held.append(buffer.withUnsafeBufferPointer { ReplyLine(mark, in: $0.baseAddress!) })
        lineCount += 1
    }

    /// A reply that can no longer stay packed keeps its lines so far one by one.
    private mutating func unpack() {
        guard let from = packedFrom else { return }
        held = splitLines(buffer, from..<packedEnd, count: lineCount)
        packedFrom = nil
    }

    private mutating func forgetReply() {
        replyOut = false
        packedFrom = nil
        if !held.isEmpty { held = [] }
        lineCount = 0
        droppedLines = 0
        firstCode = nil
    }

    /// A reply taken out is a view of the buffer it arrived in, so a buffer that a long line or
    /// a long reply made large is not kept that large: past this, a read that needs a quarter
    /// of it or less gets a buffer of its own size.
    static let roomyCapacity = 256 * 1024

    private mutating func compact() {
        last = nil
        let keepFrom = min(start, packedFrom ?? start)
        let needed = buffer.count - keepFrom
        if buffer.capacity > Self.roomyCapacity && needed * 4 <= buffer.capacity {
            buffer = Array(buffer[keepFrom...])
        } else if keepFrom == 0 {
            return
        } else if keepFrom == buffer.count {
            buffer.removeAll(keepingCapacity: true)
        } else if keepFrom >= 65_536 || keepFrom * 2 >= buffer.count {
            buffer.removeSubrange(0..<keepFrom)
        } else {
            return
        }
        start -= keepFrom
        if let from = packedFrom {
            packedFrom = from - keepFrom
            packedEnd -= keepFrom
        }
    }
}
