/// When each received byte arrived, by its offset in the stream, for the byte a reply starts
/// with: a read brings many bytes at one time, so this keeps one entry per read that is still
/// unparsed (a handful), not one per byte.
struct ArrivalClock: Sendable, Hashable {
    /// Bytes received in all, and the end offset and time of each read not yet consumed.
    private var received = 0
    private var reads: [(end: Int, time: Double)] = []

    static func == (a: Self, b: Self) -> Bool { a.received == b.received && a.reads.map(\.end) == b.reads.map(\.end) }
    func hash(into hasher: inout Hasher) { hasher.combine(received) }

    mutating func arrived(_ count: Int, at time: Double) {
        guard count > 0 else { return }
        received += count
        reads.append((received, time))
    }

    /// The offset of the first unparsed byte, given how many the parser still holds; reads
    /// wholly before it are forgotten.
    mutating func consumed(_ buffered: Int) -> Int {
        let offset = received - buffered
        while let first = reads.first, first.end <= offset, reads.count > 1 { reads.removeFirst() }
        return offset
    }

    func time(ofByte offset: Int) -> Double? {
        reads.first { $0.end > offset }?.time ?? reads.last?.time
    }
}
