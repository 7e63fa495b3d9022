import CursesUI
import EventQueue
import Foundation
import Panes
import SMTPCore
import SMTPKnowledge

/// Runs `smtpx replay`: the recorded session on the explorer screen, stepped by the keys.
public final class ReplayController {
    var screen: ReplayScreen

    public init(entries: [TranscriptEntry], name: String, language: Language) {
        screen = ReplayScreen(entries: entries, name: name, language: language)
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
        }
        terminal.end()
        if let signal = Waiter.caughtSignal { return 128 + signal }
        return 0
    }
}
