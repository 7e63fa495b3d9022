import Foundation
import SMTPCore
import Synchronization

/// The teacher's log: what each session said, line by line, with time and client.
/// Writes go straight to the file descriptor, one line per call, under a lock.
public final class ServerLog: Sendable {
    let handle: FileHandle?
    let lock = Mutex(())

    /// Logs to standard output.
    public static let standardOutput = ServerLog(handle: .standardOutput)
    /// Logs nothing.
    public static let silent = ServerLog(handle: nil)

    init(handle: FileHandle?) {
        self.handle = handle
    }

    /// Logs to a file, appending.
    public convenience init(path: String) throws {
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw MaildirStore.StoreError(description: "cannot create \(path)")
            }
        }
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw MaildirStore.StoreError(description: "cannot write \(path)")
        }
        handle.seekToEndOfFile()
        self.init(handle: handle)
    }

    public func write(_ line: String) {
        guard let handle else { return }
        let stamp = TranscriptFormat.timestamp(Date())
        // A client's words reach the teacher's terminal: the display policy applies here too.
        let shown = VisibleText.sanitize(line)
        lock.withLock { _ in try? handle.write(contentsOf: Data((stamp + " " + shown + "\n").utf8)) }
    }
}
