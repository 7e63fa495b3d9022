// Theory of operation
//
// One pass over a reply line both finds its LF and notes what is wrong inside it. Eight bytes
// are tested at a time for anything that is not printable ASCII (a byte below 0x20, DEL, or
// one with the high bit set); a clean word is skipped whole, and the first byte the word test
// flags is handled alone. The lowest flagged byte of a word is always a real one (a false mark
// can only sit above a true one, carried up by the arithmetic), so the scan jumps straight to
// it. LF is below 0x20, so the search for the line's end costs nothing extra.
//
// A scan can stop at the end of what has arrived and go on at the next read: what it found so
// far is kept, and a CR at the very end waits for the next byte to say whether it starts CRLF.
// The verdict therefore never depends on how the reads fell.

/// What one line is, as the parser found it: where its bytes are and what they say.
struct LineMark: Sendable, Hashable {
    /// Offsets of the line's first byte and one past its last (the LF, when it has one).
    var start: Int
    var end: Int
    var code: Int?
    var separator: ReplySeparator
    var ending: LineEnding
    var anomalies: ReplyAnomalies

    var isFinal: Bool {
        switch separator {
        case .final, .invalid: return true
        case .continuation, .none: return false
        }
    }

    /// Marks a code that differs from the reply's first (RFC 5321 §4.2.1), or takes this line's
    /// code as the first.
    mutating func compareCode(with firstCode: inout Int?) {
        guard let code else { return }
        if let first = firstCode {
            if first != code { anomalies.insert(.codeChanged) }
        } else {
            firstCode = code
        }
    }
}

/// A scan of one line in progress, kept across reads.
struct LineScan: Sendable {
    private var anomalies: ReplyAnomalies = []
    private var high = false
    /// Bytes from the line's start already looked at.
    private var scanned = 0

    /// Looks at the line that starts at `lineStart` up to `limit` (exclusive); returns the offset
    /// of its LF, or nil when none is there yet.
    @inline(__always)
    mutating func advance(_ base: UnsafePointer<UInt8>, lineStart: Int, limit: Int) -> Int? {
        var index = lineStart + scanned
        let raw = UnsafeRawPointer(base)
        while true {
            while index + 8 <= limit {
                let flagged = Self.flags(raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                if flagged != 0 {
                    index += flagged.trailingZeroBitCount >> 3
                    break
                }
                index += 8
            }
            guard index < limit else { break }
            let byte = base[index]
            if byte < 0x20 {
                if byte == 0x0A { return index }
                if byte == 0x0D {
                    guard index + 1 < limit else { break }
                    if base[index + 1] == 0x0A { return index + 1 }
                    anomalies.insert(.strayCR)
                } else if byte != 0x09 {
                    anomalies.insert(.controlBytes)
                }
            } else if byte == 0x7F {
                anomalies.insert(.controlBytes)
            } else if byte > 0x7F {
                high = true
            }
            index += 1
        }
        scanned = index - lineStart
        return nil
    }

    /// The high bit of each byte of `word` that is below 0x20, DEL, or above it.
    @inline(__always)
    private static func flags(_ word: UInt64) -> UInt64 {
        let below = (word &- 0x2020_2020_2020_2020) & ~word
        return (below | word | (word &+ 0x0101_0101_0101_0101)) & 0x8080_8080_8080_8080
    }

    /// The line from `start` to `end` (exclusive). A terminated line ends with its LF; an
    /// unterminated one (cut at the hard cap, or the stream's end) takes `extra` as given, or
    /// `truncated` when `extra` is empty.
    @inline(__always)
    func mark(_ base: UnsafePointer<UInt8>, start: Int, end: Int, terminated: Bool,
              extra: ReplyAnomalies = []) -> LineMark {
        var anomalies = self.anomalies.union(extra)
        var contentEnd = end
        var ending = LineEnding.none
        if terminated {
            if end - start >= 2 && base[end - 2] == 0x0D {
                ending = .crlf
                contentEnd -= 2
            } else {
                ending = .lf
                contentEnd -= 1
                anomalies.insert(.bareLF)
            }
        } else {
            if extra.isEmpty { anomalies.insert(.truncated) }
            // A CR the scan left for the next byte is inside the line after all.
            if start + scanned < end && base[start + scanned] == 0x0D { anomalies.insert(.strayCR) }
        }
        if end - start > SMTPLimits.replyLineLength { anomalies.insert(.overLong) }
        let content = UnsafeBufferPointer(start: base + start, count: contentEnd - start)
        if high { Self.checkText(content, &anomalies) }
        let (code, separator) = Self.codeAndSeparator(content, &anomalies)
        return LineMark(start: start, end: end, code: code, separator: separator, ending: ending,
                        anomalies: anomalies)
    }

    /// 8-bit text: valid UTF-8 or not, and whether it encodes a C1 control.
    private static func checkText(_ content: UnsafeBufferPointer<UInt8>, _ anomalies: inout ReplyAnomalies) {
        if String(validating: content, as: UTF8.self) == nil {
            anomalies.insert(.invalidUTF8)
            return
        }
        anomalies.insert(.nonASCII)
        // U+0080–U+009F encoded in UTF-8 (C2 80 … C2 9F): terminals may act on them.
        guard content.count >= 2 else { return }
        for index in 0..<(content.count - 1) where content[index] == 0xC2 && content[index + 1] < 0xA0 {
            anomalies.insert(.controlBytes)
            return
        }
    }

    @inline(__always)
    private static func codeAndSeparator(_ content: UnsafeBufferPointer<UInt8>,
                                         _ anomalies: inout ReplyAnomalies) -> (Int?, ReplySeparator) {
        guard content.count >= 3 else {
            anomalies.insert(.noCode)
            return (nil, .none)
        }
        let d0 = content[0] &- 0x30, d1 = content[1] &- 0x30, d2 = content[2] &- 0x30
        guard d0 < 10, d1 < 10, d2 < 10 else {
            anomalies.insert(.noCode)
            return (nil, .none)
        }
        let code = Int(d0) * 100 + Int(d1) * 10 + Int(d2)
        if d0 < 2 || d0 > 5 || d1 > 5 { anomalies.insert(.codeOutOfRange) }
        guard content.count > 3 else { return (code, .final) }
        switch content[3] {
        case 0x2D: return (code, .continuation)
        case 0x20: return (code, .final)
        default:
            anomalies.insert(.badSeparator)
            return (code, .invalid(content[3]))
        }
    }
}

extension ReplyLine {
    /// The line a mark describes, its bytes copied out of `base`.
    init(_ mark: LineMark, in base: UnsafePointer<UInt8>) {
        self.init(raw: Array(UnsafeBufferPointer(start: base + mark.start, count: mark.end - mark.start)),
                  code: mark.code, separator: mark.separator, ending: mark.ending, anomalies: mark.anomalies)
    }
}
