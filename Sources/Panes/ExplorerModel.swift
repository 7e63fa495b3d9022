import Foundation
import SMTPCore
import SMTPKnowledge

// Theory of operation
//
// `ExplorerModel` is the whole explorer screen as a value: the session with the server, the
// stream of lines, the input line, the selection and scroll positions. It takes key presses
// (`handle(_: Key)`) and connection events (`handle(_: ConnectionEvent)`) and answers with
// `Effect`s for the outside world: connect, send bytes, start TLS, record a line, save a file,
// quit. It never does I/O, so tests drive it with keys and bytes and read the screen it
// renders into a text canvas.

/// What the explorer asks its controller to do.
public enum Effect: Sendable, Hashable {
    case connect(host: String, port: Int)
    case send([UInt8])
    case startTLS
    case disconnect
    /// A line for `--record`.
    case record(TranscriptEntry)
    /// Write `contents` to `path`; report back with `noteSaved` or `noteSaveFailed`.
    case save(path: String, contents: String, lines: Int)
    case quit
}

/// How the explorer starts.
public struct ExplorerConfig: Sendable {
    public var host: String?
    public var port: Int
    public var implicitTLS: Bool
    public var language: Language
    public var scrollback: Int
    public var showSecrets: Bool
    /// Shown in the explainer before anything happens (the practice server's welcome), in
    /// the language of the moment.
    public var welcome: (@Sendable (Language) -> Explanation)?
    /// Shown in the status bar instead of the host name (e.g. "practice server").
    public var label: Localized?
    /// Replay: shown in the input line instead of a prompt.
    public var caption: String?
    /// HMAC-MD5 for `/auth cram-md5` (swift-crypto, given by the app).
    public var hmacMD5: (@Sendable ([UInt8], [UInt8]) -> [UInt8])?

    public init(host: String?, port: Int, implicitTLS: Bool = false, language: Language = .en,
                scrollback: Int = 50_000, showSecrets: Bool = false, welcome: (@Sendable (Language) -> Explanation)? = nil,
                label: Localized? = nil) {
        self.host = host
        self.port = port
        self.implicitTLS = implicitTLS
        self.language = language
        self.scrollback = scrollback
        self.showSecrets = showSecrets
        self.welcome = welcome
        self.label = label
    }
}

/// The clocks the model reads: monotonic seconds for latencies, wall time for records.
public struct ModelClock: Sendable {
    public var monotonic: @Sendable () -> Double
    public var wall: @Sendable () -> Date

    public init(monotonic: @escaping @Sendable () -> Double, wall: @escaping @Sendable () -> Date) {
        self.monotonic = monotonic
        self.wall = wall
    }

    public static let system = ModelClock(
        monotonic: { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 },
        wall: { Date() })
}

/// The last laid-out explanation, so that frames with nothing new only draw.
final class ExplanationCache: @unchecked Sendable {
    struct Key: Hashable {
        let source: ExplorerModel.ExplanationSource
        let width: Int
        let language: Language
    }

    private var key: Key?
    private var value: (title: String, lines: [StyledLine]) = ("", [])

    func lookup(_ key: Key) -> (title: String, lines: [StyledLine])? { self.key == key ? value : nil }

    func store(_ key: Key, title: String, lines: [StyledLine]) {
        self.key = key
        value = (title, lines)
    }
}

public struct ExplorerModel {
    enum Link: Equatable {
        case idle
        case connecting(host: String, port: Int)
        case connected(remote: String)
        case closed
    }

    public internal(set) var config: ExplorerConfig
    public internal(set) var language: Language
    var explainer: Explainer
    let clock: ModelClock
    let origin: Double

    var session: ClientSession?
    var link = Link.idle
    var host: String?
    var port: Int
    var tls: TLSInfo?
    /// STARTTLS's 220 arrived and the handshake is under way.
    var upgrading = false

    var stream: StreamBuffer
    var notes: [Int: Explanation] = [:]
    var masked: [Int: String] = [:]
    /// Sent lines waiting for a reply, oldest first, parallel to the session's queue
    /// (-1 stands for the connection itself, which the greeting answers).
    var waiting: [Int] = []
    var replyStart: Int?
    var lastReplyLine: Int?

    var scrollOffset = 0
    var selected: Int?
    var explainerScroll = 0
    var input = InputLine()
    var showLineEndings = false
    var helpVisible = false
    var helpScroll = 0
    var info: Explanation? {
        didSet { infoGeneration += 1 }
    }
    var infoGeneration = 0
    let explanationCache = ExplanationCache()
    /// `/auth` is asking for the secret: the mechanism, the user, what was typed (never shown).
    struct SecretPrompt {
        var mechanism: SASLClient.Mechanism
        var user: String
        var secret: [Character] = []
    }

    var secretPrompt: SecretPrompt?
    /// The `/auth` exchange in progress: it answers each 334.
    var authHelper: SASLClient?
    /// Something was sent in this explorer (the welcome gives way then).
    var hasSent = false
    /// The user name of a successful /auth.
    var authUser: String?
    var lastSize = (width: 80, height: 24)
    public internal(set) var wantsQuit = false

