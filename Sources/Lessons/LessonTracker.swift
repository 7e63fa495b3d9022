import Conversation
import Foundation
import SMTPCore
import SMTPKnowledge

/// One thing the session showed, as lesson conditions read it.
struct Observation: Sendable, Hashable {
    enum What: Sendable, Hashable {
        /// A whole reply: the verb it answers, its code ("250", "+OK"), the answered line and
        /// the reply's text.
        case reply(verb: String, code: String, argument: String, text: String)
        case sent(String)
        case event(String)
    }

    var what: What
    var tls: Bool
    var index: Int
}

extension LessonCondition {
    /// Whether one observation meets the condition (`count` is the tracker's).
    func matches(_ observation: Observation) -> Bool {
        switch observation.what {
        case .reply(let verb, let code, let argument, let text):
            guard let want = reply, sentStartsWith == nil, event == nil else { return false }
            if let wanted = want.verb, wanted.uppercased() != verb { return false }
            if let wanted = want.code, !Self.code(code, matches: wanted) { return false }
            if let wanted = want.argument, !argument.lowercased().contains(wanted.lowercased()) { return false }
            if let wanted = want.contains, !text.lowercased().contains(wanted.lowercased()) { return false }
            if let wanted = want.tls, wanted != observation.tls { return false }
            return true
        case .sent(let line):
            guard let prefix = sentStartsWith, reply == nil, event == nil else { return false }
            return line.hasPrefix(prefix)
        case .event(let name):
            guard let wanted = event, reply == nil, sentStartsWith == nil else { return false }
            return wanted == name
        }
    }

    /// "250" is exact, "2xx" and "45x" leave digits open, "+OK" and "-ERR" are POP3's.
    static func code(_ code: String, matches pattern: String) -> Bool {
        let code = Array(code.uppercased()), pattern = Array(pattern.uppercased())
        guard code.count == pattern.count else { return false }
        return zip(code, pattern).allSatisfy { $1 == "X" || $0 == $1 }
    }
}

/// Where a learner is in one lesson; fed the conversation's log as it grows.
public struct LessonTracker: Sendable {
    public let lesson: Lesson
    /// The step being worked on; `lesson.steps.count` when all are done.
    public private(set) var current = 0
    /// Steps done, in order, with the log index that completed each.
    public private(set) var completed: [Int: Int] = [:]
    /// Hints asked for at the current step.
    public private(set) var hints = 0
    /// The latest mistake said, with the step it was made at.
    public private(set) var mistake: (step: Int, text: LessonText)?
    /// A line the server refused at the current step, not one of the lesson's mistakes.
    public private(set) var refused: (step: Int, code: String)?
    var matched = 0
    var scanned = 0

    public init(lesson: Lesson) {
        self.lesson = lesson
    }

    public var isFinished: Bool { current >= lesson.steps.count }

    /// Reads the log entries added since the last call; returns the steps completed by them.
    @discardableResult
    public mutating func observe(_ log: ConversationLog) -> [Int] {
        scanned = max(scanned, log.firstIndex)
        var done: [Int] = []
        while scanned < log.endIndex {
            let index = scanned
            scanned += 1
            for observation in Self.observations(at: index, in: log) {
                if let step = take(observation) { done.append(step) }
            }
        }
        return done
    }

    public mutating func askHint() { hints += 1 }

    mutating func take(_ observation: Observation) -> Int? {
        guard !isFinished else { return nil }
        let step = lesson.steps[current]
        if step.done.matches(observation) {
            matched += 1
            if matched >= max(1, step.done.count ?? 1) {
                completed[current] = observation.index
                current += 1
                matched = 0
                hints = 0
                return current - 1
            }
            return nil
        }
        if let wrong = step.mistakes?.first(where: { $0.when.matches(observation) }) {
            mistake = (current, wrong.say)
        } else if case .reply(_, let code, _, _) = observation.what, code.hasPrefix("5") || code == "-ERR" {
            refused = (current, code)
        }
        return nil
    }

    /// What the session showed at one log index.
    static func observations(at index: Int, in log: ConversationLog) -> [Observation] {
        guard let entry = log[index] else { return [] }
        if let event = log.event(index) {
            switch event {
            case .tlsEstablished: return [Observation(what: .event("tls"), tls: true, index: index)]
            case .routeFound(let summary):
                var found = [Observation(what: .event("route"), tls: entry.tls, index: index)]
                let alias = summary.steps.contains {
                    if case .answer(let record, _) = $0, case .name = record.data { return true }
                    return false
                }
                if alias { found.append(Observation(what: .event("route-cname"), tls: entry.tls, index: index)) }
                return found
            default: return []
            }
        }
        switch entry.kind {
        case .sent:
            return [Observation(what: .sent(log.display(index)), tls: entry.tls, index: index)]
        case .received:
            let pop3 = log.pop3Response(index)
            guard pop3 != nil || (log.wire(at: index) == .smtp && entry.isFinal) else { return [] }
            let answered = log.answeredLine(index) ?? ""
            let greeting = log.isGreeting(index) || entry.answers == nil
            let verb = greeting ? "GREETING"
                : answered == "." ? "."
                : String(answered.split(separator: " ", maxSplits: 1).first ?? "").uppercased()
            let code: String
            let text: String
            if let pop3 {
                code = pop3.status == .continuation ? "+" : pop3.status.rawValue
                text = pop3.text
            } else {
                guard let (reply, _) = log.reply(containing: index) else { return [] }
                code = String(reply.code)
                text = reply.visibleTexts.joined(separator: "\n")
            }
            return [Observation(what: .reply(verb: verb, code: code, argument: answered, text: text), tls: entry.tls, index: index)]
        default:
            return []
        }
    }
}
