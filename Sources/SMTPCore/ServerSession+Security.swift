import Foundation

/// Checks credentials for the practice server's AUTH (RFC 4954). CRAM-MD5 needs HMAC-MD5,
/// which the caller supplies so that the core needs no crypto library.
public struct AccountTable: Sendable {
    public let accounts: [String: String]
    let hmacMD5: @Sendable (_ key: [UInt8], _ message: [UInt8]) -> [UInt8]

    public init(accounts: [String: String], hmacMD5: @escaping @Sendable ([UInt8], [UInt8]) -> [UInt8]) {
        self.accounts = accounts
        self.hmacMD5 = hmacMD5
    }

    public func check(user: String, password: String) -> Bool {
        guard let secret = accounts[user] else { return false }
        return constantTimeEqual(Array(secret.utf8), Array(password.utf8))
    }

    /// CRAM-MD5 (RFC 2195): the digest is hex HMAC-MD5(password, challenge).
    public func check(user: String, challenge: String, digest: String) -> Bool {
        guard let secret = accounts[user] else { return false }
        let expected = SASLClient.cramMD5Digest(secret: secret, challenge: Array(challenge.utf8), hmacMD5: hmacMD5)
        return constantTimeEqual(Array(expected.utf8), Array(digest.lowercased().utf8))
    }