    public init(config: ExplorerConfig, clock: ModelClock = .system) {
        self.config = config
        language = config.language
        explainer = Explainer(language: config.language)
        self.clock = clock
        origin = clock.monotonic()
        stream = StreamBuffer(capacity: config.scrollback)
        port = config.port
        host = config.host
    }

    /// The effects to start with: connect when a host was given.
    public mutating func start() -> [Effect] {
        guard let host = config.host else { return [] }
        return connect(host: host, port: config.port)
    }

    var now: Double { clock.monotonic() }
    var elapsedMilliseconds: Double { (now - origin) * 1000 }

    mutating func connect(host: String, port: Int) -> [Effect] {
        self.host = host
        self.port = port
        session = nil
        tls = nil
        upgrading = false
        waiting = []
        replyStart = nil
        link = .connecting(host: host, port: port)
        return [.connect(host: host, port: port)]
    }

    // MARK: - Connection events

    public mutating func handle(_ event: ConnectionEvent) -> [Effect] {
        switch event {
        case .connecting(let host, let port):
            link = .connecting(host: host, port: port)
            return local(UIText.trying.format(host, port)[language])
        case .connected(let remote, let localAddress):
            link = .connected(remote: remote)
            session = ClientSession(connectedAt: now, tls: config.implicitTLS)
            waiting = [-1]
            return local(UIText.connected.format(remote, localAddress)[language])
        case .received(let bytes):
            guard session != nil else { return [] }
            let time = now
            session?.receive(bytes, at: time)
            return drainSession()
        case .failed(let failure):
            link = .closed
            session = nil
            return local(Self.failureLine(failure)[language], kind: .warning,
                         note: explainer.explain(connectFailure: failure))
        case .closed(let reason):
            var effects: [Effect] = []
            if var current = session {
                let events = current.connectionClosed()
                session = current
                for event in events { effects += apply(event) }
            }
            link = .closed
            let quitSent = session?.quitSent ?? false
            let text: Localized
            switch reason {
            case .byServer: text = UIText.closedByServer
            case .byClient: text = UIText.closedByClient
            case .error(let words): text = UIText.closedError.format(words)
            case .idleTimeout(let seconds): text = UIText.idle.format(seconds)
            }
            effects += local(text[language], kind: reason == .byServer && !quitSent ? .warning : .local,
                             note: explainer.explain(close: reason, quitSent: quitSent))
            return effects
        case .tlsEstablished(let info):
            tls = info
            let wasUpgrade = upgrading
            if upgrading {
                upgrading = false
                session?.tlsEstablished()
                waiting = []
            }
            let verdict = info.verified ? UIText.certificateVerified : UIText.certificateNotVerified
            var note = explainer.explain(tls: info)
            if wasUpgrade {
                note.sections.insert(.init(paragraphs: [UIText.sendEhloAgain[language]]), at: 0)
            }
            return local(UIText.tlsUp.format(info.version, info.cipherSuite ?? "?", verdict[language])[language],
                         kind: info.verified ? .local : .warning, note: note)
        case .tlsFailed(let failure):
            link = .closed
            session = nil
            let note = explainer.explain(tlsFailure: failure)
            return local(note.title, kind: .warning, note: note)
        }
    }

    static func failureLine(_ failure: ConnectFailure) -> Localized {
        let target = "\(failure.host):\(failure.port)"
        switch failure.kind {
        case .refused: return Localized("Connection refused by {0}", "{0} 拒绝了连接").format(target)
        case .unreachable: return Localized("{0} is unreachable: {1}", "无法到达 {0}：{1}").format(target, failure.detail)
        case .unknownHost: return Localized("Unknown host {0}", "未知主机 {0}").format(failure.host)
        case .timeout: return Localized("No answer from {0}", "{0} 没有应答").format(target)
        case .other: return Localized("Could not connect to {0}: {1}", "无法连接到 {0}：{1}").format(target, failure.detail)
        }
    }

    /// Pulls every event out of the session and shows it.
    mutating func drainSession() -> [Effect] {
        var effects: [Effect] = []
        while let event = session?.nextEvent() { effects += apply(event) }
        return effects
    }

