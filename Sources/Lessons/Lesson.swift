import Foundation
import SMTPKnowledge

// Theory of operation
//
// A lesson is data: a JSON file with a title, a goal and steps, every text in English and
// Chinese. Each step says what done looks like as a condition on the session (a reply of some
// code to some command, TLS up, a route found, a line sent in the message), never as the
// text to type: a learner who reaches the same state another way has done the step. Steps
// may name likely mistakes, each with what to say in the lesson's terms. `LessonTracker`
// watches the conversation's log and moves from step to step.

/// A text in both languages.
public struct LessonText: Codable, Sendable, Hashable {
    public var en: String
    public var zh: String

    public init(en: String, zh: String) {
        self.en = en
        self.zh = zh
    }

    public subscript(language: Language) -> String { language == .zh ? zh : en }
    var localized: Localized { Localized(en, zh) }
}

/// What the session must show for a step to be done (every field given must hold).
public struct LessonCondition: Codable, Sendable, Hashable {
    /// A reply (SMTP) or response (POP3) that answers a command.
    public struct Reply: Codable, Sendable, Hashable {
        /// The answered command's verb: "RCPT", "DATA", "." for the end of a message, "GREETING"
        /// for the banner; POP3 verbs for POP3 ("RETR").
        public var verb: String?
        /// "250", "2xx", "5xx", "45x"; "+OK" or "-ERR" for POP3.
        public var code: String?
        /// The answered command contains this text (case-insensitive): "alice@".
        public var argument: String?
        /// The reply's text contains this (case-insensitive): "SIZE".
        public var contains: String?
        /// Inside TLS (true) or before it (false).
        public var tls: Bool?
    }

    public var reply: Reply?
    /// A line sent whose text starts with this (a dot-stuffed "..").
    public var sentStartsWith: String?
    /// A local event: "tls" (TLS established), "route" (a route found), "route-cname" (one
    /// with an alias in its chain), "pop3" (switched to POP3).
    public var event: String?
    /// How many times the rest must hold since the step began (default 1).
    public var count: Int?

    public init(reply: Reply? = nil, sentStartsWith: String? = nil, event: String? = nil, count: Int? = nil) {
        self.reply = reply
        self.sentStartsWith = sentStartsWith
        self.event = event
        self.count = count
    }
}

/// A move that is likely wrong at a step, and what to say about it.
public struct LessonMistake: Codable, Sendable, Hashable {
    public var when: LessonCondition
    public var say: LessonText
}

public struct LessonStep: Codable, Sendable, Hashable {
    public var title: LessonText
    /// What to do and why.
    public var explain: LessonText
    /// What `/hint` shows: the line to type, or close to it.
    public var hint: LessonText
    public var done: LessonCondition
    public var mistakes: [LessonMistake]?
}

public struct Lesson: Codable, Sendable, Hashable {
    public var id: Int
    public var title: LessonText
    public var goal: LessonText
    /// Practice-server scenarios the lesson needs ("greylist").
    public var scenarios: [String]?
    /// What to read afterwards, or where the lesson comes from.
    public var references: [String]?
    public var steps: [LessonStep]
    /// Shown when every step is done.
    public var summary: LessonText

    /// Problems that make the file unusable: an empty text in one language, no steps, a step
    /// whose condition asks for nothing.
    public var problems: [String] {
        var found: [String] = []
        func text(_ value: LessonText, _ name: String) {
            if value.en.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { found.append("\(name): no English") }
            if value.zh.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { found.append("\(name): no Chinese") }
        }
        text(title, "title")
        text(goal, "goal")
        text(summary, "summary")
        if steps.isEmpty { found.append("no steps") }
        for (index, step) in steps.enumerated() {
            let name = "step \(index + 1)"
            text(step.title, name + " title")
            text(step.explain, name + " explain")
            text(step.hint, name + " hint")
            let condition = step.done
            if condition.reply == nil && condition.sentStartsWith == nil && condition.event == nil {
                found.append(name + ": the done condition asks for nothing")
            }
            for (number, mistake) in (step.mistakes ?? []).enumerated() { text(mistake.say, name + " mistake \(number + 1)") }
        }
        return found
    }
}

public enum LessonError: Error, CustomStringConvertible {
    case unreadable(String, String)
    case invalid(String, [String])
    case noSuchLesson(Int, [Int])

    public var description: String {
        switch self {
        case .unreadable(let file, let why): return "\(file): \(why)"
        case .invalid(let file, let problems): return "\(file): " + problems.joined(separator: "; ")
        case .noSuchLesson(let id, let known): return "there is no lesson \(id); the lessons are " + known.map(String.init).joined(separator: ", ")
        }
    }
}

/// The lessons that come with smtpx, and lesson files a teacher writes.
public enum LessonBook {
    /// Reads and checks one lesson file.
    public static func load(_ url: URL) throws(LessonError) -> Lesson {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .unreadable(url.path, "cannot read it")
        }
        let lesson: Lesson
        do {
            lesson = try JSONDecoder().decode(Lesson.self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            throw .unreadable(url.lastPathComponent, "missing \"\(key.stringValue)\" at " + context.codingPath.map(\.stringValue).joined(separator: "."))
        } catch {
            throw .unreadable(url.lastPathComponent, "not a lesson file (\(error))")
        }
        let problems = lesson.problems
        if !problems.isEmpty { throw .invalid(url.lastPathComponent, problems) }
        return lesson
    }

    /// The built-in lessons, by id.
    public static func builtIn() throws(LessonError) -> [Lesson] {
        guard let folder = Bundle.module.url(forResource: "Lessons", withExtension: nil),
              let files = try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil) else {
            throw .unreadable("Lessons", "the built-in lessons are missing")
        }
        var lessons: [Lesson] = []
        for file in files.filter({ $0.pathExtension == "json" }) { lessons.append(try load(file)) }
        return lessons.sorted { $0.id < $1.id }
    }

    public static func lesson(_ id: Int) throws(LessonError) -> Lesson {
        let all = try builtIn()
        guard let found = all.first(where: { $0.id == id }) else { throw .noSuchLesson(id, all.map(\.id)) }
        return found
    }
}
