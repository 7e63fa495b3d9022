import Foundation

/// Writes what a `.save` effect carries: the transcript of `/save`, the chain of `/cert save`
/// and `--save-chain`.
public enum SavedFile {
    /// Writes `contents` to `path` whole (a temporary file renamed into place); returns nil, or
    /// the system's words when it failed.
    public static func write(_ contents: String, to path: String) -> String? {
        do {
            try Data(contents.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            return nil
        } catch {
            return (error as NSError).localizedDescription
        }
    }
}
