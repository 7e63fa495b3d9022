import Foundation
import NIOSSL
import SwiftASN1
import X509

/// A TLS option that cannot be used, said before the screen is taken over.
public struct TLSOptionError: Error, CustomStringConvertible, Sendable {
    public let description: String
}

extension TLSClientOptions {
    /// Builds the TLS context once when an option could make it fail, so that a cipher list
    /// the library refuses, a client key that does not match its certificate, or a version
    /// range that is empty is an error at the start.
    public func check() throws(TLSOptionError) {
        if let minimum = minimumVersion, let maximum = maximumVersion, minimum > maximum {
            throw TLSOptionError(description: "--tls-min \(minimum.rawValue) is above --tls-max \(maximum.rawValue).")
        }
        if (clientCertificate == nil) != (clientKey == nil) {
            throw TLSOptionError(description: "--client-cert and --client-key go together.")
        }
        for pem in extraRoots where (try? Self.certificates(inPEM: pem))?.isEmpty != false {
            throw TLSOptionError(description: "--ca-file holds no PEM certificate smtpx can read.")
        }
        if let ciphers { _ = try CipherList.parse(ciphers) }
        // With none of these the context cannot be refused, and building it (the system's
        // trust store read and parsed) would only delay a run that may never use TLS.
        guard ciphers != nil || clientCertificate != nil || minimumVersion != nil || maximumVersion != nil
            || !extraRoots.isEmpty else { return }
        do {
            _ = try NIOSSLContext(configuration: TLSUpgrade.configuration(self))
        } catch let error as TLSOptionError {
            throw error
        } catch {
            throw TLSOptionError(description: "--client-cert/--client-key: the TLS library refused them (\(error)).")
        }
    }

    /// Every certificate of a PEM bundle.
    public static func certificates(inPEM text: String) throws -> [Certificate] {
        let documents = try PEMDocument.parseMultiple(pemString: text)
        return try documents.filter { $0.discriminator == "CERTIFICATE" }.map { try Certificate(pemDocument: $0) }
    }

    /// A `--pin` as lowercase hex without colons: `sha256//BASE64` (curl's form), plain
    /// base64 of 32 bytes, or 64 hex digits with or without colons (a fingerprint as /cert
    /// shows it). Nil for anything else.
    public static func parsePin(_ text: String) -> String? {
        var value = text.trimmingCharacters(in: .whitespaces)
        for prefix in ["sha256//", "sha256:", "sha256="] where value.lowercased().hasPrefix(prefix) {
            value = String(value.dropFirst(prefix.count))
        }
        let hex = value.replacingOccurrences(of: ":", with: "").lowercased()
        if hex.count == 64, hex.allSatisfy(\.isHexDigit) { return hex }
        if let data = Data(base64Encoded: value), data.count == 32 {
            return data.map { String(format: "%02x", $0) }.joined()
        }
        return nil
    }
}
