import NIOSSL

/// `--ciphers`: TLS 1.2 cipher suites named one by one, by their IANA name
/// (`TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256`) or OpenSSL's (`ECDHE-RSA-AES128-GCM-SHA256`),
/// separated by `:` or `,`. Only the suites the TLS library has are accepted, so a list is
/// checked before any connection and the library is never handed a string it would refuse.
public enum CipherList {
    public struct Suite: Sendable {
        public let code: UInt16
        public let iana: String
        public let openssl: String
    }

    /// The TLS 1.2 suites BoringSSL offers, with both names.
    public static let suites: [Suite] = [
        Suite(code: 0xC02B, iana: "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", openssl: "ECDHE-ECDSA-AES128-GCM-SHA256"),
        Suite(code: 0xC02C, iana: "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", openssl: "ECDHE-ECDSA-AES256-GCM-SHA384"),
        Suite(code: 0xC02F, iana: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", openssl: "ECDHE-RSA-AES128-GCM-SHA256"),
        Suite(code: 0xC030, iana: "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", openssl: "ECDHE-RSA-AES256-GCM-SHA384"),
        Suite(code: 0xCCA9, iana: "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", openssl: "ECDHE-ECDSA-CHACHA20-POLY1305"),
        Suite(code: 0xCCA8, iana: "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", openssl: "ECDHE-RSA-CHACHA20-POLY1305"),
        Suite(code: 0xC009, iana: "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", openssl: "ECDHE-ECDSA-AES128-SHA"),
        Suite(code: 0xC00A, iana: "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", openssl: "ECDHE-ECDSA-AES256-SHA"),
        Suite(code: 0xC013, iana: "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", openssl: "ECDHE-RSA-AES128-SHA"),
        Suite(code: 0xC014, iana: "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", openssl: "ECDHE-RSA-AES256-SHA"),
        Suite(code: 0x009C, iana: "TLS_RSA_WITH_AES_128_GCM_SHA256", openssl: "AES128-GCM-SHA256"),
        Suite(code: 0x009D, iana: "TLS_RSA_WITH_AES_256_GCM_SHA384", openssl: "AES256-GCM-SHA384"),
        Suite(code: 0x002F, iana: "TLS_RSA_WITH_AES_128_CBC_SHA", openssl: "AES128-SHA"),
        Suite(code: 0x0035, iana: "TLS_RSA_WITH_AES_256_CBC_SHA", openssl: "AES256-SHA"),
    ]

    /// The TLS 1.3 suites: always on in TLS 1.3 and not chosen by a list.
    static let tls13 = ["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"]

    /// The suites `text` names, in its order; an error that names the first unknown one.
    public static func parse(_ text: String) throws(TLSOptionError) -> [NIOTLSCipher] {
        let names = text.split(whereSeparator: { $0 == ":" || $0 == "," || $0 == " " }).map(String.init)
        var chosen: [NIOTLSCipher] = []
        var onlyTLS13 = true
        for name in names {
            let upper = name.uppercased()
            if tls13.contains(upper) { continue }
            onlyTLS13 = false
            guard let suite = suites.first(where: { $0.iana == upper || $0.openssl == upper }) else {
                throw TLSOptionError(description: "--ciphers: '\(name)' is not a TLS 1.2 suite smtpx knows. "
                    + "Give names such as ECDHE-RSA-AES128-GCM-SHA256 or TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, "
                    + "separated by ':'; these are available: " + suites.map(\.openssl).joined(separator: ":"))
            }
            let cipher = NIOTLSCipher(rawValue: suite.code)
            if !chosen.contains(cipher) { chosen.append(cipher) }
        }
        if names.isEmpty {
            throw TLSOptionError(description: "--ciphers: the list is empty.")
        }
        if onlyTLS13 {
            throw TLSOptionError(description: "--ciphers: TLS 1.3 suites are always offered in TLS 1.3 and cannot be chosen; "
                + "use --tls-min 1.3 to ask for TLS 1.3 only.")
        }
        return chosen
    }
}
