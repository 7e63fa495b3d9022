import SMTPCore
import SMTPKnowledge

extension Conversation {
    /// A line the user typed (or a script holds): a command, a message line, a SASL response
    /// or a slash command. It joins the queue and goes when `pump` says it may.
    public mutating func submit(_ line: String, at moment: Moment) -> [ConversationEffect] {
        if let invocation = SlashCommand.parse(line) {
            guard let command = invocation.command else {
                // In a message, an unknown /word is text; elsewhere it is a mistake.
                if session?.inputMode == .messageText && queue.isEmpty { return enqueue(line, at: moment) }
                note(.unknownCommand(invocation.name), at: moment)
                if config.scriptMode { outcome.stopped(.scriptProblem) }
                return []
            }
            if config.scriptMode && !command.inBatch {
                note(.notAvailableHere(command.name), at: moment)
                outcome.stopped(.scriptProblem)
                return []
            }
            if command.timing == .immediate { return run(invocation, command, at: moment) }
        }
        return enqueue(line, at: moment)
    }

    mutating func enqueue(_ line: String, at moment: Moment) -> [ConversationEffect] {
        switch link {
        case .idle where routing?.connect == true:
            // The MX is being looked up: the line waits for the connection, as while connecting.
            queue.push(line)
            return []
        case .idle, .closed:
            note(.notConnected, at: moment)
            return []
        case .connecting, .connected:
            queue.push(line)
            return pump(at: moment)
        }
    }

    /// Sends queued lines while the rules allow (see the theory of operation).
    mutating func pump(at moment: Moment) -> [ConversationEffect] {
        if wire == .pop3 { return pumpPOP3(at: moment) }
        var effects: [ConversationEffect] = []
        while let line = queue.first {
            guard case .connected = link, let current = session, !current.isClosed, !current.serverClosing,
                  auth.request == nil, !upgrading, current.phase != .startingTLS, outcome.stop == nil else { break }
            let invocation = SlashCommand.parse(line)
            let text = line.hasPrefix("//") ? String(line.dropFirst()) : line
            switch current.inputMode {
            case .messageText, .chunk, .saslResponse:
                _ = queue.pop()
                if let invocation, let command = invocation.command {
                    // /raw works anywhere; a helper that talks SMTP waits for the command prompt.
                    effects += command.action == .raw ? run(invocation, command, at: moment)
                                                      : refuseHere(command, at: moment)
                    continue
                }
                effects += transmit({ session, time in session.submit(text, at: time) }, at: moment)
            case .command:
                if config.scriptMode && Self.isSkippable(line) {
                    _ = queue.pop()
                    continue
                }
                if let invocation, let command = invocation.command {
                    // /raw goes as soon as its turn comes; the helpers wait for every reply first.
                    guard command.action == .raw || current.awaiting.isEmpty else { return effects }
                    if command.action == .auth, config.requireTLS, !current.isTLS {
                        effects += requireTLS(before: Command(.auth), at: moment)
                        continue
                    }
                    _ = queue.pop()
                    effects += run(invocation, command, at: moment)
                    continue
                }
                let command = Command(parsing: text)
                guard mayPipeline(command, current) else { return effects }
                if config.requireTLS, !current.isTLS, Self.needsTLS(command) {
                    effects += requireTLS(before: command, at: moment)
                    continue
                }
                _ = queue.pop()
                if command.verb == .ehlo || command.verb == .helo { tracking.helloArgument = command.argument }
                effects += transmit({ session, time in session.send(command, at: time) }, at: moment)
            }
        }
        return effects
    }

    /// A command may go now: nothing is awaited, or the group it joins may grow (RFC 2920 §3.1).
    func mayPipeline(_ command: Command, _ session: ClientSession) -> Bool {
        if session.awaiting.isEmpty { return true }
        guard config.pipelining, session.capabilities?.has("PIPELINING") == true else { return false }
        return !session.awaiting.contains(where: Self.endsGroup)
    }

    /// RFC 2920 §3.1: what must be the last of a group, since what follows depends on it.
    static func endsGroup(_ sent: ClientSession.Sent) -> Bool {
        switch sent {
        case .greeting, .messageEnd, .saslResponse: return true
        case .command(let command): return endsGroup(command)
        }
    }

    static func endsGroup(_ command: Command) -> Bool {
        switch command.verb {
        case .ehlo, .helo, .data, .vrfy, .expn, .turn, .quit, .noop, .starttls, .auth, .bdat, .etrn, .atrn, .burl, nil:
            return true
        case .mail, .rcpt, .rset, .send, .soml, .saml, .help:
            return false
        }
    }

    /// Commands `--require-tls` lets go without TLS: they carry nothing of the mail.
    static func needsTLS(_ command: Command) -> Bool {
        switch command.verb {
        case .ehlo, .helo, .starttls, .quit, .noop, .rset, .help: return false
        default: return true
        }
    }

    /// Blank lines and `#` comments of a script.
    static func isSkippable(_ line: String) -> Bool {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty || trimmed.hasPrefix("#")
    }

    /// `--require-tls` before a command that needs TLS: STARTTLS when offered, else stop.
    mutating func requireTLS(before command: Command, at moment: Moment) -> [ConversationEffect] {
        guard let current = session else { return [] }
        if current.capabilities?.has("STARTTLS") == true {
            note(.startTLSRequired(before: Secrets.masked(command)), at: moment)
            tracking.ehloAfterTLS = true
            return transmit({ session, time in session.send(Command(.starttls), at: time) }, at: moment)
        }
        note(.tlsRequirementUnmet(current.hello == nil ? .plaintextCommand : .notOffered), at: moment)
        return stop(.tlsRequired, at: moment)
    }

