import Foundation

extension POP3ServerSession {
    // MARK: - AUTHORIZATION

    mutating func authorization(_ verb: POP3Verb, _ command: POP3Command) -> [Action] {
        let words = command.arguments
        let passwordsClosed = config.requireTLSForPasswords && !isTLS
        switch verb {
        case .user:
            guard let name = words.first else { return error("Syntax: USER name") }
            if passwordsClosed { return [err("[AUTH] USER and PASS only after STLS here: the password would go readable")] }
            user = name
            // Said of every name, so that USER does not tell who has a mailbox here.
            return [ok("\(Self.ascii(name, 64)) may now give PASS")]
        case .pass:
            guard let name = user else { return error("PASS comes after USER") }
            user = nil
            guard !command.argument.isEmpty else { return error("Syntax: PASS string") }
            if passwordsClosed { return [err("[AUTH] PASS only after STLS here")] }
            return login(name, accepted: accounts?.check(user: name, password: command.argument) ?? false)
        case .apop:
            guard words.count == 2 else { return error("Syntax: APOP name digest") }
            return login(words[0], accepted: checkAPOP(user: words[0], digest: words[1]))
        case .auth:
            guard let mechanism = words.first?.uppercased() else {
                return error("Name a mechanism: AUTH PLAIN or AUTH CRAM-MD5")
            }
            switch mechanism {
            case "PLAIN":
                if passwordsClosed { return [err("[AUTH] AUTH PLAIN only after STLS here")] }
                if words.count > 1 { return plain(words[1]) }
                state = .authenticating(mechanism: "PLAIN", challenge: "")
                return [.reply(Array("+ \r\n".utf8))]
            case "CRAM-MD5":
                let challenge = timestamp
                state = .authenticating(mechanism: "CRAM-MD5", challenge: challenge)
                return [.reply(Array("+ \(Data(challenge.utf8).base64EncodedString())\r\n".utf8))]
            default:
                return error("Mechanism \(Self.ascii(mechanism, 20)) is not offered; CAPA lists SASL PLAIN CRAM-MD5")
            }
        case .utf8:
            return [ok("UTF-8 mode: mailbox names and message text may be UTF-8 (RFC 6856)")]
        default:
            return error("Not here")
        }
    }

    /// RFC 1939 §7: the digest is MD5 of the timestamp and the shared secret, in hex.
    func checkAPOP(user: String, digest: String) -> Bool {
        guard let accounts else { return false }
        let secret = accounts.accounts[user] ?? AccountTable.standIn
        let expected = md5(Array((timestamp + secret).utf8)).map { String(format: "%02x", $0) }.joined()
        let equal = accounts.constantTimeEqual(Array(expected.utf8), Array(digest.lowercased().utf8))
        return equal && accounts.accounts[user] != nil
    }

    mutating func saslStep(_ line: String, mechanism: String, challenge: String) -> [Action] {
        state = .authorization
        if line == "*" { return [err("[AUTH] Authentication cancelled")] }
        switch mechanism {
        case "PLAIN": return plain(line)
        default:
            guard let data = Data(base64Encoded: line), let text = String(data: data, encoding: .utf8),
                  let space = text.lastIndex(of: " ") else { return error("[AUTH] That is not base64 of \"user digest\"") }
            let name = String(text[..<space])
            let digest = String(text[text.index(after: space)...])
            return login(name, accepted: accounts?.check(user: name, challenge: challenge, digest: digest) ?? false)
        }
    }

    mutating func plain(_ response: String) -> [Action] {
        state = .authorization
        guard let data = Data(base64Encoded: response) else { return error("[AUTH] That is not base64") }
        let parts = data.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        guard parts.count == 3 else { return error("[AUTH] PLAIN is authzid NUL user NUL password, in base64") }
        return login(parts[1], accepted: accounts?.check(user: parts[1], password: parts[2]) ?? false)
    }

    /// A good login opens the maildrop (the host locks it); a bad one is an -ERR [AUTH].
    mutating func login(_ name: String, accepted: Bool) -> [Action] {
        guard accepted else { return error("[AUTH] Wrong user name or password") }
        state = .opening(user: name)
        return [.openMaildrop(user: name)]
    }

