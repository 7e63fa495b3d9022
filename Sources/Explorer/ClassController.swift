import CursesUI
import EventQueue
import Foundation
import Panes
import SMTPCore
import SMTPKnowledge

/// Runs `smtpx serve --class`: the class screen, fed the server's log lines through an inbox
/// (they are written on the server's threads; only this thread touches the screen).
public final class ClassController {
    var screen: ClassScreen
    public let inbox = Inbox<String>()

    public init(label: Localized, language: Language) {
        screen = ClassScreen(label: label, language: language)
    }

    /// What the server's log calls for every line it writes.
    public var observer: @Sendable (String) -> Void {
        let inbox = self.inbox
        return { line in _ = inbox.post(line) }
    }

    /// Until q or a stop signal; returns the exit status.
    public func run() throws -> Int32 {
        let terminal = try Terminal()
        defer { terminal.end() }
        Waiter.catchStopSignals()
        var size = terminal.size
        screen.resize(width: size.width, height: size.height)
        var dirty = true
        var lastDraw = 0.0
        while !screen.wantsQuit {
            let now = Date().timeIntervalSince1970
            if dirty && now - lastDraw > 0.05 {
                terminal.draw(screen.render(width: size.width, height: size.height))
                lastDraw = now
                dirty = false
            }
            let ready = Waiter.wait(for: inbox.descriptor, milliseconds: dirty ? 50 : 1000)
            if ready.contains(.signal) || Waiter.caughtSignal != nil { break }
            let input = terminal.input()
            if input.resized {
                size = terminal.size
                screen.resize(width: size.width, height: size.height)
                dirty = true
            }
            for key in input.keys {
                screen.handle(key)
                dirty = true
            }
            let lines = inbox.take(budget: 2000)
            for line in lines { screen.take(line) }
            if !lines.isEmpty { dirty = true }
        }
        terminal.end()
        if let signal = Waiter.caughtSignal { return 128 + signal }
        return 0
    }
}
