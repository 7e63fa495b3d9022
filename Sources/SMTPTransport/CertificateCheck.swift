import Crypto
import Foundation
import SMTPCore
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
        let roots = extraRoots.map { CertificateStore($0) } ?? CertificateStore.systemTrustRoots
        let moment = min(max(now, leaf.notValidBefore.addingTimeInterval(1)), leaf.notValidAfter.addingTimeInterval(-1))
        let intermediates = CertificateStore(certificates.dropFirst())
        var trusted = await isTrusted(leaf, intermediates: intermediates, roots: roots, at: now)
        if !trusted && moment != now {
            trusted = await isTrusted(leaf, intermediates: intermediates, roots: roots, at: moment)
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
        let name = options.serverName ?? host
        let names = chain[0].names
        if !matches(name, names: names) {
            problems.append(.wrongName(expected: name, names: names))
        }
        return Outcome(chain: chain, problems: problems)
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
                                  notAfter: certificate.notValidAfter, sha256: digest)
    }

    /// RFC 6125 §6.4: exact names, or a wildcard for the whole leftmost label; IPs exactly.
    static func matches(_ host: String, names: [String]) -> Bool {
        let host = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]."))
        for name in names.map({ $0.lowercased() }) {
            if name == host { return true }
            if name.hasPrefix("*."), let dot = host.firstIndex(of: "."), host[host.index(after: dot)...] == name.dropFirst(2),
               !host[..<dot].isEmpty {
                return true
            }
        }
        return false
    }

    static func ipText(_ bytes: [UInt8]) -> String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        if bytes.count == 16 {
            var groups: [String] = []
            for index in stride(from: 0, to: 16, by: 2) {
                groups.append(String(UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1]), radix: 16))
            }
            return groups.joined(separator: ":")
        }
        return bytes.map { String($0) }.joined(separator: ".")
    }
}
