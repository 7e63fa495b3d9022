// Theory of operation
//
// The client side of one POP3 connection (RFC 1939), sans-IO, beside `ClientSession` for SMTP:
// `receive` takes the server's bytes, `nextEvent` gives each line as it arrives and each
// complete response with what it answers, the `send…` calls give the bytes of what the user
// sends. Every sent item that expects a response joins a FIFO; the response reader is told, for
// each, whether its +OK opens a multi-line response (LIST and UIDL without an argument, RETR,
// TOP, CAPA). The state follows what the server answered: AUTHORIZATION until a +OK to PASS,
// APOP or AUTH, TRANSACTION after, closed after the +OK to QUIT (the UPDATE state is the
// server's). STLS is a pause like STARTTLS: on its +OK the unread bytes are refused, and the
// capabilities are forgotten once TLS is up (RFC 2595 §4).

/// The client side of a POP3 session, sans-IO.
public struct POP3ClientSession: Sendable {
    public enum Sent: Sendable, Hashable {
        case greeting
        case command(POP3Command)
        /// A base64 line after a `+ ` continuation of AUTH, or "*" to cancel.
        case saslResponse
    }

    public enum Event: Sendable, Hashable {
        case line(raw: [UInt8], final: Bool, anomalies: ReplyAnomalies)
        case response(POP3Response, answering: Sent?, latency: ClientSession.ReplyLatency?)
        case stray([UInt8])
        case discarded(byteCount: Int)
        case refusedPlaintext([UInt8])
        case startTLS
    }

    public struct Outgoing: Sendable, Hashable {
        public let bytes: [UInt8]
        public let display: String
        public let sensitive: Bool
        public let lint: [POP3LintFinding]
    }

    public enum State: Sendable, Hashable {
        case awaitingGreeting, authorization, authenticating, transaction, awaitingTLS, closed
    }

    struct Pending: Sendable, Hashable {
        let sent: Sent
        let at: Double
    }

    public private(set) var state = State.awaitingGreeting
    var reader = POP3ResponseReader()
    var pending: [Pending] = []
    var queued: [Event] = []
    var firstByteAt: Double?
    var receivedAt = 0.0
    public private(set) var isTLS: Bool
    public private(set) var quitSent = false
    /// The CAPA list of this connection, once asked for.
    public private(set) var capabilities: [String]?
    /// The `<…>` timestamp of the greeting, for APOP.
    public private(set) var apopTimestamp: String?
    /// The user of an accepted USER, for PASS.
    public private(set) var user: String?
    public private(set) var loggedInAs: String?
    public private(set) var lastResponse: POP3Response?
    /// STAT's count, once seen.
    public private(set) var messageCount: Int?

    public init(connectedAt time: Double, tls: Bool = false) {
        isTLS = tls
        pending = [Pending(sent: .greeting, at: time)]
        reader.expectations = [false]
    }

    public var isClosed: Bool { state == .closed }
    public var awaiting: [Sent] { pending.map(\.sent) }
    public var awaitingSince: Double? { pending.first?.at }

    public var inputMode: ClientSession.InputMode { state == .authenticating ? .saslResponse : .command }

    /// The phase commands are checked against.
    public var phase: POP3Verb.Phase { state == .transaction ? .transaction : .authorization }

    public func has(_ capability: String) -> Bool {
        capabilities?.contains { $0.uppercased() == capability || $0.uppercased().hasPrefix(capability + " ") } ?? false
    }

    /// The SASL mechanisms CAPA listed.
    public var mechanisms: [String] {
        capabilities?.first { $0.uppercased().hasPrefix("SASL ") }.map { $0.split(separator: " ").dropFirst().map { $0.uppercased() } } ?? []
    }

    // MARK: - Receiving

    public mutating func receive<Bytes: Sequence>(_ bytes: Bytes, at time: Double) where Bytes.Element == UInt8 {
        receivedAt = time
        if firstByteAt == nil { firstByteAt = time }
        reader.feed(bytes)
    }

    public mutating func nextEvent() -> Event? {
        if !queued.isEmpty { return queued.removeFirst() }
        guard state != .awaitingTLS, let event = reader.next() else { return nil }
        switch event {
        case .line(let raw, let final, let anomalies):
            return .line(raw: raw, final: final, anomalies: anomalies)
        case .stray(let raw): return .stray(raw)
        case .discarded(let count): return .discarded(byteCount: count)
        case .response(let response): return handle(response)
        }
    }

    mutating func handle(_ response: POP3Response) -> Event {
        lastResponse = response
        let answered = pending.isEmpty ? nil : pending.removeFirst()
        let started = firstByteAt ?? receivedAt
        firstByteAt = reader.bufferedByteCount > 0 ? receivedAt : nil
        let latency = answered.map {
            ClientSession.ReplyLatency(firstByteSeconds: max(0, started - $0.at), lastLineSeconds: max(0, receivedAt - $0.at))
        }
        settle(answered?.sent, response)
        let event = Event.response(response, answering: answered?.sent, latency: latency)
        if state == .awaitingTLS {
            let rest = reader.takeUnread()
            pending.removeAll()
            reader.expectations.removeAll()
            queued.append(event)
            if !rest.isEmpty { queued.append(.refusedPlaintext(rest)) }
            queued.append(.startTLS)
            return queued.removeFirst()
        }
        return event
    }

