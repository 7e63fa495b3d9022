extension ServerSession {
    /// One command line from the client.
    mutating func handle(line bytes: [UInt8]) -> [Action] {
        if case .authenticating(let exchange) = state {
            return continueAuth(exchange, response: String(decoding: bytes, as: UTF8.self))
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return [.heard(VisibleText.escape(bytes))] + error(500, "5.5.2", "Command unrecognized: the line is not valid UTF-8 text")
        }
        let command = Command(parsing: text)
        let shown = Secrets.masked(command)
        let heard = Action.heard(shown.isEmpty ? "(empty line)" : VisibleText.escape(Array(shown.utf8)))
        if text.unicodeScalars.contains(where: { $0.value < 0x20 && $0.value != 0x09 || $0.value == 0x7F }) {
            return [heard] + error(500, "5.5.2", "Command unrecognized: control characters in the line")
        }
        guard let verb = command.verb else {
            if text.trimmingSpaces.isEmpty {
                return [heard] + error(500, "5.5.2", "Syntax error: an empty line is not a command")
            }
            return [heard] + error(500, "5.5.1", "Command unrecognized: \"\(command.keyword.prefix(20))\" is not an SMTP verb (HELP lists them)")
        }
        return [heard] + dispatch(verb, command)
    }

    mutating func dispatch(_ verb: Verb, _ command: Command) -> [Action] {
        let argument = command.argument.trimmingSpaces
        switch verb {
        case .helo, .ehlo: return hello(verb, argument)
        case .mail: return mail(command)
        case .rcpt: return rcpt(command)
        case .data: return data(argument)
        case .bdat: return bdat(argument)
        case .rset:
            if case .awaitingHello = state {} else { state = .idle }
            return [reply(250, "2.0.0", "Reset: the transaction is forgotten")]
        case .noop: return [reply(250, "2.0.0", "OK: nothing done")]
        case .quit:
            state = .closed
            return [reply(221, "2.0.0", "\(config.hostname) closing connection, goodbye"), .close]
        case .vrfy: return vrfy(argument)
        case .expn: return expn(argument)
        case .help: return help(argument)
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

    // MARK: - HELO, EHLO

    mutating func hello(_ verb: Verb, _ argument: String) -> [Action] {
        guard !argument.isEmpty else {
            return error(501, "5.5.4", "Syntax: \(verb.rawValue) <your domain name>")
        }
        helo = String(argument.prefix(255))
        usedEhlo = verb == .ehlo
        state = .idle
        let greeting = "\(config.hostname) Hello \(helo) [\(client.address)], I am the smtpx practice server"
        guard verb == .ehlo else { return [reply(250, nil, greeting)] }
        var lines = [greeting, "PIPELINING", "SIZE \(config.sizeLimit)", "8BITMIME", "SMTPUTF8", "ENHANCEDSTATUSCODES",
                     "DSN", "CHUNKING", "VRFY", "EXPN", "HELP"]
        if config.tlsAvailable && !isTLS { lines.append("STARTTLS") }
        if !config.accounts.isEmpty { lines.append((["AUTH"] + Self.authMechanisms).joined(separator: " ")) }
        return [reply(250, lines: lines)]
    }

    // MARK: - MAIL

    mutating func mail(_ command: Command) -> [Action] {
        switch state {
        case .awaitingHello: return error(503, "5.5.1", "Say hello first: EHLO or HELO comes before MAIL")
        case .transaction, .receivingData, .receivingChunk, .awaitingDelivery, .authenticating, .startingTLS:
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
                guard let value = parameter.value, let size = Int(value) else {
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
        if let declaredSize, declaredSize > config.sizeLimit {
            return [reply(552, "5.3.4", "Message too big: SIZE=\(declaredSize), the limit is \(config.sizeLimit) octets"
                          + (config.scenarios.contains(.sizeLimit) ? " (practice scenario size-limit)" : ""))]
        }
        if config.scenarios.contains(.tlsRequired) && !isTLS {
            return [reply(530, "5.7.0", "Must issue a STARTTLS command first (practice scenario tls-required)")]
        }
        if config.scenarios.contains(.authRequired) && authUser == nil {
            return [reply(530, "5.7.0", "Authentication required: log in with AUTH first (practice scenario auth-required)")]
        }
        state = .transaction(Envelope(sender: path.address, smtputf8: smtputf8))
        let shown = path.address.isEmpty ? "<> (the null sender, for bounces)" : "<\(path.address)>"
        return [reply(250, "2.1.0", "Sender \(shown) OK")]
    }

    func pathProblem(_ path: PathArgument, verb: String, prefix: String) -> String? {
        if !path.hasPrefix { return "Syntax: \(verb) \(prefix)<address>" }
        if path.spaceAfterColon { return "Syntax: \(verb) \(prefix)<address>, with no space after the colon (RFC 5321 §4.1.2)" }
        if path.unbalanced || !path.bracketed { return "Syntax: the address goes in angle brackets, \(verb) \(prefix)<address>" }
        return nil
    }

    // MARK: - RCPT

    mutating func rcpt(_ command: Command) -> [Action] {
        guard case .transaction(var envelope) = state else {
            if case .awaitingHello = state { return error(503, "5.5.1", "Say hello first: EHLO or HELO, then MAIL, then RCPT") }
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
        if envelope.recipients.count >= config.maxRecipients {
            return [reply(452, "4.5.3", "Too many recipients: at most \(config.maxRecipients) per message; send the rest in another")]
        }
        var address = path.address
        if address.lowercased() == "postmaster" { address = "postmaster@" + (config.domains.first ?? config.hostname) }
        if let problem = Mailbox.problems(in: address).first(where: { $0 != .nonASCII }) {
            return error(553, "5.1.3", "Bad recipient address syntax: \(Self.words(problem))")
        }
        if !address.unicodeScalars.allSatisfy(\.isASCII) && !envelope.smtputf8 {
            return error(553, "5.6.7", "Non-ASCII recipient address: the MAIL command did not say SMTPUTF8")
        }
        let (local, domain) = Self.split(address)
        recipientsTotal += 1
        let slow = tarpitDelay
        guard config.isLocal(domain: domain) else {
            if authUser != nil {
                envelope.recipients.append(Recipient(address: address, mailboxes: [], outbox: true))
                state = .transaction(envelope)
                return [reply(250, "2.1.5", "Recipient <\(address)> OK: kept in the outbox, never sent on (this server never relays)",
                              extraDelay: slow)]
            }
            envelope.failedRecipients += 1
            state = .transaction(envelope)
            return [reply(554, "5.7.1", "Relay access denied: \(domain) is not a local domain, and this server never relays",
                          extraDelay: slow)]
        }
        let mailboxes: [String]
        var what: String
        switch config.lookUp(local) {
        case .mailbox(let mailbox):
            mailboxes = [mailbox]
            what = "Recipient <\(address)> OK"
        case .list(let name, let members):
            mailboxes = members
            what = "List <\(address)> OK: \(name) expands to \(members.joined(separator: ", "))"
        case .unknown:
            envelope.failedRecipients += 1
            state = .transaction(envelope)
            return [reply(550, "5.1.1", "Mailbox <\(address)> unknown: no such user here (try alice or bob)", extraDelay: slow)]
        }
        if config.scenarios.contains(.mailboxFull) {
            envelope.failedRecipients += 1
            state = .transaction(envelope)
            return [reply(552, "5.2.2", "Mailbox <\(address)> is full (practice scenario mailbox-full)", extraDelay: slow)]
        }
        if config.scenarios.contains(.greylist), let greylist,
           greylist.shouldDefer(client: client.address, sender: envelope.sender, recipient: address, at: now,
                                delay: config.greylistDelay) {
            envelope.failedRecipients += 1
            state = .transaction(envelope)
            let wait = Int(config.greylistDelay.rounded(.up))
            return [reply(450, "4.7.1", "Greylisted: first try from this client, sender and recipient; try again in \(wait) s "
                          + "(practice scenario greylist)", extraDelay: slow)]
        }
        envelope.recipients.append(Recipient(address: address, mailboxes: mailboxes, outbox: false))
        state = .transaction(envelope)
        return [reply(250, "2.1.5", what, extraDelay: slow)]
    }

    static func split(_ address: String) -> (local: String, domain: String) {
        guard let at = address.lastIndex(of: "@") else { return (address, "") }
        return (String(address[..<at]), String(address[address.index(after: at)...]))
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

    mutating func data(_ argument: String) -> [Action] {
        guard argument.isEmpty else { return error(501, "5.5.4", "Syntax: DATA takes no argument") }
        guard case .transaction(let envelope) = state else {
            return error(503, "5.5.1", "Need MAIL and RCPT before DATA")
        }
        if envelope.chunked { return error(503, "5.5.1", "This message is being sent with BDAT: DATA cannot be mixed in") }
        guard !envelope.recipients.isEmpty else {
            return [reply(554, "5.5.1", "No valid recipients: none of the RCPT commands was accepted")]
        }
        state = .receivingData(envelope)
        return [reply(354, nil, "End data with <CR><LF>.<CR><LF>: headers, an empty line, the body, then a lone \".\"")]
    }

    mutating func finishData(_ envelope: Envelope) -> [Action] {
        let heard = Action.heard("(message text: \(envelope.size) octets, then \".\")")
        if envelope.oversized {
            state = .idle
            return [heard, reply(552, "5.3.4", "Message too big: \(envelope.size) octets, the limit is \(config.sizeLimit)")]
        }
        if config.scenarios.contains(.disconnectAfterData) {
            state = .closed
            return [heard, .close]
        }
        state = .awaitingDelivery
        return [heard, .deliver(message(from: envelope))]
    }

    mutating func bdat(_ argument: String) -> [Action] {
        let parts = argument.split(separator: " ")
        guard let sizeText = parts.first, let size = Int(sizeText), size >= 0,
              parts.count == 1 || (parts.count == 2 && parts[1].uppercased() == "LAST") else {
            return error(501, "5.5.4", "Syntax: BDAT <octets> [LAST]")
        }
        let last = parts.count == 2
        var envelope: Envelope
        switch state {
        case .transaction(let current) where !current.recipients.isEmpty:
            envelope = current
        case .transaction, .idle, .awaitingHello, .receivingData, .receivingChunk, .awaitingDelivery, .authenticating,
             .startingTLS, .closed:
            // The chunk's octets follow whatever the verdict: read them and throw them away (RFC 3030 §3).
            var discard = Envelope(sender: "", smtputf8: false)
            discard.oversized = true
            discard.size = config.sizeLimit + 1
            state = .receivingChunk(discard, remaining: size, last: last)
            return []
        }
        envelope.chunked = true
        state = .receivingChunk(envelope, remaining: size, last: last)
        return []
    }

    mutating func finishChunk(_ envelope: Envelope, last: Bool, size: Int) -> [Action] {
        if envelope.sender.isEmpty && envelope.recipients.isEmpty && envelope.oversized {
            state = .idle
            return error(503, "5.5.1", "Need MAIL and an accepted RCPT before BDAT; the chunk was read and thrown away")
        }
        if !last {
            state = .transaction(envelope)
            return [reply(250, "2.0.0", "\(envelope.size) octets received so far")]
        }
        return finishData(envelope)
    }

    func message(from envelope: Envelope) -> Message {
        Message(id: Self.queueID(), sender: envelope.sender, recipients: envelope.recipients, data: envelope.data,
                helo: helo, client: client, tls: isTLS, authUser: authUser, smtputf8: envelope.smtputf8,
                chunked: envelope.chunked)
    }

    static func queueID() -> String {
        String(UInt64.random(in: 0x10_0000_0000...0xFF_FFFF_FFFF), radix: 16, uppercase: true)
    }

    // MARK: - VRFY, EXPN, HELP

    mutating func vrfy(_ argument: String) -> [Action] {
        guard !argument.isEmpty else { return error(501, "5.5.4", "Syntax: VRFY <user or mailbox>") }
        guard config.revealUsers else {
            return [reply(252, "2.5.0", "Cannot VRFY user, but will accept message and attempt delivery")]
        }
        let name = argument.trimming("<>")
        let (local, domain) = Self.split(name)
        if !domain.isEmpty && !config.isLocal(domain: domain) {
            return [reply(551, "5.1.6", "\(domain) is not a local domain; this server keeps no users there")]
        }
        switch config.lookUp(local) {
        case .mailbox(let mailbox):
            return [reply(250, "2.1.5", "\(mailbox.prefix(1).uppercased() + mailbox.dropFirst()) <\(mailbox)@\(config.domains.first ?? config.hostname)>")]
        case .list(let list, _):
            return [reply(250, "2.1.5", "\(list) is a mailing list <\(list)@\(config.domains.first ?? config.hostname)>; EXPN \(list) lists its members")]
        case .unknown:
            return [reply(550, "5.1.1", "\(local): no such user here")]
        }
    }

    mutating func expn(_ argument: String) -> [Action] {
        guard !argument.isEmpty else { return error(501, "5.5.4", "Syntax: EXPN <mailing list>") }
        let (local, _) = Self.split(argument.trimming("<>"))
        guard case .list(_, let members) = config.lookUp(local) else {
            return [reply(550, "5.1.1", "\(local): no such mailing list here (try team)")]
        }
        let domain = config.domains.first ?? config.hostname
        let lines = members.map { "2.1.5 \($0.prefix(1).uppercased() + $0.dropFirst()) <\($0)@\(domain)>" }
        return [reply(250, lines: lines.isEmpty ? ["2.1.5 (empty list)"] : lines)]
    }

    func help(_ argument: String) -> [Action] {
        if let verb = Verb(keyword: argument.split(separator: " ").first ?? "") {
            return [reply(214, "2.0.0", verb.syntax)]
        }
        var verbs = "HELO EHLO MAIL RCPT DATA BDAT RSET VRFY EXPN HELP NOOP QUIT"
        if config.tlsAvailable { verbs += " STARTTLS" }
        if !config.accounts.isEmpty { verbs += " AUTH" }
        return [reply(214, lines: ["2.0.0 smtpx practice server. Commands:", "2.0.0 \(verbs)",
                                   "2.0.0 HELP <command> shows its syntax.", "2.0.0 End of HELP"])]
    }
}
