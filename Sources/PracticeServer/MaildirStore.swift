import Foundation
import SMTPCore
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Delivers messages into Maildirs (one per mailbox, plus `.outbox`), durably and for all the
/// recipients at once: every copy is written to its `tmp/` first; only when all are there are
/// they renamed into `new/`. A message is durable before it counts as stored: its copies' bytes
/// are in the commit log (`CommitLog`, one flush for a whole batch) before the renames, or, for
/// a message too large for the log, each copy was fsync'd and each `new/` is fsync'd after the
/// renames. A failure before the renames leaves no copy anywhere, so a retry after 451 or 452
/// duplicates nothing; a crash at any moment leaves whole files only, and what a power cut took
/// from `new/` the next start writes again from the log. Messages are prepared one by one, in
/// parallel, and committed in batches (`GroupCommit`) that share the flushes.
public final class MaildirStore: Sendable {
    public let root: URL
    let hostname: String
    let counter = Mutex(0)
    public static let outbox = ".outbox"
    /// How the commit log or a `new/` folder is flushed in a commit (`flush` unless a test says otherwise).
    let sync: @Sendable (Int32) -> Int32
    /// Where small messages are made durable; nil when the store fsyncs every file instead.
    let log: CommitLog?
    /// The root's path with a slash, and the mailboxes whose folders are known to be there.
    let rootPath: String
    let ensured = Mutex(Set<String>())

