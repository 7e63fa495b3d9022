import Foundation
import SMTPCore

extension Conversation {
    /// Replay: feeds one recorded line as the event that made it, so that the session, the TLS
    /// state and the AUTH user come out as they were. `moment` carries the recorded time.
    public mutating func replay(_ entry: TranscriptEntry, at moment: Moment) {
        let recordedWire = entry.wire ?? .smtp
        if recordedWire != wire {
            // The record switched protocol (/pop3, /smtp): so does the replay.
            wire = recordedWire
            session = nil
            pop3 = nil
            log.setWire(wire)
        }
        if entry.direction != .local { ensureConnected(tls: entry.tls, at: moment) }
        switch entry.kind {
        case .sent:
            if wire == .pop3 { replaySentPOP3(entry, at: moment) } else { replaySent(entry, at: moment) }
        case .received, .stray:
            if entry.tls, !sessionTLS, !upgrading { _ = handle(.tlsEstablished(Self.unknownTLS), at: moment) }
            _ = handle(.received(entry.bytes), at: moment)
        case .note, .warning, .tls:
            replayLocal(entry, at: moment)
        }
    }

    /// Replays a recorded line at its recorded time, the clock counted from `start` (the
    /// recording's first line), as every face that replays a record does.
    public mutating func replay(_ entry: TranscriptEntry, since start: Date) {
        replay(entry, at: Moment(monotonic: max(0, entry.time.timeIntervalSince(start)), wall: entry.time))
    }

    /// What a text record says of TLS: that it was there.
    static let unknownTLS = TLSInfo(version: "TLS", cipherSuite: nil, chain: [], verified: false)

    mutating func ensureConnected(tls: Bool, at moment: Moment) {
        guard session == nil, pop3 == nil else { return }
        if target == nil { target = Target(host: "recorded", port: 0, implicitTLS: tls) }
        _ = handle(.connected(remote: target.map { "\($0.host):\($0.port)" } ?? "", local: ""), at: moment)
    }

    mutating func replaySentPOP3(_ entry: TranscriptEntry, at moment: Moment) {
        guard var current = pop3 else { return }
        if entry.tls && !current.isTLS && !upgrading {
            _ = handle(.tlsEstablished(Self.unknownTLS), at: moment)
            current = pop3 ?? current
        }
        let before = current.awaiting.count
        let outgoing = current.submit(entry.masked ?? entry.text(showSecrets: true), at: moment.monotonic)
        pop3 = current
        let index = log.append(.sent, entry.bytes, at: moment.wall, tls: entry.tls,
                               masked: entry.masked ?? (outgoing.sensitive ? outgoing.display : nil), findings: [])
        if !outgoing.lint.isEmpty { log.pop3Findings[index] = outgoing.lint }
        if current.awaiting.count > before {
            tracking.waiting.append(index)
            log.pop3Awaited[index] = current.awaiting.last
        }
        tracking.hasSent = true
        tracking.lastActivity = moment.monotonic
    }

    mutating func replaySent(_ entry: TranscriptEntry, at moment: Moment) {
        guard var current = session else { return }
        if entry.tls && !current.isTLS && !upgrading {
            _ = handle(.tlsEstablished(Self.unknownTLS), at: moment)
            current = session ?? current
        }
        let before = current.awaiting.count
        let text = entry.masked ?? entry.text(showSecrets: true)
        let outgoing = current.submit(text, at: moment.monotonic)
        session = current
        let index = log.append(.sent, entry.bytes, at: moment.wall, tls: entry.tls,
                               masked: entry.masked ?? (outgoing.sensitive ? outgoing.display : nil), findings: outgoing.lint)
        if current.awaiting.count > before {
            tracking.waiting.append(index)
            log.awaited[index] = current.awaiting.last
        }
        tracking.hasSent = true
        tracking.lastActivity = moment.monotonic
    }

    mutating func replayLocal(_ entry: TranscriptEntry, at moment: Moment) {
        guard let event = entry.event else {
            log.append(entry.kind, entry.bytes, at: moment.wall, tls: entry.tls, event: .recorded(entry.text()))
            return
        }
        switch event {
        case .connecting(let host, let port):
            target = Target(host: host, port: port, implicitTLS: target?.implicitTLS ?? false)
            _ = handle(.connecting(host: host, port: port), at: moment)
        case .connected(let remote, let local): _ = handle(.connected(remote: remote, local: local), at: moment)
        case .connectFailed(let failure): _ = handle(.failed(failure), at: moment)
        case .tlsEstablished(let info, _):
            ensureConnected(tls: true, at: moment)
            _ = handle(.tlsEstablished(info), at: moment)
        case .tlsFailed(let failure): _ = handle(.tlsFailed(failure), at: moment)
        case .closed(let reason, _): _ = handle(.closed(reason), at: moment)
        case .authenticated(let user):
            auth.user = user
            note(event, at: moment)
        case .startingTLS:
            // The session says this itself when it is fed the 220.
            break
        default:
            note(event, at: moment)
        }
    }
}
