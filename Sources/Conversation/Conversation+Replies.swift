import SMTPCore
import SMTPKnowledge

extension Conversation {
    /// Pulls every event out of the session and logs it.
    mutating func drain(at moment: Moment) -> [ConversationEffect] {
        var effects: [ConversationEffect] = []
        while let event = session?.nextEvent() { effects += apply(event, at: moment) }
        return effects
    }

    mutating func apply(_ event: ClientSession.Event, at moment: Moment) -> [ConversationEffect] {
        let secure = session?.isTLS ?? false
        switch event {
        case .line(let line):
            let index = log.endIndex
            let first = tracking.replyStart == nil
            if first {
                tracking.replyStart = index
                tracking.replyBeganAt = moment.monotonic
            }
            let answers = tracking.waiting.first.flatMap { $0 >= 0 ? $0 : nil }
            log.append(.received, line.raw, at: moment.wall, tls: secure, code: line.code,
                       latencySeconds: first ? session?.currentReplyLatency : nil, isFinal: line.isFinal,
                       replyBack: index - (tracking.replyStart ?? index), answers: answers)
            if first && tracking.waiting.first == -1 { log.greetings.insert(index) }
            return []
        case .reply(let reply, let answering, let latency):
            let last = log.endIndex - 1
            if let latency, let entry = log[last], entry.replyBack > 0 {
                log.setLastLineLatency(last, seconds: latency.lastLineSeconds)
            }
            if !tracking.waiting.isEmpty { tracking.waiting.removeFirst() }
            tracking.waiting = Array(tracking.waiting.suffix(session?.awaiting.count ?? 0))
            tracking.lastReply = last
            tracking.replyStart = nil
            tracking.replyBeganAt = nil
            outcome.noteReply(reply.code)
            return settle(reply, answering: answering, at: moment)
        case .stray(let line):
            log.append(.stray, line.raw, at: moment.wall, tls: secure)
            return []
        case .discarded(let count):
            // The reply goes on after a cut line that was not its last: its next line is not
            // the first of another reply.
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

    /// What a complete reply changes beyond the session: the queue, the AUTH helper, a stop.
    mutating func settle(_ reply: Reply, answering: ClientSession.Sent?, at moment: Moment) -> [ConversationEffect] {
        var effects: [ConversationEffect] = []
        switch answering {
        case .greeting?:
            if reply.code != 220 {
                tracking.greetingRefused = true
                note(.greetingRefused(code: reply.code), at: moment)
                if config.scriptMode && reply.code != 421 {
                    // RFC 5321 §3.1: after a refusal the client sends QUIT; the script is not run.
                    dropQueue(.stopped, at: moment)
                    queue.push("QUIT")
                }
            }
        case .command(let command)?:
            switch command.verb {
            case .data? where reply.code != 354:
                if !queue.isEmpty {
                    if let dropped = queue.dropMessage() {
                        note(.linesNotSent(count: dropped, reason: .dataRefused), at: moment)
                    } else if config.scriptMode {
                        let dropped = queue.removeAll()
                        note(.linesNotSent(count: dropped, reason: .dataRefused), at: moment)
                    }
                }
            case .starttls? where reply.code != 220 && config.requireTLS:
                note(.tlsRequirementUnmet(.refused), at: moment)
                effects += stop(.tlsRequired, at: moment)
            case .auth?:
                effects += authReply(reply, at: moment)
            default:
                break
            }
        case .saslResponse?:
            effects += authReply(reply, at: moment)
        case .messageEnd?, nil:
            break
        }
        if reply.code == 421 {
            note(.serverClosing(notSent: queue.removeAll()), at: moment)
        }
        return effects
    }

    /// The `/auth` helper answers a 334; a 235 logs who we are; any other reply ends its exchange.
    mutating func authReply(_ reply: Reply, at moment: Moment) -> [ConversationEffect] {
        guard var helper = auth.helper else { return [] }
        switch reply.code {
        case 334 where session?.inputMode == .saslResponse:
            let line = helper.respond(to: reply)
            auth.helper = helper
            return transmit({ session, time in session.sendSASL(line, at: time) }, at: moment)
        case 235:
            auth.user = helper.user
            auth.helper = nil
            note(.authenticated(user: helper.user), at: moment)
        default:
            auth.helper = nil
        }
        return []
    }
}
