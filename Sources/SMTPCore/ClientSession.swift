// Theory of operation
//
// `ClientSession` is the client side of one SMTP connection, without any I/O. The caller
// feeds it what the server sent (`receive`) and pulls events (`nextEvent`) until it needs
// more bytes; it asks it for the bytes of what the user sends (`send`, `sendMessageLine`,
// `sendChunkLine`, `sendSASL`) and writes them itself.
//
// Every sent item that expects a reply joins a FIFO queue, so with PIPELINING each reply is
// paired with the command it answers, in order (RFC 2920 §3.1). The connection itself is the
// first item: the greeting answers it.
//
// The explorer never refuses to send: a command that breaks the sequence is sent anyway and
// the lint says what the server will likely do. So the state below follows what the server
// *answered*, and `Transaction` also tracks what was *sent* so that the lint of the next
// command assumes that pipelined commands will succeed.
//
// STARTTLS is a pause: on its 220 the session takes every byte the parser still holds,
// reports them as refused plaintext, and sends nothing more until `tlsEstablished()`; then
// it forgets the capabilities and needs a new EHLO (RFC 3207 §4.2).

/// The client side of an SMTP session, sans-IO.
public struct ClientSession: Sendable {
    /// What a reply answers.
    public enum Sent: Sendable, Hashable {
        /// The connection: the greeting answers it.
        case greeting
        case command(Command)
        /// The lone "." that ends DATA.
        case messageEnd
        /// A SASL response line after a 334.
        case saslResponse
    }

    public enum Event: Sendable, Hashable {
        /// A line of a reply, as soon as it has arrived.
        case line(ReplyLine)
        /// A complete reply, the item it answers (nil when nothing was waiting for one),
        /// and how long it took.
        case reply(Reply, answering: Sent?, latency: ReplyLatency?)
        /// A line with no code outside any reply.
        case stray(ReplyLine)
        /// The end of a cut over-long line: this many bytes were dropped.
        case discarded(byteCount: Int)
        /// Plaintext bytes that arrived after the 220 to STARTTLS, refused.
        case refusedPlaintext([UInt8])
        /// The pause: upgrade the connection to TLS now, then call `tlsEstablished()`.
        case startTLS
    }

    /// What the user's next line will be taken as.
    public enum InputMode: Sendable, Hashable {
        case command
        /// After 354: lines of the message, until a lone ".".
        case messageText
        /// After `BDAT n`: the bytes of the chunk still to send.
        case chunk(remaining: Int)
        /// After 334: a base64 SASL response, or "*" to cancel.
        case saslResponse
    }

    /// The bytes to write for one sent line, and what to show of it.
    public struct Outgoing: Sendable, Hashable {
        public let bytes: [UInt8]
        /// The line as the screen and records show it: secrets masked.
        public let display: String
        public let sensitive: Bool
        public let lint: [LintFinding]

        public init(bytes: [UInt8], display: String, sensitive: Bool, lint: [LintFinding]) {
            self.bytes = bytes
            self.display = display
            self.sensitive = sensitive
            self.lint = lint
        }
    }

    /// How long a reply took, from the last byte of what it answers: to the reply's first byte
    /// (the latency smtpx shows everywhere) and to its last line.
    public struct ReplyLatency: Sendable, Hashable {
        public let firstByteSeconds: Double
        public let lastLineSeconds: Double

        public init(firstByteSeconds: Double, lastLineSeconds: Double) {
            self.firstByteSeconds = firstByteSeconds
            self.lastLineSeconds = lastLineSeconds
        }
    }

    struct Pending: Sendable, Hashable {
        let sent: Sent
        let at: Double
    }

    enum Progress: Sendable, Hashable { case none, sent, accepted }

    /// The mail transaction in progress, as sent and as answered.
    struct Transaction: Sendable, Hashable {
        var mail = Progress.none
        var recipientsSent = 0
        var recipientsAccepted = 0
        var smtputf8 = false
        var usedChunks = false
        var isEmpty: Bool { mail == .none && recipientsSent == 0 }
    }

