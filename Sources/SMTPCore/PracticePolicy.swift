/// The practice server's decisions: its domains, mailboxes and lists, the demo accounts, the
/// scenarios a teacher switches on, greylisting and the outbox. It never relays: mail for other
/// domains is refused unless the client logged in, and then it is kept, never sent on.
public struct PracticePolicy: ServerPolicy {
    public let config: ServerConfig
    let greylist: Greylist?
    let accounts: AccountTable?
    let throttle: LoginThrottle
    /// The server's own addresses: `alice@[127.0.0.1]` is local (RFC 5321 §4.1.3).
    let ownAddresses: Set<String>

    public init(config: ServerConfig, greylist: Greylist? = nil, accounts: AccountTable? = nil,
                throttle: LoginThrottle = LoginThrottle(), ownAddresses: [String] = ["127.0.0.1", "::1"]) {
        self.config = config
        self.greylist = greylist
        self.accounts = accounts
        self.throttle = throttle
        self.ownAddresses = Set(ownAddresses.map { $0.lowercased() })
    }

    public var hostname: String { config.hostname }

    public var limits: ServerLimits {
        ServerLimits(messageSize: config.sizeLimit, recipients: config.maxRecipients, errors: config.maxErrors,
                     junkCommands: config.maxJunkCommands, commandSeconds: config.commandTimeout,
                     dataSeconds: config.dataTimeout)
    }

    public var offersTLS: Bool { config.tlsAvailable }

    /// The SASL mechanisms the practice server offers when it has accounts.
    public static let mechanisms = ["PLAIN", "LOGIN", "CRAM-MD5"]

    public var authMechanisms: [String] { config.accounts.isEmpty || accounts == nil ? [] : Self.mechanisms }

    public var hangsUpAfterData: Bool { config.scenarios.contains(.disconnectAfterData) }

    // MARK: - Decisions

    public func refuseConnection(_ client: ServerSession.ClientInfo, overloaded: Bool) -> ServerVerdict? {
        if config.scenarios.contains(.busy) {
            return ServerVerdict(421, "4.3.2", "\(hostname) is busy, try again later (practice scenario busy)", closes: true)
        }
        if overloaded {
            return ServerVerdict(421, "4.3.2", "\(hostname) has too many connections, try again later", closes: true)
        }
        return nil
    }

    public func refuseSender(_ sender: String, _ facts: ServerSession.Facts) -> ServerVerdict? {
        if config.scenarios.contains(.tlsRequired) && !facts.tls {
            return ServerVerdict(530, "5.7.0", "Must issue a STARTTLS command first (practice scenario tls-required)")
        }
        if config.scenarios.contains(.authRequired) && facts.authUser == nil {
            return ServerVerdict(530, "5.7.0", "Authentication required: log in with AUTH first (practice scenario auth-required)")
        }
        return nil
    }

    public func route(_ recipient: String, sender: String, _ facts: ServerSession.Facts, at time: Double) -> RecipientDecision {
        var address = recipient
        if address.lowercased() == "postmaster" { address = "postmaster@" + (config.domains.first ?? hostname) }
        let (quoted, domain) = Self.split(address)
        let local = Self.unquote(quoted)
        guard isLocal(domain: domain) else {
            if facts.authUser != nil {
                return .accept(ServerSession.Recipient(address: address, mailboxes: [], outbox: true),
                               reply: "Recipient <\(address)> OK: kept in the outbox, never sent on (this server never relays)")
            }
            return .refuse(ServerVerdict(554, "5.7.1", "Relay access denied: \(domain) is not a local domain, and this server never relays"))
        }
        let mailboxes: [String]
        let what: String
        switch config.lookUp(local) {
        case .mailbox(let mailbox):
            mailboxes = [mailbox]
            what = "Recipient <\(address)> OK"
        case .list(let name, let members):
            mailboxes = members
            what = "List <\(address)> OK: \(name) expands to \(members.joined(separator: ", "))"
        case .unknown:
            return .refuse(ServerVerdict(550, "5.1.1", "Mailbox <\(address)> unknown: no such user here (try alice or bob)"))
        }
        if config.scenarios.contains(.mailboxFull) {
            return .refuse(ServerVerdict(552, "5.2.2", "Mailbox <\(address)> is full (practice scenario mailbox-full)"))
        }
        if config.scenarios.contains(.greylist), let greylist,
           greylist.shouldDefer(client: facts.client.address, sender: sender, recipient: address, at: time,
                                delay: config.greylistDelay) {
            let wait = Int(config.greylistDelay.rounded(.up))
            return .refuse(ServerVerdict(450, "4.7.1", "Greylisted: first try from this client, sender and recipient; try again in \(wait) s (practice scenario greylist)"))
        }
        return .accept(ServerSession.Recipient(address: address, mailboxes: mailboxes, outbox: false), reply: what)
    }

