import Foundation

/// The client side of an AUTH exchange (RFC 4954) for the mechanisms smtpx's `/auth` builds.
/// It answers each 334 challenge; the caller sends what it returns.
public struct SASLClient: Sendable {
    public enum Mechanism: String, CaseIterable, Sendable {
        case plain = "PLAIN", login = "LOGIN", cramMD5 = "CRAM-MD5", xoauth2 = "XOAUTH2"

        public init?(name: String) {
            self.init(rawValue: name.uppercased())
        }
    }

    public let mechanism: Mechanism
    public let user: String
    let secret: String
    let hmacMD5: @Sendable ([UInt8], [UInt8]) -> [UInt8]
    var step = 0

    public init(mechanism: Mechanism, user: String, secret: String,
                hmacMD5: @escaping @Sendable ([UInt8], [UInt8]) -> [UInt8]) {
        self.mechanism = mechanism
        self.user = user
        self.secret = secret
        self.hmacMD5 = hmacMD5
    }

    /// The AUTH command, with an initial response where the mechanism has one (RFC 4954 §4).
    public var command: Command {
        switch mechanism {
        case .plain: return Command(.auth, "PLAIN " + Self.base64("\u{0}\(user)\u{0}\(secret)"))
        case .login: return Command(.auth, "LOGIN")
        case .cramMD5: return Command(.auth, "CRAM-MD5")
        case .xoauth2: return Command(.auth, "XOAUTH2 " + Self.base64("user=\(user)\u{1}auth=Bearer \(secret)\u{1}\u{1}"))
        }
    }

    /// The line that answers a 334; nil when the exchange has nothing more to say ("*").
    public mutating func respond(to challenge: Reply) -> String {
        let decoded = challenge.challenge ?? []
        step += 1
        switch mechanism {
        case .plain:
            // The initial response went with the command; a 334 here asks for it again.
            return Self.base64("\u{0}\(user)\u{0}\(secret)")
        case .login:
            let prompt = String(decoding: decoded, as: UTF8.self).lowercased()
            if prompt.hasPrefix("user") || (prompt.isEmpty && step == 1) { return Self.base64(user) }
            return Self.base64(secret)
        case .cramMD5:
            return Self.base64("\(user) \(Self.cramMD5Digest(secret: secret, challenge: decoded, hmacMD5: hmacMD5))")
        case .xoauth2:
            // A 334 after XOAUTH2 carries an error in JSON; an empty line ends the exchange.
            return ""
        }
    }

    /// CRAM-MD5 (RFC 2195): hex HMAC-MD5 of the challenge, keyed with the secret.
    static func cramMD5Digest(secret: String, challenge: [UInt8],
                              hmacMD5: ([UInt8], [UInt8]) -> [UInt8]) -> String {
        hmacMD5(Array(secret.utf8), challenge).map { String(format: "%02x", $0) }.joined()
    }

    static func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

    /// What an AUTH initial response or SASL line says, secrets masked unless `showSecrets`:
    /// `PLAIN` → "user alice, password ********".
    public static func describe(mechanism: String, response: String, showSecrets: Bool) -> String? {
        guard let data = Data(base64Encoded: response.trimmingSpaces) else { return nil }
        let bytes = Array(data)
        switch mechanism.uppercased() {
        case "PLAIN":
            let parts = bytes.split(separator: 0, omittingEmptySubsequences: false)
            guard parts.count == 3 else { return nil }
            let identity = String(decoding: parts[0], as: UTF8.self)
            let password = showSecrets ? String(decoding: parts[2], as: UTF8.self) : Secrets.mask
            return (identity.isEmpty ? "" : "authzid \(identity), ") + "user \(String(decoding: parts[1], as: UTF8.self)), password \(password)"
        case "XOAUTH2", "OAUTHBEARER":
            let text = String(decoding: bytes, as: UTF8.self)
            let fields = text.split(separator: "\u{1}").map(String.init)
            let user = fields.first { $0.hasPrefix("user=") }?.dropFirst(5) ?? ""
            return "user \(user), token " + (showSecrets ? (fields.first { $0.hasPrefix("auth=") } ?? "") : Secrets.mask)
        default:
            return VisibleText.escape(bytes)
        }
    }
}

extension Reply {
    /// A 334's challenge, base64-decoded; nil when its text is empty or not base64.
    public var challenge: [UInt8]? {
        let text = texts.joined().trimmingSpaces
        guard !text.isEmpty, let data = Data(base64Encoded: text) else { return nil }
        return Array(data)
    }
}
