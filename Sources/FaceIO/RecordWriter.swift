import Foundation
import SMTPCore
#if canImport(Glibc)
import Glibc
#endif

/// Writes the transcript to a file as it happens, one line per entry, each written at once, so
/// that a crash loses nothing. `.jsonl` files get JSON Lines, others text.
///
/// A write that fails (a full disk) is reported to the caller at once, and the file is cut
/// back to the end of the last whole line, so what was written stays a valid prefix of the
/// transcript; nothing more is written after a failure.
public final class RecordWriter {
    public let path: String
    let json: Bool
    let showSecrets: Bool
    private var descriptor: Int32
    /// Bytes of whole lines written so far.
    private var written: off_t = 0
    public private(set) var failure: String?

    /// Opens (and truncates) the file; throws a readable error if it cannot.
    public init(path: String, showSecrets: Bool) throws {
        self.path = path
        self.showSecrets = showSecrets
        json = path.lowercased().hasSuffix(".jsonl") || path.lowercased().hasSuffix(".json")
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw RecordError(message: "cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Writes one entry as one line; throws (and stops recording) when the line could not be
    /// written whole.
    public func write(_ entry: TranscriptEntry) throws {
        if let failure { throw RecordError(message: failure) }
        let line = json ? TranscriptFormat.jsonLine(entry, showSecrets: showSecrets)
                        : TranscriptFormat.text(entry, showSecrets: showSecrets)
        var bytes = Array((line + "\n").utf8)[...]
        while !bytes.isEmpty {
            let count = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 {
                let reason = String(cString: strerror(count < 0 ? errno : ENOSPC))
                // Keep whole lines only: cut what part of this line got in.
                _ = ftruncate(descriptor, written)
                _ = lseek(descriptor, written, SEEK_SET)
                failure = reason
                throw RecordError(message: reason)
            }
            bytes = bytes.dropFirst(count)
        }
        written += off_t(line.utf8.count + 1)
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }
}

public struct RecordError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
