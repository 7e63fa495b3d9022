import SMTPCore
import SMTPKnowledge

extension Conversation {
    /// What the transport reports, in order.
    public mutating func handle(_ event: ConnectionEvent, at moment: Moment) -> [ConversationEffect] {
        switch event {
        case .connecting(let host, let port):
            link = .connecting(Target(host: host, port: port, implicitTLS: target?.implicitTLS ?? false,
                                      serverName: target?.serverName))
            // An exchanger of a route was announced with its MX line already.
            if let run = routing, run.attempt >= 0, run.attempt < run.candidates.count,
               run.candidates[run.attempt].address == host { return [] }
            note(.connecting(host: host, port: port), at: moment)
            return []
        case .connected(let remote, let local):
            link = .connected(remote: remote, local: local)
            if wire == .pop3 {
                pop3 = POP3ClientSession(connectedAt: moment.monotonic, tls: target?.implicitTLS ?? false)
            } else {
                session = ClientSession(connectedAt: moment.monotonic, tls: target?.implicitTLS ?? false)
            }
            tracking = ReplyTracking()
            tracking.waiting = [-1]
            tracking.lastActivity = moment.monotonic
            note(.connected(remote: remote, local: local), at: moment)
            return pump(at: moment)
        case .received(let bytes):
            if pop3 != nil {
                tracking.lastActivity = moment.monotonic
                pop3?.receive(bytes, at: moment.monotonic)
                return drainPOP3(at: moment) + pump(at: moment)
            }
            guard session != nil else { return [] }
            tracking.lastActivity = moment.monotonic
            session?.receive(bytes, at: moment.monotonic)
            var effects = drain(at: moment)
            effects += pump(at: moment)
            return effects
        case .resolved(let response):
            return resolved(response, at: moment)
        case .failed(let failure):
            link = .closed
            session = nil
            if let next = exchangerFailed(failure, at: moment) { return next }
            note(.connectFailed(failure), at: moment)
            outcome.stopped(.connectFailed)
            dropQueue(.closed, at: moment)
            return []
        case .closed(let reason):
            return closed(reason, at: moment)
        case .tlsEstablished(let info):
            tls = info
            let upgrade = upgrading
            if upgrading {
                upgrading = false
                session?.tlsEstablished()
                pop3?.tlsEstablished()
                tracking.waiting = []
            }
            tracking.lastActivity = moment.monotonic
            note(.tlsEstablished(info, upgrade: upgrade), at: moment)
            let weaknesses = TLSWeakness.find(in: info, at: moment.wall)
            if !weaknesses.isEmpty { note(.tlsWeak(weaknesses), at: moment) }
            var effects: [ConversationEffect] = []
            if let path = config.saveChain, !info.chain.isEmpty { effects.append(chainSave(info.chain, to: path)) }
            if upgrade && tracking.ehloAfterTLS {
                tracking.ehloAfterTLS = false
                let hello = Command(.ehlo, tracking.helloArgument.flatMap { $0.isEmpty ? nil : $0 } ?? "localhost")
                effects += transmit({ session, time in session.send(hello, at: time) }, at: moment)
            }
            return effects + pump(at: moment)
        case .tlsFailed(let failure):
            link = .closed
            session = nil
            pop3 = nil
            upgrading = false
            note(.tlsFailed(failure), at: moment)
            outcome.stopped(config.requireTLS ? .tlsRequired : .tlsFailed)
            dropQueue(.closed, at: moment)
            return []
        }
    }

    /// The connection ended. A close the session expected (after QUIT, a 421, a refused greeting,
    /// or our own) reads the same whichever way the socket ended, so a transcript does not
    /// depend on whether the server's reset or its FIN came first.
    mutating func closed(_ reason: CloseReason, at moment: Moment) -> [ConversationEffect] {
        var effects: [ConversationEffect] = []
        if var current = session {
            let events = current.connectionClosed()
            session = current
            for event in events { effects += apply(event, at: moment) }
        }
        let pop3QuitSent = pop3?.quitSent ?? false
        pop3?.connectionClosed()
        let wasUpgrading = upgrading
        upgrading = false
        let expected = (session?.quitSent ?? false) || pop3QuitSent || (session?.serverClosing ?? false) || tracking.greetingRefused
            || outcome.stop != nil || reason == .byClient
        var shown = reason
        if expected, case .error = reason { shown = .byServer }
        let unanswered = awaitingCount > 0
        link = .closed
        note(.closed(shown, expected: expected), at: moment)
        if !expected && (unanswered || wasUpgrading || !queue.isEmpty) {
            outcome.stopped(wasUpgrading && config.requireTLS ? .tlsRequired : .closedUnexpectedly)
        }
        dropQueue(.closed, at: moment)
        return effects
    }

    /// Nothing came for too long while a reply was awaited: give up, keeping what arrived.
    public mutating func tick(at moment: Moment) -> [ConversationEffect] {
        guard let deadline = nextDeadline, moment.monotonic >= deadline, let timeout = config.replyTimeoutSeconds else {
            return []
        }
        let what = tracking.waiting.first.map { $0 < 0 ? "220" : log.display($0) } ?? "TLS"
        if let began = tracking.replyBeganAt, moment.monotonic - began >= Self.replyLimit(timeout) {
            note(.replyTooLong(seconds: moment.monotonic - began), at: moment)
        } else {
            note(.timedOut(seconds: timeout, awaiting: what), at: moment)
        }
        tracking.gaveUp = true
        outcome.stopped(.timedOut)
        dropQueue(.stopped, at: moment)
        return [.close]
    }

    // MARK: - Log helpers

    /// Adds a `***` line for a local event.
    @discardableResult
    mutating func note(_ event: LocalEvent, at moment: Moment) -> Int {
        let index = log.append(event.kind, Array(event.words[language].utf8), at: moment.wall,
                               tls: sessionTLS, event: event)
        if event.isExplained { tracking.lastNote = index }
        return index
    }

    /// A message from the face: a save that worked or failed, a recording that stopped.
    /// `failure` is nil when the file was written, else the system's words.
    public mutating func noteSaved(_ what: SavedThing, path: String, failure: String?, at moment: Moment) {
        if let failure {
            note(.saveFailed(path: path, reason: failure), at: moment)
            return
        }
        switch what {
        case .transcript(let lines): note(.saved(lines: lines, path: path), at: moment)
        case .chain(let count): note(.chainSaved(certificates: count, path: path), at: moment)
        }
    }

    public mutating func noteRecordFailed(path: String, reason: String, at moment: Moment) {
        note(.recordFailed(path: path, reason: reason), at: moment)
    }

    /// Forgets the queued lines, saying how many and why.
    mutating func dropQueue(_ reason: LocalEvent.NotSentReason, at moment: Moment) {
        let dropped = queue.removeAll()
        if dropped > 0 { note(.linesNotSent(count: dropped, reason: reason), at: moment) }
    }
}
