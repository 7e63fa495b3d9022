import Crypto
import Foundation
import SMTPCore
import SwiftASN1
@_spi(FixedExpiryValidationTime) import X509

/// Checks a server's certificate chain and says, in terms a person can act on, what is wrong:
/// expired, not yet valid, self-signed, unknown issuer, issued for another name.
enum CertificateCheck {
    struct Outcome: Sendable {
        var chain: [CertificateSummary]
        var problems: [TLSFailure.Reason]
    }

    static func evaluate(
        _ ders: [[UInt8]], host: String, options: TLSClientOptions, now: Date = Date(),
        roots extraRoots: [Certificate]? = nil
    ) async -> Outcome {
        let certificates = ders.compactMap { try? Certificate(derEncoded: $0) }
        let chain = zip(certificates, ders).map { summary($0, der: $1) }
        guard certificates.count == ders.count, let leaf = certificates.first else {
            return Outcome(chain: chain, problems: [.handshake("the server sent no readable certificate")])
        }
        var problems: [TLSFailure.Reason] = []

        // Pinned certificates (the embedded practice server's): the leaf must be one of them.
        if let pems = options.trustOnly {
            let pinned = pems.compactMap { try? Certificate(pemEncoded: $0) }
            if !pinned.contains(leaf) {
                problems.append(leaf.subject == leaf.issuer ? .selfSigned : .unknownIssuer(leaf.issuer.description))
            }
            if now > leaf.notValidAfter { problems.append(.expired(leaf.notValidAfter)) }
            if now < leaf.notValidBefore { problems.append(.notYetValid(leaf.notValidBefore)) }
            return Outcome(chain: chain, problems: problems)
        }
        // Trust first at the present; for a leaf outside its validity, again at a moment inside
        // it, so that an expired certificate from a trusted CA is "expired", not "unknown issuer".
        let roots = extraRoots.map { CertificateStore($0) } ?? trustStore(options)
        let moment = min(max(now, leaf.notValidBefore.addingTimeInterval(1)), leaf.notValidAfter.addingTimeInterval(-1))
        let intermediates = CertificateStore(certificates.dropFirst())
        var trusted = await isTrusted(leaf, intermediates: intermediates, roots: roots, at: now)
        if !trusted && moment != now {
            trusted = await isTrusted(leaf, intermediates: intermediates, roots: roots, at: moment)
        }
        // A --ca-file that holds the server's own certificate (a class server's self-signed
        // one, from `smtpx serve --tls-cert-out`) trusts exactly that certificate.
        if !trusted, options.extraRoots.flatMap({ (try? TLSClientOptions.certificates(inPEM: $0)) ?? [] }).contains(leaf) {
            trusted = true
        }
        // A pin is the identity the user gave: it replaces the trust store and the name (as
        // DANE-EE does, RFC 7672 §3.1.1), unless --verify-name asks for a name as well.
        let pinning = !options.pins.isEmpty
        if pinning {
            trusted = true
            if !pinned(chain, options.pins) { problems.append(.pinMismatch(options.pins[0])) }
        }
        if !trusted {
            if certificates.count == 1 && leaf.subject == leaf.issuer {
                problems.append(.selfSigned)
            } else {
                problems.append(.unknownIssuer(leaf.issuer.description))
            }
        }
        if now > leaf.notValidAfter { problems.append(.expired(leaf.notValidAfter)) }
        if now < leaf.notValidBefore { problems.append(.notYetValid(leaf.notValidBefore)) }
        let name = expectedName(options, host: host)
        let names = chain[0].names
        if !(pinning && options.verifyName == nil) && !matches(name, names: names) {
            problems.append(.wrongName(expected: name, names: names))
        }
        return Outcome(chain: chain, problems: problems)
    }

    /// The name the certificate must carry: `--verify-name`, else `--sni NAME`, else the
    /// exchanger's or the host's.
    static func expectedName(_ options: TLSClientOptions, host: String) -> String {
        if let name = options.verifyName { return name }
        if case .name(let name) = options.sni { return name }
        return options.serverName ?? host
    }

    /// The system's roots and `--ca-file`'s, or `--ca-file`'s alone.
    static func trustStore(_ options: TLSClientOptions) -> CertificateStore {
        let extra = options.extraRoots.flatMap { (try? TLSClientOptions.certificates(inPEM: $0)) ?? [] }
        if options.caOnly { return CertificateStore(extra) }
        var store = CertificateStore.systemTrustRoots
        store.append(contentsOf: extra)
        return store
    }

    /// Some certificate's public key (SubjectPublicKeyInfo) or whole DER has a pinned SHA-256.
    static func pinned(_ chain: [CertificateSummary], _ pins: [String]) -> Bool {
        chain.contains { certificate in
            let keyDigest = SHA256.hash(data: certificate.spki).map { String(format: "%02x", $0) }.joined()
            let fingerprint = certificate.sha256.replacingOccurrences(of: ":", with: "").lowercased()
            return pins.contains(keyDigest) || pins.contains(fingerprint)
        }
    }

