// Theory of operation
//
// `ServerSession` is the server side of one SMTP connection, without any I/O: bytes in
// (`receive`), actions out (send a reply, possibly after a delay; deliver a message; start
// TLS; close). It shares `Command` and `Reply` with the client session, so tests wire the two
// back to back.
//
// Input is framed by the state: commands end at LF (CRLF expected, a bare LF tolerated);
// message text after 354 ends only at CRLF "." CRLF, so that a bare-LF "." cannot end a
// message early (the SMTP smuggling confusion); a BDAT chunk is exactly its announced octets.
// Pipelined commands are answered in order. When a message is complete the session asks for
// delivery and stops reading until `delivered` says it is on disk: only then the 250 goes out,
// then the commands that were already waiting are read.
//
// Memory is bounded: a command line is cut at `SMTPLimits.commandLineHardCap`, a long message
// line is moved into the message as it comes, and a message over the size limit is counted
// but not kept.

/// The server side of an SMTP session, sans-IO.
public struct ServerSession: Sendable {
    public struct ClientInfo: Sendable, Hashable {
        public var address: String
        public var port: Int
        public init(address: String, port: Int) {
            self.address = address
            self.port = port
        }
    }

    /// One accepted recipient and where its copies go.
    public struct Recipient: Sendable, Hashable {
        public var address: String
        /// Local mailboxes (a list expands to several); empty for the outbox.
        public var mailboxes: [String]
        /// Mail for another domain from an authenticated client: kept, never sent on.
        public var outbox: Bool
    }

    /// A message ready to be stored.
    public struct Message: Sendable, Hashable {
        public var id: String
        public var sender: String
        public var recipients: [Recipient]
        /// The message as received, dot-stuffing undone, lines ending in CRLF.
        public var data: [UInt8]
        public var helo: String
        public var client: ClientInfo
        public var tls: Bool
        public var authUser: String?
        public var smtputf8: Bool
        public var chunked: Bool
    }

    public enum Action: Sendable, Hashable {
        /// Send this reply, `after` seconds from now (0: at once), after every earlier one.
        case reply(Reply, after: Double)
        /// A line the client sent, for the teacher's log (secrets masked).
        case heard(String)
        /// Store the message, then call `delivered`.
        case deliver(Message)
        /// Start the TLS handshake (after the 220 is written).
        case startTLS
        case close
    }

    /// How storing a message ended.
    public enum DeliveryResult: Sendable {
        case stored
        case failed(String)
    }

    struct Envelope: Sendable {
        var sender: String
        var smtputf8: Bool
        var recipients: [Recipient] = []
        var data: [UInt8] = []
        var size = 0
        var oversized = false
        var chunked = false
        var midLine = false
        var failedRecipients = 0
    }

    enum State: Sendable {
        case awaitingHello
        case idle
        case transaction(Envelope)
        case receivingData(Envelope)
        case receivingChunk(Envelope, remaining: Int, last: Bool)
        case awaitingDelivery
        case authenticating(AuthExchange)
        /// The 220 to STARTTLS went out; nothing is read until the handshake is done.
        case startingTLS
        case closed
    }

    public let config: ServerConfig
    public let client: ClientInfo
    let greylist: Greylist?
    let accounts: AccountTable?
    var state = State.awaitingHello
    var buffer: [UInt8] = []
    var start = 0
    var discardingLine = false
    var helo = ""
    var usedEhlo = false
    var errors = 0
    var recipientsTotal = 0
    var now = 0.0
    public internal(set) var isTLS: Bool
    public internal(set) var authUser: String?
    /// Bytes a client pipelined behind STARTTLS, thrown away (RFC 3207 §4.2).
    public internal(set) var discardedAfterStartTLS = 0

    public init(config: ServerConfig, client: ClientInfo, greylist: Greylist? = nil, accounts: AccountTable? = nil,
                tls: Bool = false) {
        self.config = config
        self.client = client
        self.greylist = greylist
        self.accounts = accounts
        isTLS = tls
    }

