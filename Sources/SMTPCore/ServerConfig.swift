import Synchronization

/// A fault a teacher can switch on in the practice server (DESIGN: "The practice server").
public enum Scenario: String, CaseIterable, Sendable, Hashable {
    /// 450 4.7.1 for the first try of each (client, sender, recipient).
    case greylist
    /// 421 4.3.2 at once, then the connection closes.
    case busy
    /// 552 5.2.2 for every local mailbox.
    case mailboxFull = "mailbox-full"
    /// Every reply comes a second and a half late.
    case slow
    /// Replies get slower with every recipient and every error.
    case tarpit
    /// A 10 KiB message size limit.
    case sizeLimit = "size-limit"
    /// The connection closes after the final "." with no reply; nothing is delivered.
    case disconnectAfterData = "disconnect-after-data"
    /// MAIL is refused (530 5.7.0) until STARTTLS.
    case tlsRequired = "tls-required"
    /// MAIL is refused (530 5.7.0) until AUTH.
    case authRequired = "auth-required"
}

/// Everything the practice server's sessions need to know, as plain data.
public struct ServerConfig: Sendable {
    /// The name in the greeting and the Received: header.
    public var hostname: String
    /// Domains delivered here; anything else is relaying, which is refused.
    public var domains: [String]
    /// Local parts that have a Maildir, the same in every local domain.
    public var mailboxes: [String]
    /// Mailing lists EXPN expands, by name.
    public var lists: [String: [String]]
    /// Where mail for "postmaster" goes (RFC 5321 §4.5.1 requires the mailbox).
    public var postmaster: String
    /// VRFY says whether a user exists (RFC 5321 §3.5.1), or answers 252 to everything.
    public var revealUsers: Bool
    public var scenarios: Set<Scenario>
    /// Message size limit in octets, announced with SIZE (RFC 1870).
    public var maxMessageSize: Int
    /// Recipients accepted per message; then 452 4.5.3 (RFC 5321 §4.5.3.1.10).
    public var maxRecipients: Int
    /// Bad commands before 421 4.7.0 and the end of the session.
    public var maxErrors: Int
    /// Commands that do no mail work (NOOP, RSET, VRFY, EXPN, HELP) before 421 4.7.0.
    public var maxJunkCommands: Int
    /// Seconds without a command before 421 4.4.2 (RFC 5321 §4.5.3.2.7 asks for 5 minutes).
    public var commandTimeout: Double
    /// Seconds without message data before 421 4.4.2 (RFC 5321 §4.5.3.2.6: 3 minutes).
    public var dataTimeout: Double
    /// Seconds a greylisted triple must wait before a retry is accepted.
    public var greylistDelay: Double
    /// Seconds each reply waits in the `slow` scenario.
    public var slowDelay: Double
    /// STARTTLS is offered (a certificate is loaded).
    public var tlsAvailable: Bool
    /// AUTH is offered, with these accounts (user → secret).
    public var accounts: [String: String]
    /// The accounts a class logs in with unless told otherwise.
    public static let demoAccounts = ["alice": "wonderland", "bob": "builder"]

    public init(hostname: String = "mx.example.test", domains: [String] = ["example.test"],
                mailboxes: [String] = ["alice", "bob"], lists: [String: [String]] = ["team": ["alice", "bob"]],
                postmaster: String = "alice", revealUsers: Bool = true, scenarios: Set<Scenario> = [],
                maxMessageSize: Int = 10 * 1024 * 1024, maxRecipients: Int = 100, maxErrors: Int = 10, maxJunkCommands: Int = 100,
                commandTimeout: Double = 300, dataTimeout: Double = 180, greylistDelay: Double = 5,
                slowDelay: Double = 1.5, tlsAvailable: Bool = false, accounts: [String: String] = [:]) {
        self.hostname = hostname
        self.domains = domains
        self.mailboxes = mailboxes
        self.lists = lists
        self.postmaster = postmaster
        self.revealUsers = revealUsers
        self.scenarios = scenarios
        self.maxMessageSize = maxMessageSize
        self.maxRecipients = maxRecipients
        self.maxErrors = maxErrors
        self.maxJunkCommands = maxJunkCommands
        self.commandTimeout = commandTimeout
        self.dataTimeout = dataTimeout
        self.greylistDelay = greylistDelay
        self.slowDelay = slowDelay
        self.tlsAvailable = tlsAvailable
        self.accounts = accounts
    }

