extension ClientSession {
    /// What the user may send next, from the session state, most useful first. A path is shown
    /// as `<address>`, never `<>`: the null path is a bounce's sender and no recipient at all.
    public var suggestions: [String] {
        switch phase {
        case .awaitingGreeting: return []
        case .greeted: return ["EHLO", "HELO"]
        case .ready:
            var next = ["MAIL FROM:<address>"]
            if let capabilities {
                if !isTLS && capabilities.has("STARTTLS") { next.insert("STARTTLS", at: 0) }
                if !isAuthenticated && capabilities.has("AUTH") { next.append("AUTH") }
            } else if hello == nil {
                next.insert("EHLO", at: 0)
            }
            return next + ["VRFY", "NOOP", "QUIT"]
        case .mailStarted: return ["RCPT TO:<address>", "RSET"]
        case .recipients:
            var next = ["DATA", "RCPT TO:<address>"]
            if capabilities?.has("CHUNKING") == true { next.insert("BDAT", at: 1) }
            return next + ["RSET"]
        case .message: return ["."]
        case .chunk: return []
        case .authenticating: return ["*"]
        case .startingTLS: return []
        case .closed: return []
        }
    }

    /// The replies `command` can get now: those the lint foresees first, then the
    /// verb's usual ones (RFC 5321 §4.3.2).
    public func likelyReplies(to command: Command) -> [Int] {
        var codes = lint(command).compactMap(\.expectedReply)
        if let verb = command.verb {
            for code in verb.replies.all where !codes.contains(code) { codes.append(code) }
        } else if !codes.contains(500) {
            codes.append(500)
        }
        return codes
    }
}