    private enum State: Sendable, Hashable {
        case awaitingGreeting
        case awaitingHello
        case ready
        case inMessage
        case inChunk(remaining: Int)
        case authenticating
        case awaitingTLS
        case closed
    }

    private var state = State.awaitingGreeting
    private var parser = ReplyParser()
    private var queued: [Event] = []
    private var receivedAt = 0.0
    private var clock = ArrivalClock()
    /// When the first byte of the reply in progress arrived.
    private var replyStartedAt: Double?
    var pending: [Pending]
    var transaction = Transaction()

    /// The capabilities from the last accepted EHLO; nil before it, or after HELO.
    public private(set) var capabilities: Capabilities?
    /// The capabilities from before STARTTLS, to show what changed.
    public private(set) var capabilitiesBeforeTLS: Capabilities?
    /// The verb of the last accepted greeting command, HELO or EHLO.
    public private(set) var hello: Verb?
    public private(set) var isTLS: Bool
    public private(set) var isAuthenticated = false
    public private(set) var quitSent = false
    /// A 421 arrived: the server is closing the connection.
    public private(set) var serverClosing = false
    /// The last DATA was refused and no transaction has begun since: what follows, typed as a
    /// message, reaches the server as commands.
    public private(set) var dataRefused = false
    public private(set) var lastReply: Reply?
    /// The message being written after a 354 (or the last one, once it was ended with ".").
    public private(set) var draft = MessageDraft()

    /// A session on a connection opened at `time`. `tls` is true for implicit TLS.
    public init(connectedAt time: Double, tls: Bool = false) {
        pending = [Pending(sent: .greeting, at: time)]
        isTLS = tls
    }

    // MARK: - Receiving

    /// Adds bytes the server sent at `time` (seconds, any monotonic origin).
    public mutating func receive<Bytes: Sequence>(_ bytes: Bytes, at time: Double) where Bytes.Element == UInt8 {
        receivedAt = time
        switch state {
        case .awaitingTLS:
            let refused = Array(bytes)
            if !refused.isEmpty { queued.append(.refusedPlaintext(refused)) }
        case .closed, .awaitingGreeting, .awaitingHello, .ready, .inMessage, .inChunk, .authenticating:
            let before = parser.bufferedByteCount
            parser.feed(bytes)
            clock.arrived(parser.bufferedByteCount - before, at: time)
        }
    }

    /// The next event, or nil when more bytes are needed.
    public mutating func nextEvent() -> Event? {
        if !queued.isEmpty { return queued.removeFirst() }
        if case .awaitingTLS = state { return nil }
        let lineStart = clock.consumed(parser.bufferedByteCount)
        guard let event = parser.next() else { return nil }
        if case .line = event, replyStartedAt == nil { replyStartedAt = clock.time(ofByte: lineStart) ?? receivedAt }
        return translate(event)
    }

    /// The first-byte latency of the reply in progress, once its first line has arrived.
    public var currentReplyLatency: Double? {
        guard let started = replyStartedAt, let since = pending.first?.at else { return nil }
        return max(0, started - since)
    }

    /// The connection closed: returns what was still buffered (a last unterminated line).
    public mutating func connectionClosed() -> [Event] {
        var events = queued
        queued = []
        events += parser.finish().compactMap { translate($0) }
        events += queued
        queued = []
        state = .closed
        return events
    }

    /// The TLS handshake after STARTTLS succeeded: start over at EHLO (RFC 3207 §4.2).
    public mutating func tlsEstablished() {
        clock = ArrivalClock()
        replyStartedAt = nil
        capabilitiesBeforeTLS = capabilities ?? capabilitiesBeforeTLS
        capabilities = nil
        hello = nil
        isTLS = true
        isAuthenticated = false
        transaction = Transaction()
        parser = ReplyParser()
        state = .awaitingHello
    }

    private mutating func translate(_ event: ReplyParser.Event) -> Event? {
        switch event {
        case .line(let line): return .line(line)
        case .stray(let line): return .stray(line)
        case .discarded(let count): return .discarded(byteCount: count)
        case .reply(let reply): return handle(reply)
        }
    }