    /// Stops the conversation: nothing queued is sent; QUIT goes if the session can take it.
    mutating func stop(_ why: Outcome.Stop, at moment: Moment) -> [ConversationEffect] {
        outcome.stopped(why)
        dropQueue(.stopped, at: moment)
        if let current = pop3 {
            guard isConnected, !current.quitSent, !current.awaiting.contains(.greeting) else { return [] }
            return transmitPOP3({ session, time in session.send(POP3Command(.quit), at: time) }, at: moment)
        }
        guard isConnected, let current = session, !current.quitSent, !current.serverClosing,
              !current.awaiting.contains(.greeting) else { return [] }
        return transmit({ session, time in session.send(Command(.quit), at: time) }, at: moment)
    }

    /// Puts one outgoing step through the session and logs what it wrote; a reply is awaited
    /// when the step added one to the session's queue.
    mutating func transmit(_ step: (inout ClientSession, Double) -> ClientSession.Outgoing,
                           at moment: Moment) -> [ConversationEffect] {
        guard var current = session else { return [] }
        let before = current.awaiting.count
        let outgoing = step(&current, moment.monotonic)
        session = current
        guard !outgoing.bytes.isEmpty else { return [] }
        let index = log.append(.sent, outgoing.bytes, at: moment.wall, tls: current.isTLS,
                               masked: outgoing.sensitive ? outgoing.display : nil, findings: outgoing.lint)
        if current.awaiting.count > before {
            tracking.waiting.append(index)
            log.awaited[index] = current.awaiting.last
        }
        tracking.hasSent = true
        tracking.lastActivity = moment.monotonic
        return [.send(outgoing.bytes)]
    }

    /// The script or the user is done: QUIT if the session is still open and it was not sent.
    /// Returns whether anything is left to wait for.
    public mutating func finish(at moment: Moment) -> [ConversationEffect] {
        if let current = pop3 {
            guard isConnected, !current.quitSent, !tracking.greetingRefused || current.awaiting.isEmpty else { return [] }
            return enqueue("QUIT", at: moment)
        }
        guard isConnected, let current = session, !current.quitSent, !current.serverClosing,
              !tracking.greetingRefused || current.awaiting.isEmpty else { return [] }
        return enqueue("QUIT", at: moment)
    }

    /// Nothing to do until a new line comes: nothing queued or awaited, no TLS or secret pending.
    public var isIdle: Bool {
        queue.isEmpty && auth.request == nil && !upgrading && awaitingCount == 0
    }

    // MARK: - AUTH

    /// `/auth [--allow-plaintext] MECHANISM USER`: checks that a secret may go, then asks for it.
    mutating func startAuth(_ arguments: [String], _ command: SlashCommand, at moment: Moment) -> [ConversationEffect] {
        var words = arguments
        let allow = words.first == "--allow-plaintext"
        if allow { words.removeFirst() }
        guard words.count == 2, let mechanism = SASLClient.Mechanism(name: words[0]),
              mechanism != .cramMD5 || config.hmacMD5 != nil else {
            note(.usage(command.usage), at: moment)
            return []
        }
        guard isConnected, let current = session else {
            note(.notConnected, at: moment)
            return []
        }
        guard let capabilities = current.capabilities, capabilities.has("AUTH") else {
            return refuseAuth(.notOffered, at: moment)
        }
        guard capabilities.authMechanisms.contains(mechanism.rawValue) else {
            return refuseAuth(.mechanismNotOffered, at: moment)
        }
        let permitted = allow || config.allowPlaintextAuth
        if !current.isTLS && mechanism.revealsSecret && !permitted { return refuseAuth(.plaintext, at: moment) }
        let request = SecretRequest(mechanism: mechanism, user: words[1], encrypted: current.isTLS)
        auth.request = request
        return [.askSecret(request)]
    }

    mutating func refuseAuth(_ why: LocalEvent.AuthRefusal, at moment: Moment) -> [ConversationEffect] {
        note(.authRefused(why), at: moment)
        return config.scriptMode ? stop(.scriptProblem, at: moment) : []
    }

    /// The secret `/auth` asked for: the exchange starts.
    public mutating func provideSecret(_ secret: String, at moment: Moment) -> [ConversationEffect] {
        guard let request = auth.request else { return [] }
        auth.request = nil
        if pop3 != nil { return provideSecretPOP3(request, secret, at: moment) + pump(at: moment) }
        let helper = SASLClient(mechanism: request.mechanism, user: request.user, secret: secret,
                                hmacMD5: config.hmacMD5 ?? { _, _ in [] })
        auth.helper = helper
        if !(session?.isTLS ?? false) && request.mechanism.revealsSecret {
            note(.plaintextAuthAllowed(mechanism: request.mechanism.rawValue), at: moment)
        }
        var effects = transmit({ session, time in session.send(helper.command, at: time) }, at: moment)
        effects += pump(at: moment)
        return effects
    }

    /// The user pressed Esc at the secret prompt.
    public mutating func cancelSecret(at moment: Moment) -> [ConversationEffect] {
        guard auth.request != nil else { return [] }
        auth.request = nil
        note(.authCancelled, at: moment)
        return pump(at: moment)
    }

    /// The face could not get a secret (no SMTPX_SECRET, no terminal).
    public mutating func secretUnavailable(at moment: Moment) -> [ConversationEffect] {
        guard auth.request != nil else { return [] }
        auth.request = nil
        return refuseAuth(.noSecret, at: moment)
    }
}

extension SASLClient.Mechanism {
    /// The mechanism sends the secret itself, barely encoded (CRAM-MD5 sends a keyed digest).
    public var revealsSecret: Bool {
        switch self {
        case .plain, .login, .xoauth2: return true
        case .cramMD5: return false
        }
    }
}
