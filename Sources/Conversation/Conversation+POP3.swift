import Foundation
import SMTPCore
import SMTPKnowledge

// POP3 through the same engine: the queue, the log, the waiting, TLS and `/auth` are the
// conversation's; the session is `POP3ClientSession` instead of `ClientSession` while `wire` is
// `.pop3`. A line typed goes when every response before it has come (POP3 pipelining is not
// used); a response is logged line by line as it arrives and kept whole for its explanation.

extension Conversation {
    // MARK: - The session, whichever protocol

    var sessionClosed: Bool { pop3?.isClosed ?? session?.isClosed ?? true }
    var sessionTLS: Bool { pop3?.isTLS ?? session?.isTLS ?? false }
    var awaitingCount: Int { pop3?.awaiting.count ?? session?.awaiting.count ?? 0 }
    var awaitingSinceTime: Double? {
        if let pop3 { return pop3.awaiting.isEmpty ? nil : pop3.awaitingSince }
        return session.flatMap { tracking.waitingSince($0) }
    }

    /// What the user's next line will be taken as.
    public var inputMode: ClientSession.InputMode { pop3?.inputMode ?? session?.inputMode ?? .command }

    /// The protocol spoken now.
    public var protocolSpoken: WireProtocol { wire }

    /// What to send next, for the explainer and Tab, in the protocol spoken.
    public var nextSteps: [String] { pop3?.suggestions ?? session?.suggestions ?? [] }

    /// The lint of a typed line, in the protocol spoken (POP3 findings in their own words).
    public func pop3Lint(_ line: String) -> [POP3LintFinding] {
        guard let pop3, pop3.inputMode == .command else { return [] }
        return pop3.lint(POP3Command(parsing: line))
    }

    // MARK: - Receiving

    mutating func drainPOP3(at moment: Moment) -> [ConversationEffect] {
        var effects: [ConversationEffect] = []
        while let event = pop3?.nextEvent() { effects += applyPOP3(event, at: moment) }
        return effects
    }

    mutating func applyPOP3(_ event: POP3ClientSession.Event, at moment: Moment) -> [ConversationEffect] {
        let secure = sessionTLS
        switch event {
        case .line(let raw, let final, _):
            let index = log.endIndex
            let first = tracking.replyStart == nil
            if first {
                tracking.replyStart = index
                tracking.replyBeganAt = moment.monotonic
            }
            let answers = tracking.waiting.first.flatMap { $0 >= 0 ? $0 : nil }
            log.append(.received, raw, at: moment.wall, tls: secure, code: nil,
                       latencySeconds: first ? pop3Latency(at: moment) : nil, isFinal: final,
                       replyBack: index - (tracking.replyStart ?? index), answers: answers)
            if first && tracking.waiting.first == -1 { log.greetings.insert(index) }
            return []
        case .response(let response, let answering, let latency):
            let last = log.endIndex - 1
            if let latency, let entry = log[last], entry.replyBack > 0 { log.setLastLineLatency(last, seconds: latency.lastLineSeconds) }
            log.pop3Responses[last] = response
            if !tracking.waiting.isEmpty { tracking.waiting.removeFirst() }
            tracking.waiting = Array(tracking.waiting.suffix(pop3?.awaiting.count ?? 0))
            tracking.lastReply = last
            tracking.replyStart = nil
            tracking.replyBeganAt = nil
            outcome.noteReply(response.statusClass * 100)
            return settlePOP3(response, answering: answering, at: moment)
        case .stray(let raw):
            log.append(.stray, raw, at: moment.wall, tls: secure)
            return []
        case .discarded(let count):
            note(.discarded(byteCount: count), at: moment)
            return []
        case .refusedPlaintext(let bytes):
            let preview = TextWidth.truncate(VisibleText.escape(bytes, lineEndings: true), to: 60)
            note(.refusedPlaintext(count: bytes.count, preview: preview), at: moment)
            return []
        case .startTLS:
            tracking.waiting = []
            upgrading = true
            note(.startingTLS, at: moment)
            return [.startTLS]
        }
    }

