import Conversation
import SMTPCore
import SMTPKnowledge

/// The top row: host:port · address · TLS · auth · phase · what is awaited.
enum StatusBar {
    /// A reply awaited for this long is said in the status bar and the explainer.
    static let waitingAfterSeconds = 1.0

    static func text(_ conversation: Conversation, label: Localized?, language: Language, at moment: Moment) -> String {
        var parts: [String] = []
        // The practice server's label names its SMTP port: after /pop3 the port is said as it is.
        let labelled = conversation.protocolSpoken == .smtp ? label?[language] : label.map { _ in "" }
        let target = (labelled?.isEmpty == false ? labelled : nil) ?? conversation.target.map { "\($0.host):\($0.port)" }
        switch conversation.link {
        case .idle:
            parts.append(target ?? UIText.notConnected[language])
            if target != nil { parts.append(UIText.notConnected[language]) }
        case .connecting:
            parts.append(target ?? "")
            parts.append(UIText.connecting[language])
        case .connected(let remote, _):
            if let target { parts.append(target) }
            // The address, when the host was a name: "mx.example.org:25 · 192.0.2.1".
            let address = remote.hasPrefix("[") ? String(remote.dropFirst().prefix { $0 != "]" })
                                                 : String(remote.prefix { $0 != ":" })
            if let host = conversation.target?.host, host != address { parts.append(address) }
            if let tls = conversation.tls, conversation.session?.isTLS == true || conversation.pop3?.isTLS == true {
                parts.append([tls.version, tls.cipherSuite].compactMap { $0 }.joined(separator: " ")
                             + (tls.verified ? "" : " (" + UIText.unverified[language] + ")"))
            } else {
                parts.append(UIText.plaintext[language])
            }
            if let pop3 = conversation.pop3 {
                parts.append("POP3")
                if let user = pop3.loggedInAs { parts.append(UIText.authenticated.format(user)[language]) }
                parts.append(UIText.pop3State(pop3.state)[language])
            }
            if let session = conversation.session {
                if session.isAuthenticated {
                    parts.append(UIText.authenticated.format(conversation.authenticatedUser ?? "")[language])
                }
                parts.append(UIText.phase(session.phase, recipients: session.acceptedRecipients)[language])
            }
            if let waiting = conversation.waiting(at: moment), waiting.seconds >= waitingAfterSeconds {
                parts.append(UIText.waitingSeconds.format(Int(waiting.seconds))[language])
            }
            if !conversation.queuedLines.isEmpty {
                parts.append(UIText.queued.format(conversation.queuedLines.count)[language])
            }
        case .closed:
            if let target { parts.append(target) }
            parts.append(UIText.phase(.closed, recipients: 0)[language])
        }
        return parts.filter { !$0.isEmpty }.joined(separator: " · ")
    }
}