    public func verify(_ name: String) -> ServerVerdict {
        guard config.revealUsers else {
            return ServerVerdict(252, "2.5.0", "Cannot VRFY user, but will accept message and attempt delivery")
        }
        let (quoted, domain) = Self.split(name.trimming("<>"))
        let local = Self.unquote(quoted)
        if !domain.isEmpty && !isLocal(domain: domain) {
            return ServerVerdict(551, "5.1.6", "\(domain) is not a local domain; this server keeps no users there")
        }
        let home = config.domains.first ?? hostname
        switch config.lookUp(local) {
        case .mailbox(let mailbox):
            return ServerVerdict(250, "2.1.5", "\(mailbox.prefix(1).uppercased() + mailbox.dropFirst()) <\(mailbox)@\(home)>")
        case .list(let list, _):
            return ServerVerdict(250, "2.1.5", "\(list) is a mailing list <\(list)@\(home)>; EXPN \(list) lists its members")
        case .unknown:
            return ServerVerdict(550, "5.1.1", "\(local): no such user here")
        }
    }

    public func expand(_ name: String) -> ServerVerdict {
        let (quoted, _) = Self.split(name.trimming("<>"))
        let local = Self.unquote(quoted)
        guard case .list(_, let members) = config.lookUp(local) else {
            return ServerVerdict(550, "5.1.1", "\(local): no such mailing list here (try team)")
        }
        let domain = config.domains.first ?? hostname
        let lines = members.map { "\($0.prefix(1).uppercased() + $0.dropFirst()) <\($0)@\(domain)>" }
        return ServerVerdict(250, "2.1.5", lines: lines.isEmpty ? ["(empty list)"] : lines)
    }

    public func refuseMechanism(_ mechanism: String, _ facts: ServerSession.Facts) -> ServerVerdict? {
        // PLAIN and LOGIN show the password: before TLS they are refused, to teach why.
        guard mechanism != "CRAM-MD5", config.tlsAvailable, !facts.tls else { return nil }
        return ServerVerdict(538, "5.7.11", "Encryption required for \(mechanism): it sends the password readable, so run STARTTLS first")
    }

    public func refuseLogin(user: String, _ facts: ServerSession.Facts, at time: Double) -> ServerVerdict? {
        guard let seconds = throttle.lockedFor(user: user, address: facts.client.address, at: time) else { return nil }
        return ServerVerdict(421, "4.7.0", "Too many failed logins; try again in \(Int(seconds.rounded(.up))) s", closes: true)
    }

    public func check(_ credentials: Credentials, _ facts: ServerSession.Facts, at time: Double) -> Bool {
        let ok: Bool
        switch credentials {
        case .password(let user, let password): ok = accounts?.check(user: user, password: password) ?? false
        case .cramMD5(let user, let challenge, let digest): ok = accounts?.check(user: user, challenge: challenge, digest: digest) ?? false
        }
        throttle.record(ok: ok, user: credentials.user, address: facts.client.address, at: time)
        return ok
    }

    public func delay(errors: Int, recipients: Int, isError: Bool) -> Double {
        var seconds = config.scenarios.contains(.slow) ? config.slowDelay : 0
        if isError || recipients > 0, config.scenarios.contains(.tarpit) { seconds += min(15, 0.5 * Double(errors + recipients)) }
        return seconds
    }

    /// How long a failed login's answer waits: longer as an address keeps failing.
    public func loginDelay(_ facts: ServerSession.Facts, at time: Double) -> Double {
        throttle.delay(address: facts.client.address, at: time)
    }

    // MARK: - Addresses

    /// A domain delivered here: one of the domains, or an address literal of the server's own.
    func isLocal(domain: String) -> Bool {
        if config.isLocal(domain: domain) { return true }
        guard domain.hasPrefix("["), domain.hasSuffix("]") else { return false }
        var literal = domain.dropFirst().dropLast().lowercased()
        if literal.hasPrefix("ipv6:") { literal = String(literal.dropFirst(5)) }
        return ownAddresses.contains(String(literal))
    }

    static func split(_ address: String) -> (local: String, domain: String) {
        guard let at = address.lastIndex(of: "@") else { return (address, "") }
        return (String(address[..<at]), String(address[address.index(after: at)...]))
    }

    /// A quoted local part's content (RFC 5321 §4.1.2): `"alice"` is alice, `"a\"b"` is a"b.
    static func unquote(_ local: String) -> String {
        guard local.count >= 2, local.hasPrefix("\""), local.hasSuffix("\"") else { return local }
        var out = ""
        var escaped = false
        for character in local.dropFirst().dropLast() {
            if escaped {
                out.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                out.append(character)
            }
        }
        return out
    }
}
