import Foundation
import SMTPCore

/// Writes the transcript to a file as it happens, one line per entry, each written
/// at once, so that a crash loses nothing. `.jsonl` files get JSON Lines, others text.
public final class RecordWriter {
    public let path: String
    let json: Bool
    let showSecrets: Bool
    private let handle: FileHandle

    /// Opens (and truncates) the file; throws a readable error if it cannot.
    public init(path: String, showSecrets: Bool) throws {
        self.path = path
        self.showSecrets = showSecrets
        json = path.lowercased().hasSuffix(".jsonl") || path.lowercased().hasSuffix(".json")
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let handle = FileHandle(forWritingAtPath: path) else {
            throw RecordError(message: "cannot write \(path): \(String(cString: strerror(errno)))")
        }
        self.handle = handle
    }

    public func write(_ entry: TranscriptEntry) throws {
        let line = json ? TranscriptFormat.jsonLine(entry, showSecrets: showSecrets)
                        : TranscriptFormat.text(entry, showSecrets: showSecrets)
        try handle.write(contentsOf: Data((line + "\n").utf8))
    }

    deinit { try? handle.close() }
}

public struct RecordError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
