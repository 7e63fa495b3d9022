extension ServerSession {
    /// One command line from the client.
    mutating func handle(line bytes: [UInt8]) -> Step {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return error(500, "5.5.2", "Command unrecognized: the line is not valid UTF-8 text").heard(VisibleText.escape(bytes))
        }
        let command = Command(parsing: text)
        let shown = Secrets.masked(command)
        let heard = Action.heard(shown.isEmpty ? "(empty line)" : VisibleText.escape(Array(shown.utf8)))
        if text.unicodeScalars.contains(where: { $0.value < 0x20 && $0.value != 0x09 || $0.value == 0x7F }) {
            return error(500, "5.5.2", "Command unrecognized: control characters in the line").heard(heard)
        }
        guard let verb = command.verb else {
            if text.trimmingSpaces.isEmpty {
                return error(500, "5.5.2", "Syntax error: an empty line is not a command").heard(heard)
            }
            return error(500, "5.5.1", "Command unrecognized: \"\(command.keyword.prefix(20))\" is not an SMTP verb (HELP lists them)").heard(heard)
        }
        return dispatch(verb, command).heard(heard)
    }

    mutating func dispatch(_ verb: Verb, _ command: Command) -> Step {
        let argument = command.argument.trimmingSpaces
        switch verb {
        case .helo, .ehlo: return hello(verb, argument)
        case .mail: return mail(command)
        case .rcpt: return rcpt(command)
        case .data: return data(argument)
        case .bdat: return bdat(argument)
        case .rset: return junk(Step([reply(250, "2.0.0", "Reset: the transaction is forgotten")], .reset))
        case .noop: return junk(Step([reply(250, "2.0.0", "OK: nothing done")]))
        case .quit: return Step([reply(221, "2.0.0", "\(policy.hostname) closing connection, goodbye"), .close], .close)
        case .vrfy:
            guard !argument.isEmpty else { return error(501, "5.5.4", "Syntax: VRFY <user or mailbox>") }
            return junk(Step([reply(policy.verify(argument))]))
        case .expn:
            guard !argument.isEmpty else { return error(501, "5.5.4", "Syntax: EXPN <mailing list>") }
            return junk(Step([reply(policy.expand(argument))]))
        case .help: return junk(help(argument))
        case .send, .soml, .saml:
            return error(502, "5.5.1", "\(verb.rawValue) is obsolete: RFC 821 defined it and RFC 2821 withdrew it; use MAIL")
        case .turn:
            return error(502, "5.5.1", "TURN is obsolete: it let anyone collect someone else's mail (RFC 5321 Appendix F.1)")
        case .etrn, .atrn, .burl:
            return error(502, "5.5.1", "\(verb.rawValue) is not implemented by this practice server")
        case .starttls: return startTLS(argument)
        case .auth: return auth(argument)
        }
    }

    /// A command that does no mail work: counted, and past the limit the session ends (a client
    /// that only sends NOOP, VRFY or HELP is probing or stuck).
    mutating func junk(_ step: Step) -> Step {
        counters.junk += 1
        guard counters.junk > policy.limits.junkCommands else { return step }
        return Step([reply(421, "4.7.0", "Too many commands that do nothing (\(counters.junk)); closing the connection"), .close],
                    .close)
    }

    // MARK: - HELO, EHLO

    mutating func hello(_ verb: Verb, _ argument: String) -> Step {
        guard !argument.isEmpty else { return error(501, "5.5.4", "Syntax: \(verb.rawValue) <your domain name>") }
        let name = String(argument.prefix(255))
        let greeting = "\(policy.hostname) Hello \(name) [\(client.address)], I am the smtpx practice server"
        guard verb == .ehlo else { return Step([reply(250, nil, greeting)], .hello(name: name, extended: false)) }
        var lines = [greeting, "PIPELINING", "SIZE \(policy.limits.messageSize)", "8BITMIME", "SMTPUTF8", "ENHANCEDSTATUSCODES",
                     "DSN", "CHUNKING", "VRFY", "EXPN", "HELP"]
        if policy.offersTLS && !isTLS { lines.append("STARTTLS") }
        // Only the mechanisms usable now: PLAIN and LOGIN wait for TLS where TLS is offered, as
        // Postfix's smtpd_tls_auth_only does (typed anyway, they get 538 and why).
        let usable = policy.authMechanisms.filter { policy.refuseMechanism($0, facts) == nil }
        if !usable.isEmpty { lines.append((["AUTH"] + usable).joined(separator: " ")) }
        return Step([reply(250, lines: lines)], .hello(name: name, extended: true))
    }

    // MARK: - MAIL

    mutating func mail(_ command: Command) -> Step {
        switch stage {
        case .awaitingHello: return error(503, "5.5.1", "Say hello first: EHLO or HELO comes before MAIL")
        case .transaction, .data, .chunk, .awaitingDelivery, .authenticating, .startingTLS:
            return error(503, "5.5.1", "Sender already given: finish this message or send RSET first")
        case .idle, .closed: break
        }
        guard let path = command.pathArgument else { return error(501, "5.5.4", "Syntax: MAIL FROM:<address>") }
        if let problem = pathProblem(path, verb: "MAIL", prefix: "FROM:") { return error(501, "5.5.4", problem) }
        if !path.address.isEmpty, let problem = Mailbox.problems(in: path.address).first(where: { $0 != .nonASCII }) {
            return error(553, "5.1.7", "Bad sender address syntax: \(Self.words(problem))")
        }
        var smtputf8 = false
        var declaredSize: Int?
        for parameter in path.parameters {
            let name = parameter.keyword.uppercased()
            switch name {
            case "SIZE":
                guard let value = parameter.value, let size = Self.number(value) else {
                    return error(501, "5.5.4", "Syntax: SIZE=<octets>")
                }
                declaredSize = size
            case "BODY":
                guard let value = parameter.value?.uppercased(), value == "7BIT" || value == "8BITMIME" else {
                    return error(555, "5.5.4", "BODY= must be 7BIT or 8BITMIME here (BINARYMIME is not offered)")
                }
            case "SMTPUTF8":
                guard parameter.value == nil else { return error(501, "5.5.4", "SMTPUTF8 takes no value") }
                smtputf8 = true
            case "RET", "ENVID", "AUTH":
                guard ESMTPParameterSpec.find(name, for: .mail)?.accepts(parameter.value) ?? false else {
                    return error(501, "5.5.4", "Bad value for \(name)")
                }
            default:
                return error(555, "5.5.4", "Unknown MAIL parameter \(name): this server does not offer it")
            }
        }
        if !path.address.unicodeScalars.allSatisfy(\.isASCII) && !smtputf8 {
            return error(553, "5.6.7", "Non-ASCII sender address: add SMTPUTF8 to MAIL FROM (RFC 6531)")
        }
        if let declaredSize, declaredSize > policy.limits.messageSize {
            return Step([reply(552, "5.3.4", "Message too big: SIZE=\(declaredSize), the limit is \(policy.limits.messageSize) octets")])
        }
        if let refusal = policy.refuseSender(path.address, facts) { return Step([reply(refusal)]) }
        let shown = path.address.isEmpty ? "<> (the null sender, for bounces)" : "<\(path.address)>"
        return Step([reply(250, "2.1.0", "Sender \(shown) OK", utf8: smtputf8)],
                    .beginTransaction(Envelope(sender: path.address, smtputf8: smtputf8)))
    }

    func pathProblem(_ path: PathArgument, verb: String, prefix: String) -> String? {
        if !path.hasPrefix { return "Syntax: \(verb) \(prefix)<address>" }
        if path.spaceAfterColon { return "Syntax: \(verb) \(prefix)<address>, with no space after the colon (RFC 5321 section 4.1.2)" }
        if path.unbalanced || !path.bracketed { return "Syntax: the address goes in angle brackets, \(verb) \(prefix)<address>" }
        return nil
    }

    // MARK: - RCPT

    mutating func rcpt(_ command: Command) -> Step {
        guard stage == .transaction, let envelope else {
            if stage == .awaitingHello { return error(503, "5.5.1", "Say hello first: EHLO or HELO, then MAIL, then RCPT") }
            return error(503, "5.5.1", "Need MAIL before RCPT: who is the message from?")
        }
        guard let path = command.pathArgument else { return error(501, "5.5.4", "Syntax: RCPT TO:<address>") }
        if let problem = pathProblem(path, verb: "RCPT", prefix: "TO:") { return error(501, "5.5.4", problem) }
        for parameter in path.parameters {
            let name = parameter.keyword.uppercased()
            guard name == "NOTIFY" || name == "ORCPT" else {
                return error(555, "5.5.4", "Unknown RCPT parameter \(name): this server does not offer it")
            }
            guard ESMTPParameterSpec.find(name, for: .rcpt)?.accepts(parameter.value) ?? false else {
                return error(501, "5.5.4", "Bad value for \(name)")
            }
        }
        if envelope.recipients.count >= policy.limits.recipients {
            return Step([reply(452, "4.5.3", "Too many recipients: at most \(policy.limits.recipients) per message; send the rest in another")])
        }
        let address = path.address
        if address.lowercased() != "postmaster", let problem = Mailbox.problems(in: address).first(where: { $0 != .nonASCII }) {
            return error(553, "5.1.3", "Bad recipient address syntax: \(Self.words(problem))")
        }
        if !address.unicodeScalars.allSatisfy(\.isASCII) && !envelope.smtputf8 {
            return error(553, "5.6.7", "Non-ASCII recipient address: the MAIL command did not say SMTPUTF8")
        }
        counters.recipients += 1
        let wait = policy.delay(errors: counters.errors, recipients: counters.recipients, isError: false)
        switch policy.route(address, sender: envelope.sender, facts, at: now) {
        case .accept(let recipient, let text):
            return Step([.reply(Reply(code: 250, replyText("2.1.5 " + text)), after: wait)], .addRecipient(recipient))
        case .refuse(let verdict):
            return Step([reply(verdict, after: wait)], .refuseRecipient)
        }
    }

    static func words(_ problem: AddressProblem) -> String {
        switch problem {
        case .noAt: return "no @ between the name and the domain"
        case .emptyLocalPart: return "nothing before the @"
        case .emptyDomain: return "nothing after the @"
        case .localPartTooLong(let n): return "the part before the @ is \(n) octets, over 64"
        case .domainTooLong(let n): return "the domain is \(n) octets, over 255"
        case .pathTooLong(let n): return "the address is \(n) octets, over 256"
        case .badLocalPartCharacter(let c): return "\"\(c)\" may not appear unquoted before the @"
        case .badDots: return "a dot at an end of the name, or two in a row"
        case .badDomainLabel(let label): return "\"\(label)\" is not a valid part of a domain"
        case .badAddressLiteral(let literal): return "\(literal) is not a valid address literal"
        case .nonASCII: return "non-ASCII characters need SMTPUTF8"
        case .sourceRoute: return "source routes are obsolete"
        case .unterminatedQuote: return "a quote is not closed"
        }
    }

    // MARK: - DATA and BDAT

    mutating func data(_ argument: String) -> Step {
        guard argument.isEmpty else { return error(501, "5.5.4", "Syntax: DATA takes no argument") }
        guard stage == .transaction, let envelope else { return error(503, "5.5.1", "Need MAIL and RCPT before DATA") }
        if envelope.chunked {
            return error(503, "5.5.1", "This message is being sent with BDAT: DATA cannot be mixed in")
        }
        guard !envelope.recipients.isEmpty else {
            return Step([reply(554, "5.5.1", "No valid recipients: none of the RCPT commands was accepted")])
        }
        return Step([reply(354, nil, "End data with <CR><LF>.<CR><LF>: headers, an empty line, the body, then a lone \".\"")],
                    .beginData)
    }

    /// `BDAT <octets> [LAST]` (RFC 3030): digits only. A chunk that cannot be taken is still read,
    /// then refused, and the session stays where it was.
    mutating func bdat(_ argument: String) -> Step {
        let parts = argument.split(separator: " ", omittingEmptySubsequences: false)
        guard let sizeText = parts.first, let size = Self.number(sizeText),
              parts.count == 1 || (parts.count == 2 && parts[1].uppercased() == "LAST") else {
            return error(501, "5.5.4", "Syntax: BDAT <octets> [LAST]")
        }
        let last = parts.count == 2
        if stage == .transaction, let envelope, !envelope.recipients.isEmpty {
            return Step([], .beginChunk(size: size, last: last))
        }
        return Step([], .discardChunk(size: size, last: last))
    }

    /// A count as RFC 5321 writes numbers: one to 18 ASCII digits, nothing else ("+5", " 5",
    /// "0x5" are not numbers).
    static func number<Text: StringProtocol>(_ text: Text) -> Int? {
        guard !text.isEmpty, text.count <= 18, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int(text)
    }

    // MARK: - HELP

    func help(_ argument: String) -> Step {
        if let verb = Verb(keyword: argument.split(separator: " ").first ?? "") {
            return Step([reply(214, "2.0.0", verb.syntax)])
        }
        var verbs = "HELO EHLO MAIL RCPT DATA BDAT RSET VRFY EXPN HELP NOOP QUIT"
        if policy.offersTLS { verbs += " STARTTLS" }
        if !policy.authMechanisms.isEmpty { verbs += " AUTH" }
        return Step([reply(214, lines: ["2.0.0 smtpx practice server. Commands:", "2.0.0 \(verbs)",
                                        "2.0.0 HELP <command> shows its syntax.", "2.0.0 End of HELP"])])
    }

    // MARK: - Replies

    /// A reply, delayed as the policy says.
    func reply(_ code: Int, _ enhanced: String?, _ text: String, extraDelay: Double = 0, utf8: Bool? = nil) -> Action {
        let body = enhanced.map { "\($0) \(text)" } ?? text
        return .reply(Reply(code: code, replyText(body, utf8: utf8)),
                      after: extraDelay + policy.delay(errors: 0, recipients: 0, isError: false))
    }

    func reply(_ code: Int, lines: [String]) -> Action {
        .reply(Reply(code: code, lines.map { replyText($0) }), after: policy.delay(errors: 0, recipients: 0, isError: false))
    }

    /// A policy's verdict as a reply (each line with its enhanced code).
    func reply(_ verdict: ServerVerdict, after wait: Double? = nil) -> Action {
        let lines = verdict.lines.map { line in replyText(verdict.enhanced.map { "\($0) \(line)" } ?? line) }
        return .reply(Reply(code: verdict.code, lines), after: wait ?? policy.delay(errors: 0, recipients: 0, isError: false))
    }

    /// A reply's text is ASCII, unless the transaction said SMTPUTF8 (RFC 6531 §3.7.4): what a
    /// client wrote and a reply repeats (an unknown verb, a VRFY name) has its other characters
    /// shown as "?".
    func replyText(_ text: String, utf8: Bool? = nil) -> String {
        if utf8 ?? envelope?.smtputf8 ?? false { return text }
        guard !text.unicodeScalars.allSatisfy(\.isASCII) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.map { $0.isASCII ? $0 : "?" }))
    }

    /// A reply to a bad command: counted, slowed by the policy, and the end of the session
    /// once there were too many.
    mutating func error(_ code: Int, _ enhanced: String, _ text: String) -> Step {
        counters.errors += 1
        if counters.errors >= policy.limits.errors {
            return Step([reply(421, "4.7.0", "Too many errors (\(counters.errors)); closing the connection"), .close], .close)
        }
        let wait = policy.delay(errors: counters.errors, recipients: counters.recipients, isError: true)
        return Step([.reply(Reply(code: code, replyText("\(enhanced) \(text)")), after: wait)])
    }
}

extension ServerSession.Step {
    /// This step with what the client sent logged first.
    func heard(_ line: String) -> Self { heard(.heard(line)) }

    func heard(_ action: ServerSession.Action) -> Self {
        var step = self
        step.actions.insert(action, at: 0)
        return step
    }
}
