import CursesUI
import EventQueue
import FaceIO
import Foundation
import Panes
import SMTPCore
import SMTPKnowledge

/// Runs `smtpx replay`: the recorded session on the explorer screen, stepped by the keys.
public final class ReplayController {
    var screen: ReplayScreen
    /// Where notes are saved, and the recording they belong to.
    let notesPath: String?
    let recording: String

    public init(entries: [TranscriptEntry], name: String, language: Language, notes: [Int: String] = [:],
                notesPath: String? = nil, recording: String = "", present: Bool = false) {
        screen = ReplayScreen(entries: entries, name: name, language: language, notes: notes)
        screen.present = present
        self.notesPath = notesPath
        self.recording = recording
    }

    /// Saves the notes as soon as one is kept; a failure is said on standard error at the end.
    var saveFailure: String?

    func saveNotes() {
        guard screen.notesChanged, let notesPath else { return }
        screen.notesChanged = false
        saveFailure = ReplayNotes.save(screen.notes, to: notesPath, recording: recording)
    }

    public func run() throws -> Int32 {
        let terminal = try Terminal()
        defer { terminal.end() }
        Waiter.catchStopSignals()
        let never = Inbox<Int>()
        var size = terminal.size
        screen.resize(width: size.width, height: size.height)
        screen.go(to: 1)
        while !screen.wantsQuit {
            terminal.draw(screen.render(width: size.width, height: size.height))
            let ready = Waiter.wait(for: never.descriptor, milliseconds: 1000)
            if ready.contains(.signal) || Waiter.caughtSignal != nil { break }
            let input = terminal.input()
            if input.resized {
                size = terminal.size
                screen.resize(width: size.width, height: size.height)
            }
            for key in input.keys { screen.handle(key) }
            saveNotes()
        }
        terminal.end()
        if let saveFailure, let notesPath {
            FileHandle.standardError.write(Data("smtpx: the notes could not be saved to \(notesPath): \(saveFailure)\n".utf8))
            return 1
        }
        if let signal = Waiter.caughtSignal { return 128 + signal }
        return 0
    }
}