    func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }
}

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
    /// The SASL mechanisms the practice server offers when it has accounts.
    public static let authMechanisms = ["PLAIN", "LOGIN", "CRAM-MD5"]

    // MARK: - STARTTLS (RFC 3207)

    mutating func startTLS(_ argument: String) -> [Action] {
        guard config.tlsAvailable else { return error(502, "5.5.1", "STARTTLS is not offered by this server") }
        guard !isTLS else { return error(503, "5.5.1", "Already under TLS") }
        guard argument.isEmpty else { return error(501, "5.5.4", "Syntax: STARTTLS takes no argument") }
        if case .awaitingDelivery = state { return error(503, "5.5.1", "Wait for the reply to the message first") }
        var actions = [reply(220, "2.0.0", "Ready to start TLS")]
        // Anything pipelined behind STARTTLS came in plaintext: throw it away (RFC 3207 §4.2).
        let extra = buffer.count - start
        if extra > 0 {
            discardedAfterStartTLS += extra
            actions.append(.heard("(\(extra) octets sent after STARTTLS in plaintext: thrown away, RFC 3207 §4.2)"))
            start = buffer.count
        }
        state = .startingTLS
        actions.append(.startTLS)
        return actions
    }

    /// The TLS handshake after STARTTLS succeeded: the session starts over (RFC 3207 §4.2).
    public mutating func tlsEstablished() {
        isTLS = true
        helo = ""
        authUser = nil
        buffer = []
        start = 0
        state = .awaitingHello
    }

    // MARK: - AUTH (RFC 4954)

    mutating func auth(_ argument: String) -> [Action] {
        guard !config.accounts.isEmpty, accounts != nil else { return error(502, "5.5.1", "AUTH is not offered by this server") }
        if authUser != nil { return error(503, "5.5.1", "Already authenticated") }
        switch state {
        case .awaitingHello: return error(503, "5.5.1", "Say EHLO first: AUTH is an extension")
        case .transaction, .receivingData, .receivingChunk, .awaitingDelivery, .authenticating, .startingTLS:
            return error(503, "5.5.1", "AUTH is not allowed during a mail transaction; send RSET first")
        case .idle, .closed: break
        }
        let parts = argument.split(separator: " ", maxSplits: 1).map(String.init)
        guard let mechanism = parts.first?.uppercased() else { return error(501, "5.5.4", "Syntax: AUTH <mechanism> [initial-response]") }
        let initial = parts.count > 1 ? parts[1] : nil
        guard Self.authMechanisms.contains(mechanism) else {
            return error(504, "5.5.4", "Unrecognized authentication mechanism \(mechanism): this server offers \(Self.authMechanisms.joined(separator: ", "))")
        }
        if mechanism != "CRAM-MD5" && config.tlsAvailable && !isTLS {
            return error(538, "5.7.11", "Encryption required for \(mechanism): it sends the password readable, so run STARTTLS first")
        }
        switch mechanism {
        case "PLAIN":
            if let initial, initial != "=" { return checkPlain(initial) }
            state = .authenticating(AuthExchange(step: .plain))
            return [reply(334, nil, "")]
        case "LOGIN":
            if let initial {
                guard let user = Self.decode(initial) else { return authError("Cannot decode the base64 response") }
                state = .authenticating(AuthExchange(step: .loginPassword(user: user)))
                return [reply(334, nil, "UGFzc3dvcmQ6")]
            }
            state = .authenticating(AuthExchange(step: .loginUser))
            return [reply(334, nil, "VXNlcm5hbWU6")]
        default:
            let challenge = "<\(UInt32.random(in: 1...UInt32.max)).\(Int(now))@\(config.hostname)>"
            state = .authenticating(AuthExchange(step: .cram(challenge: challenge)))
            return [reply(334, nil, Data(challenge.utf8).base64EncodedString())]
        }
    }

    mutating func continueAuth(_ exchange: AuthExchange, response: String) -> [Action] {
        let heard = Action.heard(response == "*" ? "*" : Secrets.mask)
        state = .idle
        if response == "*" { return [heard, reply(501, "5.0.0", "Authentication cancelled")] }
        switch exchange.step {
        case .plain:
            return [heard] + checkPlain(response)
        case .loginUser:
            guard let user = Self.decode(response) else { return [heard] + authError("Cannot decode the base64 response") }
            state = .authenticating(AuthExchange(step: .loginPassword(user: user)))
            return [heard, reply(334, nil, "UGFzc3dvcmQ6")]
        case .loginPassword(let user):
            guard let password = Self.decode(response) else { return [heard] + authError("Cannot decode the base64 response") }
            return [heard] + verdict(user: user, ok: accounts?.check(user: user, password: password) ?? false)
        case .cram(let challenge):
            guard let text = Self.decode(response), let space = text.lastIndex(of: " ") else {
                return [heard] + authError("CRAM-MD5 expects base64 of \"user digest\"")
            }
            let user = String(text[..<space])
            let digest = String(text[text.index(after: space)...])
            return [heard] + verdict(user: user, ok: accounts?.check(user: user, challenge: challenge, digest: digest) ?? false)
        }
    }

    /// PLAIN (RFC 4616): base64 of authorization-id NUL user NUL password.
    mutating func checkPlain(_ response: String) -> [Action] {
        guard let data = Data(base64Encoded: response) else { return authError("Cannot decode the base64 response") }
        let parts = Array(data).split(separator: 0, omittingEmptySubsequences: false)
        guard parts.count == 3 else { return authError("PLAIN expects base64 of \"\\0user\\0password\"") }
        let user = String(decoding: parts[1], as: UTF8.self)
        let password = String(decoding: parts[2], as: UTF8.self)
        return verdict(user: user, ok: accounts?.check(user: user, password: password) ?? false)
    }

    mutating func verdict(user: String, ok: Bool) -> [Action] {
        state = .idle
        guard ok else {
            errors += 1
            if errors >= config.maxErrors {
                state = .closed
                return [reply(421, "4.7.0", "Too many errors (\(errors)); closing the connection"), .close]
            }
            return [reply(535, "5.7.8", "Authentication credentials invalid: wrong user name or password", extraDelay: tarpitDelay)]
        }
        authUser = user
        return [reply(235, "2.7.0", "Authentication succeeded: welcome, \(user)")]
    }

    mutating func authError(_ text: String) -> [Action] {
        state = .idle
        return error(501, "5.5.2", text)
    }

    static func decode(_ base64: String) -> String? {
        Data(base64Encoded: base64.trimmingSpaces).flatMap { String(data: $0, encoding: .utf8) }
    }
}