    func pop3Latency(at moment: Moment) -> Double? {
        guard let since = pop3?.awaitingSince else { return nil }
        return max(0, moment.monotonic - since)
    }

    /// What a response changes beyond the session: the `/auth` helper, a refused greeting.
    mutating func settlePOP3(_ response: POP3Response, answering: POP3ClientSession.Sent?, at moment: Moment) -> [ConversationEffect] {
        switch answering {
        case .greeting?:
            if !response.isOK {
                tracking.greetingRefused = true
                note(.greetingRefused(code: 0), at: moment)
            }
            return []
        case .command(let command)?:
            guard auth.helper != nil || auth.pop3Password != nil || auth.pop3User != nil else { return [] }
            if command.verb == .user, let password = auth.pop3Password {
                auth.pop3Password = nil
                guard response.isOK else { return [] }
                return transmitPOP3({ session, time in session.send(POP3Command(.pass, password), at: time) }, at: moment)
            }
            return pop3AuthStep(response, at: moment)
        case .saslResponse?:
            return pop3AuthStep(response, at: moment)
        case nil:
            return []
        }
    }

    /// The `/auth` helper answers a `+ ` continuation; +OK logs who we are; -ERR ends it.
    mutating func pop3AuthStep(_ response: POP3Response, at moment: Moment) -> [ConversationEffect] {
        guard var helper = auth.helper else {
            if response.isOK, let user = auth.pop3User {
                auth.pop3User = nil
                auth.user = user
                note(.authenticated(user: user), at: moment)
            }
            return []
        }
        switch response.status {
        case .continuation where pop3?.inputMode == .saslResponse:
            let line = helper.respond(to: Reply(code: 334, response.text.isEmpty ? "" : response.text))
            auth.helper = helper
            return transmitPOP3({ session, time in session.sendSASL(line, at: time) }, at: moment)
        case .ok:
            auth.user = helper.user
            auth.helper = nil
            note(.authenticated(user: helper.user), at: moment)
        default:
            auth.helper = nil
        }
        return []
    }

    // MARK: - Sending

    /// Sends queued lines one at a time, each after the response before it.
    mutating func pumpPOP3(at moment: Moment) -> [ConversationEffect] {
        var effects: [ConversationEffect] = []
        while let line = queue.first {
            guard case .connected = link, let current = pop3, !current.isClosed, auth.request == nil, !upgrading,
                  current.state != .awaitingTLS, outcome.stop == nil, current.awaiting.isEmpty else { break }
            let invocation = SlashCommand.parse(line)
            if current.inputMode == .command, config.scriptMode, Self.isSkippable(line) {
                _ = queue.pop()
                continue
            }
            _ = queue.pop()
            if let invocation, let command = invocation.command {
                effects += run(invocation, command, at: moment)
                continue
            }
            let text = line.hasPrefix("//") ? String(line.dropFirst()) : line
            effects += transmitPOP3({ session, time in session.submit(text, at: time) }, at: moment)
        }
        return effects
    }

    mutating func transmitPOP3(_ step: (inout POP3ClientSession, Double) -> POP3ClientSession.Outgoing,
                               at moment: Moment) -> [ConversationEffect] {
        guard var current = pop3 else { return [] }
        let before = current.awaiting.count
        let outgoing = step(&current, moment.monotonic)
        pop3 = current
        let index = log.append(.sent, outgoing.bytes, at: moment.wall, tls: current.isTLS,
                               masked: outgoing.sensitive ? outgoing.display : nil, findings: [])
        if !outgoing.lint.isEmpty { log.pop3Findings[index] = outgoing.lint }
        if current.awaiting.count > before {
            tracking.waiting.append(index)
            log.pop3Awaited[index] = current.awaiting.last
        }
        tracking.hasSent = true
        tracking.lastActivity = moment.monotonic
        return [.send(outgoing.bytes)]
    }

