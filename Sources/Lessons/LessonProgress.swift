import Foundation

/// What a user has done, kept in `$XDG_STATE_HOME/smtpx/lessons.json` (by default
/// `~/.local/state/smtpx/`): the steps done of each lesson.
public struct LessonProgress: Codable, Sendable {
    /// Lesson id → the steps done (0-based).
    public var done: [String: [Int]] = [:]

    public init() {}

    public static var file: URL {
        let environment = ProcessInfo.processInfo.environment
        let base = environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: environment["HOME"] ?? NSHomeDirectory()).appendingPathComponent(".local/state")
        return base.appendingPathComponent("smtpx/lessons.json")
    }

    public static func load() -> LessonProgress {
        guard let data = try? Data(contentsOf: file), let progress = try? JSONDecoder().decode(LessonProgress.self, from: data) else {
            return LessonProgress()
        }
        return progress
    }

    /// Written whole to a temporary file, then renamed over the old one.
    public func save() throws {
        let url = Self.file
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try encoder.encode(self).write(to: url, options: .atomic)
    }

    public mutating func mark(lesson: Int, step: Int) {
        var steps = Set(done[String(lesson)] ?? [])
        steps.insert(step)
        done[String(lesson)] = steps.sorted()
    }

    public func stepsDone(_ lesson: Int) -> Int { done[String(lesson)]?.count ?? 0 }
}
