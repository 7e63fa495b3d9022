import SMTPCore

// Theory of operation
//
// Lines live in chunks of at most a fixed number of lines and bytes; each chunk holds one
// byte array and one array of small fixed-size records, so a million short lines cost their
// bytes plus 32 bytes each, not an object each. Lines have absolute indexes that never
// change; when the store holds more than `capacity` lines, or more than `byteCapacity`
// bytes, the oldest whole chunk is dropped and `firstIndex` moves on. Reading a line is a
// binary search over the few chunks.

/// The bytes and fixed-size facts of the log's lines: the newest `capacity` lines, and no more
/// than `byteCapacity` bytes of them (each bound overshot by at most one chunk).
struct LineStore: Sendable {
    struct Meta: Sendable {
        var offset: UInt32
        var length: UInt16
        var kind: UInt8
        var flags: UInt8
        var code: UInt16
        /// Milliseconds to the reply's first byte (on its first line) or to its last line (on
        /// the last line of a reply of several lines).
        var latency: Float32
        var replyBack: UInt32
        var answersBack: UInt32
        /// Milliseconds since the log began.
        var time: UInt32
    }

    struct Chunk: Sendable {
        /// The index of its first line.
        var start: Int
        var bytes: [UInt8] = []
        var metas: [Meta] = []
    }

    /// The facts of one line as they are stored.
    struct Line {
        var kind: TranscriptEntry.Kind
        var tls = false
        var code: Int?
        var latencyMilliseconds: Double?
        var isFinal = false
        var replyBack = 0
        var answers: Int?
        var timeMilliseconds: Double = 0
        var sensitive = false
    }

    static let tlsFlag: UInt8 = 1, finalFlag: UInt8 = 2, sensitiveFlag: UInt8 = 4, latencyFlag: UInt8 = 8
    /// Lines longer than this keep their first bytes only (reply lines are already capped at
    /// 4096 by the parser; this bounds what a user can paste).
    static let maxLineBytes = Int(UInt16.max)
    static let kinds = TranscriptEntry.Kind.allCases

    /// The bytes of scrollback kept by default: long lines cannot make the log grow past this.
    static let defaultByteCapacity = 64 << 20

    let capacity: Int
    let byteCapacity: Int
    let linesPerChunk: Int
    let bytesPerChunk: Int
    var chunks: [Chunk] = [Chunk(start: 0)]
    /// Index of the oldest line kept.
    private(set) var firstIndex = 0
    /// Lines kept.
    private(set) var count = 0
    /// Bytes of the lines kept.
    private(set) var byteCount = 0

    init(capacity: Int, byteCapacity: Int = LineStore.defaultByteCapacity) {
        self.capacity = max(1, capacity)
        self.byteCapacity = max(Self.maxLineBytes, byteCapacity)
        linesPerChunk = min(4096, max(16, self.capacity / 4))
        bytesPerChunk = max(Self.maxLineBytes, self.byteCapacity / 16)
    }

    var endIndex: Int { firstIndex + count }

