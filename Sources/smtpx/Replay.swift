import ArgumentParser
import Batch
import Explorer
import FaceIO
import Panes
import Foundation
import SMTPCore
import SMTPKnowledge

struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Step through a recorded session on the explorer screen, offline.",
        discussion: """
        FILE is a --record file or batch mode's --format jsonl (or text) output. → or Space shows the
        next exchange, ← goes back, Home and End jump to the start and the end; the explainer follows
        the latest reply, and Ctrl-P/Ctrl-N select any line to explain it. n writes a note on the
        step, kept in FILE.notes.json and shown above its explanation; --handout prints the
        recording as Markdown with the notes. A practice server log is replayed one session at a
        time (--session ID). q quits.
        """
    )

    @Argument(help: "The recorded session.")
    var file: String

    @Option(help: "Language: en or zh. Default: from LC_ALL, LC_MESSAGES or LANG.")
    var lang: LanguageOption?

    @Flag(help: "Presenter mode for a projector: stream and explanation stacked, F3 shows one at a time.")
    var present = false

    @Flag(help: "Print a Markdown handout of the recording, with its notes, instead of opening the screen.")
    var handout = false

    @Option(help: ArgumentHelp("With the practice server's log as FILE: replay this session (its #number in the log).", valueName: "ID"))
    var session: String?

    func run() throws {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw ValidationError("Cannot read \(file).")
        }
        let entries: [TranscriptEntry]
        var sessionID: Int?
        switch TranscriptFormat.kind(of: text) {
        case .serverLog:
            let sessions = TranscriptFormat.sessions(inServerLog: text)
            guard let session else {
                throw ValidationError("\(file) is the practice server's log: choose a session with --session ID ("
                                      + Self.list(sessions) + ").")
            }
            guard let id = Int(session.hasPrefix("#") ? String(session.dropFirst()) : session),
                  sessions.contains(where: { $0.id == id }) else {
                throw ValidationError("\(file) has no session \(session); it has " + Self.list(sessions) + ".")
            }
            entries = TranscriptFormat.entries(inServerLog: text, session: id)
            sessionID = id
        case .handout:
            entries = TranscriptFormat.readHandout(text)
        case .jsonLines, .text, .unknown:
            entries = TranscriptFormat.read(text)
        }
        if session != nil && TranscriptFormat.kind(of: text) != .serverLog {
            throw ValidationError("--session is for the practice server's log; \(file) is a recording of one session.")
        }
        guard !entries.isEmpty else {
            throw ValidationError("\(file) holds no transcript lines (expected a --record file, or --format jsonl or text output).")
        }
        let language = lang?.language ?? Language.fromEnvironment()
        let name = URL(fileURLWithPath: file).lastPathComponent + (sessionID.map { " #\($0)" } ?? "")
        let notesPath = ReplayNotes.path(for: file, session: sessionID)
        let notes: [Int: String]
        do { notes = try ReplayNotes.load(notesPath) } catch { throw ValidationError("\(error)") }
        if handout {
            StandardOutput.write(Handout.markdown(entries: entries, name: name, language: language, notes: notes,
                                                  boundaries: ReplayScreen.steps(entries)))
            return
        }
        let controller = ReplayController(entries: entries, name: name, language: language, notes: notes,
                                          notesPath: notesPath, recording: file, present: present)
        try runOnScreen(controller.run)
    }

    /// "#1 127.0.0.1:50240 at 10:20:31 (12 lines), …", at most ten.
    static func list(_ sessions: [TranscriptFormat.LoggedSession]) -> String {
        guard !sessions.isEmpty else { return "no sessions" }
        let formatter = DateFormatter()
        formatter.dateFormat = "HH:mm:ss"
        formatter.timeZone = TimeZone(identifier: "UTC")
        let shown = sessions.prefix(10).map { "#\($0.id) \($0.client) at \(formatter.string(from: $0.started)) UTC (\($0.lines) lines)" }
        return shown.joined(separator: ", ") + (sessions.count > 10 ? ", and \(sessions.count - 10) more" : "")
    }
}
