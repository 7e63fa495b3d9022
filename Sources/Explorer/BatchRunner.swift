import CursesUI
import Foundation
import Panes
import PracticeServer
import SMTPCore
import SMTPKnowledge
import SMTPTransport

/// How batch mode prints the conversation.
public enum BatchFormat: String, CaseIterable, Sendable {
    case text, jsonl, markdown
}

/// Everything batch mode needs, checked before it starts.
public struct BatchOptions: Sendable {
    public var host: String
    public var port: Int
    public var implicitTLS: Bool
    public var tls: TLSClientOptions
    public var timeout: Double
    public var format: BatchFormat
    public var explain: Bool
    public var pipeline: Bool
    public var language: Language
    public var showSecrets: Bool
    /// What the output calls the server (the practice server's label).
    public var label: String?

    public init(host: String, port: Int, implicitTLS: Bool = false, tls: TLSClientOptions = TLSClientOptions(),
                timeout: Double = 30, format: BatchFormat = .text, explain: Bool = false, pipeline: Bool = false,
                language: Language = .en, showSecrets: Bool = false, label: String? = nil) {
        self.host = host
        self.port = port
        self.implicitTLS = implicitTLS
        self.tls = tls
        self.timeout = timeout
        self.format = format
        self.explain = explain
        self.pipeline = pipeline
        self.language = language
        self.showSecrets = showSecrets
        self.label = label
    }
}

/// A problem with the script or its secret, reported before or instead of sending.
public struct BatchError: Error, CustomStringConvertible {
    public let description: String
}

// Theory of operation
//
// Batch mode runs on the main thread. Connection events come through the same `Inbox` as in
// the explorer; `wait` pumps them into the client session until a condition holds or the
// reply timeout passes. Each script line goes to the session in its current input mode, as if
// typed: a command waits for its reply (or, with --pipeline and PIPELINING, joins a group that
// ends where RFC 2920 §3.1 says a group must end); lines after DATA are the message up to a
// lone "."; /starttls and /auth are the explorer's helpers. Every line on the wire is printed
// as it happens (text, JSON Lines) or kept for the Markdown handout.
//
// Exit status: 0 when every reply was 2xx or 3xx, 4 when the worst was 4xx, 5 for 5xx,
// 2 when the connection or TLS failed.