    public init(root: URL, mailboxes: [String], hostname: String,
                sync: @escaping @Sendable (Int32) -> Int32 = MaildirStore.flush, commitLog: Bool = true,
                checkpointDelay: Double? = nil) throws {
        self.root = root
        self.hostname = hostname
        self.sync = sync
        rootPath = root.path.hasSuffix("/") ? root.path : root.path + "/"
        // What a crash left in the spool belongs to no session any more.
        try? FileManager.default.removeItem(at: root.appendingPathComponent(".spool"))
        do {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(".spool"), withIntermediateDirectories: true)
            for mailbox in mailboxes + [Self.outbox] {
                for sub in ["tmp", "new", "cur"] {
                    try FileManager.default.createDirectory(at: root.appendingPathComponent(mailbox).appendingPathComponent(sub),
                                                            withIntermediateDirectories: true)
                }
            }
        } catch {
            throw StoreError(description: "cannot make the Maildir \(root.path): \(Self.reason(error))")
        }
        log = commitLog ? try CommitLog(path: rootPath + Self.commitLogName, root: root.path, flush: sync,
                                        delay: checkpointDelay ?? CommitLog.checkpointDelay) : nil
        try recover()
    }

    /// The commit log's file in the store's root.
    public static let commitLogName = ".commitlog"

    /// An fdatasync for a file (its size and extents do not change, so no journal commit is
    /// needed), an fsync for a folder.
    public static func flush(_ descriptor: Int32) -> Int32 {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return -1 }
        return (status.st_mode & S_IFMT) == S_IFDIR ? fsync(descriptor) : fdatasync(descriptor)
    }

    /// Makes every file stored so far durable on its own and empties the commit log. Runs on a
    /// timer a second after a batch at the latest; POP3 calls it before it deletes files, so a
    /// recovery cannot bring back a message deleted after its delivery.
    public func checkpoint() {
        log?.checkpoint()
    }

    /// The system's words for why a file operation failed, not Foundation's error dump.
    static func reason(_ error: Error) -> String {
        let error = error as NSError
        if let underlying = error.userInfo[NSUnderlyingErrorKey] as? Error {
            let posix = underlying as NSError
            if posix.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(posix.code))) }
        }
        return error.localizedDescription
    }

    public struct StoreError: Error, CustomStringConvertible {
        public let description: String
        /// The disk (or the quota) is full: 452 4.3.1 rather than 451.
        public var full = false
    }

    /// Where sessions keep the start of a message while it arrives (`.spool` actions).
    public var spoolFolder: URL { root.appendingPathComponent(".spool") }

    /// One message's copies, whole and fsync'd in their `tmp/` but not yet moved into `new/`:
    /// `GroupCommit` does that for many messages at once.
    public struct Prepared: Sendable {
        struct Copy: Sendable {
            let mailbox: String
            let tmp: String
            let new: String
            let folder: String
            /// The copy's bytes, when it was written without an fsync for the commit log to make durable.
            let bytes: [UInt8]?
        }
        let copies: [Copy]
        public var files: [String] { copies.map(\.new) }
        /// Its copies wait for the commit log (none was fsync'd).
        var logged: Bool { copies.contains { $0.bytes != nil } }
    }

    /// Writes one copy per mailbox (each mailbox once) into its `tmp/`. The message's first
    /// `spooledBytes` are read from `spool`, then its `data`. A failure leaves no copy.
    public func prepare(_ message: ServerSession.Message, spool: String? = nil, at date: Date = Date()) throws -> Prepared {
        var targets: [(mailbox: String, address: String)] = []
        for recipient in message.recipients {
            let boxes = recipient.outbox ? [Self.outbox] : recipient.mailboxes
            for box in boxes where !targets.contains(where: { $0.mailbox == box }) {
                try ensure(box)
                targets.append((box, recipient.address))
            }
        }
        var written: [Prepared.Copy] = []
        do {
            for target in targets {
                written.append(try writeTemporary(headers(message, recipient: target.address, date: date), spool: spool,
                                                  spooled: message.spooledBytes, tail: message.data, into: target.mailbox))
            }
        } catch {
            for file in written { unlink(file.tmp) }
            throw error
        }
        return Prepared(copies: written)
    }

    /// Stores one message durably, alone (a batch of one); returns the files written.
    @discardableResult
    public func store(_ message: ServerSession.Message, spool: String? = nil, at date: Date = Date()) throws -> [String] {
        let prepared = try prepare(message, spool: spool, at: date)
        return try commit([prepared])[0].get()
    }

    /// Moves a batch into `new/`. The messages for the commit log: their copies into the log,
    /// one flush, then the renames. The others (each copy fsync'd when written): the renames, then
    /// one fsync per `new/` folder they touched. A message whose rename fails loses all its
    /// copies; a log or folder that cannot be flushed fails every message in it, and their copies
    /// are taken back.
    func commit(_ batch: [Prepared]) -> [Result<[String], StoreError>] {
        var results = batch.map { Result<[String], StoreError>.success($0.files) }
        var logged: [Int] = [], synced: [Int] = []
        for (index, prepared) in batch.enumerated() {
            if log != nil, prepared.logged {
                if prepared.copies.reduce(0, { $0 + ($1.bytes?.count ?? 0) }) <= CommitLog.largestRecord {
                    logged.append(index)
                    continue
                }
                // Too large for the log: each copy is fsync'd where it is, as a spooled one was.
                if let failure = syncTemporaries(prepared) {
                    results[index] = .failure(failure)
                    continue
                }
            }
            synced.append(index)
        }
        if let log, !logged.isEmpty {
            let groups = logged.map { index in
                batch[index].copies.map { CommitLog.Record(kind: .copy, path: String($0.new.dropFirst(rootPath.count)), bytes: $0.bytes ?? []) }
            }
            let failures = log.write(groups) { land(batch[logged[$0]]) }
            for (member, failure) in failures.enumerated() {
                guard let failure else { continue }
                // What did not land is taken back (a copy `land` already removed is gone).
                for copy in batch[logged[member]].copies { unlink(copy.tmp) }
                results[logged[member]] = .failure(failure)
            }
        }
        for index in synced {
            if let failure = land(batch[index]) { results[index] = .failure(failure) }
        }
        // Each folder once, when the first message that landed in it comes.
        var flushed: [String: StoreError?] = [:]
        for index in synced {
            guard case .success = results[index] else { continue }
            let prepared = batch[index]
            for copy in prepared.copies where flushed[copy.folder] == nil {
                flushed[copy.folder] = .some(syncFolder(copy.folder))
            }
            if let failure = prepared.copies.lazy.compactMap({ flushed[$0.folder] ?? nil }).first {
                for copy in prepared.copies { unlink(copy.new) }
                results[index] = .failure(failure)
            }
        }
        return results
    }

    /// Renames every copy of a message into `new/`; when one cannot go, those moved are taken
    /// back and the rest removed.
    func land(_ prepared: Prepared) -> StoreError? {
        for (index, copy) in prepared.copies.enumerated() where !move(copy) {
            let failure = Self.failure("cannot move into \(copy.new)")
            for done in prepared.copies[..<index] { unlink(done.new) }
            for left in prepared.copies[index...] { unlink(left.tmp) }
            return failure
        }
        return nil
    }

    /// fsyncs the copies of a message written for the log, when it cannot go into the log.
    func syncTemporaries(_ prepared: Prepared) -> StoreError? {
        for copy in prepared.copies {
            let descriptor = open(copy.tmp, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0, fsync(descriptor) == 0 else {
                let failure = Self.failure("cannot write \(copy.tmp)")
                if descriptor >= 0 { close(descriptor) }
                for copy in prepared.copies { unlink(copy.tmp) }
                return failure
            }
            close(descriptor)
        }
        return nil
    }

    /// Renames a copy into `new/`; a `new/` that went away while the server ran is made again.
    func move(_ copy: Prepared.Copy) -> Bool {
        if rename(copy.tmp, copy.new) == 0 { return true }
        guard errno == ENOENT, (try? ensure(copy.mailbox, again: true)) != nil else { return false }
        return rename(copy.tmp, copy.new) == 0
    }

    func syncFolder(_ folder: String) -> StoreError? {
        let directory = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directory >= 0, sync(directory) == 0 else {
            let failure = Self.failure("cannot sync \(folder)")
            if directory >= 0 { close(directory) }
            return failure
        }
        close(directory)
        return nil
    }

    /// Makes the mailbox's folders if they are missing; a mailbox seen once is not looked at
    /// again (a copy that cannot be created looks again, in `writeTemporary`).
    func ensure(_ mailbox: String, again: Bool = false) throws {
        if !again, ensured.withLock({ $0.contains(mailbox) }) { return }
        let new = root.appendingPathComponent(mailbox).appendingPathComponent("new")
        defer { ensured.withLock { _ = $0.insert(mailbox) } }
        if !FileManager.default.fileExists(atPath: new.path) {
            for sub in ["tmp", "new", "cur"] {
                try FileManager.default.createDirectory(at: root.appendingPathComponent(mailbox).appendingPathComponent(sub),
                                                        withIntermediateDirectories: true)
            }
        }
    }

    /// Return-Path: and Received: (RFC 5321 §4.4), and Delivered-To: as MTAs add it.
    /// The `with` protocol (RFC 3848, RFC 6531): SMTP after HELO; ESMTP, with S under TLS and A
    /// when authenticated; UTF8SMTP for SMTPUTF8.
    static func protocolName(_ message: ServerSession.Message) -> String {
        guard message.extended else { return "SMTP" }
        var with = message.smtputf8 ? "UTF8SMTP" : "ESMTP"
        if message.tls { with += "S" }
        if message.authUser != nil { with += "A" }
        return with
    }

    func headers(_ message: ServerSession.Message, recipient: String, date: Date) -> [UInt8] {
        let with = Self.protocolName(message)
        let text = "Return-Path: <\(message.sender)>\n"
            + "Delivered-To: \(recipient)\n"
            + "Received: from \(message.helo.isEmpty ? "unknown" : message.helo) ([\(message.client.address)])\n"
            + "\tby \(hostname) (smtpx practice server) with \(with) id \(message.id)\n"
            + "\tfor <\(recipient)>; \(Self.rfc5322(date))\n"
        return Array(text.utf8)
    }

    /// CRLF line ends become LF, as Maildir readers expect; `carry` is a CR that ended the piece
    /// before (its LF may start this one).
    static func unixLines<Bytes: Collection>(_ data: Bytes, carry: inout Bool) -> [UInt8] where Bytes.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(data.count + 1)
        for byte in data {
            if carry {
                carry = false
                if byte != 0x0A { out.append(0x0D) }
            }
            if byte == 0x0D {
                carry = true
                continue
            }
            out.append(byte)
        }
        return out
    }

    static func unixLines(_ data: [UInt8]) -> [UInt8] {
        var carry = false
        var out = unixLines(data, carry: &carry)
        if carry { out.append(0x0D) }
        return out
    }

    /// One copy, whole and fsync'd in the mailbox's `tmp/`: the headers, the spooled start of the
    /// message read in pieces, its tail; where it goes in `new/` (named with its size).
    func writeTemporary(_ headers: [UInt8], spool: String?, spooled: Int, tail: [UInt8],
                        into mailbox: String) throws -> Prepared.Copy {
        let folder = rootPath + mailbox
        let base = uniqueName()
        let tmp = folder + "/tmp/" + base
        var fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd < 0, errno == ENOENT {
            // The mailbox went away while the server ran: made again.
            try ensure(mailbox, again: true)
            fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        }
        guard fd >= 0 else { throw Self.failure("cannot create \(tmp)") }
        var size = 0
        var carry = false
        func put(_ bytes: [UInt8]) -> Bool {
            size += bytes.count
            return writeAll(fd, bytes)
        }
        // A message held whole in memory is made durable by the commit log: no fsync here.
        let forLog = log?.inUse == true && (spool == nil || spooled == 0)
        var kept: [UInt8]?
        if forLog {
            var whole = headers
            whole += Self.unixLines(tail)
            kept = whole
        }
        var ok = put(kept ?? headers)
        if !forLog, ok, let spool, spooled > 0 {
            let input = open(spool, O_RDONLY | O_CLOEXEC)
            ok = input >= 0
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            var left = spooled
            while ok && left > 0 {
                let count = buffer.withUnsafeMutableBytes { Glibc.read(input, $0.baseAddress, min($0.count, left)) }
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { ok = false; break }
                left -= count
                ok = put(Self.unixLines(buffer[..<count], carry: &carry))
            }
            if input >= 0 { close(input) }
        }
        if ok, !forLog {
            var rest = Self.unixLines(tail, carry: &carry)
            if carry { rest.append(0x0D) }
            ok = put(rest)
            if ok { ok = fsync(fd) == 0 }
        }
        let error = Self.failure("cannot write \(tmp)")
        close(fd)
        guard ok else {
            unlink(tmp)
            throw error
        }
        return Prepared.Copy(mailbox: mailbox, tmp: tmp, new: folder + "/new/" + base + ",S=\(size)", folder: folder + "/new",
                             bytes: kept)
    }

    /// The system's reason for the last failure; a full disk or quota is flagged.
    static func failure(_ what: String) -> StoreError {
        let code = errno
        return StoreError(description: "\(what): \(String(cString: strerror(code)))", full: code == ENOSPC || code == EDQUOT)
    }

    static let pid = getpid()

    func uniqueName() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let sequence = counter.withLock { value -> Int in
            value += 1
            return value
        }
        return "\(now.tv_sec).M\(now.tv_nsec / 1000)P\(Self.pid)Q\(sequence).\(hostname)"
    }

    static func rfc5322(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) +0000"
    }
}