    mutating func apply(_ event: ClientSession.Event) -> [Effect] {
        let secure = session?.isTLS ?? false
        switch event {
        case .line(let line):
            let first = replyStart == nil
            let index = stream.endIndex
            if first { replyStart = index }
            var latency: Double?
            if first, let since = session?.awaitingSince { latency = max(0, now - since) * 1000 }
            let answers = waiting.first.flatMap { $0 >= 0 ? $0 : nil }
            stream.append(.received, line.raw, tls: secure, code: line.code, latency: latency, isFinal: line.isFinal,
                          replyBack: index - (replyStart ?? index), answers: answers, time: elapsedMilliseconds)
            if line.isFinal { replyStart = nil }
            return [.record(entry(.received, line.raw, tls: secure, answers: answers, latency: latency.map { $0 / 1000 }))]
        case .reply(let reply, _, _):
            if !waiting.isEmpty { waiting.removeFirst() }
            waiting = Array(waiting.suffix(session?.awaiting.count ?? 0))
            lastReplyLine = stream.endIndex - 1
            replyStart = nil
            if selected == nil { explainerScroll = 0 }
            if reply.code == 235 { authUser = authHelper?.user ?? authUser ?? "" }
            return answerChallenge(reply)
        case .stray(let line):
            stream.append(.stray, line.raw, tls: secure, time: elapsedMilliseconds)
            return [.record(entry(.received, line.raw, tls: secure))]
        case .discarded(let count):
            replyStart = nil
            return local(UIText.dropped.format(count)[language], kind: .warning)
        case .refusedPlaintext(let bytes):
            let preview = TextWidth.truncate(VisibleText.escape(bytes, lineEndings: true), to: 60)
            return local(UIText.refusedPlaintext.format(bytes.count, preview)[language], kind: .warning,
                         note: explainer.explainRefusedPlaintext(count: bytes.count))
        case .startTLS:
            waiting = []
            upgrading = true
            return [.startTLS] + local(UIText.startingTLS[language])
        }
    }

    /// The `/auth` helper answers a 334; any other reply ends its exchange.
    mutating func answerChallenge(_ reply: Reply) -> [Effect] {
        guard var helper = authHelper else { return [] }
        guard reply.code == 334, session?.inputMode == .saslResponse else {
            authHelper = nil
            return []
        }
        let line = helper.respond(to: reply)
        authHelper = helper
        return transmit { session, time in session.sendSASL(line, at: time) }
    }

    /// Puts one outgoing step through the session (`send`, `submit` or `sendSASL`) and shows
    /// what it wrote; a reply is awaited when the step added one to the session's queue.
    mutating func transmit(_ step: (inout ClientSession, Double) -> ClientSession.Outgoing) -> [Effect] {
        guard var current = session else { return [] }
        let before = current.awaiting.count
        let outgoing = step(&current, now)
        session = current
        return appendSent(outgoing, expectsReply: current.awaiting.count > before)
    }

    // MARK: - Stream helpers

    /// Adds a local line (with an explanation to show when it is selected) and records it.
    mutating func local(_ text: String, kind: StreamKind = .local, note: Explanation? = nil) -> [Effect] {
        let index = stream.append(kind, Array(text.utf8), time: elapsedMilliseconds)
        if let note {
            notes[index] = note
            if selected == nil { info = nil }
        }
        pruneNotes()
        return [.record(.local(text, time: clock.wall(), tls: session?.isTLS ?? false))]
    }

    /// Adds what was sent, one stream line per wire line.
    mutating func appendSent(_ outgoing: ClientSession.Outgoing, expectsReply: Bool) -> [Effect] {
        let secure = session?.isTLS ?? false
        hasSent = true
        let hide = outgoing.sensitive && !config.showSecrets
        let index = stream.append(.sent, outgoing.bytes, tls: secure, time: elapsedMilliseconds, sensitive: hide)
        if hide { masked[index] = outgoing.display }
        if expectsReply { waiting.append(index) }
        var record = entry(.sent, outgoing.bytes, tls: secure)
        if outgoing.sensitive { record.masked = outgoing.display }
        return [.send(outgoing.bytes), .record(record)]
    }

    func entry(_ direction: TranscriptEntry.Direction, _ bytes: [UInt8], tls: Bool, answers: Int? = nil,
               latency: Double? = nil) -> TranscriptEntry {
        let answered = answers.flatMap { stream.line($0) }.map { line in
            masked[line.index] ?? VisibleText.escape(line.bytes)
        }
        return TranscriptEntry(direction: direction, bytes: bytes, time: clock.wall(), tls: tls, answers: answered,
                               latency: latency)
    }

    mutating func pruneNotes() {
        let first = stream.firstIndex
        if let lowest = notes.keys.min(), lowest < first { notes = notes.filter { $0.key >= first } }
        if let lowest = masked.keys.min(), lowest < first { masked = masked.filter { $0.key >= first } }
    }

    /// A message from the controller (a save that worked or failed, a recording error).
    public mutating func note(_ text: Localized, warning: Bool = false) -> [Effect] {
        local(text[language], kind: warning ? .warning : .local)
    }

    public mutating func noteSaved(lines: Int, path: String) -> [Effect] {
        note(UIText.saved.format(lines, path))
    }

    public mutating func noteSaveFailed(path: String, reason: String) -> [Effect] {
        note(UIText.saveFailed.format(path, reason), warning: true)
    }

    public mutating func noteRecordFailed(path: String, reason: String) -> [Effect] {
        note(UIText.recordFailed.format(path, reason), warning: true)
    }

    // MARK: - State for the screen and tests

    public var isConnected: Bool {
        if case .connected = link { return !(session?.isClosed ?? true) }
        return false
    }

    public var streamLineCount: Int { stream.count }
    public var inputText: String { input.text }
}
