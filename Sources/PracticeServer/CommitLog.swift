import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The store's write-ahead log: a batch of messages is made durable by one append to this file
/// and one `fdatasync`, in place of an fsync for every copy and folder. A copy's whole bytes and
/// its final path in `new/` go into the log before its file is renamed there; the files
/// themselves reach the disk later, when a checkpoint (`syncfs`) makes them durable and empties
/// the log. After a power cut, `recover` writes again every logged copy that did not reach the
/// disk whole.
///
/// The file is written over in place, never grown by an append: a log that grows or was only
/// reserved (`fallocate`) needs a journal commit of its size at every flush, which costs what
/// the fsyncs it replaces cost. So it is filled with zeros up front, from 1 MiB, and doubles
/// (up to 16 MiB) each time it fills before its timed checkpoint.
///
/// Layout: a header block (magic, epoch, checksum), then records back to back, each with the
/// epoch of the header they were written under and a checksum over the whole record. A
/// checkpoint starts a new epoch, so older records read as the end of the log.
final class CommitLog: Sendable {
    struct Record {
        enum Kind: UInt32 { case copy = 1, cancel = 2 }
        var kind: Kind
        /// The copy's final path, under the store's root.
        var path: String
        var bytes: [UInt8]
    }

    struct State {
        var epoch: UInt64
        var offset: Int
        var capacity: Int
        /// A checkpoint is due: records were written since the last one.
        var dirty = false
        var checkpointArmed = false
    }

    static let headerBytes = 4096
    static let recordHeaderBytes = 32
    static let headerMagic: UInt64 = 0x474F_4C58_5054_4D53 // "SMTPXLOG"
    static let recordMagic: UInt32 = 0x5258_4D53 // "SMXR"
    static let initialCapacity = 1 << 20
    static let maximumCapacity = 16 << 20
    /// A message whose copies are larger is fsync'd file by file instead.
    static var largestRecord: Int { maximumCapacity / 4 }
    /// How long after its first record a checkpoint runs at the latest.
    static let checkpointDelay: Double = 1

    let path: String
    let root: String
    let descriptor: Int32
    let flush: @Sendable (Int32) -> Int32
    /// Seconds from a batch to the checkpoint that follows it (infinite: only when full or asked).
    let delay: Double
    let state: Mutex<State>
    /// False when the log could not be made (no room for it): the store fsyncs every file.
    let usable = Atomic(true)
    var inUse: Bool { usable.load(ordering: .relaxed) }

