import Foundation
import Synchronization
import Testing
@testable import PracticeServer
@testable import SMTPCore
#if canImport(Glibc)
import Glibc
#endif

/// Counts the flushes a store asks for, and does them.
final class CountedSync: Sendable {
    let calls = Mutex(0)
    func sync(_ descriptor: Int32) -> Int32 {
        calls.withLock { $0 += 1 }
        return MaildirStore.flush(descriptor)
    }
    var count: Int { calls.withLock { $0 } }
}

@Suite("The store's commit log")
struct CommitLogTests {
    let helpers = GroupCommitTests()

    func store(_ root: URL, _ sync: CountedSync = CountedSync()) throws -> MaildirStore {
        try MaildirStore(root: root, mailboxes: ["alice", "bob"], hostname: "mx.example.test", sync: sync.sync,
                         checkpointDelay: .infinity)
    }

    func path(_ root: URL, _ mailbox: String, _ sub: String, _ name: String) -> String {
        root.appendingPathComponent(mailbox).appendingPathComponent(sub).appendingPathComponent(name).path
    }

    func contents(_ path: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path).map { Array($0) }
    }

    @Test("a batch of small messages costs one flush, of the log; each copy is in new/, whole, and in the log")
    func oneFlushABatch() throws {
        let root = try helpers.root()
        defer { try? FileManager.default.removeItem(at: root) }
        let sync = CountedSync()
        let store = try store(root, sync)
        let batch = try (0..<5).map { try store.prepare(helpers.message("m\($0)", to: $0 == 0 ? ["alice", "bob"] : ["alice"])) }
        let results = store.commit(batch)
        #expect(results.allSatisfy { (try? $0.get()) != nil })
        #expect(sync.count == 1, "one log flush, no file or folder fsync")
        #expect(helpers.files(root, "alice", "new").count == 5 && helpers.files(root, "bob", "new").count == 1)
        #expect(helpers.files(root, "alice", "tmp").isEmpty)
        let pending = store.log!.pending()
        #expect(pending.count == 6)
        for record in pending {
            #expect(contents(root.path + "/" + record.path) == record.bytes)
        }
        #expect(pending.allSatisfy { String(decoding: $0.bytes, as: UTF8.self).contains("Received: from laptop") })
    }

    @Test("the next start writes again what did not reach new/ whole, leaves what a reader moved to cur/, and empties the log")
    func recovery() throws {
        let root = try helpers.root()
        defer { try? FileManager.default.removeItem(at: root) }
        // The store that delivered is gone (its lock on the log with it), as after a crash.
        let (lost, torn, read, whole) = try { () throws -> ([String], String, String, String) in
            let before = try store(root)
            return (try before.store(helpers.message("lost", to: ["alice", "bob"])), try before.store(helpers.message("torn"))[0],
                    try before.store(helpers.message("read"))[0], try before.store(helpers.message("whole"))[0])
        }()
        let lostBytes = lost.map { contents($0) }
        let tornBytes = contents(torn)
        // What a power cut can leave: files gone from new/, a file cut short.
        for file in lost { unlink(file) }
        truncate(torn, 10)
        let readName = (read as NSString).lastPathComponent
        rename(read, path(root, "alice", "cur", readName + ":2,S"))
        let wholeStatus = try FileManager.default.attributesOfItem(atPath: whole)
        try {
            let after = try store(root)
            #expect(lost.map { contents($0) } == lostBytes)
            #expect(contents(torn) == tornBytes)
            #expect(!FileManager.default.fileExists(atPath: read), "a message a reader had moved to cur/ is not delivered twice")
            #expect(try FileManager.default.attributesOfItem(atPath: whole)[.modificationDate] as? Date
                    == wholeStatus[.modificationDate] as? Date, "a whole copy is left as it is")
            #expect(helpers.files(root, "alice", "tmp").isEmpty)
            #expect(after.log!.pending().isEmpty)
            #expect(after.log!.inUse)
            #expect(try !store(root).log!.inUse, "a second store on the same Maildirs leaves the log to the first")
        }()
        // Restored once: the next start finds nothing to do, even with the copies gone again.
        for file in lost { unlink(file) }
        #expect(try store(root).log!.inUse)
        #expect(lost.allSatisfy { !FileManager.default.fileExists(atPath: $0) })
    }

    @Test("a torn record ends the log: the batches before it come back, the torn one does not")
    func tornTail() throws {
        let root = try helpers.root()
        defer { try? FileManager.default.removeItem(at: root) }
        let (first, second, records) = try { () throws -> (String, String, [CommitLog.Record]) in
            let before = try store(root)
            return (try before.store(helpers.message("first"))[0], try before.store(helpers.message("second"))[0], before.log!.pending())
        }()
        #expect(records.count == 2)
        let end = CommitLog.headerBytes + records.reduce(0) { $0 + CommitLog.recordHeaderBytes + $1.path.utf8.count + $1.bytes.count }
        // The second record's last byte never reached the disk.
        let log = open(root.path + "/" + MaildirStore.commitLogName, O_WRONLY)
        var zero: UInt8 = 0
        #expect(pwrite(log, &zero, 1, off_t(end - 1)) == 1)
        close(log)
        unlink(first)
        unlink(second)
        _ = try store(root)
        #expect(FileManager.default.fileExists(atPath: first))
        #expect(!FileManager.default.fileExists(atPath: second))
    }

    @Test("a batch whose flush failed is not read back after a shorter batch is written where it was")
    func failedFlushLeavesNoRecord() throws {
        let root = try helpers.root()
        defer { try? FileManager.default.removeItem(at: root) }
        let (kept, refused) = try { () throws -> (String, [String]) in
            let failures = Mutex(1)
            let store = try MaildirStore(root: root, mailboxes: ["alice", "bob"], hostname: "mx.example.test",
                                         sync: { descriptor in
                                             if failures.withLock({ (left: inout Int) -> Bool in defer { left -= 1 }; return left > 0 }) {
                                                 errno = EIO
                                                 return -1
                                             }
                                             return MaildirStore.flush(descriptor)
                                         }, checkpointDelay: .infinity)
            let batch = try ["a", "b", "c"].map { try store.prepare(helpers.message($0)) }
            #expect(store.commit(batch).allSatisfy { (try? $0.get()) == nil })
            let refused = batch.flatMap(\.files)
            return (try store.store(helpers.message("d"))[0], refused)
        }()
        unlink(kept)
        _ = try store(root)
        #expect(FileManager.default.fileExists(atPath: kept), "the batch that was flushed comes back")
        #expect(refused.allSatisfy { !FileManager.default.fileExists(atPath: $0) }, "those that got 451 do not")
    }

    @Test("a log whose header is damaged brings nothing back, and works again after")
    func damagedHeader() throws {
        let root = try helpers.root()
        defer { try? FileManager.default.removeItem(at: root) }
        let first = try { () throws -> String in try store(root).store(helpers.message("before"))[0] }()
        unlink(first)
        let log = open(root.path + "/" + MaildirStore.commitLogName, O_WRONLY)
        var junk: UInt8 = 0xFF
        #expect(pwrite(log, &junk, 1, 9) == 1)
        close(log)
        let second = try { () throws -> String in
            let store = try store(root)
            #expect(!FileManager.default.fileExists(atPath: first))
            return try store.store(helpers.message("after"))[0]
        }()
        unlink(second)
        _ = try store(root)
        #expect(FileManager.default.fileExists(atPath: second) && !FileManager.default.fileExists(atPath: first))
    }

    @Test("after a checkpoint, and after a POP3 deletion, nothing deleted comes back")
    func checkpoints() throws {
        let root = try helpers.root()
        defer { try? FileManager.default.removeItem(at: root) }
        try {
            let before = try store(root)
            let gone = try before.store(helpers.message("deleted by a reader"))[0]
            before.checkpoint()
            #expect(before.log!.pending().isEmpty)
            unlink(gone)
            let popped = try before.store(helpers.message("deleted over POP3"))[0]
            let drops = Maildrops(root: root, settle: { before.checkpoint() })
            guard case .success(let entries) = drops.open("alice") else {
                Issue.record("cannot open alice's maildrop")
                return
            }
            #expect(entries.count == 1)
            #expect(throws: Never.self) { try drops.commit(entries.map(\.uid), user: "alice").get() }
            #expect(!FileManager.default.fileExists(atPath: popped))
        }()
        _ = try store(root)
        #expect(helpers.files(root, "alice", "new").isEmpty && helpers.files(root, "alice", "cur").isEmpty)
    }

    @Test("a rename that fails after the flush is cancelled in the log: the next start does not bring it back")
    func cancelled() throws {
        let root = try helpers.root()
        defer { try? FileManager.default.removeItem(at: root) }
        try {
            let before = try store(root)
            let list = try before.prepare(helpers.message("list", to: ["alice", "bob"]))
            try FileManager.default.removeItem(at: root.appendingPathComponent("bob/new"))
            try Data().write(to: root.appendingPathComponent("bob/new"))
            #expect((try? before.commit([list])[0].get()) == nil)
            #expect(before.log!.pending().isEmpty, "the cancel records hide both copies")
        }()
        try FileManager.default.removeItem(at: root.appendingPathComponent("bob/new"))
        _ = try store(root)
        #expect(helpers.files(root, "alice", "new").isEmpty && helpers.files(root, "bob", "new").isEmpty)
    }

    @Test("a message too large for the log is fsync'd file by file and its folder after; the log stays empty")
    func tooLarge() throws {
        let root = try helpers.root()
        defer { try? FileManager.default.removeItem(at: root) }
        let sync = CountedSync()
        let store = try store(root, sync)
        var message = helpers.message("large")
        message.data = Array("Subject: large\r\n\r\n".utf8) + [UInt8](repeating: 0x61, count: CommitLog.largestRecord)
        let files = try store.store(message)
        #expect(store.log!.pending().isEmpty)
        #expect(sync.count == 1, "the folder's fsync (the file's own is not the store's flush)")
        #expect(contents(files[0])?.count == CommitLog.largestRecord + 16 + store.headers(message, recipient: "alice@example.test", date: Date()).count)
    }

    @Test("a log that fills starts again after a checkpoint, four times as large; every message is stored")
    func grows() throws {
        let root = try helpers.root()
        defer { try? FileManager.default.removeItem(at: root) }
        let store = try store(root)
        let logPath = root.path + "/" + MaildirStore.commitLogName
        #expect(try FileManager.default.attributesOfItem(atPath: logPath)[.size] as? Int == CommitLog.headerBytes + CommitLog.initialCapacity)
        var message = helpers.message("big")
        message.data = Array("Subject: big\r\n\r\n".utf8) + [UInt8](repeating: 0x62, count: 200_000)
        for round in 0..<4 {
            let batch = try (0..<3).map { _ in try store.prepare(message) }
            #expect(store.commit(batch).allSatisfy { (try? $0.get()) != nil }, "round \(round)")
        }
        #expect(helpers.files(root, "alice", "new").count == 12)
        #expect(try FileManager.default.attributesOfItem(atPath: logPath)[.size] as? Int == CommitLog.headerBytes + 4 * CommitLog.initialCapacity)
        #expect(store.log!.pending().count < 12, "records from before the checkpoint are no longer in the log")
    }

    @Test("records are read back exactly; one flipped byte anywhere ends the log there")
    func encoding() {
        let records = [CommitLog.Record(kind: .copy, path: "alice/new/1", bytes: Array("one\n".utf8)),
                       CommitLog.Record(kind: .cancel, path: "alice/new/1", bytes: []),
                       CommitLog.Record(kind: .copy, path: "bob/new/2", bytes: [UInt8](repeating: 7, count: 1001))]
        let encoded = CommitLog.encode(records, epoch: 9)
        let decoded = CommitLog.decode(encoded[...], epoch: 9)
        #expect(decoded.map(\.path) == records.map(\.path) && decoded.map(\.bytes) == records.map(\.bytes))
        #expect(CommitLog.decode(encoded[...], epoch: 8).isEmpty, "an older epoch reads as the end")
        for offset in stride(from: 0, to: encoded.count, by: 37) {
            var flipped = encoded
            flipped[offset] ^= 0x20
            let first = CommitLog.recordHeaderBytes + 11 + 4
            #expect(CommitLog.decode(flipped[...], epoch: 9).count == (offset < first ? 0 : offset < first + 43 ? 1 : 2))
        }
    }
}
