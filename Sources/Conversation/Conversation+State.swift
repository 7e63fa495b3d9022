import SMTPCore

/// Lines typed (or read from a script) and not yet sent, oldest first.
struct InputQueue: Sendable {
    private var lines: [String] = []
    private var head = 0

    var isEmpty: Bool { head == lines.count }
    var count: Int { lines.count - head }
    var first: String? { isEmpty ? nil : lines[head] }
    var pending: [String] { Array(lines[head...]) }

    mutating func push(_ line: String) { lines.append(line) }

    mutating func pop() -> String? {
        guard !isEmpty else { return nil }
        let line = lines[head]
        head += 1
        if head > 1024 && head * 2 > lines.count {
            lines.removeFirst(head)
            head = 0
        }
        return line
    }

    /// Forgets every line; returns how many there were.
    @discardableResult
    mutating func removeAll() -> Int {
        let dropped = count
        lines = []
        head = 0
        return dropped
    }

    /// Drops the lines of a message up to and including its lone "."; nil when no "." is queued.
    mutating func dropMessage() -> Int? {
        guard let end = lines[head...].firstIndex(of: ".") else { return nil }
        let dropped = end - head + 1
        head = end + 1
        return dropped
    }
}

/// Which log lines the awaited replies answer, and where the reply in progress began.
struct ReplyTracking: Sendable {
    /// Sent lines waiting for a reply, oldest first, parallel to the session's queue
    /// (-1 stands for the connection itself, which the greeting answers).
    var waiting: [Int] = []
    /// The first line of the reply in progress.
    var replyStart: Int?
    var lastReply: Int?
    var lastNote: Int?
    /// When something last came or went (monotonic seconds), for the reply timeout.
    var lastActivity = 0.0
    /// When the first line of the reply in progress came, for the bound on one reply.
    var replyBeganAt: Double?
    /// The reply timeout fired on this connection: it is being closed, nothing more is timed.
    var gaveUp = false
    var hasSent = false
    /// The greeting was not 220.
    var greetingRefused = false
    /// The argument of the last EHLO or HELO sent, for the EHLO smtpx sends itself.
    var helloArgument: String?
    /// smtpx sent STARTTLS itself (`--require-tls`): it says EHLO again once TLS is up.
    var ehloAfterTLS = false

    func waitingSince(_ session: ClientSession) -> Double? {
        session.awaiting.isEmpty ? nil : session.awaitingSince
    }
}

/// The `/auth` helper's state: the secret being asked for, the exchange in progress, the user
/// it logged in as.
struct AuthState: Sendable {
    var request: SecretRequest?
    var allowPlaintext = false
    var helper: SASLClient?
    var user: String?
    /// POP3's USER/PASS login: the password waits for USER's +OK; who logs in.
    var pop3UserMode = false
    var pop3Password: String?
    var pop3User: String?
}

/// How the conversation went, for an exit status.
public struct Outcome: Sendable, Hashable {
    /// Why the conversation stopped before its end.
    public enum Stop: String, Sendable, Hashable {
        case connectFailed, tlsFailed, closedUnexpectedly, timedOut, tlsRequired, scriptProblem
    }

    /// 2 when every reply was 2xx or 3xx, else the worst class seen.
    public internal(set) var worstReplyClass = 2
    public internal(set) var stop: Stop?

    /// The exit status of batch mode: 0 all 2xx/3xx, 4 a 4xx, 5 a 5xx, 2 a connection or TLS
    /// failure, 3 a timeout, 6 `--require-tls` unmet, 1 a problem with the script or its secret.
    public var exitStatus: Int32 {
        switch stop {
        case .connectFailed?, .tlsFailed?, .closedUnexpectedly?: return 2
        case .timedOut?: return 3
        case .tlsRequired?: return 6
        case .scriptProblem?: return 1
        case nil: return worstReplyClass >= 5 ? 5 : worstReplyClass == 4 ? 4 : 0
        }
    }

    mutating func noteReply(_ code: Int) {
        let replyClass = code / 100
        if replyClass > worstReplyClass && replyClass <= 5 { worstReplyClass = replyClass }
    }

    mutating func stopped(_ why: Stop) {
        if stop == nil { stop = why }
    }
}
