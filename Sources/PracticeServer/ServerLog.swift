import Foundation
import SMTPCore
import Synchronization

/// The teacher's log: what each session said, line by line, with time and client. Writes go
/// straight to the file descriptor, one line per call, under a lock. A log file that grows past
/// `maxBytes` is moved to `FILE.1` (replacing the one before) and started again.
public final class ServerLog: Sendable {
    struct Sink {
        var handle: FileHandle?
        var size: Int
    }

    let sink: Mutex<Sink>
    let path: String?
    let maxBytes: Int
    /// Sees every line as written (the class view of `smtpx serve --class`).
    let observer: (@Sendable (String) -> Void)?

    /// Logs to standard output.
    public static let standardOutput = ServerLog(handle: .standardOutput)
    /// Logs nothing.
    public static let silent = ServerLog(handle: nil)

    init(handle: FileHandle?) {
        sink = Mutex(Sink(handle: handle, size: 0))
        path = nil
        maxBytes = .max
        observer = nil
    }

    /// Logs to a file, appending; rotated past `maxBytes`.
    public init(path: String, maxBytes: Int = 100 * 1024 * 1024, observer: (@Sendable (String) -> Void)? = nil) throws {
        self.path = path
        self.maxBytes = maxBytes
        self.observer = observer
        let handle = try Self.open(path)
        sink = Mutex(Sink(handle: handle, size: Int(handle.seekToEndOfFile())))
    }

    static func open(_ path: String) throws -> FileHandle {
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw MaildirStore.StoreError(description: "cannot create \(path)")
            }
        }
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw MaildirStore.StoreError(description: "cannot write \(path)")
        }
        handle.seekToEndOfFile()
        return handle
    }

    public func write(_ line: String) {
        let stamp = TranscriptFormat.timestamp(Date())
        // A client's words reach the teacher's terminal: the display policy applies here too.
        let text = stamp + " " + VisibleText.sanitize(line)
        let bytes = Data((text + "\n").utf8)
        defer { observer?(text) }
        sink.withLock { sink in
            guard let handle = sink.handle else { return }
            if let path, sink.size + bytes.count > maxBytes, sink.size > 0 {
                try? handle.close()
                try? FileManager.default.removeItem(atPath: path + ".1")
                try? FileManager.default.moveItem(atPath: path, toPath: path + ".1")
                sink.handle = try? Self.open(path)
                sink.size = 0
            }
            try? sink.handle?.write(contentsOf: bytes)
            sink.size += bytes.count
        }
    }
}
