import Foundation
import Testing
@testable import PracticeServer
@testable import SMTPCore

@Suite("Maildir store and the teacher's log")
struct StoreAndLogTests {
    func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("smtpx-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func message(to mailboxes: [String], helo: String = "laptop", extended: Bool = true, tls: Bool = false,
                 user: String? = nil) -> ServerSession.Message {
        ServerSession.Message(id: "ABC", sender: "a@b.example",
                              recipients: mailboxes.map { .init(address: "\($0)@example.test", mailboxes: [$0], outbox: false) },
                              data: Array("Subject: x\r\n\r\nhi\r\n".utf8), spooledBytes: 0, helo: helo, extended: extended,
                              client: .init(address: "192.0.2.7", port: 1), tls: tls, authUser: user, smtputf8: false,
                              chunked: false)
    }

    func files(_ root: URL, _ mailbox: String, _ sub: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(mailbox).appendingPathComponent(sub).path)) ?? []
    }

    @Test("a list delivery commits every copy or none: bob's failure leaves nothing for alice")
    func atomicList() throws {
        let root = try folder()
        defer { try? FileManager.default.removeItem(at: root) }
        let store = try MaildirStore(root: root, mailboxes: ["alice", "bob"], hostname: "mx.example.test")
        // bob's tmp/ is a file: his copy cannot be written.
        let bobTmp = root.appendingPathComponent("bob/tmp")
        try FileManager.default.removeItem(at: bobTmp)
        try Data().write(to: bobTmp)
        #expect(throws: MaildirStore.StoreError.self) { try store.store(message(to: ["alice", "bob"])) }
        #expect(files(root, "alice", "new").isEmpty)
        #expect(files(root, "alice", "tmp").isEmpty)
        try FileManager.default.removeItem(at: bobTmp)
        try FileManager.default.createDirectory(at: bobTmp, withIntermediateDirectories: false)
        let written = try store.store(message(to: ["alice", "bob"]))
        #expect(written.count == 2)
        #expect(files(root, "alice", "new").count == 1 && files(root, "bob", "new").count == 1)
    }

    @Test("Received: says SMTP after HELO, ESMTP, ESMTPS, ESMTPSA otherwise (RFC 3848)", arguments: [
        (false, false, nil, "SMTP"), (true, false, nil, "ESMTP"), (true, true, nil, "ESMTPS"), (true, true, "alice", "ESMTPSA"),
        (true, false, "alice", "ESMTPA"),
    ] as [(Bool, Bool, String?, String)])
    func receivedWith(extended: Bool, tls: Bool, user: String?, with: String) {
        #expect(MaildirStore.protocolName(message(to: ["alice"], extended: extended, tls: tls, user: user)) == with)
    }

    @Test("one session's log is capped, and repeated exchanges are counted, not written")
    func journal() {
        var journal = SessionJournal()
        var lines: [String] = []
        for _ in 0..<10_000 {
            journal.write("C: HELP") { lines.append($0) }
            journal.write("S: 214 2.0.0 commands") { lines.append($0) }
        }
        journal.finish { lines.append($0) }
        #expect(lines == ["C: HELP", "S: 214 2.0.0 commands", "(19998 more lines repeating the lines above)"])
        // A longer exchange, then a break: the count says how many lines followed the cycle.
        var cycle = SessionJournal()
        lines = []
        for _ in 0..<100 { for line in ["C: HELP", "S: 214-a", "S: 214-b", "S: 214 c"] { cycle.write(line) { lines.append($0) } } }
        for line in ["C: HELP", "S: 214-a", "C: QUIT"] { cycle.write(line) { lines.append($0) } }
        cycle.finish { lines.append($0) }
        #expect(lines == ["C: HELP", "S: 214-a", "S: 214-b", "S: 214 c", "(398 more lines repeating the lines above)", "C: QUIT"])
        // A line that only looks like the start of a cycle is written once the cycle breaks.
        var coincidence = SessionJournal()
        lines = []
        for line in ["C: NOOP", "S: 250", "C: RCPT", "C: NOOP", "S: 251"] { coincidence.write(line) { lines.append($0) } }
        coincidence.finish { lines.append($0) }
        #expect(lines == ["C: NOOP", "S: 250", "C: RCPT", "C: NOOP", "S: 251"])
        var big = SessionJournal()
        var size = 0
        for n in 0..<100_000 { big.write("C: NOOP \(n) " + String(repeating: "x", count: 50)) { size += $0.utf8.count } }
        #expect(size <= SessionJournal.byteBudget + 200)
    }

    @Test("a log past its size moves to FILE.1 and starts again")
    func rotation() throws {
        let root = try folder()
        defer { try? FileManager.default.removeItem(at: root) }
        let path = root.appendingPathComponent("class.log").path
        let log = try ServerLog(path: path, maxBytes: 4096)
        for n in 0..<500 { log.write("[127.0.0.1:1 #1] C: NOOP \(n)") }
        log.flush()
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
        let rotated = try FileManager.default.attributesOfItem(atPath: path + ".1")[.size] as? Int ?? 0
        #expect(size <= 4096 && rotated > 0 && rotated <= 4096)
        // Whole lines on both sides of the move, the newest last.
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasSuffix("C: NOOP 499\n"))
        #expect(text.split(separator: "\n").allSatisfy { $0.contains("] C: NOOP ") })
        let before = try String(contentsOfFile: path + ".1", encoding: .utf8)
        #expect(before.hasSuffix("\n") && before.split(separator: "\n").allSatisfy { $0.contains("] C: NOOP ") })
    }

    @Test("the Date: of a stored message's Received: is RFC 5322's, fields padded")
    func receivedDate() {
        #expect(MaildirStore.rfc5322(Date(timeIntervalSince1970: 951_782_400)) == "Tue, 29 Feb 2000 00:00:00 +0000")
        #expect(MaildirStore.rfc5322(Date(timeIntervalSince1970: 1_796_186_105)) == "Wed, 02 Dec 2026 04:35:05 +0000")
    }

    @Test("lines from many threads all reach the file whole, each thread's in its order, once flushed")
    func manyWriters() throws {
        let root = try folder()
        defer { try? FileManager.default.removeItem(at: root) }
        let path = root.appendingPathComponent("serve.log").path
        let log = try ServerLog(path: path)
        DispatchQueue.concurrentPerform(iterations: 4) { thread in
            for n in 0..<2_000 { log.write("[t\(thread)] line \(n)") }
        }
        log.flush()
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 8_000)
        for thread in 0..<4 {
            let mine = lines.filter { $0.contains("[t\(thread)] ") }.map { $0.split(separator: " ").last.map(String.init) }
            #expect(mine == (0..<2_000).map { String($0) })
        }
    }
}
