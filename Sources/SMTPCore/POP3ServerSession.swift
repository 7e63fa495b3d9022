import Foundation

// Theory of operation
//
// The practice server's side of one POP3 connection (RFC 1939), sans-IO. The maildrop is the
// host's: the session asks for it with actions (`openMaildrop` after a good login, which locks
// it; `readMessage` for RETR and TOP; `commit` at QUIT) and waits for the answer before it reads
// another command, so commands are handled one at a time, in order. Deletions are only marks
// until the QUIT of the TRANSACTION state: the host removes the files and syncs the directory
// before the +OK; a connection that drops deletes nothing (RFC 1939 §6).

/// A message of a maildrop, as the host found it.
public struct MaildropEntry: Sendable, Hashable {
    /// Its unique id (the Maildir name before `:`), for UIDL.
    public let uid: String
    /// Octets as POP3 sends it (CRLF line ends).
    public let size: Int

    public init(uid: String, size: Int) {
        self.uid = uid
        self.size = size
    }
}

/// Why the host could not open or change a maildrop.
public enum MaildropFailure: Error, Sendable, Hashable {
    /// Another session holds the lock (RFC 2449 IN-USE).
    case inUse
    /// The disk or the file system failed (RFC 3206 SYS/TEMP); the words are for the log.
    case system(String)
}

public struct POP3ServerConfig: Sendable {
    public var hostname: String
    public var tlsAvailable: Bool
    /// USER, PASS and AUTH PLAIN only under TLS (RFC 2595 §2.1's advice).
    public var requireTLSForPasswords: Bool
    /// Bad commands before the server hangs up.
    public var maxErrors: Int
    /// Commands before a successful login before the server hangs up.
    public var maxCommandsBeforeLogin: Int
    /// Seconds of silence allowed (RFC 1939 §3: at least ten minutes).
    public var timeout: Double
    /// The longest command line, CRLF included (RFC 2449 §4 says 255).
    public var maxLineOctets: Int

    public init(hostname: String = "mx.example.test", tlsAvailable: Bool = false, requireTLSForPasswords: Bool = false,
                maxErrors: Int = 10, maxCommandsBeforeLogin: Int = 30, timeout: Double = 600, maxLineOctets: Int = 512) {
        self.hostname = hostname
        self.tlsAvailable = tlsAvailable
        self.requireTLSForPasswords = requireTLSForPasswords
        self.maxErrors = maxErrors
        self.maxCommandsBeforeLogin = maxCommandsBeforeLogin
        self.timeout = timeout
        self.maxLineOctets = maxLineOctets
    }
}

public struct POP3ServerSession: Sendable {
    public enum Action: Sendable, Hashable {
        /// Bytes to write: a status line, or a whole multi-line response.
        case reply([UInt8])
        /// A line the client sent, masked, for the log.
        case heard(String)
        /// After the +OK to STLS.
        case startTLS
        /// Lock and list `user`'s maildrop; answer with `maildropOpened`.
        case openMaildrop(user: String)
        /// Read a message (its file as stored); answer with `messageRead`.
        case readMessage(uid: String)
        /// Remove these messages for good, then `committed`.
        case commit(deleted: [String])
        /// Release the maildrop (a session that ends without QUIT deletes nothing).
        case releaseMaildrop
        case close
    }

    enum State: Sendable, Hashable {
        case authorization
        case authenticating(mechanism: String, challenge: String)
        case opening(user: String)
        case transaction
        case reading(command: POP3Command)
        case committing
        case closed
    }

    public let config: POP3ServerConfig
    let accounts: AccountTable?
    let md5: @Sendable ([UInt8]) -> [UInt8]
    /// The APOP timestamp of the greeting.
    public let timestamp: String
    var state = State.authorization
    public private(set) var isTLS: Bool
    var user: String?
    public internal(set) var loggedIn: String?
    var messages: [MaildropEntry] = []
    var deleted = Set<Int>()
    var buffer: [UInt8] = []
    var errors = 0
    var commandsBeforeLogin = 0
    var lastActivity = 0.0
    var locked = false
    /// After STLS's +OK until TLS is up: nothing more is read as a command (RFC 2595 §4), so
    /// that plaintext sent behind STLS cannot be run as if it came inside TLS.
    var startingTLS = false

    public init(config: POP3ServerConfig, accounts: AccountTable?, md5: @escaping @Sendable ([UInt8]) -> [UInt8],
                tls: Bool = false, timestamp: String) {
        self.config = config
        self.accounts = accounts
        self.md5 = md5
        isTLS = tls
        self.timestamp = timestamp
    }

    public var isClosed: Bool { state == .closed }
    /// When the session times out, in the host's seconds.
    public var deadline: Double { state == .closed ? .infinity : lastActivity + config.timeout }

    public mutating func start(at time: Double) -> [Action] {
        lastActivity = time
        return [ok("smtpx practice POP3 server ready \(timestamp)")]
    }

    public mutating func timedOut(at time: Double) -> [Action] {
        guard time >= deadline else { return [] }
        return end([err("Autologout: nothing for \(Int(config.timeout)) s")])
    }

    public mutating func tlsEstablished() {
        isTLS = true
        startingTLS = false
    }

    // MARK: - Input

    public mutating func receive(_ bytes: [UInt8], at time: Double) -> [Action] {
        lastActivity = time
        if startingTLS { return thrownAway(bytes.count) }
        buffer += bytes
        return process()
    }

    /// Plaintext that came after STLS: counted for the log, never read.
    func thrownAway(_ count: Int) -> [Action] {
        count == 0 ? [] : [.heard("(\(count) octets sent after STLS in plaintext: thrown away, RFC 2595 §4)")]
    }