    mutating func settle(_ sent: Sent?, _ response: POP3Response) {
        switch sent {
        case .greeting?:
            apopTimestamp = response.apopTimestamp
            state = response.isOK ? .authorization : .closed
        case .saslResponse?:
            settleAuth(response)
        case .command(let command)?:
            switch command.verb {
            case .user?: user = response.isOK ? command.arguments.first : nil
            case .pass?:
                if response.isOK { loggedInAs = user; state = .transaction }
            case .apop?:
                if response.isOK { loggedInAs = command.arguments.first; state = .transaction }
            case .auth?: settleAuth(response, user: command.arguments.dropFirst().first)
            case .stls?: if response.isOK { state = .awaitingTLS }
            case .capa?:
                if response.isOK { capabilities = response.lines.map { String(decoding: $0, as: UTF8.self) } }
            case .stat?:
                if response.isOK, let count = response.text.split(separator: " ").first.flatMap({ Int($0) }) { messageCount = count }
            case .quit?:
                if response.isOK { state = .closed }
            default: break
            }
        case nil: break
        }
    }

    mutating func settleAuth(_ response: POP3Response, user: String? = nil) {
        switch response.status {
        case .continuation: state = .authenticating
        case .ok:
            state = .transaction
            loggedInAs = loggedInAs ?? user ?? "?"
        case .err: if state == .authenticating { state = .authorization }
        }
    }

    /// TLS is up after STLS: the server forgets what it announced (RFC 2595 §4).
    public mutating func tlsEstablished() {
        isTLS = true
        capabilities = nil
        if state == .awaitingTLS { state = .authorization }
    }

    public mutating func connectionClosed() { state = .closed }

    // MARK: - Sending

    /// A command line; it awaits a response.
    public mutating func send(_ command: POP3Command, at time: Double) -> Outgoing {
        let lint = self.lint(command)
        pending.append(Pending(sent: .command(command), at: time))
        reader.expectations.append(command.verb?.isMultiline(argument: command.argument) ?? false)
        if command.verb == .quit { quitSent = true }
        return Outgoing(bytes: Array((command.line + "\r\n").utf8), display: command.masked,
                        sensitive: command.verb?.isSensitive == true && command.masked != command.line, lint: lint)
    }

    /// A SASL line after `+ ` (RFC 5034 §4).
    public mutating func sendSASL(_ line: String, at time: Double) -> Outgoing {
        pending.append(Pending(sent: .saslResponse, at: time))
        reader.expectations.append(false)
        if line == "*" { state = .authorization }
        return Outgoing(bytes: Array((line + "\r\n").utf8), display: line == "*" ? "*" : Secrets.mask,
                        sensitive: line != "*", lint: [])
    }

    /// A typed line in the current input mode.
    public mutating func submit(_ line: String, at time: Double) -> Outgoing {
        inputMode == .saslResponse ? sendSASL(line, at: time) : send(POP3Command(parsing: line), at: time)
    }

    // MARK: - Lint

    /// What is wrong with `command` now: its syntax and its place in the session.
    public func lint(_ command: POP3Command) -> [POP3LintFinding] {
        var findings = command.syntaxFindings
        guard let verb = command.verb else { return findings }
        if state == .closed { return [POP3LintFinding(.afterQuit, .error)] + findings }
        if state == .awaitingGreeting { findings.append(POP3LintFinding(.beforeGreeting, .warning)) }
        if !verb.phases.contains(phase) { findings.append(POP3LintFinding(.notInPhase(verb, phase), .error)) }
        if verb == .pass && user == nil && !awaiting.contains(where: Self.isUser) {
            findings.append(POP3LintFinding(.passWithoutUser, .error))
        }
        if !isTLS, verb == .pass || (verb == .auth && command.arguments.first?.uppercased() == "PLAIN") {
            findings.append(POP3LintFinding(.plaintextPassword(verb), .warning))
        }
        return findings.sorted { $0.severity > $1.severity }
    }

    static func isUser(_ sent: Sent) -> Bool {
        if case .command(let command) = sent { return command.verb == .user }
        return false
    }

    /// What may come next, for the explainer and Tab.
    public var suggestions: [String] {
        switch state {
        case .awaitingGreeting, .awaitingTLS, .closed: return []
        case .authenticating: return ["*"]
        case .authorization:
            var next = ["CAPA"]
            if !isTLS && (capabilities == nil || has("STLS")) { next.append("STLS") }
            next += user == nil ? ["USER name"] : ["PASS string"]
            if apopTimestamp != nil { next.append("APOP name digest") }
            return next + ["QUIT"]
        case .transaction:
            return ["STAT", "LIST", "UIDL", "RETR msg", "TOP msg n", "DELE msg", "RSET", "NOOP", "QUIT"]
        }
    }
}
