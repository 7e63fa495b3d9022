import Conversation
import DNSTransport
import EventQueue
import FaceIO
import Foundation
import SMTPCore
import SMTPKnowledge
import SMTPTransport

/// Everything batch mode needs, checked before it starts.
public struct BatchOptions: Sendable {
    public var target: Target
    /// TLS, DNS and how to connect; its connect timeout is `timeout`.
    public var transport: ConnectionSettings
    /// Seconds of silence allowed while a reply is awaited (and to connect).
    public var timeout: Double
    public var format: BatchFormat
    public var explain: Bool
    public var pipeline: Bool
    public var language: Language
    public var showSecrets: Bool
    public var allowPlaintextAuth: Bool
    public var requireTLS: Bool
    /// What the output calls the server (the practice server's label).
    public var label: String?
    public var hmacMD5: (@Sendable ([UInt8], [UInt8]) -> [UInt8])?
    /// `--mx DOMAIN`: the route first, then the best MX on this port.
    public var mx: (domain: String, port: Int)?
    public var wire: WireProtocol
    /// `--save-chain FILE`.
    public var saveChain: String?
    /// Say on standard error what ended the run early (probe runs quietly).
    public var reportsStops = true

    public init(target: Target, transport: ConnectionSettings = ConnectionSettings(), timeout: Double = 30, format: BatchFormat = .text,
                explain: Bool = false, pipeline: Bool = false, language: Language = .en, showSecrets: Bool = false,
                allowPlaintextAuth: Bool = false, requireTLS: Bool = false, label: String? = nil,
                hmacMD5: (@Sendable ([UInt8], [UInt8]) -> [UInt8])? = nil, mx: (domain: String, port: Int)? = nil,
                wire: WireProtocol = .smtp) {
        self.mx = mx
        self.wire = wire
        self.target = target
        self.transport = transport
        self.timeout = timeout
        self.format = format
        self.explain = explain
        self.pipeline = pipeline
        self.language = language
        self.showSecrets = showSecrets
        self.allowPlaintextAuth = allowPlaintextAuth
        self.requireTLS = requireTLS
        self.label = label
        self.hmacMD5 = hmacMD5
    }
}

// Theory of operation
//
// Batch mode is a thin driver of the conversation engine on the main thread. The whole script
// goes into the engine's queue at the start, as if typed at once; the engine decides what is
// sent when (the same rules as the explorer). The driver then waits on the connection's inbox
// until the engine has nothing left to do, carries out its effects, asks for a secret when
// `/auth` needs one, and prints every line the engine logs. At the end a script that did not
// QUIT gets one; the exit status is the engine's outcome.

/// Runs a script of SMTP lines against a server and prints the transcript.
public final class BatchDriver {
    let options: BatchOptions
    let secret: () throws -> String
    let pump: ConnectionPump
    let writer: BatchWriter
    public private(set) var conversation: Conversation
    /// The next log line to print.
    var printed = 0
    var recordFailureReported = false

    /// `secret` is called for /auth: SMTPX_SECRET or a prompt on the terminal, never the script.
    public init(options: BatchOptions, output: @escaping (String) -> Void, record: RecordWriter? = nil,
                secret: @escaping () throws -> String) {
        self.options = options
        self.secret = secret
        writer = BatchWriter(format: options.format, explain: options.explain, showSecrets: options.showSecrets,
                             record: record, output: output)
        var transport = options.transport
        transport.connectTimeout = options.timeout
        pump = ConnectionPump(transport)
        var config = ConversationConfig(
            target: options.target, language: options.language, scrollback: 10_000, showSecrets: options.showSecrets,
            pipelining: options.pipeline, scriptMode: true, allowPlaintextAuth: options.allowPlaintextAuth,
            requireTLS: options.requireTLS, replyTimeoutSeconds: options.timeout, hmacMD5: options.hmacMD5)
        config.mx = options.mx
        config.wire = options.wire
        config.saveChain = options.saveChain
        config.routeTarget = { RouteTarget.domain(of: $0) }
        conversation = Conversation(config: config)
    }

