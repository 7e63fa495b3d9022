/// A complete SMTP reply: one or more lines, the last one final (RFC 5321 §4.2.1).
public struct Reply: Sendable, Hashable {
    /// The code of the final line; when the lines disagree, ``anomalies`` contains
    /// ``ReplyAnomalies/codeChanged`` and ``firstCode`` keeps the first one.
    public let code: Int
    public let firstCode: Int
    /// Lines received but not kept because the reply exceeded the hard cap.
    public let droppedLineCount: Int
    private let storage: Storage

    /// A reply the parser read whole is a view of the bytes it arrived in and finds its lines
    /// again when they are asked for; any other keeps its lines.
    private enum Storage: Sendable {
        case lines([ReplyLine])
        case packed([UInt8], Range<Int>, lineCount: Int)
    }

    public init(lines: [ReplyLine], droppedLineCount: Int = 0) {
        precondition(!lines.isEmpty, "a reply has at least one line")
        self.storage = .lines(lines)
        self.droppedLineCount = droppedLineCount
        // By index, so that no line is copied (and retained) to read its code.
        var first: Int?
        var last: Int?
        for index in lines.indices {
            guard let code = lines[index].code else { continue }
            if first == nil { first = code }
            last = code
        }
        self.firstCode = first ?? 0
        self.code = last ?? firstCode
    }

    /// A reply whose lines all ended with LF and were all kept, in one run of bytes.
    init(packed bytes: [UInt8], _ range: Range<Int>, lineCount: Int, code: Int, firstCode: Int) {
        self.storage = .packed(bytes, range, lineCount: lineCount)
        self.code = code
        self.firstCode = firstCode
        self.droppedLineCount = 0
    }

    /// Every line kept, in order (at most ``SMTPLimits/replyLinesHardCap``).
    public var lines: [ReplyLine] {
        switch storage {
        case .lines(let lines): return lines
        case .packed(let bytes, let range, let count): return splitLines(bytes, range, count: count)
        }
    }

    public var lineCount: Int {
        switch storage {
        case .lines(let lines): return lines.count
        case .packed(_, _, let count): return count
        }
    }

    public static func == (lhs: Reply, rhs: Reply) -> Bool {
        lhs.droppedLineCount == rhs.droppedLineCount && lhs.lines == rhs.lines
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(raw)
        hasher.combine(droppedLineCount)
    }

    /// Builds a reply from text, one element per line, for tests and for the server side.
    public init(code: Int, _ texts: [String]) {
        let texts = texts.isEmpty ? [""] : texts
        var lines: [ReplyLine] = []
        for (index, text) in texts.enumerated() {
            let last = index == texts.count - 1
            let raw = Array("\(code)\(last ? " " : "-")\(text)\r\n".utf8)
            lines.append(ReplyLine(raw: raw, code: code, separator: last ? .final : .continuation,
                                   ending: .crlf, anomalies: []))
        }
        self.init(lines: lines)
    }

    public init(code: Int, _ text: String) { self.init(code: code, [text]) }

    /// 2 positive completion, 3 positive intermediate, 4 transient, 5 permanent.
    public var replyClass: Int { code / 100 }
    public var isPositive: Bool { replyClass == 2 || replyClass == 3 }
    public var isTransientFailure: Bool { replyClass == 4 }
    public var isPermanentFailure: Bool { replyClass == 5 }

    /// The RFC 3463 code at the start of the first line's text, if any (RFC 2034 §4).
    public var enhancedCode: EnhancedStatusCode? {
        guard let first = lines.first else { return nil }
        return EnhancedStatusCode.parsePrefix(first.textBytes)?.0
    }

    /// Every anomaly of every line.
    public var anomalies: ReplyAnomalies {
        var all = lines.reduce(into: ReplyAnomalies()) { $0.formUnion($1.anomalies) }
        if droppedLineCount > 0 { all.insert(.tooManyLines) }
        return all
    }

    /// The text of each line, after the code and separator.
    public var texts: [String] { lines.map(\.text) }

    /// The text of each line, safe to show (``VisibleText``).
    public var visibleTexts: [String] { lines.map(\.visibleText) }

    /// The text of each line with a leading enhanced status code removed, safe to show.
    public var humanTexts: [String] {
        lines.map { line in
            let bytes = line.textBytes
            if let (_, length) = EnhancedStatusCode.parsePrefix(bytes) {
                return VisibleText.escape(bytes.dropFirst(length))
            }
            return VisibleText.escape(bytes)
        }
    }

    /// All raw bytes of the reply, as received.
    public var raw: [UInt8] {
        switch storage {
        case .lines(let lines): return lines.flatMap(\.raw)
        case .packed(let bytes, let range, _): return Array(bytes[range])
        }
    }

    /// The bytes to send for this reply (the server side), canonical CRLF form.
    public var wireBytes: [UInt8] { raw }
}

/// The lines of a reply read whole, found again in its bytes by the same scan that found them,
/// so they are the lines the parser handed out one by one.
func splitLines(_ bytes: [UInt8], _ range: Range<Int>, count lineCount: Int) -> [ReplyLine] {
    bytes.withUnsafeBufferPointer { pointer in
        var lines: [ReplyLine] = []
        lines.reserveCapacity(lineCount)
        guard let base = pointer.baseAddress else { return lines }
        var start = range.lowerBound
        var firstCode: Int?
        while start < range.upperBound {
            var scan = LineScan()
            guard let lf = scan.advance(base, lineStart: start, limit: range.upperBound) else { break }
            var mark = scan.mark(base, start: start, end: lf + 1, terminated: true)
            mark.compareCode(with: &firstCode)
            lines.append(ReplyLine(mark, in: base))
            start = lf + 1
        }
        return lines
    }
}
