import ArgumentParser
import Conversation
import DNSTransport
import Explorer
import FaceIO
import Foundation
import Lessons
import PracticeServer
import SMTPCore
import SMTPKnowledge

struct Learn: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "learn",
        abstract: "Guided lessons on the practice server, each step checked by the session itself.",
        discussion: """
        With no lesson, lists the lessons and what you have done of each. `smtpx learn N` opens
        the explorer on the built-in practice server with lesson N beside the conversation; a step
        is done when the session shows it (a 250 to RCPT, TLS up, a message stored), however you
        got there. /hint shows a hint. Progress is kept in ~/.local/state/smtpx/lessons.json.

          smtpx learn                      # the lessons
          smtpx learn 1 --lang zh          # the first mail, in Chinese
          smtpx learn 1 --check session.jsonl   # which steps a --record file completed
          smtpx learn --file my-lesson.json     # a lesson a teacher wrote
          smtpx learn --list --format json
        """
    )

    @Argument(help: "The lesson's number.")
    var lesson: Int?

    @Option(help: "Run the lesson in this file (the format is in the README).")
    var file: String?

    @Flag(help: "List the lessons (the default without a lesson).")
    var list = false

    @Option(help: "With --list: text or json.")
    var format: ListFormat = .text

    @Option(help: ArgumentHelp("Grade a recording (--record FILE, .jsonl or text): which steps it completed.", valueName: "RECORDING"))
    var check: String?

    @Option(help: "Language: en or zh. Default: from LC_ALL, LC_MESSAGES or LANG.")
    var lang: LanguageOption?

    @Option(name: .customLong("dns-server"), help: "Ask this resolver, IP[:PORT], for /route and /mx (lesson 10).")
    var dnsServer: String?

    @Flag(help: "Presenter mode for a projector: stream and explanation stacked, F3 shows one at a time.")
    var present = false

    @Option(help: "Keep the transcript in FILE as it happens (.jsonl for JSON Lines), to grade with --check.")
    var record: String?

    enum ListFormat: String, ExpressibleByArgument { case text, json }

    func validate() throws {
        if lesson != nil && file != nil { throw ValidationError("Give a lesson number or --file, not both.") }
        if check != nil && lesson == nil && file == nil { throw ValidationError("--check needs the lesson to grade against.") }
        if let dnsServer, ResolverAddress(parsing: dnsServer) == nil { throw ValidationError(ResolverError.badServer(dnsServer).description) }
        _ = try chosen()
    }

    /// The lesson asked for, read and checked now so that a bad one is said before the screen.
    func chosen() throws -> Lesson? {
        do {
            if let file { return try LessonBook.load(URL(fileURLWithPath: file)) }
            if let lesson { return try LessonBook.lesson(lesson) }
        } catch {
            throw ValidationError(error.description)
        }
        return nil
    }

    func run() throws {
        let language = lang?.language ?? Language.fromEnvironment()
        guard let lesson = try chosen(), !list else { return try printList(language) }
        if let check { throw ExitCode(try grade(lesson, recording: check, language: language)) }
        var recorder: RecordWriter?
        if let record {
            do { recorder = try RecordWriter(path: record, showSecrets: false) } catch { throw ValidationError("--record: \(error)") }
        }
        let scenarios = try Scenario.parse(lesson.scenarios ?? [])
        let practice: EmbeddedPractice
        do {
            practice = try EmbeddedPractice(scenarios: scenarios)
        } catch {
            FileHandle.standardError.write(Data("smtpx: cannot start the practice server: \(error)\n".utf8))
            throw ExitCode(1)
        }
        defer { practice.stop() }
        var conversation = ConversationConfig(language: language, hmacMD5: CramMD5.hmac)
        conversation.routeTarget = { RouteTarget.domain(of: $0) }
        let dns = ResolverConfig(server: dnsServer.flatMap(ResolverAddress.init(parsing:)))
        var options = ExplorerOptions(target: practice.target, transport: ConnectionSettings(tls: practice.tls, dns: dns),
                                      conversation: conversation)
        practice.configure(&options)
        options.settings.welcome = nil
        options.lesson = lesson
        options.settings.present = present
        let controller = ExplorerController(options: options, recorder: recorder)
        try runOnScreen(controller.run)
    }

    /// Replays a recording through the engine and reports the steps it completed.
    func grade(_ lesson: Lesson, recording: String, language: Language) throws -> Int32 {
        guard let contents = try? String(contentsOfFile: recording, encoding: .utf8) else {
            throw ValidationError("--check: cannot read \(recording).")
        }
        let entries = TranscriptFormat.read(contents)
        if entries.isEmpty { throw ValidationError("--check: \(recording) holds no transcript lines.") }
        var conversation = Conversation(config: ConversationConfig(language: language, scrollback: max(10_000, entries.count + 100)))
        var tracker = LessonTracker(lesson: lesson)
        let first = entries[0].time
        for entry in entries {
            conversation.replay(entry, since: first)
            tracker.observe(conversation.log)
        }
        StandardOutput.write(tracker.report(language))
        return tracker.isFinished ? 0 : 1
    }

    func printList(_ language: Language) throws {
        let lessons: [Lesson]
        do { lessons = try LessonBook.builtIn() } catch { throw ValidationError(error.description) }
        let progress = LessonProgress.load()
        switch format {
        case .json:
            let items: [JSONValue] = lessons.map { lesson in
                .object([("id", .int(lesson.id)),
                         ("title", .object([("en", .string(lesson.title.en)), ("zh", .string(lesson.title.zh))])),
                         ("steps", .int(lesson.steps.count)), ("done", .int(progress.stepsDone(lesson.id)))])
            }
            StandardOutput.write(JSONValue.array(items).serialized + "\n")
        case .text:
            var lines: [String] = []
            for lesson in lessons {
                let done = progress.stepsDone(lesson.id)
                let mark = done >= lesson.steps.count ? "✓" : done > 0 ? "…" : " "
                lines.append(String(format: "%@ %2d  ", mark, lesson.id) + lesson.title[language]
                             + "  (\(done)/\(lesson.steps.count))")
            }
            lines.append("")
            lines.append(Localized("Start one with: smtpx learn N", "开始一课：smtpx learn N")[language])
            StandardOutput.write(lines.joined(separator: "\n") + "\n")
        }
    }
}
