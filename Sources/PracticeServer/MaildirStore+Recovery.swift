import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension MaildirStore {
    /// What the commit log kept from before this start (the server was killed, or the power
    /// went): every logged copy that is not in its `new/` whole, nor moved on to `cur/` by a
    /// reader, is written again, fsync'd and renamed there. Then the log starts empty.
    func recover() throws {
        guard let log else { return }
        var restored = false
        var read: [String: Set<String>] = [:]
        for record in log.pending() {
            let parts = record.path.split(separator: "/", omittingEmptySubsequences: false)
            // Only what the store itself writes: MAILBOX/new/NAME.
            guard parts.count == 3, parts[1] == "new", !parts[0].isEmpty, parts[0] != "..", parts[0] != ".",
                  !parts[2].isEmpty, !parts[2].hasPrefix(".") else { continue }
            let mailbox = String(parts[0]), name = String(parts[2])
            if present(name, in: mailbox, size: record.bytes.count, read: &read) { continue }
            try restore(record.bytes, named: name, in: mailbox)
            restored = true
        }
        if restored, let failure = syncFilesystem(holding: root.path) { throw failure }
        log.start()
    }

    /// The copy is in `new/` with all its bytes, or a reader has already moved it to `cur/`
    /// (`read` keeps each mailbox's `cur/`, by Maildir name before the flags, once listed).
    func present(_ name: String, in mailbox: String, size: Int, read: inout [String: Set<String>]) -> Bool {
        var status = stat()
        if stat(rootPath + mailbox + "/new/" + name, &status) == 0, Int(status.st_size) == size { return true }
        if read[mailbox] == nil {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: rootPath + mailbox + "/cur")) ?? []
            read[mailbox] = Set(names.map(Maildrops.uid))
        }
        return read[mailbox]?.contains(name) == true
    }

    /// Writes a logged copy again through `tmp/`, fsync'd, into `new/`.
    func restore(_ bytes: [UInt8], named name: String, in mailbox: String) throws {
        try ensure(mailbox, again: true)
        let tmp = rootPath + mailbox + "/tmp/" + name
        let descriptor = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw Self.failure("cannot create \(tmp)") }
        let written = writeAll(descriptor, bytes) && fsync(descriptor) == 0
        let failure = Self.failure("cannot write \(tmp)")
        close(descriptor)
        guard written, rename(tmp, rootPath + mailbox + "/new/" + name) == 0 else {
            unlink(tmp)
            throw written ? Self.failure("cannot move into \(mailbox)/new") : failure
        }
    }
}
