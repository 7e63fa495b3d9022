import CursesUI
import Foundation
import Panes
import PracticeServer
import SMTPCore
import SMTPKnowledge
import SMTPTransport
import Synchronization

/// Everything `smtpx HOST [PORT]` needs, parsed and checked before the screen is taken.
public struct ExplorerOptions: Sendable {
    public var host: String?
    public var port: Int
    public var implicitTLS: Bool
    public var tls: TLSClientOptions
    public var connectTimeout: Double
    public var language: Language
    public var scrollback: Int
    public var showSecrets: Bool
    public var welcome: (@Sendable (Language) -> Explanation)?
    public var label: Localized?

    public init(host: String?, port: Int, implicitTLS: Bool = false, tls: TLSClientOptions = TLSClientOptions(),
                connectTimeout: Double = 15, language: Language = .en, scrollback: Int = 50_000,
                showSecrets: Bool = false, welcome: (@Sendable (Language) -> Explanation)? = nil,
                label: Localized? = nil) {
        self.host = host
        self.port = port
        self.implicitTLS = implicitTLS
        self.tls = tls
        self.connectTimeout = connectTimeout
        self.language = language
        self.scrollback = scrollback
        self.showSecrets = showSecrets
        self.welcome = welcome
        self.label = label
    }
}

// Theory of operation
//
// The controller runs on the main thread, which alone touches ncurses. Connection events
// arrive from SwiftNIO's threads into an `Inbox`; `Waiter` polls the keyboard, the inbox
// and a signal pipe together. Each turn reads every waiting key first, then takes at most
// a budget of received bytes, so a flooding server cannot starve the keyboard; the screen
// is redrawn at most every 30 ms while events keep coming. When too many received bytes
// wait, reading from the socket pauses until the screen catches up.

/// Runs the explorer screen until the user quits or a stop signal arrives.
public final class ExplorerController {
    static let pauseAbove = 1 << 20
    static let resumeBelow = 256 << 10
    static let budget = 256 << 10

    let options: ExplorerOptions
    let recorder: RecordWriter?
    var model: ExplorerModel
    let inbox = Inbox<ConnectionEvent>()
    let connection: Connection
    let paused = PauseFlag()
    var quit = false
    var recording: RecordWriter?

    public init(options: ExplorerOptions, recorder: RecordWriter?) {
        self.options = options
        self.recorder = recorder
        recording = recorder
        var config = ExplorerConfig(
            host: options.host, port: options.port, implicitTLS: options.implicitTLS, language: options.language,
            scrollback: options.scrollback, showSecrets: options.showSecrets, welcome: options.welcome,
            label: options.label)
        config.hmacMD5 = CramMD5.hmac
        model = ExplorerModel(config: config)
        let inbox = self.inbox
        let paused = self.paused
        let holder = ConnectionHolder()
        connection = Connection { event in
            var weight = 0
            if case .received(let bytes) = event { weight = bytes.count }
            let total = inbox.post(event, weight: weight)
            if total > Self.pauseAbove, paused.set(true) {
                holder.connection?.setReading(false)
            }
        }
        holder.connection = connection
    }

    /// Takes the terminal, runs, and restores it. Returns the process's exit status.
    public func run() throws -> Int32 {
        let terminal = try Terminal()
        defer { terminal.end() }
        Waiter.catchStopSignals()
        var size = terminal.size
        model.resize(width: size.width, height: size.height)
        perform(model.start())
        var lastDraw = 0.0
        var dirty = true
        while !quit {
            if dirty && (inbox.isEmpty || Self.clock() - lastDraw > 0.03) {
                terminal.draw(model.render(width: size.width, height: size.height))
                lastDraw = Self.clock()
                dirty = false
            }
            let ready = Waiter.wait(for: inbox.descriptor, milliseconds: inbox.isEmpty ? (dirty ? 30 : 1000) : 0)
            if ready.contains(.signal) || Waiter.caughtSignal != nil { break }
            let input = terminal.input()
            if input.resized {
                size = terminal.size
                model.resize(width: size.width, height: size.height)
                dirty = true
            }
            for key in input.keys {
                dirty = true
                perform(model.handle(key))
                if quit { break }
            }
            let events = inbox.take(budget: Self.budget)
            if !events.isEmpty { dirty = true }
            for event in events { perform(model.handle(event)) }
            if inbox.weight < Self.resumeBelow, paused.set(false) {
                connection.setReading(true)
            }
        }
        connection.close()
        terminal.end()
        if let signal = Waiter.caughtSignal { return 128 + signal }
        return 0
    }

    func perform(_ effects: [Effect]) {
        for effect in effects {
            switch effect {
            case .connect(let host, let port):
                connection.connect(Connection.Options(host: host, port: port, connectTimeout: options.connectTimeout,
                                                      implicitTLS: options.implicitTLS ? options.tls : nil))
            case .send(let bytes):
                connection.send(bytes)
            case .startTLS:
                connection.startTLS(options.tls)
            case .disconnect:
                connection.close()
            case .record(let entry):
                guard let writer = recording else { continue }
                do {
                    try writer.write(entry)
                } catch {
                    recording = nil
                    perform(model.noteRecordFailed(path: writer.path, reason: String(describing: error)))
                }
            case .save(let path, let contents, let lines):
                do {
                    try Data(contents.utf8).write(to: URL(fileURLWithPath: path))
                    perform(model.noteSaved(lines: lines, path: path))
                } catch {
                    perform(model.noteSaveFailed(path: path, reason: (error as NSError).localizedDescription))
                }
            case .quit:
                quit = true
            }
        }
    }

    static func clock() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
}

/// Whether reading is paused; `set` says whether the value changed.
final class PauseFlag: Sendable {
    private let state = Mutex(false)

    func set(_ value: Bool) -> Bool {
        state.withLock { current in
            defer { current = value }
            return current != value
        }
    }
}

/// Lets the connection's event callback reach the connection it belongs to.
final class ConnectionHolder: @unchecked Sendable {
    var connection: Connection?
}
