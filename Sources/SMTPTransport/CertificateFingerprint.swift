import Crypto
import Foundation
import SwiftASN1
import X509

/// What a class needs to trust a server's certificate: its fingerprint (the SHA-256 `/cert`
/// shows) and its key pin (what `--pin` takes, curl's `sha256//` form).
public enum CertificateFingerprint {
    public static func of(pem: String) -> (fingerprint: String, pin: String)? {
        guard let certificate = (try? TLSClientOptions.certificates(inPEM: pem))?.first else { return nil }
        var serializer = DER.Serializer()
        guard (try? serializer.serialize(certificate)) != nil else { return nil }
        let summary = CertificateCheck.summary(certificate, der: serializer.serializedBytes)
        let pin = "sha256//" + Data(SHA256.hash(data: summary.spki)).base64EncodedString()
        return (summary.sha256, pin)
    }
}
