import Foundation
import Crypto
import NIOSSL
import Testing
@testable import SMTPCore
@testable import SMTPTransport

@Suite("TLS controls are checked before any connection")
struct TLSControlsTests {
    @Test("--ciphers takes OpenSSL and IANA names, in order, once each")
    func ciphers() throws {
        let chosen = try CipherList.parse("ECDHE-RSA-AES128-GCM-SHA256:tls_ecdhe_ecdsa_with_aes_256_cbc_sha,AES128-SHA:ECDHE-RSA-AES128-GCM-SHA256")
        #expect(chosen.map(\.rawValue) == [0xC02F, 0xC00A, 0x002F])
        // TLS 1.3 names are allowed in a list and skipped: they are not chosen by one.
        #expect(try CipherList.parse("TLS_AES_128_GCM_SHA256:AES256-SHA").map(\.rawValue) == [0x0035])
    }

    @Test("a cipher list that names an unknown suite, nothing, or only TLS 1.3 is refused with the reason",
          arguments: [("NOPE", "'NOPE' is not a TLS 1.2 suite"), ("ECDHE+AESGCM", "'ECDHE+AESGCM' is not"),
                      ("", "the list is empty"), (":,", "the list is empty"),
                      ("TLS_AES_256_GCM_SHA384", "TLS 1.3 suites are always offered")])
    func badCiphers(list: String, words: String) {
        do {
            _ = try CipherList.parse(list)
            Issue.record("\(list) was accepted")
        } catch {
            #expect(error.description.contains(words), "\(error.description)")
        }
    }

    @Test("every suite of the table is one the TLS library builds a context with")
    func tableMatchesTheLibrary() throws {
        for suite in CipherList.suites {
            var options = TLSClientOptions()
            options.ciphers = suite.openssl
            try options.check()
        }
    }

    @Test("a pin is read in curl's, base64, hex and fingerprint forms", arguments: [
        "sha256//" + Data(repeating: 0xAB, count: 32).base64EncodedString(),
        Data(repeating: 0xAB, count: 32).base64EncodedString(),
        String(repeating: "ab", count: 32),
        "sha256:" + String(repeating: "AB", count: 32),
        Array(repeating: "AB", count: 32).joined(separator: ":"),
    ])
    func pins(text: String) {
        #expect(TLSClientOptions.parsePin(text) == String(repeating: "ab", count: 32))
    }

    @Test("what is not a SHA-256 is not a pin", arguments: ["", "xyz", String(repeating: "a", count: 63),
                                                             String(repeating: "g", count: 64), "sha1//AAAA"])
    func notPins(text: String) {
        #expect(TLSClientOptions.parsePin(text) == nil)
    }

    @Test("an empty version range, a certificate without its key, an unreadable CA are refused")
    func badOptions() {
        var options = TLSClientOptions()
        options.minimumVersion = .tls13
        options.maximumVersion = .tls12
        #expect(throws: TLSOptionError.self) { try options.check() }
        options = TLSClientOptions()
        options.clientCertificate = "-----BEGIN CERTIFICATE-----\n"
        #expect(throws: TLSOptionError.self) { try options.check() }
        options = TLSClientOptions()
        options.extraRoots = ["not a certificate"]
        #expect(throws: TLSOptionError.self) { try options.check() }
    }

    @Test("a matching pin replaces the trust store and the name; a wrong one is named")
    func pinDecides() async throws {
        let made = try TestCertificates()
        let leaf = try made.leaf(name: "mx.example.test", selfSigned: true)
        let outcome = await CertificateCheck.evaluate([leaf], host: "127.0.0.1", options: TLSClientOptions(), roots: [])
        let spki = outcome.chain[0].spki
        let digest = SHA256.hash(data: spki).map { String(format: "%02x", $0) }.joined()
        var options = TLSClientOptions()
        options.pins = [digest]
        let pinned = await CertificateCheck.evaluate([leaf], host: "127.0.0.1", options: options, roots: [])
        #expect(pinned.problems.isEmpty, "\(pinned.problems)")
        options.verifyName = "other.example.test"
        let named = await CertificateCheck.evaluate([leaf], host: "127.0.0.1", options: options, roots: [])
        #expect(named.problems == [.wrongName(expected: "other.example.test", names: ["mx.example.test"])])
        options = TLSClientOptions()
        options.pins = [String(repeating: "0", count: 64)]
        let wrong = await CertificateCheck.evaluate([leaf], host: "mx.example.test", options: options, roots: [])
        #expect(wrong.problems == [.pinMismatch(String(repeating: "0", count: 64))])
    }

