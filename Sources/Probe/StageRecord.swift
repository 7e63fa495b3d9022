import Conversation
import Foundation
import SMTPCore

/// One command and the reply to it (or the greeting, with no command), as a stage saw them.
public struct Exchange: Sendable, Hashable {
    /// The line sent, as the transcript shows it; nil for the greeting.
    public var command: String?
    public var verb: Verb?
    public var reply: Reply
    /// Seconds from the command (or the connection) to the reply's first line, and to its last.
    public var latency: Double?
    public var lastLatency: Double?
    /// The exchange went inside TLS.
    public var tls: Bool

    public init(command: String?, verb: Verb?, reply: Reply, latency: Double?, lastLatency: Double? = nil, tls: Bool = false) {
        self.command = command
        self.verb = verb
        self.reply = reply
        self.latency = latency
        self.lastLatency = lastLatency
        self.tls = tls
    }

    public var code: Int { reply.code }
    public var enhanced: String? { reply.enhancedCode?.description }

    /// The lines as the evidence shows them: "> MAIL FROM:<>", "< 250 2.1.0 Ok".
    public var evidence: [String] {
        (command.map { ["> " + $0] } ?? []) + reply.lines.map { "< " + VisibleText.escape($0.raw.filter { $0 != 13 && $0 != 10 }) }
    }

    /// Seconds until the whole reply had come.
    public var totalLatency: Double? { lastLatency ?? latency }
}

/// What one connection of the probe saw: how long it took to connect, every exchange, what TLS
/// negotiated, how it ended. Built from the conversation engine's log.
public struct StageRecord: Sendable {
    public var name: String
    /// The address connected to, "127.0.0.1:25".
    public var remote: String?
    public var connectSeconds: Double?
    public var connectFailure: ConnectFailure?
    public var exchanges: [Exchange]
    public var tls: TLSInfo?
    public var tlsFailure: TLSFailure?
    /// Seconds from the 220 to STARTTLS until TLS was up.
    public var handshakeSeconds: Double?
    public var timedOut: Bool
    public var closedByServer: Bool

    public init(name: String, remote: String? = nil, connectSeconds: Double? = nil, connectFailure: ConnectFailure? = nil,
                exchanges: [Exchange] = [], tls: TLSInfo? = nil, tlsFailure: TLSFailure? = nil,
                handshakeSeconds: Double? = nil, timedOut: Bool = false, closedByServer: Bool = false) {
        self.name = name
        self.remote = remote
        self.connectSeconds = connectSeconds
        self.connectFailure = connectFailure
        self.exchanges = exchanges
        self.tls = tls
        self.tlsFailure = tlsFailure
        self.handshakeSeconds = handshakeSeconds
        self.timedOut = timedOut
        self.closedByServer = closedByServer
    }

    public var greeting: Exchange? { exchanges.first { $0.command == nil } }

    /// The exchanges of one verb, in order.
    public func exchanges(_ verb: Verb) -> [Exchange] { exchanges.filter { $0.verb == verb } }

    /// The capabilities of the first EHLO before TLS, and of the first after it.
    public var capabilitiesBeforeTLS: Capabilities? {
        exchanges.first { $0.verb == .ehlo && !$0.tls && $0.code == 250 }.map { Capabilities(ehloReply: $0.reply) }
    }

    public var capabilitiesAfterTLS: Capabilities? {
        exchanges.first { $0.verb == .ehlo && $0.tls && $0.code == 250 }.map { Capabilities(ehloReply: $0.reply) }
    }

    /// Reads a finished conversation's log.
    public init(name: String, conversation: Conversation) {
        self.init(name: name)
        let log = conversation.log
        var connectingAt: Date?
        var startTLSReplyAt: Date?
        for index in log.indices {
            guard let entry = log[index] else { continue }
            if let event = log.event(index) {
                switch event {
                case .connecting: connectingAt = entry.time
                case .connected(let remote, _):
                    self.remote = remote
                    if let connectingAt { connectSeconds = entry.time.timeIntervalSince(connectingAt) }
                case .connectFailed(let failure): connectFailure = failure
                case .tlsEstablished(let info, _):
                    tls = info
                    if let startTLSReplyAt { handshakeSeconds = entry.time.timeIntervalSince(startTLSReplyAt) }
                case .tlsFailed(let failure): tlsFailure = failure
                case .timedOut: timedOut = true
                case .closed(let reason, _):
                    if case .byServer = reason { closedByServer = true }
                default: break
                }
                continue
            }
            guard entry.isReply, entry.isFinal, let (reply, answers) = log.reply(containing: index) else { continue }
            let first = log.replyStart(of: index).flatMap { log[$0] }
            let command = log.answeredLine(index)
            let verb = answers.flatMap { log.command(at: $0)?.verb }
            if verb == .starttls && reply.code == 220 { startTLSReplyAt = entry.time }
            exchanges.append(Exchange(command: log.isGreeting(index) ? nil : command, verb: log.isGreeting(index) ? nil : verb,
                                      reply: reply, latency: first?.latencySeconds,
                                      lastLatency: entry.lastLineLatencySeconds, tls: entry.tls))
        }
    }
}
