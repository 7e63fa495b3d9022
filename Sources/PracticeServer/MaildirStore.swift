import Foundation
import SMTPCore
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Delivers messages into Maildirs (one per mailbox, plus `.outbox`), durably and for all the
/// recipients at once: every copy is written to its `tmp/` and fsync'd first; only when all are
/// there are they renamed into `new/`, and each `new/` is fsync'd before `store` returns. A
/// failure before the renames leaves no copy anywhere, so a retry after 451 or 452 duplicates
/// nothing; a crash at any moment leaves whole files only.
public final class MaildirStore: Sendable {
    public let root: URL
    let hostname: String
    let counter = Mutex(0)
    public static let outbox = ".outbox"

    public init(root: URL, mailboxes: [String], hostname: String) throws {
        self.root = root
        self.hostname = hostname
        // What a crash left in the spool belongs to no session any more.
        try? FileManager.default.removeItem(at: root.appendingPathComponent(".spool"))
        try FileManager.default.createDirectory(at: root.appendingPathComponent(".spool"), withIntermediateDirectories: true)
        for mailbox in mailboxes + [Self.outbox] {
            for sub in ["tmp", "new", "cur"] {
                try FileManager.default.createDirectory(at: root.appendingPathComponent(mailbox).appendingPathComponent(sub),
                                                        withIntermediateDirectories: true)
            }
        }
    }

    public struct StoreError: Error, CustomStringConvertible {
        public let description: String
        /// The disk (or the quota) is full: 452 4.3.1 rather than 451.
        public var full = false
    }

    /// Where sessions keep the start of a message while it arrives (`.spool` actions).
    public var spoolFolder: URL { root.appendingPathComponent(".spool") }

    /// Writes one copy per mailbox (each mailbox once) and returns the files written. The
    /// message's first `spooledBytes` are read from `spool`, then its `data`.
    @discardableResult
    public func store(_ message: ServerSession.Message, spool: String? = nil, at date: Date = Date()) throws -> [String] {
        var targets: [(mailbox: String, address: String)] = []
        for recipient in message.recipients {
            let boxes = recipient.outbox ? [Self.outbox] : recipient.mailboxes
            for box in boxes where !targets.contains(where: { $0.mailbox == box }) {
                try ensure(box)
                targets.append((box, recipient.address))
            }
        }
        var written: [(tmp: String, new: String, folder: String)] = []
        do {
            for target in targets {
                written.append(try writeTemporary(headers(message, recipient: target.address, date: date), spool: spool,
                                                  spooled: message.spooledBytes, tail: message.data, into: target.mailbox))
            }
        } catch {
            for file in written { unlink(file.tmp) }
            throw error
        }
        for (index, file) in written.enumerated() where rename(file.tmp, file.new) != 0 {
            let why = String(cString: strerror(errno))
            for done in written[..<index] { unlink(done.new) }
            for left in written[index...] { unlink(left.tmp) }
            throw StoreError(description: "cannot move into \(file.new): \(why)")
        }
        for folder in Set(written.map(\.folder)) {
            let directory = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard directory >= 0, fsync(directory) == 0 else {
                if directory >= 0 { close(directory) }
                throw StoreError(description: "cannot sync \(folder): \(String(cString: strerror(errno)))")
            }
            close(directory)
        }
        return written.map(\.new)
    }

    func ensure(_ mailbox: String) throws {
        let new = root.appendingPathComponent(mailbox).appendingPathComponent("new")
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
                        into mailbox: String) throws -> (tmp: String, new: String, folder: String) {
        let folder = root.appendingPathComponent(mailbox)
        let base = uniqueName()
        let tmp = folder.appendingPathComponent("tmp").appendingPathComponent(base).path
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Self.failure("cannot create \(tmp)") }
        var size = 0
        var carry = false
        func put(_ bytes: [UInt8]) -> Bool {
            size += bytes.count
            return bytes.withUnsafeBytes { buffer -> Bool in
                var offset = 0
                while offset < buffer.count {
                    let count = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                    if count < 0 {
                        if errno == EINTR { continue }
                        return false
                    }
                    offset += count
                }
                return true
            }
        }
        var ok = put(headers)
        if ok, let spool, spooled > 0 {
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
        if ok {
            var rest = Self.unixLines(tail, carry: &carry)
            if carry { rest.append(0x0D) }
            ok = put(rest)
        }
        if ok { ok = fsync(fd) == 0 }
        let error = Self.failure("cannot write \(tmp)")
        close(fd)
        guard ok else {
            unlink(tmp)
            throw error
        }
        let new = folder.appendingPathComponent("new").appendingPathComponent("\(base),S=\(size)").path
        return (tmp, new, folder.appendingPathComponent("new").path)
    }

    /// The system's reason for the last failure; a full disk or quota is flagged.
    static func failure(_ what: String) -> StoreError {
        let code = errno
        return StoreError(description: "\(what): \(String(cString: strerror(code)))", full: code == ENOSPC || code == EDQUOT)
    }

    func uniqueName() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let sequence = counter.withLock { value -> Int in
            value += 1
            return value
        }
        return "\(now.tv_sec).M\(now.tv_nsec / 1000)P\(getpid())Q\(sequence).\(hostname)"
    }

    static func rfc5322(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return String(format: "%@, %02d %@ %04d %02d:%02d:%02d +0000", days[Int(parts.tm_wday)], Int(parts.tm_mday),
                      months[Int(parts.tm_mon)], Int(parts.tm_year) + 1900, Int(parts.tm_hour), Int(parts.tm_min),
                      Int(parts.tm_sec))
    }
}