    private mutating func handle(_ reply: Reply) -> Event {
        lastReply = reply
        let started = replyStartedAt ?? receivedAt
        replyStartedAt = nil
        let answered = pending.isEmpty ? nil : pending.removeFirst()
        if reply.code == 421 { serverClosing = true }
        guard let answered else { return .reply(reply, answering: nil, latency: nil) }
        let ended = clock.time(ofByte: clock.consumed(parser.bufferedByteCount) - 1) ?? receivedAt
        let latency = ReplyLatency(firstByteSeconds: max(0, started - answered.at),
                                   lastLineSeconds: max(0, max(started, ended) - answered.at))
        let event = Event.reply(reply, answering: answered.sent, latency: latency)
        switch answered.sent {
        case .greeting:
            if reply.code == 220 { state = .awaitingHello }
        case .messageEnd:
            transaction = Transaction()
        case .saslResponse:
            settleAuth(reply)
        case .command(let command):
            settle(command, reply)
        }
        if case .awaitingTLS = state {
            let rest = parser.takeUnparsedBytes()
            clock = ArrivalClock()
            pending.removeAll()
            queued.append(event)
            if !rest.isEmpty { queued.append(.refusedPlaintext(rest)) }
            queued.append(.startTLS)
            return queued.removeFirst()
        }
        return event
    }

    private mutating func settle(_ command: Command, _ reply: Reply) {
        let ok = reply.replyClass == 2
        if ok, [.mail, .rset, .ehlo, .helo, .bdat].contains(command.verb) { dataRefused = false }
        switch command.verb {
        case .ehlo:
            if ok {
                capabilities = Capabilities(ehloReply: reply)
                hello = .ehlo
                transaction = Transaction()
                if state == .awaitingHello || state == .awaitingGreeting { state = .ready }
            }
        case .helo:
            if ok {
                capabilities = nil
                hello = .helo
                transaction = Transaction()
                if state == .awaitingHello || state == .awaitingGreeting { state = .ready }
            }
        case .mail, .send, .soml, .saml:
            if transaction.mail == .sent { transaction.mail = ok ? .accepted : .none }
            if !ok { transaction.smtputf8 = false }
        case .rcpt:
            if ok {
                transaction.recipientsAccepted += 1
            } else {
                transaction.recipientsSent = max(0, transaction.recipientsSent - 1)
            }
        case .data:
            dataRefused = reply.code >= 400
            if reply.code == 354 {
                state = .inMessage
                draft = MessageDraft(smtputf8: transaction.smtputf8)
            }
        case .rset:
            if ok { transaction = Transaction() }
        case .starttls:
            if reply.code == 220 { state = .awaitingTLS }
        case .auth:
            settleAuth(reply)
        case .bdat:
            if command.argument.uppercased().hasSuffix("LAST") || !ok { transaction = Transaction() }
        case .quit:
            if reply.code == 221 { state = .closed }
        case .vrfy, .expn, .help, .noop, .turn, .etrn, .atrn, .burl, nil:
            break
        }
    }

    private mutating func settleAuth(_ reply: Reply) {
        switch reply.code {
        case 334: state = .authenticating
        case 235:
            isAuthenticated = true
            if state == .authenticating { state = .ready }
        default:
            if state == .authenticating { state = .ready }
        }
    }

    // MARK: - Sending

    /// What the user's next line will be taken as.
    public var inputMode: InputMode {
        switch state {
        case .inMessage: return .messageText
        case .inChunk(let remaining): return .chunk(remaining: remaining)
        case .authenticating: return .saslResponse
        case .awaitingGreeting, .awaitingHello, .ready, .awaitingTLS, .closed: return .command
        }
    }