/// Runs a script of SMTP lines against a server and prints the transcript.
public final class BatchRunner {
    let options: BatchOptions
    let secret: () throws -> String
    let inbox = Inbox<ConnectionEvent>()
    let connection: Connection
    let writer: BatchWriter
    var session: ClientSession?
    var connected = false
    var closed = false
    var failed = false
    var tlsPending = false
    var worstClass = 2
    var auth: SASLClient?
    let clock = { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    /// `secret` is called for /auth: SMTPX_SECRET or a prompt on the terminal, never the script.
    public init(options: BatchOptions, output: @escaping (String) -> Void, record: RecordWriter? = nil,
                secret: @escaping () throws -> String) {
        self.options = options
        self.secret = secret
        writer = BatchWriter(format: options.format, explain: options.explain, language: options.language,
                             showSecrets: options.showSecrets, record: record, output: output)
        let inbox = self.inbox
        connection = Connection { event in inbox.post(event) }
    }

    /// Runs the script; returns the exit status.
    public func run(lines: [String]) throws -> Int32 {
        writer.begin(host: options.label ?? "\(options.host):\(options.port)")
        connection.connect(Connection.Options(host: options.host, port: options.port, connectTimeout: options.timeout,
                                              implicitTLS: options.implicitTLS ? options.tls : nil))
        // The greeting, then the script.
        wait { [unowned self] in self.failed || self.closed || (self.session.map { !$0.awaiting.contains(.greeting) } ?? false) }
        var skipBody = false
        var group: [Command] = []
        var index = 0
        while index < lines.count, !failed, !closed {
            let line = lines[index]
            index += 1
            guard let current = session else { break }
            if skipBody {
                if line == "." { skipBody = false }
                continue
            }
            switch current.inputMode {
            case .messageText:
                sendLine(line)
                if line == "." { waitForReplies() }
                continue
            case .chunk:
                sendLine(line)
                if case .command = session?.inputMode { waitForReplies() }
                continue
            case .saslResponse:
                sendLine(line)
                waitForReplies()
                continue
            case .command:
                break
            }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            if trimmed.hasPrefix("/") {
                try flush(&group)
                try slash(trimmed)
                continue
            }
            let command = Command(parsing: line)
            let canPipeline = options.pipeline && (current.capabilities?.has("PIPELINING") ?? false)
            if canPipeline && !Self.endsGroup(command) {
                group.append(command)
                continue
            }
            group.append(command)
            try flush(&group)
            // DATA refused: the message lines that follow are not sent.
            if command.verb == .data, session?.inputMode != .messageText { skipBody = true }
        }
        try? flush(&group)
        if failed { writer.finish(); return 2 }
        if !closed && connected && !(session?.isClosed ?? true) {
            // A script that did not QUIT leaves politely.
            if session?.quitSent == false { send(Command(.quit)); waitForReplies() }
        }
        connection.close()
        wait(seconds: 2) { [unowned self] in self.closed || self.failed }
        writer.finish()
        if failed { return 2 }
        if let session, !session.awaiting.isEmpty { return 2 }
        return worstClass >= 5 ? 5 : worstClass == 4 ? 4 : 0
    }

    /// RFC 2920 §3.1: these end a group, since what follows depends on their outcome.
    static func endsGroup(_ command: Command) -> Bool {
        switch command.verb {
        case .ehlo, .helo, .data, .vrfy, .expn, .turn, .quit, .noop, .starttls, .auth, .bdat, .etrn, .atrn, .burl, nil:
            return true
        case .mail, .rcpt, .rset, .send, .soml, .saml, .help:
            return false
        }
    }

    func flush(_ group: inout [Command]) throws {
        guard !group.isEmpty else { return }
        for command in group { send(command) }
        group = []
        waitForReplies()
    }

    func slash(_ line: String) throws {
        let words = line.dropFirst().split(separator: " ").map(String.init)
        switch words.first?.lowercased() {
        case "starttls":
            send(Command(.starttls))
            waitForReplies()
            if tlsPending { wait { [unowned self] in !self.tlsPending || self.failed || self.closed } }
        case "auth":
            guard words.count == 3, let mechanism = SASLClient.Mechanism(name: words[1]) else {
                throw BatchError(description: "usage: /auth plain|login|cram-md5|xoauth2 USER")
            }
            let client = SASLClient(mechanism: mechanism, user: words[2], secret: try secret(),
                                    hmacMD5: CramMD5.hmac)
            auth = client
            send(client.command)
            waitForReplies()
            auth = nil
        default:
            throw BatchError(description: "\(line): batch mode knows /starttls and /auth only")
        }
    }

    // MARK: - Sending and waiting

    func send(_ command: Command) {
        guard var current = session else { return }
        let outgoing = current.send(command, at: clock())
        session = current
        transmit(outgoing)
    }

    func sendLine(_ line: String) {
        guard var current = session else { return }
        let outgoing = current.submit(line, at: clock())
        session = current
        transmit(outgoing)
    }

    func transmit(_ outgoing: ClientSession.Outgoing) {
        guard !outgoing.bytes.isEmpty else { return }
        connection.send(outgoing.bytes)
        var entry = TranscriptEntry(direction: .sent, bytes: outgoing.bytes, time: Date(), tls: session?.isTLS ?? false)
        if outgoing.sensitive { entry.masked = outgoing.display }
        writer.write(entry)
    }

    func waitForReplies() {
        wait { [unowned self] in self.failed || self.closed || (self.session?.awaiting.isEmpty ?? true) || self.tlsPending }
    }

    /// Pumps connection events until `done` or the reply timeout.
    func wait(seconds: Double? = nil, until done: () -> Bool) {
        let deadline = clock() + (seconds ?? options.timeout)
        while !done() {
            let left = deadline - clock()
            if left <= 0 {
                writer.write(.local(say(Localized("No reply within {0} s: giving up", "{0} 秒内没有回复：放弃").format(Int(options.timeout))), time: Date()))
                failed = true
                return
            }
            _ = Waiter.wait(for: inbox.descriptor, milliseconds: Int32(min(left, 1) * 1000), keyboard: false)
            for event in inbox.take() { handle(event) }
        }
    }

    func handle(_ event: ConnectionEvent) {
        switch event {
        case .connecting(let host, let port):
            writer.write(.local(say(UIText.trying.format(host, port)), time: Date()))
        case .connected(let remote, _):
            connected = true
            session = ClientSession(connectedAt: clock(), tls: options.implicitTLS)
            writer.write(.local(say(Localized("Connected to {0}", "已连接到 {0}").format(remote)), time: Date()))
        case .received(let bytes):
            session?.receive(bytes, at: clock())
            drain()
        case .failed(let failure):
            failed = true
            writer.write(.local(writer.explainer.explain(connectFailure: failure).title, time: Date()))
        case .closed(let reason):
            if var current = session {
                for event in current.connectionClosed() { apply(event) }
                session = current
            }
            closed = true
            if case .error(let words) = reason { writer.write(.local(say(UIText.closedError.format(words)), time: Date())) }
            else if reason == .byServer && !(session?.quitSent ?? false) {
                writer.write(.local(say(UIText.closedByServer), time: Date()))
                if !(session?.awaiting.isEmpty ?? true) { failed = true }
            }
        case .tlsEstablished(let info):
            if tlsPending { session?.tlsEstablished() }
            tlsPending = false
            let verdict = info.verified ? UIText.certificateVerified : UIText.certificateNotVerified
            writer.write(.local(say(UIText.tlsUp.format(info.version, info.cipherSuite ?? "?", say(verdict))),
                                time: Date(), tls: true))
        case .tlsFailed(let failure):
            failed = true
            tlsPending = false
            let words = failure.reasons.map(writer.explainer.describe).joined(separator: "; ")
            writer.write(.local(say(Explainer.tlsFailed.format(words)), time: Date()))
        }
    }

    func say(_ text: Localized) -> String { text[options.language] }

    func drain() {
        while let event = session?.nextEvent() { apply(event) }
    }

    func apply(_ event: ClientSession.Event) {
        let secure = session?.isTLS ?? false
        switch event {
        case .line:
            break
        case .stray(let line):
            writer.write(TranscriptEntry(direction: .received, bytes: line.raw, time: Date(), tls: secure))
        case .reply(let reply, let answering, let latency):
            var answered: String?
            if case .command(let command)? = answering { answered = Secrets.masked(command) }
            if case .messageEnd? = answering { answered = "." }
            for (index, line) in reply.lines.enumerated() {
                var entry = TranscriptEntry(direction: .received, bytes: line.raw, time: Date(), tls: secure, answers: answered)
                if index == reply.lines.count - 1 { entry.latency = latency }
                writer.write(entry, reply: index == reply.lines.count - 1 ? reply : nil,
                             answering: answering.flatMap { if case .command(let c) = $0 { return c } else { return nil } })
            }
            if reply.replyClass > worstClass && reply.replyClass <= 5 { worstClass = reply.replyClass }
            if var helper = auth, reply.code == 334, var current = session, current.inputMode == .saslResponse {
                let outgoing = current.sendSASL(helper.respond(to: reply), at: clock())
                auth = helper
                session = current
                transmit(outgoing)
            }
        case .discarded(let count):
            writer.write(.local(say(UIText.dropped.format(count)), time: Date()))
        case .refusedPlaintext(let bytes):
            writer.write(.local(say(Localized("{0} bytes arrived in plaintext after the 220 to STARTTLS and were thrown away",
                                              "在 STARTTLS 的 220 之后有 {0} 个字节以明文到达，已被丢弃").format(bytes.count)),
                                time: Date()))
        case .startTLS:
            tlsPending = true
            connection.startTLS(options.tls)
        }
    }
}