    /// Takes whole lines while no answer from the host is awaited.
    mutating func process() -> [Action] {
        var actions: [Action] = []
        while !isClosed, !isWaiting, !startingTLS, let lf = buffer.firstIndex(of: 0x0A) {
            var line = Array(buffer[..<lf])
            buffer.removeFirst(lf + 1)
            if line.last == 0x0D { line.removeLast() }
            // The same answer as for a line that never ends, however the bytes were cut.
            if line.count + 2 > config.maxLineOctets { return actions + lineTooLong() }
            actions += handle(String(decoding: line, as: UTF8.self))
        }
        if startingTLS {
            actions += thrownAway(buffer.count)
            buffer = []
            return actions
        }
        if isClosed {
            buffer = []
        } else if !isWaiting, buffer.count > config.maxLineOctets {
            // A line that never ends: no need to read it all to refuse it.
            actions += lineTooLong()
        }
        return actions
    }

    /// A line over the limit ends the session; what is left unread goes with it.
    mutating func lineTooLong() -> [Action] {
        buffer = []
        return end([err("Line too long: at most \(config.maxLineOctets) octets")])
    }

    var isWaiting: Bool {
        switch state {
        case .opening, .reading, .committing: return true
        default: return false
        }
    }

    mutating func handle(_ line: String) -> [Action] {
        if case .authenticating(let mechanism, let challenge) = state {
            return [.heard(line == "*" ? "*" : Secrets.mask)] + saslStep(line, mechanism: mechanism, challenge: challenge)
        }
        let command = POP3Command(parsing: line)
        var actions: [Action] = [.heard(command.masked)]
        if loggedIn == nil {
            commandsBeforeLogin += 1
            if commandsBeforeLogin > config.maxCommandsBeforeLogin {
                return actions + end([err("Too many commands without logging in; closing")])
            }
        }
        guard let verb = command.verb else {
            return actions + error("Unknown command \"\(Self.ascii(command.keyword, 20))\"; CAPA lists what this server knows")
        }
        if verb != .capa && verb != .quit, !verb.phases.contains(state == .transaction ? .transaction : .authorization) {
            return actions + error(state == .transaction ? "\(verb.rawValue) is for before logging in"
                                                        : "\(verb.rawValue) needs a login first (USER and PASS, APOP or AUTH)")
        }
        switch verb {
        case .capa: actions += capa()
        case .quit: actions += quit()
        case .stls: actions += stls()
        case .user, .pass, .apop, .auth, .utf8: actions += authorization(verb, command)
        case .stat, .list, .retr, .dele, .noop, .rset, .top, .uidl: actions += transaction(verb, command)
        }
        return actions
    }

    // MARK: - Replies

    func ok(_ text: String) -> Action { .reply(Array("+OK \(text)\r\n".utf8)) }
    func err(_ text: String) -> Action { .reply(Array("-ERR \(text)\r\n".utf8)) }

    /// A multi-line +OK: the status line, each line byte-stuffed, the lone ".".
    func multiline(_ status: String, _ lines: [String]) -> Action {
        var bytes = Array("+OK \(status)\r\n".utf8)
        for line in lines { bytes += Self.stuffed(Array(line.utf8)) }
        bytes += [0x2E, 0x0D, 0x0A]
        return .reply(bytes)
    }

    static func stuffed(_ line: [UInt8]) -> [UInt8] {
        (line.first == 0x2E ? [0x2E] : []) + line + [0x0D, 0x0A]
    }

    /// An -ERR for a bad command, counted; the connection ends after too many.
    mutating func error(_ text: String) -> [Action] {
        errors += 1
        if errors >= config.maxErrors { return end([err("\(text); too many errors (\(errors)), closing")]) }
        return [err(text)]
    }

    mutating func end(_ actions: [Action]) -> [Action] {
        state = .closed
        return actions + (locked ? [.releaseMaildrop] : []) + [.close]
    }

    static func ascii(_ text: String, _ limit: Int) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.prefix(limit).map { $0.isASCII && $0.value >= 0x20 ? $0 : "?" }))
    }

    mutating func capa() -> [Action] {
        var lines = ["TOP", "USER", "UIDL", "RESP-CODES", "AUTH-RESP-CODE", "EXPIRE NEVER", "SASL PLAIN CRAM-MD5",
                     "IMPLEMENTATION smtpx-practice"]
        if config.tlsAvailable && !isTLS && state != .transaction { lines.append("STLS") }
        if config.requireTLSForPasswords && !isTLS { lines.removeAll { $0 == "USER" || $0.hasPrefix("SASL") } }
        return [multiline("Capability list follows", lines)]
    }

    mutating func stls() -> [Action] {
        guard config.tlsAvailable else { return error("STLS is not offered here") }
        guard !isTLS else { return error("Already under TLS") }
        startingTLS = true
        return [ok("Begin TLS negotiation"), .startTLS]
    }

    mutating func quit() -> [Action] {
        guard state == .transaction, loggedIn != nil else {
            return end([ok("\(config.hostname) POP3 server signing off")])
        }
        // The UPDATE state (RFC 1939 §6): deletions become real now, or not at all.
        state = .committing
        let uids = deleted.sorted().map { messages[$0].uid }
        return [.commit(deleted: uids)]
    }

    /// The host removed (or failed to remove) the messages marked for deletion.
    public mutating func committed(_ result: Result<Void, MaildropFailure>) -> [Action] {
        guard state == .committing else { return [] }
        locked = false
        let left = messages.count - deleted.count
        switch result {
        case .success:
            return end([ok("\(config.hostname) POP3 server signing off (\(left) message\(left == 1 ? "" : "s") left)")])
        case .failure:
            return end([err("[SYS/TEMP] Some deleted messages could not be removed; they are still there")])
        }
    }
}
