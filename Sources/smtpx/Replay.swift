import ArgumentParser
import Explorer
import Foundation
import SMTPCore
import SMTPKnowledge

struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Step through a recorded session on the explorer screen, offline.",
        discussion: """
        FILE is a --record file or batch mode's --format jsonl (or text) output. → or Space shows the
        next exchange, ← goes back, Home and End jump to the start and the end; the explainer follows
        the latest reply, and Ctrl-P/Ctrl-N select any line to explain it. q quits.
        """
    )

    @Argument(help: "The recorded session.")
    var file: String

    @Option(help: "Language: en or zh. Default: from LC_ALL, LC_MESSAGES or LANG.")
    var lang: LanguageOption?

    func run() throws {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw ValidationError("Cannot read \(file).")
        }
        let entries: [TranscriptEntry]
        switch TranscriptFormat.kind(of: text) {
        case .serverLog:
            throw ValidationError("\(file) is the practice server's log, not a recording of one session: replay takes a --record file, or batch mode's --format jsonl, text or markdown output.")
        case .handout:
            entries = TranscriptFormat.readHandout(text)
        case .jsonLines, .text, .unknown:
            entries = TranscriptFormat.read(text)
        }
        guard !entries.isEmpty else {
            throw ValidationError("\(file) holds no transcript lines (expected a --record file, or --format jsonl or text output).")
        }
        let controller = ReplayController(entries: entries, name: URL(fileURLWithPath: file).lastPathComponent,
                                          language: lang?.language ?? Language.fromEnvironment())
        try runOnScreen(controller.run)
    }
}