    public var isClosed: Bool {
        if case .closed = state { return true }
        return false
    }

    /// The greeting, or 421 when busy (the `busy` scenario, or too many connections).
    public mutating func start(overloaded: Bool = false, at time: Double = 0) -> [Action] {
        now = time
        if config.scenarios.contains(.busy) {
            state = .closed
            return [reply(421, "4.3.2", "\(config.hostname) is busy, try again later (practice scenario busy)"), .close]
        }
        if overloaded {
            state = .closed
            return [reply(421, "4.3.2", "\(config.hostname) has too many connections, try again later"), .close]
        }
        return [reply(220, nil, "\(config.hostname) ESMTP smtpx practice server ready")]
    }

    /// Bytes from the client; returns what to do.
    public mutating func receive<Bytes: Sequence>(_ bytes: Bytes, at time: Double) -> [Action] where Bytes.Element == UInt8 {
        now = time
        if case .closed = state { return [] }
        if start > 0 && start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        }
        buffer.append(contentsOf: bytes)
        return process()
    }

    /// The message asked for with `.deliver` was stored (or not): send the verdict, go on.
    public mutating func delivered(_ result: DeliveryResult, id: String, at time: Double) -> [Action] {
        now = time
        guard case .awaitingDelivery = state else { return [] }
        state = .idle
        var actions: [Action]
        switch result {
        case .stored:
            actions = [reply(250, "2.0.0", "Ok: queued as \(id), safely on disk")]
        case .failed(let why):
            actions = [reply(451, "4.3.0", "Local error: the message could not be stored (\(why)); try again later")]
        }
        actions += process()
        return actions
    }

    /// Nothing came for too long: RFC 5321 §4.5.3.2 timeouts.
    public mutating func timedOut() -> [Action] {
        guard !isClosed else { return [] }
        state = .closed
        return [reply(421, "4.4.2", "\(config.hostname) timeout: nothing received for too long, closing"), .close]
    }

    /// Seconds of silence allowed in the current state.
    public var timeout: Double {
        switch state {
        case .receivingData, .receivingChunk: return config.dataTimeout
        case .awaitingHello, .idle, .transaction, .awaitingDelivery, .authenticating, .startingTLS, .closed:
            return config.commandTimeout
        }
    }

    // MARK: - Framing

    mutating func process() -> [Action] {
        var actions: [Action] = []
        loop: while true {
            switch state {
            case .closed, .awaitingDelivery, .startingTLS:
                break loop
            case .receivingChunk(var envelope, let remaining, let last):
                let available = buffer.count - start
                if available == 0 && remaining > 0 { break loop }
                let take = min(remaining, available)
                append(buffer[start..<(start + take)], to: &envelope)
                start += take
                if take < remaining {
                    state = .receivingChunk(envelope, remaining: remaining - take, last: last)
                    break loop
                }
                actions += finishChunk(envelope, last: last, size: envelope.size)
            case .receivingData(var envelope):
                guard let lf = findLF() else {
                    // A long line moves into the message as it comes (memory stays bounded).
                    let pending = buffer.count - start
                    if pending > SMTPLimits.commandLineHardCap {
                        let keep = buffer[buffer.count - 1] == 0x0D ? 1 : 0
                        let atStart = !envelope.midLine
                        var piece = buffer[start..<(buffer.count - keep)]
                        if atStart && piece.first == 0x2E { piece = piece.dropFirst() }
                        append(piece, to: &envelope)
                        envelope.midLine = true
                        start = buffer.count - keep
                        state = .receivingData(envelope)
                    }
                    break loop
                }
                var end = lf
                let crlf = lf > start && buffer[lf - 1] == 0x0D
                if crlf { end = lf - 1 }
                let line = buffer[start..<end]
                start = lf + 1
                if !crlf {
                    // A bare LF does not end a line of message text: keep it as data.
                    append((Array(line) + [0x0A])[...], to: &envelope, stuffed: !envelope.midLine)
                    envelope.midLine = true
                    state = .receivingData(envelope)
                    continue
                }
                if !envelope.midLine && line.count == 1 && line.first == 0x2E {
                    actions += finishData(envelope)
                    continue
                }
                append(line, to: &envelope, stuffed: !envelope.midLine)
                append([0x0D, 0x0A][...], to: &envelope)
                envelope.midLine = false
                state = .receivingData(envelope)
            case .awaitingHello, .idle, .transaction, .authenticating:
                guard let lf = findLF() else {
                    if buffer.count - start > SMTPLimits.commandLineHardCap {
                        start = buffer.count
                        if !discardingLine {
                            discardingLine = true
                            if isAuthenticating {
                                state = .idle
                                actions += error(500, "5.5.6", "Authentication exchange line is too long")
                            } else {
                                actions += error(500, "5.5.2", "Line too long: a command line is at most 512 octets (RFC 5321 §4.5.3.1.4)")
                            }
                        }
                    }
                    break loop
                }
                var end = lf
                if end > start && buffer[end - 1] == 0x0D { end -= 1 }
                let line = buffer[start..<end]
                start = lf + 1
                if discardingLine {
                    discardingLine = false
                    continue
                }
                if line.count + 2 > SMTPLimits.commandLineLength, !isAuthenticating {
                    actions += [.heard(VisibleText.escape(line.prefix(80)) + "…")]
                    actions += error(500, "5.5.2", "Line too long: a command line is at most 512 octets (RFC 5321 §4.5.3.1.4)")
                    continue
                }
                actions += handle(line: Array(line))
                if case .closed = state { break loop }
            }
        }
        if start > 0 && start >= buffer.count / 2 {
            buffer.removeSubrange(0..<start)
            start = 0
        }
        return actions
    }

    var isAuthenticating: Bool {
        if case .authenticating = state { return true }
        return false
    }

    func findLF() -> Int? {
        buffer[start...].firstIndex(of: 0x0A)
    }

    mutating func append(_ bytes: ArraySlice<UInt8>, to envelope: inout Envelope, stuffed: Bool = false) {
        var bytes = bytes
        if stuffed && bytes.first == 0x2E { bytes = bytes.dropFirst() }
        envelope.size += bytes.count
        if envelope.size > config.sizeLimit {
            if !envelope.oversized { envelope.data = [] }
            envelope.oversized = true
            return
        }
        envelope.data.append(contentsOf: bytes)
    }

    // MARK: - Replies

    /// A reply, delayed as the scenarios say.
    func reply(_ code: Int, _ enhanced: String?, _ text: String, extraDelay: Double = 0) -> Action {
        let body = enhanced.map { "\($0) \(text)" } ?? text
        return .reply(Reply(code: code, body), after: delay(extra: extraDelay))
    }

    func reply(_ code: Int, lines: [String]) -> Action {
        .reply(Reply(code: code, lines), after: delay(extra: 0))
    }

    func delay(extra: Double) -> Double {
        var seconds = extra
        if config.scenarios.contains(.slow) { seconds += config.slowDelay }
        return seconds
    }

    /// The delay of the tarpit: it grows with every recipient and every error.
    var tarpitDelay: Double {
        config.scenarios.contains(.tarpit) ? min(15, 0.5 * Double(errors + recipientsTotal)) : 0
    }

    /// A reply to a bad command: counted, slowed by the tarpit, and the end of the session
    /// once there were too many.
    mutating func error(_ code: Int, _ enhanced: String, _ text: String) -> [Action] {
        errors += 1
        if errors >= config.maxErrors {
            state = .closed
            return [reply(421, "4.7.0", "Too many errors (\(errors)); closing the connection"), .close]
        }
        return [reply(code, enhanced, text, extraDelay: tarpitDelay)]
    }
}
