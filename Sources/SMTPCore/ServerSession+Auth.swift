import Foundation

/// Where an AUTH exchange stands.
struct AuthExchange: Sendable {
    enum Step: Sendable {
        case plain
        case loginUser
        case loginPassword(user: String)
        case cram(challenge: String)
    }

    var step: Step
}

extension ServerSession {
    // MARK: - STARTTLS (RFC 3207)

    mutating func startTLS(_ argument: String) -> Step {
        guard policy.offersTLS else { return error(502, "5.5.1", "STARTTLS is not offered by this server") }
        guard !isTLS else { return error(503, "5.5.1", "Already under TLS") }
        guard argument.isEmpty else { return error(501, "5.5.4", "Syntax: STARTTLS takes no argument") }
        var actions = [reply(220, "2.0.0", "Ready to start TLS")]
        // Anything pipelined behind STARTTLS came in plaintext: throw it away (RFC 3207 §4.2).
        let extra = input.discardAll()
        if extra > 0 {
            discardedAfterStartTLS += extra
            actions.append(.heard("(\(extra) octets sent after STARTTLS in plaintext: thrown away, RFC 3207 §4.2)"))
        }
        actions.append(.startTLS)
        return Step(actions, .startTLS)
    }

    // MARK: - AUTH (RFC 4954)

    mutating func auth(_ argument: String) -> Step {
        let offered = policy.authMechanisms
        guard !offered.isEmpty else { return error(502, "5.5.1", "AUTH is not offered by this server") }
        if authUser != nil { return error(503, "5.5.1", "Already authenticated") }
        switch stage {
        case .awaitingHello: return error(503, "5.5.1", "Say EHLO first: AUTH is an extension")
        case .transaction, .data, .chunk, .awaitingDelivery, .authenticating, .startingTLS:
            return error(503, "5.5.1", "AUTH is not allowed during a mail transaction; send RSET first")
        case .idle, .closed: break
        }
        let parts = argument.split(separator: " ", maxSplits: 1).map(String.init)
        guard let mechanism = parts.first?.uppercased() else { return error(501, "5.5.4", "Syntax: AUTH <mechanism> [initial-response]") }
        let initial = parts.count > 1 ? parts[1] : nil
        guard offered.contains(mechanism) else {
            return error(504, "5.5.4", "Unrecognized authentication mechanism \(mechanism): this server offers \(offered.joined(separator: ", "))")
        }
        if let refusal = policy.refuseMechanism(mechanism, facts) { return Step([reply(refusal)]).counted(&counters) }
        switch mechanism {
        case "PLAIN":
            if let initial, initial != "=" { return checkPlain(initial) }
            return Step([reply(334, nil, "")], .authenticate(AuthExchange(step: .plain)))
        case "LOGIN":
            if let initial {
                guard let user = Self.decode(initial) else { return authError("Cannot decode the base64 response") }
                return Step([reply(334, nil, "UGFzc3dvcmQ6")], .authenticate(AuthExchange(step: .loginPassword(user: user))))
            }
            return Step([reply(334, nil, "VXNlcm5hbWU6")], .authenticate(AuthExchange(step: .loginUser)))
        default:
            let challenge = "<\(UInt32.random(in: 1...UInt32.max)).\(Int(now))@\(policy.hostname)>"
            return Step([reply(334, nil, Data(challenge.utf8).base64EncodedString())],
                        .authenticate(AuthExchange(step: .cram(challenge: challenge))))
        }
    }

    mutating func continueAuth(_ exchange: AuthExchange, response: String) -> Step {
        let heard = Action.heard(response == "*" ? "*" : Secrets.mask)
        if response == "*" { return Step([heard, reply(501, "5.0.0", "Authentication cancelled")], .endAuthentication(user: nil)) }
        switch exchange.step {
        case .plain:
            return checkPlain(response).heard(heard)
        case .loginUser:
            guard let user = Self.decode(response) else { return authError("Cannot decode the base64 response").heard(heard) }
            return Step([heard, reply(334, nil, "UGFzc3dvcmQ6")], .authenticate(AuthExchange(step: .loginPassword(user: user))))
        case .loginPassword(let user):
            guard let password = Self.decode(response) else { return authError("Cannot decode the base64 response").heard(heard) }
            return verdict(.password(user: user, password: password)).heard(heard)
        case .cram(let challenge):
            guard let text = Self.decode(response), let space = text.lastIndex(of: " ") else {
                return authError("CRAM-MD5 expects base64 of \"user digest\"").heard(heard)
            }
            return verdict(.cramMD5(user: String(text[..<space]), challenge: challenge,
                                    digest: String(text[text.index(after: space)...]))).heard(heard)
        }
    }

    /// PLAIN (RFC 4616): base64 of authorization-id NUL user NUL password.
    mutating func checkPlain(_ response: String) -> Step {
        guard let data = Data(base64Encoded: response.trimmingSpaces) else { return authError("Cannot decode the base64 response") }
        let parts = Array(data).split(separator: 0, omittingEmptySubsequences: false)
        guard parts.count == 3 else { return authError("PLAIN expects base64 of \"\\0user\\0password\"") }
        return verdict(.password(user: String(decoding: parts[1], as: UTF8.self), password: String(decoding: parts[2], as: UTF8.self)))
    }

    /// The policy checks the credentials (and may refuse a client or user that failed too often).
    mutating func verdict(_ credentials: Credentials) -> Step {
        if let refusal = policy.refuseLogin(user: credentials.user, facts, at: now) {
            return Step([reply(refusal), .close], .close)
        }
        guard policy.check(credentials, facts, at: now) else {
            counters.errors += 1
            if counters.errors >= policy.limits.errors {
                return Step([reply(421, "4.7.0", "Too many errors (\(counters.errors)); closing the connection"), .close], .close)
            }
            let wait = policy.delay(errors: counters.errors, recipients: counters.recipients, isError: true)
                + policy.loginDelay(facts, at: now)
            return Step([.reply(Reply(code: 535, "5.7.8 Authentication credentials invalid: wrong user name or password"),
                                after: wait)], .endAuthentication(user: nil))
        }
        return Step([reply(235, "2.7.0", "Authentication succeeded: welcome, \(credentials.user)")],
                    .endAuthentication(user: credentials.user))
    }

    mutating func authError(_ text: String) -> Step {
        var step = error(501, "5.5.2", text)
        if step.transition == nil { step.transition = .endAuthentication(user: nil) }
        return step
    }

    static func decode(_ base64: String) -> String? {
        Data(base64Encoded: base64.trimmingSpaces).flatMap { String(data: $0, encoding: .utf8) }
    }
}

extension ServerSession.Step {
    /// A policy's refusal counts as a bad command.
    func counted(_ counters: inout ServerSession.Counters) -> Self {
        counters.errors += 1
        return self
    }
}