    /// The size limit in force: the scenario's 10 KiB, or the configured one.
    public var sizeLimit: Int { scenarios.contains(.sizeLimit) ? 10 * 1024 : maxMessageSize }

    /// True for a domain delivered here (case-insensitive).
    public func isLocal(domain: String) -> Bool {
        domains.contains { $0.caseInsensitiveCompare(domain) }
    }

    /// What a local part names here.
    public enum LocalName: Sendable, Equatable {
        case mailbox(String)
        case list(String, [String])
        case unknown
    }

    public func lookUp(_ localPart: String) -> LocalName {
        let name = localPart.lowercased()
        if name == "postmaster" { return .mailbox(postmaster) }
        if let mailbox = mailboxes.first(where: { $0.lowercased() == name }) { return .mailbox(mailbox) }
        if let (list, members) = lists.first(where: { $0.key.lowercased() == name }) { return .list(list, members) }
        return .unknown
    }
}

extension String {
    func caseInsensitiveCompare(_ other: String) -> Bool { lowercased() == other.lowercased() }
}

/// Failed logins per client address and per user, shared by every session of a server (like
/// Postfix's anvil): a client that keeps failing waits longer for each answer, then both it and
/// an attacked user are locked out for a named time. The defaults let a class of a hundred
/// behind one NAT address mistype freely while a guesser gets a few tries a minute.
public final class LoginThrottle: Sendable {
    public struct Limits: Sendable, Hashable {
        /// Seconds over which failures are counted.
        public var windowSeconds: Double = 600
        /// Failures from one address before its answers slow down, and the seconds each
        /// further failure adds (up to `maximumDelaySeconds`).
        public var freeFailuresPerAddress = 20
        public var delayStepSeconds = 0.25
        public var maximumDelaySeconds = 5.0
        /// Failures before 421 4.7.0 and a lockout of `lockoutSeconds`.
        public var failuresPerAddress = 300
        public var failuresPerUser = 10
        public var lockoutSeconds: Double = 300
        public init() {}
    }

    struct Record {
        var failures: [Double] = []
        var lockedUntil = 0.0
    }

    public let limits: Limits
    private let table = Mutex<[String: Record]>([:])

    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// Seconds a user or an address is still locked out, if it is.
    public func lockedFor(user: String, address: String, at time: Double) -> Double? {
        table.withLock { table in
            let until = max(table["u:" + user.lowercased()]?.lockedUntil ?? 0, table["a:" + address]?.lockedUntil ?? 0)
            return until > time ? until - time : nil
        }
    }

    /// Seconds a failed login's answer from this address waits now.
    public func delay(address: String, at time: Double) -> Double {
        let failures = table.withLock { table in
            (table["a:" + address]?.failures ?? []).filter { $0 > time - limits.windowSeconds }.count
        }
        let over = failures - limits.freeFailuresPerAddress
        return over > 0 ? min(limits.maximumDelaySeconds, Double(over) * limits.delayStepSeconds) : 0
    }

    public func record(ok: Bool, user: String, address: String, at time: Double) {
        guard !ok else { return }
        table.withLock { table in
            if table.count > 100_000 { table.removeAll() }
            for (key, limit) in [("u:" + user.lowercased(), limits.failuresPerUser), ("a:" + address, limits.failuresPerAddress)] {
                var record = table[key] ?? Record()
                record.failures = record.failures.filter { $0 > time - limits.windowSeconds } + [time]
                if record.failures.count >= limit {
                    record.lockedUntil = time + limits.lockoutSeconds
                    record.failures = []
                }
                table[key] = record
            }
        }
    }
}

/// Shared greylisting memory: a (client, sender, recipient) triple is deferred on its first try
/// and accepted once it retries after the delay. Shared by all sessions of one server.
public final class Greylist: Sendable {
    private let firstSeen = Mutex<[String: Double]>([:])

    public init() {}

    /// True when this try must be deferred. The first try starts the clock.
    public func shouldDefer(client: String, sender: String, recipient: String, at time: Double, delay: Double) -> Bool {
        let key = client + "\u{0}" + sender.lowercased() + "\u{0}" + recipient.lowercased()
        return firstSeen.withLock { table in
            guard let first = table[key] else {
                if table.count > 100_000 { table.removeAll() }
                table[key] = time
                return true
            }
            return time - first < delay
        }
    }
}
