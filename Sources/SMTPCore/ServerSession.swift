// Theory of operation
//
// `ServerSession` is the server side of one SMTP connection, without any I/O: bytes in
// (`receive`), actions out (send a reply, possibly after a delay; deliver a message; start TLS;
// close). It is the protocol machine only: grammar, sequence, framing, limits. What a server
// *decides* (who is local, who may log in, the scenarios) it asks its `ServerPolicy`. It shares
// `Command` and `Reply` with the client session, so tests wire the two back to back.
//
// The state is private and changes in one place, `apply`: the command handlers (in the
// extensions) read the session and return a `Step`, the actions and the transition they want.
//
// Input is framed by the state: commands end at LF (CRLF expected, a bare LF tolerated);
// message text after 354 ends only at CRLF "." CRLF, so that a bare-LF "." cannot end a message
// early (the SMTP smuggling confusion); a BDAT chunk is exactly its announced octets. Pipelined
// commands are answered in order. When a message is complete the session asks for delivery and
// reads nothing until `delivered` says it is on disk: only then the 250 goes out.
//
// Memory and time are bounded: a command line is cut at `SMTPLimits.commandLineHardCap`; the
// message body lives outside the state and grows in place; a message over the size limit is
// counted, not kept. A command must arrive whole within the command limit from its first byte,
// so a client that dribbles a byte at a time cannot hold a session open.

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

        public init(address: String, mailboxes: [String], outbox: Bool) {
            self.address = address
            self.mailboxes = mailboxes
            self.outbox = outbox
        }
    }

    /// A message ready to be stored.
    public struct Message: Sendable, Hashable {
        public var id: String
        public var sender: String
        public var recipients: [Recipient]
        /// The message as received, dot-stuffing undone, lines ending in CRLF: its last part;
        /// the first `spooledBytes` went out with `.spool` actions before it.
        public var data: [UInt8]
        public var spooledBytes: Int
        public var helo: String
        /// The client said EHLO (not HELO): `Received:` says ESMTP (RFC 3848).
        public var extended: Bool
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
        /// Append these bytes of the message in progress to its spool (on disk, not in memory).
        case spool([UInt8])
        /// The message in progress was abandoned: its spool goes.
        case discardSpool
        /// Store the message (its spool, then `data`), then call `delivered`.
        case deliver(Message)
        /// Start the TLS handshake (after the 220 is written).
        case startTLS
        case close
    }

    /// How storing a message ended.
    public enum DeliveryResult: Sendable {
        case stored
        /// The disk is full: 452 4.3.1 (RFC 3463), nothing kept.
        case full
        /// Another failure: 451 4.3.0. The reason goes to the log, never to the client.
        case failed(String)
    }

    /// What a policy may know of the session.
    public struct Facts: Sendable, Hashable {
        public var client: ClientInfo
        /// The name given with EHLO or HELO; empty before.
        public var helo = ""
        public var extended = false
        public var tls: Bool
        public var authUser: String?
    }

    /// Where the session stands, as the handlers read it.
    enum Stage: Sendable, Hashable {
        case awaitingHello, idle, transaction, data, chunk, awaitingDelivery, authenticating, startingTLS, closed
    }

    private enum State: Sendable {
        case awaitingHello
        case idle
        case transaction
        case receivingData
        /// `back`: a chunk read only to be thrown away returns to this state (RFC 3030 §3).
        case receivingChunk(remaining: Int, last: Bool, back: Stage?)
        case awaitingDelivery
        case authenticating(AuthExchange)
        /// The 220 to STARTTLS went out; nothing is read until the handshake is done.
        case startingTLS
        case closed
    }

    /// Where a handler sends the session.
    enum Transition: Sendable {
        case hello(name: String, extended: Bool)
        case reset
        case beginTransaction(Envelope)
        case addRecipient(Recipient)
        case refuseRecipient
        case beginData
        case beginChunk(size: Int, last: Bool)
        case discardChunk(size: Int, last: Bool)
        case authenticate(AuthExchange)
        case endAuthentication(user: String?)
        case startTLS
        case close
    }

    /// What a handler wants: its actions, and the state to go to.
    struct Step: Sendable {
        var actions: [Action]
        var transition: Transition?

        init(_ actions: [Action] = [], _ transition: Transition? = nil) {
            self.actions = actions
            self.transition = transition
        }
    }

    public let policy: any ServerPolicy
    public let client: ClientInfo
    private var state = State.awaitingHello
    /// The transaction in progress (sender, recipients), apart from its body.
    private(set) var envelope: Envelope?
    private(set) var body = MessageBody()
    /// A message with spooled bytes was abandoned; `.discardSpool` goes with the next actions.
    private var spoolAbandoned = false
    var input = CommandInput()
    public private(set) var facts: Facts
    var counters = Counters()
    /// The moment of the last input (monotonic seconds).
    var now = 0.0
    /// When the last line ended or the state last changed: the silence is counted from here.
    var lastProgress = 0.0
    /// Bytes a client pipelined behind STARTTLS, thrown away (RFC 3207 §4.2).
    public internal(set) var discardedAfterStartTLS = 0

    public init(policy: any ServerPolicy, client: ClientInfo, tls: Bool = false) {
        self.policy = policy
        self.client = client
        facts = Facts(client: client, tls: tls)
    }

    /// Bytes of a message a session holds in memory before they go out with `.spool`.
    public static let heldMessageBytes = MessageBody.spoolBytes

    public var isTLS: Bool { facts.tls }
    /// Bytes received and not yet read (a command line in progress, pipelined commands).
    public var pendingInputBytes: Int { input.pending }
    public var authUser: String? { facts.authUser }

    public var isClosed: Bool {
        if case .closed = state { return true }
        return false
    }

    var stage: Stage {
        switch state {
        case .awaitingHello: return .awaitingHello
        case .idle: return .idle
        case .transaction: return .transaction
        case .receivingData: return .data
        case .receivingChunk: return .chunk
        case .awaitingDelivery: return .awaitingDelivery
        case .authenticating: return .authenticating
        case .startingTLS: return .startingTLS
        case .closed: return .closed
        }
    }

    // MARK: - Transitions, in one place

    mutating func apply(_ transition: Transition) {
        lastProgress = now
        switch transition {
        case .hello(let name, let extended):
            facts.helo = name
            facts.extended = extended
            envelope = nil
            state = .idle
        case .reset:
            envelope = nil
            resetBody()
            if stage != .awaitingHello { state = .idle }
        case .beginTransaction(let new):
            envelope = new
            state = .transaction
        case .addRecipient(let recipient):
            envelope?.recipients.append(recipient)
        case .refuseRecipient:
            envelope?.failedRecipients += 1
        case .beginData:
            resetBody()
            state = .receivingData
        case .beginChunk(let size, let last):
            if envelope?.chunked != true { resetBody() }
            envelope?.chunked = true
            state = .receivingChunk(remaining: size, last: last, back: nil)
        case .discardChunk(let size, let last):
            state = .receivingChunk(remaining: size, last: last, back: stage)
        case .authenticate(let exchange):
            state = .authenticating(exchange)
        case .endAuthentication(let user):
            if let user { facts.authUser = user }
            state = .idle
        case .startTLS:
            state = .startingTLS
        case .close:
            state = .closed
        }
    }

    /// Forgets the message in progress; if part of it was spooled, the spool goes.
    mutating func resetBody() {
        if body.spooled > 0 { spoolAbandoned = true }
        body = MessageBody()
    }

    /// Carries out a handler's step: its transition, then its actions.
    mutating func run(_ step: Step) -> [Action] {
        if let transition = step.transition { apply(transition) }
        return step.actions
    }

    /// The message is complete: deliver it, or refuse or drop it.
    mutating func finishMessage() -> [Action] {
        let size = body.size
        let heard = Action.heard("(message text: \(size) octets, then \".\")")
        guard let envelope else { return [heard] }
        if body.oversized {
            self.envelope = nil
            resetBody()
            state = .idle
            return [heard, reply(552, "5.3.4", "Message too big: \(size) octets, the limit is \(policy.limits.messageSize)")]
        }
        if policy.hangsUpAfterData {
            state = .closed
            return [heard, .close]
        }
        let message = Message(id: Self.queueID(), sender: envelope.sender, recipients: envelope.recipients, data: body.data,
                              spooledBytes: body.spooled, helo: facts.helo, extended: facts.extended, client: client, tls: facts.tls,
                              authUser: facts.authUser, smtputf8: envelope.smtputf8, chunked: envelope.chunked)
        self.envelope = nil
        body = MessageBody()
        state = .awaitingDelivery
        return [heard, .deliver(message)]
    }

    // MARK: - Inputs

    /// The greeting, or the policy's refusal (421 when busy or overloaded).
    public mutating func start(overloaded: Bool = false, at time: Double = 0) -> [Action] {
        now = time
        lastProgress = time
        if let refusal = policy.refuseConnection(client, overloaded: overloaded) {
            state = .closed
            return [reply(refusal), .close]
        }
        return [reply(220, nil, "\(policy.hostname) ESMTP smtpx practice server ready")]
    }

    /// Bytes from the client; returns what to do.
    public mutating func receive<Bytes: Sequence>(_ bytes: Bytes, at time: Double) -> [Action] where Bytes.Element == UInt8 {
        now = time
        if case .closed = state { return [] }
        input.append(bytes, at: time)
        return process()
    }

    /// The message asked for with `.deliver` was stored (or not): send the verdict, go on.
    public mutating func delivered(_ result: DeliveryResult, id: String, at time: Double) -> [Action] {
        now = time
        guard case .awaitingDelivery = state else { return [] }
        state = .idle
        lastProgress = time
        var actions: [Action]
        switch result {
        case .stored: actions = [reply(250, "2.0.0", "Ok: queued as \(id), safely on disk")]
        case .full: actions = [reply(452, "4.3.1", "Insufficient system storage: the message was not kept; try again later")]
        case .failed: actions = [reply(451, "4.3.0", "Local error: the message was not kept; try again later")]
        }
        actions += process()
        return actions
    }

    /// The TLS handshake after STARTTLS succeeded: the session starts over (RFC 3207 §4.2).
    public mutating func tlsEstablished() {
        facts = Facts(client: client, tls: true)
        envelope = nil
        resetBody()
        input = CommandInput()
        state = .awaitingHello
        lastProgress = now
    }

    /// When the session times out if nothing more happens: a command must arrive whole within
    /// the command limit of its first byte, and silence may last as long; message data may
    /// pause for the data limit (RFC 5321 §4.5.3.2).
    public var deadline: Double {
        switch state {
        case .receivingData, .receivingChunk: return (input.partialSince ?? lastProgress) + policy.limits.dataSeconds
        case .awaitingDelivery, .startingTLS, .closed: return .infinity
        case .awaitingHello, .idle, .transaction, .authenticating:
            return (input.partialSince ?? lastProgress) + policy.limits.commandSeconds
        }
    }

    /// The deadline passed: 421 4.4.2 (RFC 5321 §4.5.3.2).
    public mutating func timedOut(at time: Double) -> [Action] {
        now = time
        guard !isClosed, time >= deadline else { return [] }
        state = .closed
        return [reply(421, "4.4.2", "\(policy.hostname) timeout: nothing received for too long, closing"), .close]
    }

    // MARK: - Framing

    mutating func process() -> [Action] {
        var actions: [Action] = []
        loop: while true {
            switch state {
            case .closed, .awaitingDelivery, .startingTLS:
                break loop
            case .receivingChunk(let remaining, let last, let back):
                let taken = input.take(upTo: remaining)
                if back == nil { body.append(taken, limit: policy.limits.messageSize) }
                if taken.count < remaining {
                    state = .receivingChunk(remaining: remaining - taken.count, last: last, back: back)
                    break loop
                }
                lastProgress = now
                actions += finishChunk(last: last, back: back)
            case .receivingData:
                switch input.nextTextLine(into: &body, limit: policy.limits.messageSize) {
                case .needMore:
                    // A long line moves into the message as it comes (memory stays bounded).
                    if let piece = input.takeLongPiece() {
                        body.appendText(piece, atLineStart: !body.midLine, limit: policy.limits.messageSize)
                        body.midLine = true
                    }
                    break loop
                case .appended:
                    lastProgress = now
                case .end:
                    lastProgress = now
                    actions += finishMessage()
                }
            case .awaitingHello, .idle, .transaction, .authenticating:
                switch input.nextCommand() {
                case .none:
                    break loop
                case .tooLong(let start, let first):
                    lastProgress = now
                    guard first else { continue }
                    if case .authenticating = state {
                        state = .idle
                        actions += run(error(500, "5.5.6", "Authentication exchange line is too long"))
                    } else {
                        actions += run(error(500, "5.5.2", "Line too long: a command line is at most 512 octets (RFC 5321 section 4.5.3.1.4)")
                            .heard(VisibleText.escape(start) + "…"))
                    }
                case .line(let line):
                    lastProgress = now
                    let step: Step
                    if case .authenticating(let exchange) = state {
                        step = continueAuth(exchange, response: String(decoding: line, as: UTF8.self))
                    } else {
                        step = handle(line: line)
                    }
                    actions += run(step)
                    if case .closed = state { break loop }
                }
            }
        }
        input.compact()
        if let piece = body.takeSpool() { actions.append(.spool(piece)) }
        if spoolAbandoned {
            spoolAbandoned = false
            actions.insert(.discardSpool, at: 0)
        }
        return actions
    }

    /// A chunk is read: the next command, the message, or (for a refused one) where it was.
    mutating func finishChunk(last: Bool, back: Stage?) -> [Action] {
        if let back {
            state = back == .awaitingHello ? .awaitingHello : envelope == nil ? .idle : .transaction
            return run(error(503, "5.5.1", "Need MAIL and an accepted RCPT before BDAT; the chunk was read and thrown away"))
        }
        if !last {
            state = .transaction
            return [reply(250, "2.0.0", "\(body.size) octets received so far")]
        }
        return finishMessage()
    }

    static func queueID() -> String {
        String(UInt64.random(in: 0x10_0000_0000...0xFF_FFFF_FFFF), radix: 16, uppercase: true)
    }
}
