import Foundation
import SMTPCore
import SMTPKnowledge

// Theory of operation
//
// `Conversation` is the one engine every face of smtpx drives: the explorer, batch mode,
// replay (and later probe and lessons). It owns the client session, the state of the
// connection, the transcript log, the queue of lines not yet sent, the AUTH helper and the
// STARTTLS bookkeeping. It does no I/O: its inputs are connection events, typed lines, a
// secret when one was asked for, and the clock (every input carries a `Moment`); its outputs
// are effects for the face to carry out (connect, send bytes, start TLS, close, ask for a
// secret, save a file) and lines appended to its log.
//
// Every typed line goes through one queue, and one rule decides when the next may go (`pump`):
// a command waits until every reply before it has arrived, unless pipelining is on, the server
// offers PIPELINING and nothing awaited ends a group (RFC 2920 §3.1); message lines after a 354
// and chunk bytes after BDAT go at once; nothing goes while TLS starts, while a secret is asked
// for, after a 421, or after the conversation stopped. What a queued line *is* (a command, a
// message line, a SASL response) is decided when it is sent, by the session's state, exactly as
// if it had been typed at that moment. So a pasted block, a script and typed lines behave alike.
//
// The engine reports; it never refuses what the user types: a command that breaks the sequence
// is sent and the lint says what the server will likely do. Its own helpers are stricter: `/auth`
// sends a secret only under TLS and only to a server that offers AUTH, unless told otherwise.

/// Where to connect.
public struct Target: Sendable, Hashable {
    public var host: String
    public var port: Int
    /// TLS from the first byte (RFC 8314).
    public var implicitTLS: Bool
    /// The name TLS checks the certificate against when `host` is an address found by DNS
    /// (an MX's name).
    public var serverName: String?

    public init(host: String, port: Int, implicitTLS: Bool = false, serverName: String? = nil) {
        self.host = host
        self.port = port
        self.implicitTLS = implicitTLS
        self.serverName = serverName
    }
}

/// A moment, as both clocks read it: monotonic seconds for latencies and timeouts, wall time for
/// records.
public struct Moment: Sendable, Hashable {
    public var monotonic: Double
    public var wall: Date

    public init(monotonic: Double, wall: Date) {
        self.monotonic = monotonic
        self.wall = wall
    }

    public static var now: Moment {
        Moment(monotonic: Double(DispatchTime.now().uptimeNanoseconds) / 1e9, wall: Date())
    }

    public func adding(_ seconds: Double) -> Moment {
        Moment(monotonic: monotonic + seconds, wall: wall.addingTimeInterval(seconds))
    }
}

/// How a conversation behaves; set by the face from its options.
public struct ConversationConfig: Sendable {
    public var target: Target?
    public var language: Language
    /// Lines the log keeps.
    public var scrollback: Int
    public var showSecrets: Bool
    /// Send commands in groups when the server offers PIPELINING (RFC 2920).
    public var pipelining: Bool
    /// Lines come from a script: blank and `#` lines outside a message are skipped, a refused
    /// greeting ends the run with QUIT, a refused `/auth` stops it.
    public var scriptMode: Bool
    /// `/auth` may send a secret without TLS.
    public var allowPlaintextAuth: Bool
    /// Nothing that matters goes without TLS: STARTTLS is sent when needed, and the
    /// conversation stops when it cannot be had.
    public var requireTLS: Bool
    /// Seconds of silence allowed while a reply is awaited; nil waits for ever.
    public var replyTimeoutSeconds: Double?
    /// HMAC-MD5 for `/auth cram-md5` (supplied by the app, so the engine needs no crypto).
    public var hmacMD5: (@Sendable ([UInt8], [UInt8]) -> [UInt8])?
    /// `--mx DOMAIN`: look up the route and connect to the best MX on this port.
    public var mx: (domain: String, port: Int)?
    /// The protocol to speak at the start (`--pop3`).
    public var wire: WireProtocol = .smtp
    /// Where `/smtp` and `/pop3` go with no HOST (the practice server's ports).
    public var practiceTargets: (smtp: Target, pop3: Target)?
    /// `--save-chain FILE`: write the server's certificates there as PEM once TLS is up.
    public var saveChain: String?
    /// The A-label domain of what `/route`, `/mx` and `--mx` were given (IDNA is the app's, so
    /// the engine needs no libidn2); without it only ASCII names are taken.
    public var routeTarget: (@Sendable (String) -> Result<String, DomainNameProblem>)?

    public init(target: Target? = nil, language: Language = .en, scrollback: Int = 50_000, showSecrets: Bool = false,
                pipelining: Bool = false, scriptMode: Bool = false, allowPlaintextAuth: Bool = false,
                requireTLS: Bool = false, replyTimeoutSeconds: Double? = nil,
                hmacMD5: (@Sendable ([UInt8], [UInt8]) -> [UInt8])? = nil) {
        self.target = target
        self.language = language
        self.scrollback = scrollback
        self.showSecrets = showSecrets
        self.pipelining = pipelining
        self.scriptMode = scriptMode
        self.allowPlaintextAuth = allowPlaintextAuth
        self.requireTLS = requireTLS
        self.replyTimeoutSeconds = replyTimeoutSeconds
        self.hmacMD5 = hmacMD5
    }
}

