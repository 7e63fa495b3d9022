import Foundation
import SMTPCore
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The POP3 side of the Maildirs: a lock per user, the list of a user's messages (`new/` and
/// `cur/`, oldest first), a message's bytes, and deletion made durable: the files are unlinked
/// and each folder fsync'd before QUIT's +OK.
public final class Maildrops: Sendable {
    let root: URL
    let locks = Mutex(Set<String>())
    /// Runs before files are deleted: the store's checkpoint, so no recovery brings them back.
    let settle: @Sendable () -> Void

    public init(root: URL, settle: @escaping @Sendable () -> Void = {}) {
        self.root = root
        self.settle = settle
    }

    func folder(_ user: String) -> URL { root.appendingPathComponent(user) }

    /// Locks `user`'s maildrop and lists it; `.inUse` when another session holds it.
    public func open(_ user: String) -> Result<[MaildropEntry], MaildropFailure> {
        let taken = locks.withLock { held -> Bool in
            if held.contains(user) { return false }
            held.insert(user)
            return true
        }
        guard taken else { return .failure(.inUse) }
        do {
            return .success(try list(user))
        } catch {
            release(user)
            return .failure(.system("\(error)"))
        }
    }

    public func release(_ user: String) {
        _ = locks.withLock { $0.remove(user) }
    }

    /// Every message, oldest first; its size counts CRLF line ends, as POP3 sends it.
    func list(_ user: String) throws -> [MaildropEntry] {
        var found: [(uid: String, date: Date, size: Int)] = []
        for sub in ["new", "cur"] {
            let directory = folder(user).appendingPathComponent(sub)
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { continue }
            for name in names where !name.hasPrefix(".") {
                let path = directory.appendingPathComponent(name).path
                guard let data = FileManager.default.contents(atPath: path) else { continue }
                let attributes = try? FileManager.default.attributesOfItem(atPath: path)
                let date = attributes?[.modificationDate] as? Date ?? .distantPast
                let bare = data.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
                found.append((Self.uid(name), date, data.count + bare))
            }
        }
        return found.sorted { ($0.date, $0.uid) < ($1.date, $1.uid) }.map { MaildropEntry(uid: $0.uid, size: $0.size) }
    }

    /// The Maildir name before its `:2,` flags.
    static func uid(_ name: String) -> String { String(name.prefix { $0 != ":" }) }

    func path(of uid: String, user: String) -> String? {
        for sub in ["new", "cur"] {
            let directory = folder(user).appendingPathComponent(sub)
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { continue }
            if let name = names.first(where: { Self.uid($0) == uid }) { return directory.appendingPathComponent(name).path }
        }
        return nil
    }

    public func read(_ uid: String, user: String) -> Result<[UInt8], MaildropFailure> {
        guard let path = path(of: uid, user: user), let data = FileManager.default.contents(atPath: path) else {
            return .failure(.system("\(uid) is gone"))
        }
        return .success(Array(data))
    }

    /// Removes the messages for good: unlink each, then fsync the folders, then release.
    public func commit(_ uids: [String], user: String) -> Result<Void, MaildropFailure> {
        defer { release(user) }
        if !uids.isEmpty { settle() }
        var failed: [String] = []
        var touched = Set<String>()
        for uid in uids {
            guard let path = path(of: uid, user: user) else { continue }
            if unlink(path) == 0 {
                touched.insert((path as NSString).deletingLastPathComponent)
            } else {
                failed.append(uid)
            }
        }
        for directory in touched {
            let fd = Glibc.open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard fd >= 0, fsync(fd) == 0 else {
                if fd >= 0 { close(fd) }
                return .failure(.system("cannot sync \(directory)"))
            }
            close(fd)
        }
        return failed.isEmpty ? .success(()) : .failure(.system("cannot remove \(failed.joined(separator: ", "))"))
    }
}
