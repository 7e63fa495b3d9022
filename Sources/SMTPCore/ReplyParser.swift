#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Theory of operation
//
// The parser is fed bytes as they arrive (`feed`) and hands out events one at a time
// (`next`) until it needs more bytes. A line is complete at LF; CRLF is the norm, a bare LF
// is accepted and reported. Each line becomes a `ReplyLine` that keeps its raw bytes. Lines
// with a code gather into a reply until a final line (space, end of line or a bad
// separator after the code) closes it. A line with no code outside a reply is `stray`;
// inside a reply it stays part of that reply.
//
// Memory is bounded whatever the peer sends: a line that reaches
// `SMTPLimits.replyLineHardCap` bytes without an LF is emitted at once, cut, with the
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

    private var buffer: [UInt8] = []
    private var start = 0
    private var scanFrom = 0
    private var lines: [ReplyLine] = []
    private var droppedLines = 0
    private var firstCode: Int?
    /// The reply whose final line was just handed out: the next event.
    private var replyDue = false
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

    /// Adds received bytes.
    public mutating func feed<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        compact()
        buffer.append(contentsOf: bytes)
    }

    /// The next event, or nil when more bytes are needed.
    public mutating func next() -> Event? {
        if replyDue {
            replyDue = false
            return .reply(closeReply())
        }
        if discarding {
            guard let lf = findLF(from: start) else {
                discardedCount += buffer.count - start
                start = buffer.count
                scanFrom = start
                return nil
            }
            discardedCount += lf + 1 - start
            start = lf + 1
            scanFrom = start
            discarding = false
            let count = discardedCount
            discardedCount = 0
            if cutLineWasFinal {
                cutLineWasFinal = false
                replyDue = true
            }
            return .discarded(byteCount: count)
        }
        if let lf = findLF(from: max(start, scanFrom)) {
            let lineStart = start
            if lf + 1 - lineStart > lineCap {
                // Over the hard cap with its LF already here: cut exactly as if it had come in
                // pieces, so the events never depend on how the reads fell.
                discarding = true
                discardedCount = 0
                start = lineStart + lineCap
                scanFrom = start
                return makeLine(from: lineStart, through: lineStart + lineCap - 1, terminated: false)
            }
            start = lf + 1
            scanFrom = start
            return makeLine(from: lineStart, through: lf, terminated: true)
        }
        scanFrom = buffer.count
        if buffer.count - start >= lineCap {
            let lineStart = start
            discarding = true
            discardedCount = buffer.count - start - lineCap
            start = buffer.count
            scanFrom = start
            return makeLine(from: lineStart, through: lineStart + lineCap - 1, terminated: false)
        }
        return nil
    }

    /// At the end of the stream: emits a last line that never ended, if there is one.
    public mutating func finish() -> [Event] {
        var events: [Event] = []
        while let event = next() { events.append(event) }
        if discarding {
            discarding = false
            events.append(.discarded(byteCount: discardedCount))
            discardedCount = 0
            if cutLineWasFinal {
                cutLineWasFinal = false
                events.append(.reply(closeReply()))
            }
        } else if start < buffer.count {
            let lineStart = start
            start = buffer.count
            if let event = makeLine(from: lineStart, through: buffer.count - 1, terminated: false,
                                    extra: .unterminated) {
                events.append(event)
                if replyDue {
                    replyDue = false
                    events.append(.reply(closeReply()))
                }
            }
        }
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

    // MARK: - Lines

    private mutating func makeLine(from lineStart: Int, through last: Int, terminated: Bool,
                                   extra: ReplyAnomalies = []) -> Event? {
        let raw = Array(buffer[lineStart...last])
        var anomalies = extra
        var contentEnd = raw.count
        var ending = LineEnding.none
        if terminated {
            if raw.count >= 2 && raw[raw.count - 2] == 0x0D {
                ending = .crlf
                contentEnd -= 2
            } else {
                ending = .lf
                contentEnd -= 1
                anomalies.insert(.bareLF)
            }
        } else if extra.isEmpty {
            anomalies.insert(.truncated)
        }
        if raw.count > SMTPLimits.replyLineLength { anomalies.insert(.overLong) }

        let (code, separator) = raw.withUnsafeBufferPointer { pointer in
            Self.inspect(pointer, contentEnd: contentEnd, anomalies: &anomalies)
        }
        return place(ReplyLine(raw: raw, code: code, separator: separator, ending: ending,
                               anomalies: anomalies),
                     cut: !terminated && extra.isEmpty)
    }

    private mutating func place(_ line: ReplyLine, cut: Bool) -> Event {
        guard let code = line.code else {
            if lines.isEmpty { return .stray(line) }
            keep(line)
            return .line(line)
        }
        var line = line
        if let first = firstCode, first != code {
            line = ReplyLine(raw: line.raw, code: code, separator: line.separator, ending: line.ending,
                             anomalies: line.anomalies.union(.codeChanged))
        } else if firstCode == nil {
            firstCode = code
        }
        keep(line)
        if line.isFinal {
            if cut {
                cutLineWasFinal = true
            } else {
                replyDue = true
            }
        }
        return .line(line)
    }

    private mutating func keep(_ line: ReplyLine) {
        // Room for a usual reply at once, not grown line by line.
        if lines.isEmpty { lines.reserveCapacity(line.isFinal ? 1 : 12) }
        if lines.count < linesCap - 1 || line.isFinal {
            lines.append(line)
        } else {
            droppedLines += 1
        }
    }

    private mutating func closeReply() -> Reply {
        let reply = Reply(lines: lines, droppedLineCount: droppedLines)
        lines = []
        droppedLines = 0
        firstCode = nil
        return reply
    }

    /// Reads the code and separator and notes control bytes, stray CRs and bad UTF-8.
    private static func inspect(_ bytes: UnsafeBufferPointer<UInt8>, contentEnd: Int,
                                anomalies: inout ReplyAnomalies) -> (Int?, ReplySeparator) {
        var high = false
        var index = 0
        // Eight bytes at a time while they are all printable ASCII; the byte loop below
        // takes over at the first word that might hold anything else.
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            while index + 8 <= contentEnd {
                let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                let highBits = word & 0x8080_8080_8080_8080
                let belowSpace = (word &- 0x2020_2020_2020_2020) & ~word & 0x8080_8080_8080_8080
                let del = word ^ 0x7F7F_7F7F_7F7F_7F7F
                let isDel = (del &- 0x0101_0101_0101_0101) & ~del & 0x8080_8080_8080_8080
                if highBits | belowSpace | isDel != 0 { break }
                index += 8
            }
        }
        while index < contentEnd {
            let byte = bytes[index]
            if byte < 0x20 {
                if byte == 0x0D {
                    anomalies.insert(.strayCR)
                } else if byte != 0x09 {
                    anomalies.insert(.controlBytes)
                }
            } else if byte >= 0x7F {
                if byte == 0x7F { anomalies.insert(.controlBytes) } else { high = true }
            }
            index += 1
        }
        if high {
            let content = UnsafeBufferPointer(rebasing: bytes[0..<contentEnd])
            if String(validating: content, as: UTF8.self) == nil {
                anomalies.insert(.invalidUTF8)
            } else {
                anomalies.insert(.nonASCII)
                if containsC1Control(content) { anomalies.insert(.controlBytes) }
            }
        }

        guard contentEnd >= 3, isDigit(bytes[0]), isDigit(bytes[1]), isDigit(bytes[2]) else {
            anomalies.insert(.noCode)
            return (nil, .none)
        }
        let code = Int(bytes[0] - 0x30) * 100 + Int(bytes[1] - 0x30) * 10 + Int(bytes[2] - 0x30)
        if bytes[0] < 0x32 || bytes[0] > 0x35 || bytes[1] > 0x35 {
            anomalies.insert(.codeOutOfRange)
        }
        guard contentEnd > 3 else { return (code, .final) }
        switch bytes[3] {
        case 0x2D: return (code, .continuation)
        case 0x20: return (code, .final)
        default:
            anomalies.insert(.badSeparator)
            return (code, .invalid(bytes[3]))
        }
    }

    /// U+0080–U+009F encoded in UTF-8 (C2 80 … C2 9F): terminals may act on them.
    private static func containsC1Control(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count >= 2 else { return false }
        for index in 0..<(bytes.count - 1) where bytes[index] == 0xC2 && bytes[index + 1] < 0xA0 {
            return true
        }
        return false
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    private func findLF(from index: Int) -> Int? {
        buffer.withUnsafeBufferPointer { $0.firstLF(from: index) }
    }

    private mutating func compact() {
        guard start > 0 else { return }
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
        } else if start >= 65_536 || start * 2 >= buffer.count {
            buffer.removeSubrange(0..<start)
        } else {
            return
        }
        scanFrom -= start
        start = 0
    }
}
