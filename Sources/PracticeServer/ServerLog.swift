import Foundation
import SMTPCore
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The teacher's log: what each session said, line by line, with time and client. A line is
/// added to a buffer under a lock; a writer thread of the log's own, woken by the first line,
/// writes whatever has gathered within a few milliseconds in one call, so a busy server neither
/// makes a system call per line on its event loops nor switches threads per line. A log
/// file that grows past `maxBytes` is moved to `FILE.1` (replacing the one before) and started
/// again, between two lines.
public final class ServerLog: Sendable {
    /// Lines waiting for the writer, and whether it has been woken for them.
    struct Waiting {
        var bytes: [UInt8] = []
        var woken = false
        var closing = false
        /// Lines added, and lines written: `flush` waits until they are equal.
        var added = 0
        var written = 0
    }

    /// What the writer thread owns: the file and its size.
    final class Writer: @unchecked Sendable {
        var descriptor: Int32
        var size: Int
        let path: String?
        let maxBytes: Int

        init(descriptor: Int32, size: Int, path: String?, maxBytes: Int) {
            self.descriptor = descriptor
            self.size = size
            self.path = path
            self.maxBytes = maxBytes
        }

        func write(_ bytes: [UInt8]) {
            guard descriptor >= 0 else { return }
            if path != nil, size + bytes.count > maxBytes {
                // Near the limit: line by line, so the move happens between two lines.
                var start = 0
                while let end = bytes[start...].firstIndex(of: 0x0A) {
                    if size > 0, size + (end + 1 - start) > maxBytes { rotate() }
                    put(bytes[start...end])
                    start = end + 1
                }
            } else {
                put(bytes[...])
            }
        }

        func put(_ bytes: ArraySlice<UInt8>) {
            _ = writeAll(descriptor, bytes)
            size += bytes.count
        }

        func rotate() {
            guard let path else { return }
            close(descriptor)
            unlink(path + ".1")
            rename(path, path + ".1")
            descriptor = (try? ServerLog.open(path)) ?? -1
            size = 0
        }
    }

    /// What the log and its writer thread share.
    final class Shared: Sendable {
        let waiting = Mutex(Waiting())
        let wake = DispatchSemaphore(value: 0)
        let flushed = DispatchSemaphore(value: 0)

        /// Changes what the writer will see; when the change gives it work, wakes it unless it
        /// was woken already.
        func hand(_ change: (inout Waiting) -> Bool) {
            let signal = waiting.withLock { state -> Bool in
                guard change(&state), !state.woken else { return false }
                state.woken = true
                return true
            }
            if signal { wake.signal() }
        }
    }

    let shared = Shared()
    /// How long the writer lets lines gather once woken, in microseconds.
    static let gathering: UInt32 = 5_000
    /// Sees every line as written (the class view of `smtpx serve --class`).
    let observer: (@Sendable (String) -> Void)?

    /// Logs to standard output.
    public static let standardOutput = ServerLog(writer: Writer(descriptor: 1, size: 0, path: nil, maxBytes: .max))
    /// Logs nothing.
    public static let silent = ServerLog(writer: nil)

    init(writer: Writer?, observer: (@Sendable (String) -> Void)? = nil) {
        self.observer = observer
        guard let writer else {
            shared.waiting.withLock { $0.closing = true }
            return
        }
        let shared = self.shared
        let thread = Thread {
            while true {
                shared.wake.wait()
                // A moment for more lines to gather: a busy server wakes this thread at most
                // a few hundred times a second, not once a line.
                usleep(Self.gathering)
                let (bytes, lines, closing) = shared.waiting.withLock { state -> ([UInt8], Int, Bool) in
                    defer { state.bytes.removeAll(keepingCapacity: true) }
                    state.woken = false
                    return (state.bytes, state.added, state.closing)
                }
                writer.write(bytes)
                shared.waiting.withLock { $0.written = lines }
                shared.flushed.signal()
                if closing {
                    if writer.path != nil { close(writer.descriptor) }
                    return
                }
            }
        }
        thread.name = "smtpx log"
        thread.start()
    }

    /// Logs to a file, appending; rotated past `maxBytes`.
    public convenience init(path: String, maxBytes: Int = 100 * 1024 * 1024, observer: (@Sendable (String) -> Void)? = nil) throws {
        let descriptor = try Self.open(path)
        let size = Int(lseek(descriptor, 0, SEEK_END))
        self.init(writer: Writer(descriptor: descriptor, size: max(0, size), path: path, maxBytes: maxBytes), observer: observer)
    }

    static func open(_ path: String) throws -> Int32 {
        let descriptor = Glibc.open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw MaildirStore.failure("cannot write \(path)") }
        return descriptor
    }

    public func write(_ line: String) {
        // A client's words reach the teacher's terminal: the display policy applies here too.
        let text = TranscriptFormat.timestamp(Date()) + " " + VisibleText.sanitize(line)
        defer { observer?(text) }
        shared.hand { state in
            guard !state.closing else { return false }
            state.bytes.append(contentsOf: text.utf8)
            state.bytes.append(0x0A)
            state.added += 1
            return true
        }
    }

    /// Waits until every line written so far is in the file.
    public func flush() {
        while shared.waiting.withLock({ $0.written < $0.added }) {
            _ = shared.flushed.wait(timeout: .now() + .milliseconds(50))
        }
    }

    deinit {
        shared.hand { state in
            state.closing = true
            return true
        }
    }
}
