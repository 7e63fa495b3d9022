/// What a line of the stream is.
public enum StreamKind: UInt8, Sendable, Hashable {
    case sent, received, local, stray, warning
}

/// One line of the stream, read back from the buffer.
public struct StreamLine: Sendable, Hashable {
    public let index: Int
    public let kind: StreamKind
    /// The line's bytes: exactly what went over the wire, or a local event's text.
    public let bytes: ArraySlice<UInt8>
    public let tls: Bool
    public let code: Int?
    /// Milliseconds from the command to this reply's first line.
    public let latency: Double?
    /// The last line of its reply.
    public let isFinal: Bool
    /// How many lines back the first line of this line's reply is (0 for the first).
    public let replyBack: Int
    /// The index of the sent line this reply answers, if known.
    public let answers: Int?
    /// Milliseconds since the buffer was created.
    public let time: Double
    /// The bytes hold a secret; show the masked form.
    public let sensitive: Bool
}

// Theory of operation
//
// Lines live in chunks of a fixed number of lines; each chunk holds one byte array and one
// array of small fixed-size records, so a million short lines cost their bytes plus 28 bytes
// each, not an object each. Lines have absolute indexes that never change; when the buffer
// holds more than `capacity` lines, the oldest whole chunk is dropped and `firstIndex`
// moves on. Reading a line is O(1).

/// The scrollback: the newest `capacity` lines (and at most one chunk more).
public struct StreamBuffer: Sendable {
    struct Meta: Sendable {
        var offset: UInt32
        var length: UInt16
        var kind: UInt8
        var flags: UInt8
        var code: UInt16
        var latency: Float32
        var replyBack: UInt32
        var answersBack: UInt32
        var time: UInt32
    }

    struct Chunk: Sendable {
        var bytes: [UInt8] = []
        var metas: [Meta] = []
    }

    static let tlsFlag: UInt8 = 1, finalFlag: UInt8 = 2, sensitiveFlag: UInt8 = 4, latencyFlag: UInt8 = 8
    /// Lines longer than this keep their first bytes only (reply lines are already capped at
    /// 4096 by the parser; this bounds what a user can paste).
    public static let maxLineBytes = Int(UInt16.max)

    public let capacity: Int
    let linesPerChunk: Int
    var chunks: [Chunk] = [Chunk()]
    /// Index of the oldest line kept.
    public private(set) var firstIndex = 0

    public init(capacity: Int) {
        self.capacity = max(1, capacity)
        linesPerChunk = min(4096, max(16, self.capacity / 4))
    }

    /// Lines kept.
    public private(set) var count = 0
    /// Index the next line will get.
    public var endIndex: Int { firstIndex + count }
    public var isEmpty: Bool { count == 0 }

    /// Adds a line and returns its index.
    @discardableResult
    public mutating func append<Bytes: Collection>(
        _ kind: StreamKind, _ bytes: Bytes, tls: Bool = false, code: Int? = nil, latency: Double? = nil,
        isFinal: Bool = false, replyBack: Int = 0, answers: Int? = nil, time: Double = 0, sensitive: Bool = false
    ) -> Int where Bytes.Element == UInt8 {
        if chunks[chunks.count - 1].metas.count >= linesPerChunk {
            // A full chunk never grows again: give back the slack of its arrays.
            chunks[chunks.count - 1].bytes = Self.exactCopy(chunks[chunks.count - 1].bytes)
            chunks[chunks.count - 1].metas = Self.exactCopy(chunks[chunks.count - 1].metas)
            chunks.append(Chunk())
            if count - chunks[0].metas.count >= capacity {
                firstIndex += chunks[0].metas.count
                count -= chunks[0].metas.count
                chunks.removeFirst()
            }
        }
        let index = endIndex
        var flags: UInt8 = 0
        if tls { flags |= Self.tlsFlag }
        if isFinal { flags |= Self.finalFlag }
        if sensitive { flags |= Self.sensitiveFlag }
        if latency != nil { flags |= Self.latencyFlag }
        let last = chunks.count - 1
        let offset = chunks[last].bytes.count
        let kept = bytes.prefix(Self.maxLineBytes)
        chunks[last].bytes.append(contentsOf: kept)
        let length = chunks[last].bytes.count - offset
        let answersBack = answers.map { UInt32(clamping: max(0, index - $0)) } ?? 0
        chunks[last].metas.append(Meta(offset: UInt32(offset), length: UInt16(length), kind: kind.rawValue, flags: flags,
                                       code: UInt16(clamping: code ?? 0), latency: Float32(latency ?? 0),
                                       replyBack: UInt32(clamping: replyBack), answersBack: answersBack,
                                       time: UInt32(clamping: Int(max(0, time)))))
        count += 1
        return index
    }

    /// The line at `index`, or nil when it was dropped or does not exist yet.
    public func line(_ index: Int) -> StreamLine? {
        guard let (chunk, position) = locate(index) else { return nil }
        let meta = chunks[chunk].metas[position]
        let start = Int(meta.offset)
        return StreamLine(
            index: index, kind: StreamKind(rawValue: meta.kind) ?? .local,
            bytes: chunks[chunk].bytes[start..<(start + Int(meta.length))],
            tls: meta.flags & Self.tlsFlag != 0, code: meta.code == 0 ? nil : Int(meta.code),
            latency: meta.flags & Self.latencyFlag != 0 ? Double(meta.latency) : nil,
            isFinal: meta.flags & Self.finalFlag != 0, replyBack: Int(meta.replyBack),
            answers: meta.answersBack == 0 ? nil : index - Int(meta.answersBack), time: Double(meta.time),
            sensitive: meta.flags & Self.sensitiveFlag != 0)
    }

    /// Records the latency of a reply line after the fact.
    public mutating func setLatency(_ index: Int, milliseconds: Double) {
        guard let (chunk, position) = locate(index) else { return }
        chunks[chunk].metas[position].latency = Float32(milliseconds)
        chunks[chunk].metas[position].flags |= Self.latencyFlag
    }

    /// Forgets every line; indexes go on from where they were.
    public mutating func removeAll() {
        firstIndex = endIndex
        count = 0
        chunks = [Chunk()]
    }

    func locate(_ index: Int) -> (Int, Int)? {
        guard index >= firstIndex, index < endIndex else { return nil }
        // Every chunk but the last is full, so the position is a division away.
        let offset = index - firstIndex
        let first = chunks[0].metas.count
        if offset < first { return (0, offset) }
        let rest = offset - first
        return (1 + rest / linesPerChunk, rest % linesPerChunk)
    }

    /// A copy whose capacity is its count (Array's own copies may keep the slack).
    static func exactCopy<T>(_ array: [T]) -> [T] {
        [T](unsafeUninitializedCapacity: array.count) { buffer, count in
            _ = buffer.initialize(from: array)
            count = array.count
        }
    }

    /// The size of one line's record, besides its bytes.
    public static var recordSize: Int { MemoryLayout<Meta>.stride }

    /// Bytes held, for the memory figure of the benchmark.
    public var storageBytes: Int {
        chunks.reduce(0) { $0 + $1.bytes.capacity + $1.metas.capacity * MemoryLayout<Meta>.stride }
    }
}
