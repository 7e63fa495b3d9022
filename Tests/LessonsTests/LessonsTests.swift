import Conversation
import Foundation
import Testing
@testable import Lessons
import SMTPCore
import SMTPKnowledge

@Suite("The lesson table")
struct LessonTableTests {
    @Test("eleven built-in lessons, numbered 1 to 11, every text in both languages")
    func builtIn() throws {
        let lessons = try LessonBook.builtIn()
        #expect(lessons.map(\.id) == Array(1...11))
        for lesson in lessons {
            #expect(lesson.problems.isEmpty, "lesson \(lesson.id): \(lesson.problems)")
            #expect(lesson.steps.count >= 2)
            for step in lesson.steps { #expect(step.hint.en != step.explain.en) }
        }
    }

    @Test("a lesson with a missing language, or a step that asks for nothing, is refused")
    func problems() throws {
        var lesson = try LessonBook.lesson(1)
        lesson.steps[2].hint.zh = "  "
        #expect(lesson.problems == ["step 3 hint: no Chinese"])
        lesson = try LessonBook.lesson(1)
        lesson.steps[0].done = LessonCondition()
        #expect(lesson.problems == ["step 1: the done condition asks for nothing"])
        lesson.steps = []
        #expect(lesson.problems.contains("no steps"))
    }

    @Test("reply code patterns: exact, digits left open, POP3's status")
    func codes() {
        #expect(LessonCondition.code("250", matches: "250"))
        #expect(LessonCondition.code("252", matches: "25x"))
        #expect(LessonCondition.code("554", matches: "5xx"))
        #expect(!LessonCondition.code("450", matches: "5xx"))
        #expect(!LessonCondition.code("250", matches: "2x"))
        #expect(LessonCondition.code("+OK", matches: "+OK"))
        #expect(!LessonCondition.code("-ERR", matches: "+OK"))
    }
}

@Suite("A lesson follows the session's state, not the text typed")
struct LessonTrackerTests {
    /// A conversation fed a server's bytes and the lines typed, as the explorer feeds it.
    struct Session {
        var conversation = Conversation(config: ConversationConfig(target: Target(host: "mx", port: 25)))
        var clock = 1.0

        mutating func moment() -> Moment {
            clock += 0.01
            return Moment(monotonic: clock, wall: Date(timeIntervalSince1970: clock))
        }

        mutating func start() {
            let now = moment()
            _ = conversation.start(at: now)
            _ = conversation.handle(.connected(remote: "mx:25", local: "me"), at: moment())
        }

        mutating func server(_ text: String) { _ = conversation.handle(.received(Array(text.utf8)), at: moment()) }
        mutating func type(_ line: String) { _ = conversation.submit(line, at: moment()) }
    }

    @Test("steps advance on replies; the same state reached another way counts; mistakes are named")
    func firstMail() throws {
        var tracker = LessonTracker(lesson: try LessonBook.lesson(1))
        var session = Session()
        session.start()
        session.server("220 mx ESMTP\r\n")
        session.type("HELO")
        session.server("501 5.5.4 Syntax: HELO <domain>\r\n")
        #expect(tracker.observe(session.conversation.log).isEmpty)
        #expect(tracker.mistake?.text.en.contains("HELO needs a name") == true)
        // EHLO is not what the step says, but it greets: the step is done by the 250 to HELO only.
        session.type("helo   laptop")
        session.server("250 mx\r\n")
        #expect(tracker.observe(session.conversation.log) == [0])
        session.type("MAIL FROM:<a@example.net>")
        session.server("250 2.1.0 Ok\r\n")
        session.type("RCPT TO:<bob@example.test>")
        session.server("250 2.1.5 Ok\r\n")
        // The recipient must be alice: bob's 250 does not complete step 3.
        #expect(tracker.observe(session.conversation.log) == [1])
        #expect(tracker.current == 2)
        session.type("RCPT TO:<Alice@Example.Test>")
        session.server("250 2.1.5 Ok\r\n")
        session.type("DATA")
        session.server("354 go ahead\r\n")
        session.type("Subject: x")
        session.type("")
        session.type(".")
        session.server("250 2.0.0 queued\r\n")
        #expect(tracker.observe(session.conversation.log) == [2, 3, 4])
        #expect(tracker.guide(.en).heading?.contains("step 6 of 6") == true)
        #expect(tracker.guide(.zh).heading?.contains("第 6 步，共 6 步") == true)
        session.type("QUIT")
        session.server("221 bye\r\n")
        tracker.observe(session.conversation.log)
        #expect(tracker.isFinished)
        #expect(tracker.report(.en).contains("Every step is done."))
    }

    @Test("a count of two needs two accepted recipients; a refusal between them is said")
    func count() throws {
        var tracker = LessonTracker(lesson: try LessonBook.lesson(2))
        var session = Session()
        session.start()
        session.server("220 mx\r\n")
        session.type("EHLO me")
        session.server("250 mx\r\n")
        session.type("MAIL FROM:<a@example.net>")
        session.server("250 Ok\r\n")
        session.type("RCPT TO:<alice@example.test>")
        session.server("250 Ok\r\n")
        session.type("RCPT TO:<nobody@example.test>")
        session.server("550 5.1.1 no such user\r\n")
        tracker.observe(session.conversation.log)
        #expect(tracker.current == 1)
        #expect(tracker.refused?.code == "550")
        #expect(tracker.guide(.en).items.contains { $0.text.contains("refused that line (550)") })
        session.type("RCPT TO:<bob@example.test>")
        session.server("250 Ok\r\n")
        tracker.observe(session.conversation.log)
        #expect(tracker.current == 2)
    }

    @Test("hints are shown when asked for, and reset at the next step")
    func hints() throws {
        var tracker = LessonTracker(lesson: try LessonBook.lesson(4))
        #expect(!tracker.guide(.en).items.contains { $0.term == "Hint" })
        tracker.askHint()
        #expect(tracker.guide(.en).items.contains { $0.term == "Hint" && $0.text.contains("VRFY alice") })
        #expect(tracker.guide(.zh).items.contains { $0.term == "提示" })
    }
}
