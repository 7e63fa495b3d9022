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

    /// What an unknown user's check is done against, so that it takes as long as a known one's.
    static let standIn = "smtpx-no-such-user-secret"

    /// Compares keyed digests of fixed length, so neither the password's length nor where it
    /// differs shows in the time taken; an unknown user costs the same work.
    public func check(user: String, password: String) -> Bool {
        let known = accounts[user]
        let key = Array((known ?? Self.standIn).utf8)
        let equal = constantTimeEqual(hmacMD5(key, Array(password.utf8)), hmacMD5(key, key))
        return equal && known != nil
    }

    /// CRAM-MD5 (RFC 2195): the digest is hex HMAC-MD5(password, challenge).
    public func check(user: String, challenge: String, digest: String) -> Bool {
        let known = accounts[user]
        let expected = SASLClient.cramMD5Digest(secret: known ?? Self.standIn, challenge: Array(challenge.utf8), hmacMD5: hmacMD5)
        let equal = constantTimeEqual(Array(expected.utf8), Array(digest.lowercased().utf8))
        return equal && known != nil
    }

    func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }
}