    /// Adds a line and returns its index.
    @discardableResult
    mutating func append<Bytes: Collection>(_ bytes: Bytes, _ line: Line) -> Int where Bytes.Element == UInt8 {
        let full = chunks[chunks.count - 1].metas.count >= linesPerChunk
            || chunks[chunks.count - 1].bytes.count + min(bytes.count, Self.maxLineBytes) > bytesPerChunk
        if full, !chunks[chunks.count - 1].metas.isEmpty {
            // A full chunk never grows again: give back the slack of its arrays.
            chunks[chunks.count - 1].bytes = Self.exactCopy(chunks[chunks.count - 1].bytes)
            chunks[chunks.count - 1].metas = Self.exactCopy(chunks[chunks.count - 1].metas)
            chunks.append(Chunk(start: endIndex))
            while chunks.count > 1,
                  count - chunks[0].metas.count >= capacity
                    || byteCount - chunks[0].bytes.count > byteCapacity - bytesPerChunk {
                firstIndex += chunks[0].metas.count
                count -= chunks[0].metas.count
                byteCount -= chunks[0].bytes.count
                chunks.removeFirst()
            }
        }
        let index = endIndex
        var flags: UInt8 = 0
        if line.tls { flags |= Self.tlsFlag }
        if line.isFinal { flags |= Self.finalFlag }
        if line.sensitive { flags |= Self.sensitiveFlag }
        if line.latencyMilliseconds != nil { flags |= Self.latencyFlag }
        let last = chunks.count - 1
        let offset = chunks[last].bytes.count
        chunks[last].bytes.append(contentsOf: bytes.prefix(Self.maxLineBytes))
        let length = chunks[last].bytes.count - offset
        byteCount += length
        let answersBack = line.answers.map { UInt32(clamping: max(0, index - $0)) } ?? 0
        chunks[last].metas.append(Meta(
            offset: UInt32(offset), length: UInt16(length), kind: UInt8(Self.kinds.firstIndex(of: line.kind) ?? 0),
            flags: flags, code: UInt16(clamping: line.code ?? 0), latency: Float32(line.latencyMilliseconds ?? 0),
            replyBack: UInt32(clamping: line.replyBack), answersBack: answersBack,
            time: UInt32(clamping: Int(max(0, line.timeMilliseconds)))))
        count += 1
        return index
    }

    /// The bytes and facts of the line at `index`, or nil when it was dropped or does not exist.
    func line(_ index: Int) -> (bytes: ArraySlice<UInt8>, line: Line)? {
        guard let (chunk, position) = locate(index) else { return nil }
        let meta = chunks[chunk].metas[position]
        let start = Int(meta.offset)
        let facts = Line(kind: Self.kinds[Int(meta.kind)], tls: meta.flags & Self.tlsFlag != 0,
                         code: meta.code == 0 ? nil : Int(meta.code),
                         latencyMilliseconds: meta.flags & Self.latencyFlag != 0 ? Double(meta.latency) : nil,
                         isFinal: meta.flags & Self.finalFlag != 0, replyBack: Int(meta.replyBack),
                         answers: meta.answersBack == 0 ? nil : index - Int(meta.answersBack),
                         timeMilliseconds: Double(meta.time), sensitive: meta.flags & Self.sensitiveFlag != 0)
        return (chunks[chunk].bytes[start..<(start + Int(meta.length))], facts)
    }

    /// Records a latency after the fact (the last line of a reply learns its time at the end).
    mutating func setLatency(_ index: Int, milliseconds: Double) {
        guard let (chunk, position) = locate(index) else { return }
        chunks[chunk].metas[position].latency = Float32(milliseconds)
        chunks[chunk].metas[position].flags |= Self.latencyFlag
    }

    /// Forgets every line; indexes go on from where they were.
    mutating func removeAll() {
        firstIndex = endIndex
        count = 0
        byteCount = 0
        chunks = [Chunk(start: firstIndex)]
    }

    func locate(_ index: Int) -> (Int, Int)? {
        guard index >= firstIndex, index < endIndex else { return nil }
        // The last chunk whose first line is at or before the index.
        var low = 0, high = chunks.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if chunks[middle].start <= index { low = middle } else { high = middle - 1 }
        }
        return (low, index - chunks[low].start)
    }

    /// A copy whose capacity is its count (Array's own copies may keep the slack).
    static func exactCopy<T>(_ array: [T]) -> [T] {
        [T](unsafeUninitializedCapacity: array.count) { buffer, count in
            _ = buffer.initialize(from: array)
            count = array.count
        }
    }

    /// The size of one line's record, besides its bytes.
    static var recordSize: Int { MemoryLayout<Meta>.stride }

    /// Bytes held, for the memory figure of the benchmark.
    var storageBytes: Int {
        chunks.reduce(0) { $0 + $1.bytes.capacity + $1.metas.capacity * MemoryLayout<Meta>.stride }
    }
}
