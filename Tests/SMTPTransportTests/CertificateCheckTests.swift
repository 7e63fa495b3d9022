import Crypto
import Foundation
import SwiftASN1
import Testing
@testable import SMTPCore
@testable import SMTPTransport
import X509

/// Certificates made for the test: a CA, leaves signed by it or by themselves.
struct TestCertificates {
    let caKey = P256.Signing.PrivateKey()
    let caName: DistinguishedName
    let ca: Certificate

    init() throws {
        caName = try DistinguishedName { CommonName("smtpx test CA") }
        ca = try Certificate(version: .v3, serialNumber: .init(), publicKey: .init(caKey.publicKey),
                             notValidBefore: Date().addingTimeInterval(-86400 * 365), notValidAfter: Date().addingTimeInterval(86400 * 365),
                             issuer: caName, subject: caName, signatureAlgorithm: .ecdsaWithSHA256,
                             extensions: try Certificate.Extensions {
                                 Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                                 KeyUsage(keyCertSign: true)
                             }, issuerPrivateKey: .init(caKey))
    }

    func leaf(name: String, from: Date = Date().addingTimeInterval(-3600), until: Date = Date().addingTimeInterval(86400),
              selfSigned: Bool = false, addresses: [[UInt8]] = []) throws -> [UInt8] {
        let key = P256.Signing.PrivateKey()
        let subject = try DistinguishedName { CommonName(name) }
        let alternatives = [GeneralName.dnsName(name)] + addresses.map { GeneralName.ipAddress(ASN1OctetString(contentBytes: $0[...])) }
        let certificate = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey), notValidBefore: from, notValidAfter: until,
            issuer: selfSigned ? subject : caName, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                SubjectAlternativeNames(alternatives)
                try ExtendedKeyUsage([.serverAuth])
            }, issuerPrivateKey: selfSigned ? .init(key) : .init(caKey))
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return serializer.serializedBytes
    }

    var caPEM: String { get throws { try ca.serializeAsPEM().pemString } }
}

@Suite("Certificate checks say what is wrong")
struct CertificateCheckTests {
    @Test("a valid chain to a trusted root has no problem")
    func valid() async throws {
        let made = try TestCertificates()
        let outcome = await CertificateCheck.evaluate([try made.leaf(name: "mx.example.test")], host: "mx.example.test",
                                                      options: TLSClientOptions(), roots: [made.ca])
        #expect(outcome.problems.isEmpty, "\(outcome.problems)")
        #expect(outcome.chain.first?.names == ["mx.example.test"])
        #expect(outcome.chain.first?.sha256.count == 95)
    }

    @Test("expired, not yet valid, wrong name, unknown issuer, self-signed")
    func problems() async throws {
        let made = try TestCertificates()
        let day = 86400.0
        let expired = await CertificateCheck.evaluate(
            [try made.leaf(name: "a.example", from: Date().addingTimeInterval(-10 * day), until: Date().addingTimeInterval(-day))],
            host: "a.example", options: TLSClientOptions(), roots: [made.ca])
        #expect(expired.problems.count == 1)
        if case .expired? = expired.problems.first {} else { Issue.record("\(expired.problems)") }
        let early = await CertificateCheck.evaluate(
            [try made.leaf(name: "a.example", from: Date().addingTimeInterval(day), until: Date().addingTimeInterval(9 * day))],
            host: "a.example", options: TLSClientOptions(), roots: [made.ca])
        if case .notYetValid? = early.problems.first {} else { Issue.record("\(early.problems)") }
        let wrong = await CertificateCheck.evaluate([try made.leaf(name: "b.example")], host: "a.example",
                                                    options: TLSClientOptions(), roots: [made.ca])
        #expect(wrong.problems == [.wrongName(expected: "a.example", names: ["b.example"])])
        let unknown = await CertificateCheck.evaluate([try made.leaf(name: "a.example")], host: "a.example",
                                                      options: TLSClientOptions(), roots: [])
        if case .unknownIssuer(let issuer)? = unknown.problems.first { #expect(issuer.contains("smtpx test CA")) }
        else { Issue.record("\(unknown.problems)") }
        let own = await CertificateCheck.evaluate([try made.leaf(name: "a.example", selfSigned: true)], host: "a.example",
                                                  options: TLSClientOptions(), roots: [made.ca])
        #expect(own.problems == [.selfSigned])
    }

    @Test("a pinned certificate is trusted, and only it")
    func pinned() async throws {
        let made = try TestCertificates()
        let leaf = try made.leaf(name: "mx.example.test", selfSigned: true)
        let pem = try Certificate(derEncoded: leaf).serializeAsPEM().pemString
        let trusted = await CertificateCheck.evaluate([leaf], host: "127.0.0.1",
                                                      options: TLSClientOptions(trustOnly: [pem], serverName: "mx.example.test"))
        #expect(trusted.problems.isEmpty)
        let other = await CertificateCheck.evaluate([try made.leaf(name: "mx.example.test", selfSigned: true)], host: "127.0.0.1",
                                                    options: TLSClientOptions(trustOnly: [pem], serverName: "mx.example.test"))
        #expect(other.problems == [.selfSigned])
    }

    @Test("an IP name matches its address however it is written: IP:::1 is ::1; never a DNS name")
    func addresses() async throws {
        let made = try TestCertificates()
        let loopback6 = [UInt8](repeating: 0, count: 15) + [1]
        let leaf = try made.leaf(name: "mx.example.test", addresses: [loopback6, [192, 0, 2, 7]])
        for host in ["::1", "[::1]", "0:0:0:0:0:0:0:1", "192.0.2.7"] {
            let outcome = await CertificateCheck.evaluate([leaf], host: host, options: TLSClientOptions(), roots: [made.ca])
            #expect(outcome.problems.isEmpty, "\(host): \(outcome.problems)")
        }
        let outcome = await CertificateCheck.evaluate([leaf], host: "::2", options: TLSClientOptions(), roots: [made.ca])
        #expect(outcome.problems == [.wrongName(expected: "::2", names: ["mx.example.test", "::1", "192.0.2.7"])])
        #expect(!CertificateCheck.matches("192.0.2.7", names: ["mx.example.test"]))
        #expect(!CertificateCheck.matches("mx.example.test", names: ["192.0.2.7"]))
        #expect(outcome.chain.first?.publicKey == "ECDSA P-256")
        #expect(outcome.chain.first?.signatureAlgorithm == "ecdsa-with-SHA256")
    }

    @Test("wildcards cover exactly one label")
    func wildcard() {
        #expect(CertificateCheck.matches("mx.example.org", names: ["*.example.org"]))
        #expect(!CertificateCheck.matches("a.mx.example.org", names: ["*.example.org"]))
        #expect(!CertificateCheck.matches("example.org", names: ["*.example.org"]))
        #expect(CertificateCheck.matches("[::1]", names: ["::1"]))
    }

    @Test("the cipher suite is read from a ServerHello")
    func serverHello() {
        // Record header, then ServerHello: type 2, length, version, 32 random bytes, empty session id, suite 0x1302.
        var hello: [UInt8] = [2, 0, 0, 38, 3, 3] + [UInt8](repeating: 7, count: 32) + [0, 0x13, 0x02, 0]
        hello = [22, 3, 3, 0, UInt8(hello.count)] + hello
        #expect(ServerHelloSniffer.cipherSuite(in: hello).map(ServerHelloSniffer.name) == "TLS_AES_256_GCM_SHA384")
        #expect(ServerHelloSniffer.cipherSuite(in: Array(hello.prefix(20))) == nil)
    }
}