    /// Opens the log at `path` (the store's root is `root`), or makes it. What it held from
    /// before is handed to `recover` by `MaildirStore`; the log starts empty.
    init(path: String, root: String, flush: @escaping @Sendable (Int32) -> Int32,
         delay: Double) throws(MaildirStore.StoreError) {
        self.path = path
        self.root = root
        self.flush = flush
        self.delay = delay
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw MaildirStore.failure("cannot open \(path)") }
        let owned = flock(descriptor, LOCK_EX | LOCK_NB) == 0
        var status = stat()
        fstat(descriptor, &status)
        let size = Int(status.st_size)
        // A log whose header cannot be read starts from the clock, so no old record can match its epoch.
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let headerless = UInt64(max(0, now.tv_sec)) &* 1_000_000_000 &+ UInt64(max(0, now.tv_nsec))
        let epoch = size >= Self.headerBytes ? Self.readHeader(descriptor) ?? headerless : 0
        state = Mutex(State(epoch: epoch, offset: Self.headerBytes,
                            capacity: max(Self.initialCapacity, min(size - Self.headerBytes, Self.maximumCapacity))))
        // Another server on the same Maildirs owns the log: this one fsyncs every file.
        if !owned { usable.store(false, ordering: .relaxed) }
    }

    deinit {
        close(descriptor)
    }

    // MARK: Writing

    /// Appends each group's records, flushes, then calls `land` for each group (which renames
    /// its copies into `new/`). A group that `land` fails gets cancel records, so a recovery
    /// does not bring it back. Returns, for each group, nil once it is durable, or why not.
    /// Groups that do not fit in the room left wait for a checkpoint and go on after it.
    func write(_ groups: [[Record]], land: (Int) -> MaildirStore.StoreError?) -> [MaildirStore.StoreError?] {
        var outcome = [MaildirStore.StoreError?](repeating: nil, count: groups.count)
        state.withLock { state in
            var next = 0
            while next < groups.count {
                // The groups that fit in the room left, flushed together.
                var chunk: [UInt8] = []
                var members: [Int] = []
                while next < groups.count {
                    let encoded = Self.encode(groups[next], epoch: state.epoch)
                    if state.offset + chunk.count + encoded.count <= Self.headerBytes + state.capacity {
                        chunk += encoded
                        members.append(next)
                        next += 1
                    } else if !members.isEmpty {
                        break
                    } else if let failure = checkpoint(&state, grow: 4) ?? ensureRoom(&state, for: encoded.count) {
                        // Full: the files so far were to be made durable and the log started again, larger.
                        outcome[next] = failure
                        next += 1
                    }
                }
                guard !members.isEmpty else { continue }
                if let failure = append(&state, chunk) {
                    for member in members { outcome[member] = failure }
                    continue
                }
                for member in members {
                    guard let failure = land(member) else { continue }
                    let cancels = groups[member].map { Record(kind: .cancel, path: $0.path, bytes: []) }
                    _ = append(&state, Self.encode(cancels, epoch: state.epoch))
                    outcome[member] = failure
                }
            }
            armCheckpoint(&state)
        }
        return outcome
    }

    /// Writes `bytes` at the end of the log and flushes it.
    private func append(_ state: inout State, _ bytes: [UInt8]) -> MaildirStore.StoreError? {
        guard !bytes.isEmpty else { return nil }
        guard state.offset + bytes.count <= Self.headerBytes + state.capacity else {
            return MaildirStore.StoreError(description: "the commit log \(path) is full")
        }
        guard writeAll(descriptor, bytes, at: state.offset), flush(descriptor) == 0 else {
            let failure = MaildirStore.failure("cannot write the commit log \(path)")
            // Records of messages that got 451 must not be read back after a later, shorter batch.
            _ = writeAll(descriptor, [UInt8](repeating: 0, count: bytes.count), at: state.offset)
            return failure
        }
        state.offset += bytes.count
        state.dirty = true
        return nil
    }

    /// Makes the log larger when one group needs more room than it has, up to the maximum.
    private func ensureRoom(_ state: inout State, for count: Int) -> MaildirStore.StoreError? {
        guard count > state.capacity else { return nil }
        var capacity = state.capacity
        while capacity < count && capacity < Self.maximumCapacity { capacity *= 2 }
        guard count <= capacity else { return MaildirStore.StoreError(description: "a message too large for the commit log") }
        if let failure = zeroFill(to: capacity) { return failure }
        state.capacity = capacity
        return nil
    }

    // MARK: Checkpoints

    /// Makes every file landed so far durable and empties the log; nothing happens when it is
    /// already empty. Called on a timer, before POP3 deletes files, and when the server stops.
    /// The bulk is written by a syncfs while commits go on; a second one, under the lock, writes
    /// what landed meanwhile, and the log starts again. A log found more than half full grows.
    func checkpoint() {
        let (dirty, used, capacity) = state.withLock { ($0.dirty, $0.offset - Self.headerBytes, $0.capacity) }
        guard dirty else { return }
        _ = syncFilesystem(holding: root)
        // Beyond the capacity in force no commit writes: zeros go there without the lock.
        let grown = used > capacity / 2 && capacity < Self.maximumCapacity && zeroFill(to: capacity * 2) == nil
        state.withLock { state in
            if grown { state.capacity = max(state.capacity, capacity * 2) }
            _ = checkpoint(&state, grow: 1)
        }
    }

    /// The checkpoint of a full log, under the lock; it grows `grow` times (up to the maximum)
    /// where there is room for that.
    private func checkpoint(_ state: inout State, grow: Int) -> MaildirStore.StoreError? {
        if state.dirty, let failure = syncFilesystem(holding: root) { return failure }
        let larger = min(state.capacity * grow, Self.maximumCapacity)
        if larger > state.capacity, zeroFill(to: larger) == nil {
            // No room to grow is no failure: the log stays the size it is.
            state.capacity = larger
        }
        return startEpoch(&state)
    }

    /// A new epoch in the header, flushed: every record before it reads as the log's end.
    func startEpoch(_ state: inout State) -> MaildirStore.StoreError? {
        if !state.dirty && state.offset == Self.headerBytes && state.epoch > 0 { return nil }
        var header = [UInt8](repeating: 0, count: 24)
        let epoch = state.epoch + 1
        Self.put(Self.headerMagic, into: &header, at: 0)
        Self.put(epoch, into: &header, at: 8)
        Self.put(Self.checksum(header[0..<16]), into: &header, at: 16)
        guard writeAll(descriptor, header, at: 0), fdatasync(descriptor) == 0 else {
            return MaildirStore.failure("cannot write the commit log \(path)")
        }
        state.epoch = epoch
        state.offset = Self.headerBytes
        state.dirty = false
        return nil
    }

    /// Zeros written over the whole log up to `capacity` and flushed, so later flushes change
    /// no size and no extent.
    func zeroFill(to capacity: Int) -> MaildirStore.StoreError? {
        var status = stat()
        fstat(descriptor, &status)
        let zeros = [UInt8](repeating: 0, count: 64 * 1024)
        var at = Int(status.st_size)
        while at < Self.headerBytes + capacity {
            let count = min(zeros.count, Self.headerBytes + capacity - at)
            guard writeAll(descriptor, zeros[..<count], at: at) else {
                return MaildirStore.failure("cannot make room in the commit log \(path)")
            }
            at += count
        }
        guard fdatasync(descriptor) == 0 else { return MaildirStore.failure("cannot write the commit log \(path)") }
        return nil
    }

    /// The next checkpoint, `delay` after the first record since the last one.
    private func armCheckpoint(_ state: inout State) {
        guard state.dirty, !state.checkpointArmed, delay.isFinite else { return }
        state.checkpointArmed = true
        DispatchQueue.global().asyncAfter(deadline: .now() + delay) { [weak self] in
            guard let self else { return }
            self.state.withLock { $0.checkpointArmed = false }
            self.checkpoint()
        }
    }

    // MARK: Reading back

    /// The copies the log holds from before (a crash, a power cut), less those cancelled;
    /// reading stops at the first record that is torn or from an older epoch.
    func pending() -> [Record] {
        state.withLock { state in
            guard state.epoch > 0, inUse else { return [] }
            var status = stat()
            fstat(descriptor, &status)
            var bytes = [UInt8](repeating: 0, count: max(0, Int(status.st_size) - Self.headerBytes))
            let count = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, off_t(Self.headerBytes)) }
            guard count > 0 else { return [] }
            let records = Self.decode(bytes[..<count], epoch: state.epoch)
            let cancelled = Set(records.filter { $0.kind == .cancel }.map(\.path))
            return records.filter { $0.kind == .copy && !cancelled.contains($0.path) }
        }
    }

    /// Prepares an empty log after `pending` was dealt with: zeros up to the capacity, a new
    /// epoch. Where there is no room for it, the log is removed and not used.
    func start() {
        guard inUse else { return }
        state.withLock { state in
            state.dirty = true
            guard zeroFill(to: state.capacity) ?? startEpoch(&state) != nil else { return }
            usable.store(false, ordering: .relaxed)
            ftruncate(descriptor, 0)
            unlink(path)
        }
    }

    // MARK: Encoding

    static func encode(_ records: [Record], epoch: UInt64) -> [UInt8] {
        records.reduce(into: [UInt8]()) { encode($1, epoch: epoch, into: &$0) }
    }

    static func encode(_ record: Record, epoch: UInt64, into out: inout [UInt8]) {
        let path = Array(record.path.utf8)
        let start = out.count
        out.reserveCapacity(start + recordHeaderBytes + path.count + record.bytes.count)
        out += [UInt8](repeating: 0, count: recordHeaderBytes)
        put(recordMagic, into: &out, at: start)
        put(record.kind.rawValue, into: &out, at: start + 4)
        put(epoch, into: &out, at: start + 8)
        put(UInt32(path.count), into: &out, at: start + 16)
        put(UInt32(record.bytes.count), into: &out, at: start + 20)
        out += path
        out += record.bytes
        var sum = checksum(out[start..<(start + 24)])
        sum = checksum(out[(start + recordHeaderBytes)...], seed: sum)
        put(sum, into: &out, at: start + 24)
    }

    static func decode(_ bytes: ArraySlice<UInt8>, epoch: UInt64) -> [Record] {
        var records: [Record] = []
        var at = bytes.startIndex
        while bytes.endIndex - at >= recordHeaderBytes {
            guard get(UInt32.self, bytes, at) == recordMagic, get(UInt64.self, bytes, at + 8) == epoch,
                  let kind = Record.Kind(rawValue: get(UInt32.self, bytes, at + 4)) else { break }
            let pathCount = Int(get(UInt32.self, bytes, at + 16)), dataCount = Int(get(UInt32.self, bytes, at + 20))
            let end = at + recordHeaderBytes + pathCount + dataCount
            guard end <= bytes.endIndex else { break }
            let body = bytes[(at + recordHeaderBytes)..<end]
            guard checksum(body, seed: checksum(bytes[at..<(at + 24)])) == get(UInt64.self, bytes, at + 24) else { break }
            let path = String(decoding: body.prefix(pathCount), as: UTF8.self)
            records.append(Record(kind: kind, path: path, bytes: Array(body.dropFirst(pathCount))))
            at = end
        }
        return records
    }

    static func readHeader(_ descriptor: Int32) -> UInt64? {
        var header = [UInt8](repeating: 0, count: 24)
        let count = header.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, 24, 0) }
        guard count == 24, get(UInt64.self, header[...], 0) == headerMagic,
              checksum(header[0..<16]) == get(UInt64.self, header[...], 16) else { return nil }
        return get(UInt64.self, header[...], 8)
    }

    /// FNV-1a over 64-bit words (then the odd bytes): enough to tell a whole record from a torn one.
    static func checksum(_ bytes: ArraySlice<UInt8>, seed: UInt64 = 0xCBF2_9CE4_8422_2325) -> UInt64 {
        var hash = seed
        bytes.withUnsafeBytes { raw in
            var at = 0
            while at + 8 <= raw.count {
                hash = (hash ^ raw.loadUnaligned(fromByteOffset: at, as: UInt64.self)) &* 0x0000_0100_0000_01B3
                at += 8
            }
            while at < raw.count {
                hash = (hash ^ UInt64(raw[at])) &* 0x0000_0100_0000_01B3
                at += 1
            }
        }
        return hash
    }

    static func put<Value: FixedWidthInteger>(_ value: Value, into bytes: inout [UInt8], at offset: Int) {
        withUnsafeBytes(of: value.littleEndian) { bytes.replaceSubrange(offset..<(offset + $0.count), with: $0) }
    }

    static func get<Value: FixedWidthInteger>(_: Value.Type, _ bytes: ArraySlice<UInt8>, _ offset: Int) -> Value {
        bytes.withUnsafeBytes { Value(littleEndian: $0.loadUnaligned(fromByteOffset: offset - bytes.startIndex, as: Value.self)) }
    }
}