    @Test("TLS 1.2's ServerKeyExchange names the curve; TLS 1.3's key_share the group")
    func keyExchange() {
        let random = [UInt8](repeating: 7, count: 32)
        // TLS 1.2 ServerHello for ECDHE-RSA-AES128-GCM-SHA256, then ServerKeyExchange with curve 0x0017.
        let hello12: [UInt8] = [3, 3] + random + [0, 0xC0, 0x2F, 0, 0, 0]
        let kex: [UInt8] = [3, 0x00, 0x17, 65] + [UInt8](repeating: 4, count: 65)
        var handshake = [2, 0, 0, UInt8(hello12.count)] + hello12 + [12, 0, 0, UInt8(kex.count)] + kex + [14, 0, 0, 0]
        var record = [22, 3, 3, UInt8(handshake.count >> 8), UInt8(handshake.count & 0xFF)] + handshake
        var (facts, finished) = ServerHelloSniffer.facts(in: record)
        #expect(finished)
        #expect(facts?.keyExchange == "ECDHE P-256")
        // Byte by byte, the facts come only once the messages are whole.
        for cut in 1..<record.count {
            let partial = ServerHelloSniffer.facts(in: Array(record.prefix(cut)))
            #expect(!partial.finished || cut == record.count)
        }
        // TLS 1.3: supported_versions 0x0304 and key_share X25519.
        let extensions: [UInt8] = [0, 43, 0, 2, 3, 4, 0, 51, 0, 36, 0, 0x1D, 0, 32] + [UInt8](repeating: 9, count: 32)
        let hello13: [UInt8] = [3, 3] + random + [0, 0x13, 0x01, 0, 0, UInt8(extensions.count)] + extensions
        handshake = [2, 0, 0, UInt8(hello13.count)] + hello13
        record = [22, 3, 3, 0, UInt8(handshake.count)] + handshake
        (facts, finished) = ServerHelloSniffer.facts(in: record)
        #expect(finished && facts?.tls13 == true)
        #expect(facts?.keyExchange == "ECDHE X25519")
        // RSA key transport has no key exchange message.
        let helloRSA: [UInt8] = [3, 3] + random + [0, 0x00, 0x9C, 0, 0, 0]
        handshake = [2, 0, 0, UInt8(helloRSA.count)] + helloRSA + [14, 0, 0, 0]
        record = [22, 3, 3, 0, UInt8(handshake.count)] + handshake
        #expect(ServerHelloSniffer.facts(in: record).0?.keyExchange == "RSA")
    }
}

@Suite("Weak TLS is named")
struct TLSWeaknessTests {
    func info(version: String = "TLSv1.3", suite: String = "TLS_AES_128_GCM_SHA256", key: String = "ECDSA P-256",
              signature: String = "ecdsa-with-SHA256", daysLeft: Double = 200) -> TLSInfo {
        let leaf = CertificateSummary(subject: "CN=a", issuer: "CN=b", names: ["a"], notBefore: Date().addingTimeInterval(-86400),
                                      notAfter: Date().addingTimeInterval(daysLeft * 86400 + 3600), sha256: "",
                                      publicKey: key, signatureAlgorithm: signature)
        return TLSInfo(version: version, cipherSuite: suite, chain: [leaf], verified: true)
    }

    @Test("a modern session has no weakness")
    func modern() {
        #expect(TLSWeakness.find(in: info(), at: Date()).isEmpty)
        #expect(TLSWeakness.find(in: info(version: "TLSv1.2", suite: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", key: "RSA 2048",
                                          signature: "sha256WithRSAEncryption"), at: Date()).isEmpty)
    }

    @Test("old versions, CBC-SHA1, RSA key transport, short keys, SHA-1 signatures, near expiry")
    func weak() {
        let found = TLSWeakness.find(in: info(version: "TLSv1.0", suite: "TLS_RSA_WITH_AES_128_CBC_SHA", key: "RSA 1024",
                                              signature: "sha1WithRSAEncryption", daysLeft: 5), at: Date())
        #expect(found == [.oldVersion("TLSv1.0"), .rsaKeyExchange("TLS_RSA_WITH_AES_128_CBC_SHA"),
                          .cbcSHA1("TLS_RSA_WITH_AES_128_CBC_SHA"), .weakKey("RSA 1024"),
                          .sha1Signature("sha1WithRSAEncryption"), .expiresSoon(days: 5)])
        #expect(TLSWeakness.find(in: info(daysLeft: 21), at: Date()).isEmpty)
        #expect(TLSWeakness.find(in: info(daysLeft: 20), at: Date()) == [.expiresSoon(days: 20)])
        #expect(TLSWeakness.find(in: info(suite: "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"), at: Date()).isEmpty)
    }
}
