import NIOSSL

// Theory of operation
//
// NIOSSL reports a failed handshake as `handshakeFailed(sslError([…]))`, whose description
// is BoringSSL's packed error string ("error:100000f7:SSL routines:OPENSSL_internal:
// WRONG_VERSION_NUMBER at …/tls_record.cc:242"). The reason is the last word of that string;
// the common ones are said here in plain words, the rest by their reason alone.

extension ConnectErrors {
    /// A TLS error in words a user can act on.
    static func tlsWords(_ error: Error) -> String {
        if let error = error as? BoringSSLError, case .sslError(let errors) = error {
            let reasons = errors.map { reason(in: String(describing: $0)) }
            return reasons.isEmpty ? "a TLS error" : reasons.map(plainWords).joined(separator: "; ")
        }
        guard let error = error as? NIOSSLError else { return error is BoringSSLError ? String(describing: error) : words(error) }
        switch error {
        case .handshakeFailed(.sslError(let errors)):
            let reasons = errors.map { reason(in: String(describing: $0)) }
            return reasons.isEmpty ? "the handshake failed" : reasons.map(plainWords).joined(separator: "; ")
        case .handshakeFailed(let inner):
            return "the handshake failed (\(inner))"
        case .uncleanShutdown:
            return "the server closed the connection without ending TLS"
        default:
            return String(describing: error)
        }
    }

    /// The reason word of one BoringSSL error: `WRONG_VERSION_NUMBER`, or a synthetic text.
    static func reason(in description: String) -> String {
        var text = Substring(description)
        if text.hasPrefix("Error: ") { text = text.dropFirst("Error: ".count) }
        if let at = text.range(of: " at ", options: .backwards) { text = text[..<at.lowerBound] }
        if text.contains("error:"), let colon = text.lastIndex(of: ":") { text = text[text.index(after: colon)...] }
        // Drop the numeric code in front of a synthetic message ("268435703 …" or " EOF …").
        let words = text.split(separator: " ", omittingEmptySubsequences: true)
        if words.count > 1, words[0].allSatisfy(\.isNumber) { return words.dropFirst().joined(separator: " ") }
        return words.joined(separator: " ")
    }

    static func plainWords(_ reason: String) -> String {
        switch reason {
        case "EOF during handshake":
            return "the server closed the connection during the TLS handshake"
        case "WRONG_VERSION_NUMBER", "HTTP_REQUEST", "UNKNOWN_PROTOCOL":
            return "the server did not answer in TLS (\(reason)): this port may speak plaintext, "
                + "where STARTTLS is the way in"
        case "TLSV1_ALERT_PROTOCOL_VERSION", "UNSUPPORTED_PROTOCOL":
            return "the server and smtpx have no TLS version in common (\(reason))"
        case "SSLV3_ALERT_HANDSHAKE_FAILURE", "NO_SHARED_CIPHER", "NO_CIPHERS_AVAILABLE":
            return "the server refused the handshake: no cipher or version in common (\(reason))"
        case "TLSV1_ALERT_UNKNOWN_CA", "SSLV3_ALERT_BAD_CERTIFICATE", "TLSV1_CERTIFICATE_REQUIRED",
             "TLSV1_ALERT_CERTIFICATE_REQUIRED", "SSLV3_ALERT_CERTIFICATE_UNKNOWN":
            return "the server did not accept smtpx's client certificate, or its absence (\(reason)); "
                + "in TLS 1.3 a server says so only after the handshake"
        case "CERTIFICATE_VERIFY_FAILED":
            return "the server's certificate was not accepted"
        default:
            if reason.hasPrefix("TLSV1_ALERT_") || reason.hasPrefix("SSLV3_ALERT_") {
                let alert = reason.split(separator: "_").dropFirst(2).joined(separator: " ").lowercased()
                return "the server ended the handshake with the alert \"\(alert)\" (\(reason))"
            }
            return reason.isEmpty ? "the handshake failed" : reason
        }
    }
}