    /// Runs the script; returns the exit status.
    public func run(lines: [String]) -> Int32 {
        writer.begin(label: options.label ?? options.mx.map { "MX \($0.domain)" } ?? "\(options.target.host):\(options.target.port)",
                     at: Date())
        StartupTrace.mark("engine ready")
        perform(conversation.start(at: .now))
        StartupTrace.mark("connecting")
        for line in lines { perform(conversation.submit(line, at: .now)) }
        var finished = false
        // Once the session is over, the server is given a moment to close first (it said it
        // would, with 221 or 421), so the transcript does not depend on who was quicker.
        var closeAt: Double?
        var giveUpAt: Double?
        while true {
            flush()
            if case .closed = conversation.link { break }
            let now = Moment.now.monotonic
            if conversation.isIdle, case .connected = conversation.link, conversation.oldestAwaited == nil {
                if !finished {
                    finished = true
                    perform(conversation.finish(at: .now))
                    continue
                }
                if closeAt == nil { closeAt = now + Self.closingGraceSeconds }
            }
            if let due = closeAt, now >= due, giveUpAt == nil {
                pump.close()
                giveUpAt = now + Self.closingGraceSeconds
            }
            if let giveUpAt, now > giveUpAt { break }
            let deadline = min(conversation.nextDeadline ?? .infinity, giveUpAt ?? closeAt ?? .infinity)
            let wait = max(0, min(1, deadline - Moment.now.monotonic))
            _ = Waiter.wait(for: pump.descriptor, milliseconds: Int32(wait * 1000), keyboard: false)
            for event in pump.take() {
                StartupTrace.mark(Self.traceName(event))
                perform(conversation.handle(event, at: .now))
            }
            perform(conversation.tick(at: .now))
        }
        flush()
        writer.finish(language: conversation.language)
        StartupTrace.mark("done")
        if writer.recordFailure != nil {
            let status = conversation.outcome.exitStatus
            return status == 0 ? 1 : status
        }
        return conversation.outcome.exitStatus
    }

    /// Carries out the engine's effects; a secret is asked for here.
    func perform(_ effects: [ConversationEffect]) {
        for effect in pump.perform(effects) {
            switch effect {
            case .askSecret:
                flush()
                if let secret = try? secret() {
                    perform(conversation.provideSecret(secret, at: .now))
                } else {
                    perform(conversation.secretUnavailable(at: .now))
                }
            case .save(let path, let contents, let what):
                conversation.noteSaved(what, path: path, failure: SavedFile.write(contents, to: path), at: .now)
            case .connect, .resolve, .send, .startTLS, .close, .show, .showHelp, .hint, .cleared, .languageChanged, .quit:
                break
            }
        }
    }

    /// The name of an event's first arrival in the start-up trace.
    static func traceName(_ event: ConnectionEvent) -> String {
        switch event {
        case .connecting: return "resolving"
        case .connected: return "connected"
        case .received: return "first bytes"
        case .failed: return "connect failed"
        case .closed: return "closed"
        case .tlsEstablished: return "TLS up"
        case .tlsFailed: return "TLS failed"
        case .resolved: return "DNS answer"
        }
    }

    /// How long the server has to close the connection after the session ended.
    static let closingGraceSeconds = 2.0

    /// Events that end a run early: said on standard error too, where a redirected transcript
    /// does not hide them.
    static func stopsTheRun(_ event: LocalEvent) -> Bool {
        switch event {
        case .authRefused, .notAvailableHere, .unknownCommand, .tlsRequirementUnmet, .timedOut, .replyTooLong, .connectFailed,
             .tlsFailed:
            return true
        default:
            return false
        }
    }

    /// Prints the lines logged since the last call; a `--record` that stopped is said at once,
    /// on standard error and in the transcript.
    func flush() {
        printed = max(printed, conversation.log.firstIndex)
        while printed < conversation.log.endIndex {
            writer.write(printed, of: conversation)
            if options.reportsStops, let event = conversation.log.event(printed), Self.stopsTheRun(event) {
                let words = event.words[conversation.language]
                FileHandle.standardError.write(Data("smtpx: \(VisibleText.sanitize(words))\n".utf8))
            }
            printed += 1
            if let failure = writer.recordFailure, !recordFailureReported {
                recordFailureReported = true
                FileHandle.standardError.write(Data("smtpx: --record stopped: \(failure)\n".utf8))
                conversation.noteRecordFailed(path: writer.recordPath ?? "", reason: failure, at: .now)
            }
        }
    }
}
