import Conversation
import CursesUI
import DNSTransport
import EventQueue
import FaceIO
import Foundation
import Lessons
import Panes
import SMTPCore
import SMTPKnowledge
import SMTPTransport

/// Everything `smtpx HOST [PORT]` needs, parsed and checked before the screen is taken.
public struct ExplorerOptions: Sendable {
    public var target: Target?
    /// TLS, the connect timeout, where `/route`, `/mx` and `--mx` ask, `-4`/`-6`/`--source`.
    public var transport: ConnectionSettings
    public var conversation: ConversationConfig
    public var settings: ScreenSettings
    /// `smtpx learn N`: the lesson followed, its progress kept as steps are done.
    public var lesson: Lesson?

    public init(target: Target?, transport: ConnectionSettings = ConnectionSettings(),
                conversation: ConversationConfig = ConversationConfig(), settings: ScreenSettings = ScreenSettings()) {
        self.target = target
        self.transport = transport
        self.conversation = conversation
        self.settings = settings
    }
}

// Theory of operation
//
// The controller runs on the main thread, which alone touches ncurses. Connection events come
// through the pump's inbox; `Waiter` polls the keyboard, the inbox and a signal pipe together.
// Each turn reads every waiting key first, then takes at most a budget of received bytes, so a
// flooding server cannot starve the keyboard; the screen is redrawn at most every 30 ms while
// events keep coming, and once a second while a reply is awaited (the waiting indicator). Every
// line the conversation logs goes to `--record` as it happens.

/// Runs the explorer screen until the user quits or a stop signal arrives.
public final class ExplorerController {
    let options: ExplorerOptions
    var screen: ExplorerScreen
    let pump: ConnectionPump
    var recording: RecordWriter?
    var recorded = 0
    var quit = false
    var lesson: LessonTracker?

    public init(options: ExplorerOptions, recorder: RecordWriter?) {
        self.options = options
        recording = recorder
        var config = options.conversation
        config.target = options.target
        if config.routeTarget == nil { config.routeTarget = { RouteTarget.domain(of: $0) } }
        screen = ExplorerScreen(conversation: Conversation(config: config), settings: options.settings)
        pump = ConnectionPump(options.transport)
        lesson = options.lesson.map(LessonTracker.init)
        followLesson()
    }

    /// Reads what the conversation logged into the lesson; keeps the steps done and shows the
    /// step to do next above the explanation.
    func followLesson() {
        guard var tracker = lesson else { return }
        let done = tracker.observe(screen.conversation.log)
        if !done.isEmpty {
            var progress = LessonProgress.load()
            for step in done { progress.mark(lesson: tracker.lesson.id, step: step) }
            try? progress.save()
        }
        lesson = tracker
        screen.guide = tracker.guide(screen.language)
    }

    /// Takes the terminal, runs, and restores it. Returns the process's exit status.
    public func run() throws -> Int32 {
        let terminal = try Terminal()
        defer { terminal.end() }
        Waiter.catchStopSignals()
        var size = terminal.size
        screen.resize(width: size.width, height: size.height)
        perform(screen.start(at: .now))
        var lastDraw = 0.0
        var dirty = true
        // A key was handled: the next frame is drawn at once, before more of a flood is read.
        var typed = false
        while !quit {
            let now = Moment.now
            if dirty && (pump.inbox.isEmpty || typed || now.monotonic - lastDraw > 0.03) {
                terminal.draw(screen.render(width: size.width, height: size.height, at: now))
                lastDraw = now.monotonic
                dirty = false
                typed = false
            }
            let waiting = screen.conversation.waiting(at: now) != nil
            let timeout: Int32 = !pump.inbox.isEmpty ? 0 : dirty ? 30 : 1000
            let ready = Waiter.wait(for: pump.descriptor, milliseconds: timeout)
            if ready.contains(.signal) || Waiter.caughtSignal != nil { break }
            let input = terminal.input()
            if input.resized {
                size = terminal.size
                screen.resize(width: size.width, height: size.height)
                dirty = true
            }
            for key in input.keys {
                dirty = true
                typed = true
                perform(screen.handle(key, at: .now))
                if quit { break }
            }
            if typed { continue }
            let events = pump.take()
            if !events.isEmpty { dirty = true }
            for event in events { perform(screen.handle(event, at: .now)) }
            perform(screen.tick(at: .now))
            // The waiting indicator counts seconds.
            if waiting && ready.isEmpty { dirty = true }
        }
        pump.close()
        terminal.end()
        if let signal = Waiter.caughtSignal { return 128 + signal }
        return 0
    }

    func perform(_ effects: [ConversationEffect]) {
        for effect in pump.perform(effects) {
            switch effect {
            case .save(let path, let contents, let what):
                screen.noteSaved(what, path: path, failure: SavedFile.write(contents, to: path), at: .now)
            case .quit:
                quit = true
            case .hint:
                if lesson != nil { lesson?.askHint() } else { screen.showPage(LessonPages.noLesson(screen.language)) }
            case .connect, .resolve, .send, .startTLS, .close, .askSecret, .show, .showHelp, .cleared, .languageChanged:
                break
            }
        }
        record()
        followLesson()
    }

    /// Writes the lines logged since the last call to `--record`; a failed write is said at
    /// once on the screen, and recording stops with what was written whole.
    func record() {
        let log = screen.conversation.log
        recorded = max(recorded, log.firstIndex)
        guard let writer = recording else {
            recorded = log.endIndex
            return
        }
        while recorded < log.endIndex {
            let index = recorded
            recorded += 1
            guard let entry = screen.conversation.record(index) else { continue }
            do {
                try writer.write(entry)
            } catch {
                recording = nil
                screen.noteRecordFailed(path: writer.path, reason: "\(error)", at: .now)
                recorded = screen.conversation.log.endIndex
                return
            }
        }
    }
}
