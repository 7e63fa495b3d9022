/// What a server decides, apart from the protocol (aiosmtpd's handlers): who is greeted, which
/// names are local, what a recipient is, who may log in, how long a reply waits. The protocol
/// machine (`ServerSession`) checks grammar and sequence and asks the policy the rest. The
/// practice server's answers (scenarios, greylisting, accounts, domains, the outbox) are one
/// policy, `PracticePolicy`; its POP3 side reads the same accounts and mailboxes.
public protocol ServerPolicy: Sendable {
    /// The name in the greeting, the EHLO reply and `Received:`.
    var hostname: String { get }
    var limits: ServerLimits { get }
    /// STARTTLS is offered (a certificate is loaded).
    var offersTLS: Bool { get }
    /// SASL mechanisms offered; empty when AUTH is not.
    var authMechanisms: [String] { get }

    /// At connect: nil to greet, or the refusal (421 when busy).
    func refuseConnection(_ client: ServerSession.ClientInfo, overloaded: Bool) -> ServerVerdict?
    /// MAIL FROM, after the syntax checks: nil to accept, or the refusal.
    func refuseSender(_ sender: String, _ facts: ServerSession.Facts) -> ServerVerdict?
    /// RCPT TO, after the syntax checks: where the copies go, or the refusal.
    func route(_ recipient: String, sender: String, _ facts: ServerSession.Facts, at time: Double) -> RecipientDecision
    /// VRFY and EXPN (RFC 5321 §3.5).
    func verify(_ name: String) -> ServerVerdict
    func expand(_ name: String) -> ServerVerdict
    /// AUTH with this mechanism may go on now (PLAIN and LOGIN only under TLS, say).
    func refuseMechanism(_ mechanism: String, _ facts: ServerSession.Facts) -> ServerVerdict?
    /// Before checking credentials: nil, or a refusal for a client or user that failed too often.
    func refuseLogin(user: String, _ facts: ServerSession.Facts, at time: Double) -> ServerVerdict?
    /// A password or a CRAM-MD5 digest, checked in the same time whether the user exists or not.
    func check(_ credentials: Credentials, _ facts: ServerSession.Facts, at time: Double) -> Bool
    /// Seconds a failed login's answer waits (longer as a client keeps failing).
    func loginDelay(_ facts: ServerSession.Facts, at time: Double) -> Double
    /// Seconds to hold a reply back: `errors` bad commands and `recipients` RCPTs so far.
    func delay(errors: Int, recipients: Int, isError: Bool) -> Double
    /// After the final "." of an acceptable message: hang up instead of delivering.
    var hangsUpAfterData: Bool { get }
}

/// A reply a policy gives instead of the protocol's own.
public struct ServerVerdict: Sendable, Hashable {
    public let code: Int
    public let enhanced: String?
    public let lines: [String]
    /// The connection closes after this reply.
    public let closes: Bool
    /// Counts as a bad command (the error limit, the tarpit).
    public let isError: Bool

    public init(_ code: Int, _ enhanced: String?, _ text: String, closes: Bool = false, isError: Bool = false) {
        self.init(code, enhanced, lines: [text], closes: closes, isError: isError)
    }

    public init(_ code: Int, _ enhanced: String?, lines: [String], closes: Bool = false, isError: Bool = false) {
        self.code = code
        self.enhanced = enhanced
        self.lines = lines
        self.closes = closes
        self.isError = isError
    }
}

/// Where a recipient's copies go, or why it is refused.
public enum RecipientDecision: Sendable, Hashable {
    case accept(ServerSession.Recipient, reply: String)
    case refuse(ServerVerdict)
}

/// What a client proved it knows.
public enum Credentials: Sendable, Hashable {
    case password(user: String, password: String)
    case cramMD5(user: String, challenge: String, digest: String)

    public var user: String {
        switch self {
        case .password(let user, _), .cramMD5(let user, _, _): return user
        }
    }
}

/// The limits a server enforces, each named (RFC 5321 §4.5.3).
public struct ServerLimits: Sendable, Hashable {
    /// Message size in octets, announced with SIZE (RFC 1870).
    public var messageSize: Int
    /// Recipients per message; then 452 4.5.3 (RFC 5321 §4.5.3.1.10).
    public var recipients: Int
    /// Bad commands before 421 4.7.0.
    public var errors: Int
    /// Commands that do no mail work (NOOP, RSET, VRFY, EXPN, HELP) before 421 4.7.0
    /// (Postfix's smtpd_junk_command_limit).
    public var junkCommands: Int
    /// Seconds a command may take, from its first byte to its end, and the silence allowed
    /// between commands (RFC 5321 §4.5.3.2.7 asks for 5 minutes).
    public var commandSeconds: Double
    /// Seconds without message data before 421 4.4.2 (RFC 5321 §4.5.3.2.6: 3 minutes).
    public var dataSeconds: Double

    public init(messageSize: Int = 10 * 1024 * 1024, recipients: Int = 100, errors: Int = 10, junkCommands: Int = 100,
                commandSeconds: Double = 300, dataSeconds: Double = 180) {
        self.messageSize = messageSize
        self.recipients = recipients
        self.errors = errors
        self.junkCommands = junkCommands
        self.commandSeconds = commandSeconds
        self.dataSeconds = dataSeconds
    }
}