    static func isTrusted(
        _ leaf: Certificate, intermediates: CertificateStore, roots: CertificateStore, at time: Date
    ) async -> Bool {
        var verifier = Verifier(rootCertificates: roots) {
            RFC5280Policy(fixedExpiryValidationTime: time)
        }
        let result = await verifier.validate(leaf: leaf, intermediates: intermediates)
        if case .validCertificate = result { return true }
        return false
    }

    static func summary(_ certificate: Certificate, der: [UInt8]) -> CertificateSummary {
        var names: [String] = []
        if let alternatives = try? certificate.extensions.subjectAlternativeNames {
            for name in alternatives {
                switch name {
                case .dnsName(let dns): names.append(dns)
                case .ipAddress(let bytes): names.append(ipText(Array(bytes.bytes)))
                default: break
                }
            }
        }
        if names.isEmpty {
            for rdn in certificate.subject {
                for attribute in rdn where attribute.type == .RDNAttributeType.commonName {
                    names.append(String(describing: attribute.value))
                }
            }
        }
        let digest = SHA256.hash(data: der).map { String(format: "%02X", $0) }.joined(separator: ":")
        // The server chose these texts: they are shown through the display policy everywhere.
        return CertificateSummary(subject: VisibleText.sanitize(certificate.subject.description),
                                  issuer: VisibleText.sanitize(certificate.issuer.description),
                                  names: names.map(VisibleText.sanitize), notBefore: certificate.notValidBefore,
                                  notAfter: certificate.notValidAfter, sha256: digest,
                                  publicKey: keyText(certificate.publicKey),
                                  signatureAlgorithm: signatureText(certificate.signatureAlgorithm), der: der,
                                  spki: spkiBytes(certificate))
    }

    /// The DER of the certificate's SubjectPublicKeyInfo.
    static func spkiBytes(_ certificate: Certificate) -> [UInt8] {
        var serializer = DER.Serializer()
        guard (try? serializer.serialize(certificate.publicKey)) != nil else { return [] }
        return serializer.serializedBytes
    }

    /// RFC 6125 §6.4: exact names, or a wildcard for the whole leftmost label. An address
    /// matches an IP name as an address (`::1` is `0:0:0:0:0:0:0:1`), never a DNS name
    /// (RFC 6125 §6.2.1).
    static func matches(_ host: String, names: [String]) -> Bool {
        let host = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]."))
        if let address = addressBytes(host) {
            return names.contains { addressBytes($0) == address }
        }
        for name in names.map({ $0.lowercased() }) where addressBytes(name) == nil {
            if name == host { return true }
            if name.hasPrefix("*."), let dot = host.firstIndex(of: "."), host[host.index(after: dot)...] == name.dropFirst(2),
               !host[..<dot].isEmpty {
                return true
            }
        }
        return false
    }

    /// The bytes of an IPv4 or IPv6 address written as text, or nil for a name.
    static func addressBytes(_ text: String) -> [UInt8]? {
        let bare = text.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        var v4 = in_addr()
        if inet_pton(AF_INET, bare, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, bare, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }

    /// "RSA 2048", "ECDSA P-256", "Ed25519" (swift-certificates names them "RSA2048.PublicKey", …).
    static func keyText(_ key: Certificate.PublicKey) -> String {
        let name = String(describing: key).replacingOccurrences(of: ".PublicKey", with: "")
        if name.hasPrefix("RSA") { return "RSA " + name.dropFirst(3) }
        if name.hasPrefix("P") { return "ECDSA P-" + name.dropFirst(1) }
        return name
    }

    /// The algorithm's usual name: "sha256WithRSAEncryption", "ecdsa-with-SHA256", "Ed25519".
    static func signatureText(_ algorithm: Certificate.SignatureAlgorithm) -> String {
        switch algorithm {
        case .ecdsaWithSHA256: return "ecdsa-with-SHA256"
        case .ecdsaWithSHA384: return "ecdsa-with-SHA384"
        case .ecdsaWithSHA512: return "ecdsa-with-SHA512"
        case .sha1WithRSAEncryption: return "sha1WithRSAEncryption"
        case .sha256WithRSAEncryption: return "sha256WithRSAEncryption"
        case .sha384WithRSAEncryption: return "sha384WithRSAEncryption"
        case .sha512WithRSAEncryption: return "sha512WithRSAEncryption"
        case .ed25519: return "Ed25519"
        default: return String(describing: algorithm).replacingOccurrences(of: "SignatureAlgorithm", with: "")
        }
    }

    /// An address from a certificate as the canonical text (`::1`, `192.0.2.7`).
    static func ipText(_ bytes: [UInt8]) -> String {
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let family = bytes.count == 4 ? AF_INET : bytes.count == 16 ? AF_INET6 : -1
        guard family >= 0, bytes.withUnsafeBytes({ inet_ntop(family, $0.baseAddress, &text, socklen_t(text.count)) }) != nil else {
            return bytes.map { String($0) }.joined(separator: ".")
        }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
