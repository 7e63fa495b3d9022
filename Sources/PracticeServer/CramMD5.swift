import Crypto

/// HMAC-MD5 for CRAM-MD5 (RFC 2195), from swift-crypto: the server checks answers with it,
/// and the explorer's `/auth cram-md5` makes them with it.
public enum CramMD5 {
    public static let hmac: @Sendable ([UInt8], [UInt8]) -> [UInt8] = { key, message in
        Array(HMAC<Insecure.MD5>.authenticationCode(for: message, using: SymmetricKey(data: key)))
    }
}