    /// The host locked and listed the maildrop, or could not.
    public mutating func maildropOpened(_ result: Result<[MaildropEntry], MaildropFailure>) -> [Action] {
        guard case .opening(let name) = state else { return [] }
        switch result {
        case .success(let entries):
            messages = entries
            deleted = []
            loggedIn = name
            locked = true
            state = .transaction
            let octets = entries.reduce(0) { $0 + $1.size }
            return [ok("\(Self.ascii(name, 64))'s maildrop has \(entries.count) message\(entries.count == 1 ? "" : "s") (\(octets) octets)")]
                + process()
        case .failure(.inUse):
            state = .authorization
            return [err("[IN-USE] \(Self.ascii(name, 64))'s maildrop is open in another session")] + process()
        case .failure(.system):
            state = .authorization
            return [err("[SYS/TEMP] The maildrop cannot be opened now; try again later")] + process()
        }
    }

    // MARK: - TRANSACTION

    /// The message a number names, if it is there and not deleted; else the -ERR.
    func pick(_ word: String?) -> Result<Int, POP3Error> {
        guard let word, let number = Int(word), number >= 1 else { return .failure(POP3Error("A message number, 1 or more")) }
        guard number <= messages.count else {
            return .failure(POP3Error("No message \(number): the maildrop has \(messages.count)"))
        }
        guard !deleted.contains(number - 1) else { return .failure(POP3Error("Message \(number) is deleted")) }
        return .success(number - 1)
    }

    struct POP3Error: Error { let text: String; init(_ text: String) { self.text = text } }

    mutating func transaction(_ verb: POP3Verb, _ command: POP3Command) -> [Action] {
        let words = command.arguments
        let live = messages.indices.filter { !deleted.contains($0) }
        switch verb {
        case .stat:
            return [ok("\(live.count) \(live.reduce(0) { $0 + messages[$1].size })")]
        case .list, .uidl:
            let messages = self.messages
            let show = { (index: Int) in "\(index + 1) " + (verb == .list ? String(messages[index].size) : messages[index].uid) }
            guard let word = words.first else {
                let count = live.count
                return [multiline(verb == .list ? "\(count) message\(count == 1 ? "" : "s")" : "Unique ids follow", live.map(show))]
            }
            switch pick(word) {
            case .success(let index): return [ok(show(index))]
            case .failure(let problem): return error(problem.text)
            }
        case .retr, .top:
            if verb == .top, words.count < 2 || Int(words[1]).map({ $0 < 0 }) ?? true {
                return error("Syntax: TOP msg n, n the number of body lines")
            }
            switch pick(words.first) {
            case .success(let index):
                state = .reading(command: command)
                return [.readMessage(uid: messages[index].uid)]
            case .failure(let problem): return error(problem.text)
            }
        case .dele:
            switch pick(words.first) {
            case .success(let index):
                deleted.insert(index)
                return [ok("Message \(index + 1) marked for deletion; it goes at QUIT, and RSET brings it back")]
            case .failure(let problem): return error(problem.text)
            }
        case .noop:
            return [ok("")]
        case .rset:
            deleted = []
            return [ok("Maildrop has \(messages.count) message\(messages.count == 1 ? "" : "s"), none marked for deletion")]
        default:
            return error("Not here")
        }
    }

    /// The host read the message for RETR or TOP.
    public mutating func messageRead(_ result: Result<[UInt8], MaildropFailure>) -> [Action] {
        guard case .reading(let command) = state else { return [] }
        state = .transaction
        guard case .success(let stored) = result else {
            return [err("[SYS/TEMP] The message cannot be read now")] + process()
        }
        let limit = command.verb == .top ? Int(command.arguments.dropFirst().first ?? "0") : nil
        var bytes = Array("+OK \(command.verb == .top ? "Top of message follows" : "Message follows")\r\n".utf8)
        var inBody = false
        var bodyLines = 0
        var lines = stored.split(separator: 0x0A, omittingEmptySubsequences: false)
        if stored.last == 0x0A { lines.removeLast() }
        for piece in lines {
            var line = Array(piece)
            if line.last == 0x0D { line.removeLast() }
            if inBody, let limit, bodyLines >= limit { break }
            bytes += Self.stuffed(line)
            if inBody { bodyLines += 1 }
            if line.isEmpty { inBody = true }
        }
        bytes += [0x2E, 0x0D, 0x0A]
        return [.reply(bytes)] + process()
    }

    /// A connection that ended without QUIT: the lock goes, nothing is deleted.
    public mutating func connectionClosed() -> [Action] {
        let release = locked
        locked = false
        state = .closed
        return release ? [.releaseMaildrop] : []
    }
}