/// What the face must do for the conversation.
public enum ConversationEffect: Sendable, Hashable {
    case connect(Target)
    /// Ask the resolver; report the answer with `handle(.resolved(_:))`.
    case resolve(DNSQuestion)
    case send([UInt8])
    /// The server said 220 to STARTTLS: start the handshake, then report `tlsEstablished`.
    case startTLS
    /// Close the connection.
    case close
    /// `/auth` needs the secret: ask for it without echo, then call `provideSecret` or
    /// `cancelSecret` (or `secretUnavailable`).
    case askSecret(SecretRequest)
    /// Write `contents` to `path`, then call `noteSaved(_:path:failure:at:)`.
    case save(path: String, contents: String, what: SavedThing)
    /// Show a page (`/b64`).
    case show(Explanation)
    case showHelp
    /// `/hint`: the face that runs a lesson shows the step's hint.
    case hint
    /// The log was cleared.
    case cleared
    case languageChanged(Language)
    case quit
}

/// What a `.save` effect writes: the transcript (`/save`) or the server's chain (`/cert save`).
public enum SavedThing: Sendable, Hashable {
    case transcript(lines: Int)
    case chain(certificates: Int)
}

/// What `/auth` asks the face for.
public struct SecretRequest: Sendable, Hashable {
    public let mechanism: SASLClient.Mechanism
    public let user: String
    /// The connection is under TLS.
    public let encrypted: Bool
}

/// The state of the connection, as the status bar shows it.
public enum Link: Sendable, Hashable {
    case idle
    case connecting(Target)
    case connected(remote: String, local: String)
    case closed
}

/// The conversation engine. See the theory of operation above.
public struct Conversation: Sendable {
    public internal(set) var config: ConversationConfig
    public internal(set) var language: Language
    public internal(set) var log: ConversationLog
    public internal(set) var link = Link.idle
    /// The target of the current or last connection.
    public internal(set) var target: Target?
    public internal(set) var session: ClientSession?
    /// The POP3 session, while `wire` is `.pop3`.
    public internal(set) var pop3: POP3ClientSession?
    var wire = WireProtocol.smtp
    /// What TLS negotiated on this connection, once it is up.
    public internal(set) var tls: TLSInfo?
    var upgrading = false
    var queue = InputQueue()
    var tracking = ReplyTracking()
    var auth = AuthState()
    /// The mail route being looked up or connected along (`/route`, `/mx`, `--mx`).
    var routing: RouteRun?
    public internal(set) var outcome = Outcome()

    public init(config: ConversationConfig, at moment: Moment = .now) {
        self.config = config
        language = config.language
        log = ConversationLog(capacity: config.scrollback, origin: moment.wall)
        target = config.target
        wire = config.wire
    }

    /// The effects to begin with: look up the MX with `--mx`, else connect when there is a target.
    public mutating func start(at moment: Moment) -> [ConversationEffect] {
        if let mx = config.mx { return beginRoute(mx.domain, connect: true, port: mx.port, at: moment) }
        guard let target = config.target else { return [] }
        return connect(to: target, at: moment)
    }

    mutating func connect(to target: Target, at moment: Moment, keepRoute: Bool = false) -> [ConversationEffect] {
        if !keepRoute { routing = nil }
        self.target = target
        session = nil
        pop3 = nil
        log.setWire(wire)
        tls = nil
        upgrading = false
        tracking = ReplyTracking()
        auth = AuthState()
        link = .connecting(target)
        return [.connect(target)]
    }

    // MARK: - State the faces read

    /// Connected, with a session that is not closed.
    public var isConnected: Bool {
        if case .connected = link { return !sessionClosed }
        return false
    }

    /// Lines typed and not yet sent, oldest first.
    public var queuedLines: [String] { queue.pending }

    /// A secret is being asked for (`/auth`).
    public var pendingSecret: SecretRequest? { auth.request }

    /// The user `/auth` logged in as.
    public var authenticatedUser: String? { auth.user }

    /// A mail route was looked up (`/route`, `/mx`, `--mx`).
    public var hasRoute: Bool { routing != nil }

    /// Something was sent on this conversation (the practice server's welcome gives way then).
    public var hasSent: Bool { tracking.hasSent }

    /// The index of the last line of the newest complete reply.
    public var lastReplyIndex: Int? { tracking.lastReply.flatMap { log[$0] != nil ? $0 : nil } }

    /// The newest local line that has an explanation.
    public var lastNoteIndex: Int? { tracking.lastNote.flatMap { log[$0] != nil ? $0 : nil } }

    /// The index of the sent line the oldest awaited reply answers (-1 for the greeting).
    public var oldestAwaited: Int? { tracking.waiting.first }

    /// What is awaited and for how long, while a reply is awaited.
    public func waiting(at moment: Moment) -> (what: String, seconds: Double)? {
        guard isConnected, let since = awaitingSinceTime else { return nil }
        let what = tracking.waiting.first.map { $0 < 0 ? "220" : log.display($0) } ?? "TLS"
        return (what, max(0, moment.monotonic - since))
    }

    /// When `tick` next has something to do (a reply timeout), if ever.
    public var nextDeadline: Double? {
        guard let timeout = config.replyTimeoutSeconds, isConnected, !tracking.gaveUp,
              awaitingSinceTime != nil || upgrading else { return nil }
        let silence = tracking.lastActivity + timeout
        guard let began = tracking.replyBeganAt else { return silence }
        return min(silence, began + Self.replyLimit(timeout))
    }

    /// The most one reply may take, given the silence allowed.
    static func replyLimit(_ timeout: Double) -> Double {
        max(SMTPLimits.replyDurationFloorSeconds, SMTPLimits.replyDurationFactor * timeout)
    }
}
