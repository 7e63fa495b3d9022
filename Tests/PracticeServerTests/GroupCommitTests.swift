import Foundation
import Synchronization
import Testing
@testable import PracticeServer
@testable import SMTPCore
#if canImport(Glibc)
import Glibc
#endif

/// A flush (of the commit log, or of a folder) that can be held shut, to catch a batch in the middle of its commit.
final class HeldSync: Sendable {
    let calls = Mutex(0)
    let entered = DispatchSemaphore(value: 0)
    let release = DispatchSemaphore(value: 0)
    let holding = Mutex(false)

    func sync(_ descriptor: Int32) -> Int32 {
        calls.withLock { $0 += 1 }
        if holding.withLock({ $0 }) {
            entered.signal()
            release.wait()
        }
        return fsync(descriptor)
    }
}

/// What completions saw, in the order they ran.
final class Outcomes: Sendable {
    let seen = Mutex<[(String, Bool)]>([])
    let done = DispatchSemaphore(value: 0)

    func record(_ name: String) -> GroupCommit.Completion {
        { result in
            self.seen.withLock { $0.append((name, (try? result.get()) != nil)) }
            self.done.signal()
        }
    }

    var names: [String] { seen.withLock { $0.map(\.0) } }
    var allStored: Bool { seen.withLock { $0.allSatisfy(\.1) } }
}

@Suite("Group commit of stored messages")
struct GroupCommitTests {
    func root() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("smtpx-commit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func message(_ subject: String, to mailboxes: [String] = ["alice"]) -> ServerSession.Message {
        ServerSession.Message(id: subject, sender: "a@b.example",
                              recipients: mailboxes.map { .init(address: "\($0)@example.test", mailboxes: [$0], outbox: false) },
                              data: Array("Subject: \(subject)\r\n\r\nhi\r\n".utf8), spooledBytes: 0, helo: "laptop",
                              extended: true, client: .init(address: "192.0.2.7", port: 1), tls: false, authUser: nil,
                              smtputf8: false, chunked: false)
    }

    func files(_ root: URL, _ mailbox: String, _ sub: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(mailbox).appendingPathComponent(sub).path)) ?? []
    }

    @Test("a message prepared while a batch is committed waits for the next batch, with the others that came meanwhile (50 runs)")
    func spanningTheWindow() throws {
        for run in 0..<50 {
            let folder = try root()
            defer { try? FileManager.default.removeItem(at: folder) }
            let held = HeldSync()
            let store = try MaildirStore(root: folder, mailboxes: ["alice"], hostname: "mx.example.test", sync: held.sync)
            let commits = GroupCommit(store: store)
            let outcomes = Outcomes()
            held.holding.withLock { $0 = true }
            let first = try store.prepare(message("first-\(run)"))
            Thread.detachNewThread { commits.commit(first, then: outcomes.record("first")) }
            held.entered.wait()
            held.holding.withLock { $0 = false }
            // The first batch is inside its log flush: these two join the next one.
            commits.commit(try store.prepare(message("second-\(run)")), then: outcomes.record("second"))
            commits.commit(try store.prepare(message("third-\(run)")), then: outcomes.record("third"))
            #expect(outcomes.names.isEmpty, "no completion before the log flush returned")
            #expect(files(folder, "alice", "new").isEmpty, "nothing is moved into new/ before its flush")
            #expect(files(folder, "alice", "tmp").count == 3)
            held.release.signal()
            for _ in 0..<3 { outcomes.done.wait() }
            #expect(outcomes.names == ["first", "second", "third"])
            #expect(outcomes.allStored)
            #expect(held.calls.withLock { $0 } == 2)
            #expect(commits.counts.batches == 2 && commits.counts.largest == 2)
            #expect(files(folder, "alice", "new").count == 3 && files(folder, "alice", "tmp").isEmpty)
        }
    }

    @Test("messages from many threads at once: each completed once, all stored, fewer flushes than messages")
    func manyThreads() throws {
        let folder = try root()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try MaildirStore(root: folder, mailboxes: ["alice", "bob"], hostname: "mx.example.test")
        let commits = GroupCommit(store: store)
        let outcomes = Outcomes()
        let threads = 8, each = 40
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            for n in 0..<each {
                let prepared = try! store.prepare(message("m-\(thread)-\(n)", to: ["alice", "bob"]))
                commits.commit(prepared, then: outcomes.record("m-\(thread)-\(n)"))
            }
        }
        for _ in 0..<(threads * each) { outcomes.done.wait() }
        #expect(Set(outcomes.names).count == threads * each && outcomes.names.count == threads * each)
        #expect(outcomes.allStored)
        #expect(files(folder, "alice", "new").count == threads * each && files(folder, "bob", "new").count == threads * each)
        #expect(commits.counts.batches <= threads * each)
    }

    @Test("a commit log or folder that cannot be flushed fails every message of the batch with a copy in it, and leaves no copy",
          arguments: [true, false])
    func failedFlush(commitLog: Bool) throws {
        let folder = try root()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try MaildirStore(root: folder, mailboxes: ["alice", "bob"], hostname: "mx.example.test",
                                     sync: { _ in errno = EIO; return -1 }, commitLog: commitLog)
        let results = store.commit([try store.prepare(message("a", to: ["alice", "bob"])), try store.prepare(message("b"))])
        #expect(results.allSatisfy { (try? $0.get()) == nil })
        #expect(results.allSatisfy { if case .failure(let error) = $0 { !error.full } else { false } })
        for box in ["alice", "bob"] {
            #expect(files(folder, box, "tmp").isEmpty && files(folder, box, "new").isEmpty)
        }
    }

    @Test("folders removed while the server runs are made again: a mailbox's new/, then its tmp/")
    func foldersComeBack() throws {
        let folder = try root()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try MaildirStore(root: folder, mailboxes: ["alice"], hostname: "mx.example.test")
        try store.store(message("before"))
        try FileManager.default.removeItem(at: folder.appendingPathComponent("alice/new"))
        try store.store(message("after new/ went"))
        try FileManager.default.removeItem(at: folder.appendingPathComponent("alice"))
        try store.store(message("after the mailbox went"))
        #expect(files(folder, "alice", "new").count == 1 && files(folder, "alice", "tmp").isEmpty)
    }

    @Test("one message that cannot be moved into new/ fails alone; the rest of its batch is stored")
    func oneFailsInABatch() throws {
        let folder = try root()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try MaildirStore(root: folder, mailboxes: ["alice", "bob"], hostname: "mx.example.test")
        let good = try store.prepare(message("good"))
        let list = try store.prepare(message("list", to: ["alice", "bob"]))
        // bob's new/ becomes a file between the writing and the commit: the list message cannot land.
        try FileManager.default.removeItem(at: folder.appendingPathComponent("bob/new"))
        try Data().write(to: folder.appendingPathComponent("bob/new"))
        let results = store.commit([good, list])
        #expect((try? results[0].get()) != nil)
        #expect((try? results[1].get()) == nil)
        #expect(files(folder, "alice", "new").count == 1, "the list's copy for alice was taken back")
        #expect(files(folder, "alice", "tmp").isEmpty && files(folder, "bob", "tmp").isEmpty)
    }
}
