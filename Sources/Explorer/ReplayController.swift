import CursesUI
import Foundation
import Panes
import SMTPCore
import SMTPKnowledge

/// Runs `smtpx replay`: the recorded session on the explorer screen, stepped by the keys.
public final class ReplayController {
    var model: ReplayModel

    public init(entries: [TranscriptEntry], name: String, language: Language) {
        model = ReplayModel(entries: entries, name: name, language: language)
    }

    public func run() throws -> Int32 {
        let terminal = try Terminal()
        defer { terminal.end() }
        Waiter.catchStopSignals()
        let never = Inbox<Int>()
        var size = terminal.size
        model.resize(width: size.width, height: size.height)
        model.go(to: 1)
        while !model.wantsQuit {
            terminal.draw(model.render(width: size.width, height: size.height))
            let ready = Waiter.wait(for: never.descriptor, milliseconds: 1000)
            if ready.contains(.signal) || Waiter.caughtSignal != nil { break }
            let input = terminal.input()
            if input.resized {
                size = terminal.size
                model.resize(width: size.width, height: size.height)
            }
            for key in input.keys { model.handle(key) }
        }
        terminal.end()
        if let signal = Waiter.caughtSignal { return 128 + signal }
        return 0
    }
}
