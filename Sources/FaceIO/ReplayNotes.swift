import Foundation

/// A teacher's notes on the steps of a recording, kept beside it in `FILE.notes.json` (a
/// session of a server log: `FILE.session-ID.notes.json`): `{"notes": {"3": "…"}}`.
public enum ReplayNotes {
    struct File: Codable {
        var recording: String
        var notes: [String: String]
    }

    public static func path(for recording: String, session: Int?) -> String {
        recording + (session.map { ".session-\($0)" } ?? "") + ".notes.json"
    }

    /// The notes by step; none when the file is missing. A file that cannot be read is an error.
    public static func load(_ path: String) throws -> [Int: String] {
        guard FileManager.default.fileExists(atPath: path) else { return [:] }
        guard let data = FileManager.default.contents(atPath: path),
              let file = try? JSONDecoder().decode(File.self, from: data) else {
            throw NotesError(description: "\(path) is not a notes file smtpx wrote ({\"notes\": {\"STEP\": \"text\"}}).")
        }
        return Dictionary(uniqueKeysWithValues: file.notes.compactMap { key, value in Int(key).map { ($0, value) } })
    }

    /// Written whole, then renamed; nil, or why it failed.
    public static func save(_ notes: [Int: String], to path: String, recording: String) -> String? {
        let file = File(recording: URL(fileURLWithPath: recording).lastPathComponent,
                        notes: Dictionary(uniqueKeysWithValues: notes.map { (String($0.key), $0.value) }))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        do {
            try encoder.encode(file).write(to: URL(fileURLWithPath: path), options: .atomic)
            return nil
        } catch {
            return "\(error.localizedDescription)"
        }
    }

    public struct NotesError: Error, CustomStringConvertible {
        public let description: String
    }
}