    /// The bytes for a command; the command is sent whatever the lint says.
    public mutating func send(_ command: Command, at time: Double) -> Outgoing {
        let findings = lint(command)
        pending.append(Pending(sent: .command(command), at: time))
        switch command.verb {
        case .mail, .send, .soml, .saml:
            transaction.mail = .sent
            transaction.smtputf8 = command.pathArgument?.parameters
                .contains { $0.keyword.uppercased() == "SMTPUTF8" } ?? false
        case .rcpt:
            transaction.recipientsSent += 1
        case .rset, .helo, .ehlo:
            transaction = Transaction()
        case .bdat:
            transaction.usedChunks = true
            let size = Int(command.argument.split(separator: " ").first ?? "") ?? 0
            state = .inChunk(remaining: size)
            if size == 0 { state = .ready }
        case .quit:
            quitSent = true
        case .data, .vrfy, .expn, .help, .noop, .turn, .starttls, .auth, .etrn, .atrn, .burl, nil:
            break
        }
        let display = Secrets.masked(command)
        return Outgoing(bytes: command.wireBytes, display: display, sensitive: display != command.line,
                        lint: findings)
    }

    /// One line of the message after 354, dot-stuffed (RFC 5321 §4.5.2); a lone "." ends it.
    public mutating func sendMessageLine(_ line: String, at time: Double) -> Outgoing {
        if line == "." {
            pending.append(Pending(sent: .messageEnd, at: time))
            state = .ready
            return Outgoing(bytes: [0x2E, 0x0D, 0x0A], display: ".", sensitive: false, lint: draft.finish())
        }
        let findings = draft.add(line)
        return Outgoing(bytes: DotStuffing.stuff(line: Array(line.utf8)), display: line, sensitive: false, lint: findings)
    }

    /// One line of a BDAT chunk: the line and CRLF, cut to what the chunk still takes.
    public mutating func sendChunkLine(_ line: String, at time: Double) -> Outgoing {
        guard case .inChunk(let remaining) = state else {
            return Outgoing(bytes: [], display: line, sensitive: false, lint: [])
        }
        let bytes = Array((Array(line.utf8) + [0x0D, 0x0A]).prefix(remaining))
        let left = remaining - bytes.count
        state = left == 0 ? .ready : .inChunk(remaining: left)
        return Outgoing(bytes: bytes, display: String(decoding: bytes, as: UTF8.self), sensitive: false, lint: [])
    }

    /// A SASL response after a 334 (RFC 4954 §4): base64, or "*" to cancel.
    public mutating func sendSASL(_ line: String, at time: Double) -> Outgoing {
        pending.append(Pending(sent: .saslResponse, at: time))
        state = .ready
        let display = line == "*" ? "*" : Secrets.mask
        return Outgoing(bytes: Array(line.utf8) + [0x0D, 0x0A], display: display, sensitive: line != "*",
                        lint: [])
    }

    /// The line the user typed, sent as the current input mode takes it.
    public mutating func submit(_ line: String, at time: Double) -> Outgoing {
        switch inputMode {
        case .command: return send(Command(parsing: line), at: time)
        case .messageText: return sendMessageLine(line, at: time)
        case .chunk: return sendChunkLine(line, at: time)
        case .saslResponse: return sendSASL(line, at: time)
        }
    }

    // MARK: - State, for hints and the status bar

    /// Where the session stands, in words a status bar can show.
    public enum Phase: String, Sendable, Hashable, CaseIterable {
        case awaitingGreeting, greeted, ready, mailStarted, recipients, message, chunk
        case authenticating, startingTLS, closed
    }

    public var phase: Phase {
        switch state {
        case .awaitingGreeting: return .awaitingGreeting
        case .awaitingHello: return .greeted
        case .ready:
            if transaction.recipientsAccepted > 0 { return .recipients }
            if transaction.mail == .accepted { return .mailStarted }
            return .ready
        case .inMessage: return .message
        case .inChunk: return .chunk
        case .authenticating: return .authenticating
        case .awaitingTLS: return .startingTLS
        case .closed: return .closed
        }
    }

    /// Recipients the server accepted in the transaction in progress.
    public var acceptedRecipients: Int { transaction.recipientsAccepted }

    /// Items sent and not yet answered, oldest first.
    public var awaiting: [Sent] { pending.map(\.sent) }

    /// When the oldest item still waiting for a reply was sent.
    public var awaitingSince: Double? { pending.first?.at }

    public var isClosed: Bool { state == .closed }
}