    // MARK: - Switching protocol

    /// `/pop3 [HOST [PORT]]` and `/smtp [HOST [PORT]]`: the same screen, the other protocol; with
    /// no HOST the practice server's port for it, or the same host on the protocol's port.
    mutating func switchProtocol(_ next: WireProtocol, _ arguments: [String], usage: String, at moment: Moment) -> [ConversationEffect] {
        guard arguments.count <= 2 else {
            note(.usage(usage), at: moment)
            return []
        }
        var destination: Target?
        if let host = arguments.first {
            let port = arguments.count > 1 ? Int(arguments[1]) : (next == .pop3 ? 110 : 25)
            guard let port, (1...65535).contains(port) else {
                note(.usage(usage), at: moment)
                return []
            }
            destination = Target(host: host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")), port: port)
        } else {
            destination = next == .pop3 ? config.practiceTargets?.pop3 ?? target.map { Target(host: $0.host, port: 110) }
                                        : config.practiceTargets?.smtp ?? target.map { Target(host: $0.host, port: 25) }
        }
        guard let destination else {
            note(.usage(usage), at: moment)
            return []
        }
        let closing: [ConversationEffect] = isConnected || link != .idle ? [.close] : []
        dropQueue(.closed, at: moment)
        wire = next
        return closing + connect(to: destination, at: moment)
    }

    /// `/auth` on POP3: `user` is USER then PASS; `plain` and `cram-md5` are AUTH (RFC 5034).
    mutating func startAuthPOP3(_ arguments: [String], _ command: SlashCommand, at moment: Moment) -> [ConversationEffect] {
        var words = arguments
        let allow = words.first == "--allow-plaintext"
        if allow { words.removeFirst() }
        guard words.count == 2 else {
            note(.usage(command.usage), at: moment)
            return []
        }
        let name = words[0].lowercased()
        let mechanism: SASLClient.Mechanism
        switch name {
        case "user": mechanism = .login
        case "plain": mechanism = .plain
        case "cram-md5" where config.hmacMD5 != nil: mechanism = .cramMD5
        default:
            note(.usage(command.usage), at: moment)
            return []
        }
        guard isConnected, let current = pop3 else {
            note(.notConnected, at: moment)
            return []
        }
        if name != "user", current.capabilities != nil, !current.mechanisms.contains(mechanism.rawValue) {
            return refuseAuth(.mechanismNotOffered, at: moment)
        }
        if !current.isTLS && mechanism.revealsSecret && !(allow || config.allowPlaintextAuth) {
            return refuseAuth(.plaintext, at: moment)
        }
        auth.pop3UserMode = name == "user"
        let request = SecretRequest(mechanism: mechanism, user: words[1], encrypted: current.isTLS)
        auth.request = request
        return [.askSecret(request)]
    }

    /// The secret for POP3's `/auth`: USER (PASS follows its +OK), or AUTH.
    mutating func provideSecretPOP3(_ request: SecretRequest, _ secret: String, at moment: Moment) -> [ConversationEffect] {
        if !sessionTLS && request.mechanism.revealsSecret {
            note(.plaintextAuthAllowed(mechanism: auth.pop3UserMode ? "USER/PASS" : request.mechanism.rawValue), at: moment)
        }
        if auth.pop3UserMode {
            auth.pop3UserMode = false
            auth.pop3Password = secret
            auth.pop3User = request.user
            return transmitPOP3({ session, time in session.send(POP3Command(.user, request.user), at: time) }, at: moment)
        }
        let helper = SASLClient(mechanism: request.mechanism, user: request.user, secret: secret,
                                hmacMD5: config.hmacMD5 ?? { _, _ in [] })
        auth.helper = helper
        let line = helper.command.argument
        return transmitPOP3({ session, time in session.send(POP3Command(.auth, line), at: time) }, at: moment)
    }
}
