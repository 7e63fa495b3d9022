import Foundation
import Testing
@testable import Conversation
@testable import Panes
import SMTPCore

@Suite("AUTH and STARTTLS in the explorer")
struct AuthTests {
    func ready(showSecrets: Bool = false) -> Harness {
        var harness = Harness(hmacMD5: { _, _ in [0xAB, 0xCD] })
        harness.model.conversation.config.showSecrets = showSecrets
        harness.server("220 mx ESMTP\r\n")
        harness.type("EHLO laptop\n")
        harness.server("250-mx\r\n250-STARTTLS\r\n250 AUTH PLAIN LOGIN CRAM-MD5\r\n")
        return harness
    }

    @Test("/auth refuses to send a password in the clear; allowed, it asks without echo and warns")
    func plain() {
        var harness = ready()
        harness.type("/auth plain alice\n")
        var text = harness.screen(132, 40).text
        #expect(text.contains("/auth did not send the secret: the connection is not encrypted"))
        #expect(!text.contains("password:"))
        #expect(!harness.sent.contains("AUTH"))
        harness.type("/auth --allow-plaintext plain alice\n")
        text = harness.screen(132, 40).text
        #expect(text.contains("password:"))
        #expect(text.contains("Warning: this connection is not encrypted"))
        harness.type("wonderland")
        text = harness.screen(132, 40).text
        #expect(text.contains("password: **********"))
        #expect(!text.contains("wonderland"))
        harness.key(.enter)
        #expect(harness.sent.hasSuffix("AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=\r\n"))
        harness.server("235 2.7.0 ok\r\n")
        text = harness.screen(132, 40).text
        #expect(text.contains("AUTH PLAIN ********"))
        #expect(text.contains("Sending PLAIN credentials without encryption"))
        #expect(!text.contains("AGFsaWNl"))
        #expect(text.contains("auth alice"))
        #expect(!harness.records.contains { $0.text().contains("AGFsaWNl") })
        harness.key(.up)
        #expect(!harness.model.inputText.contains("wonderland"), "the secret is not in the history")
    }

    @Test("/auth login and cram-md5 answer each 334")
    func challenges() {
        var harness = ready()
        harness.type("/auth --allow-plaintext login bob\nbuilder\n")
        harness.server("334 VXNlcm5hbWU6\r\n")
        harness.server("334 UGFzc3dvcmQ6\r\n")
        #expect(harness.sent.hasSuffix("AUTH LOGIN\r\nYm9i\r\nYnVpbGRlcg==\r\n"))
        harness.server("535 5.7.8 no\r\n")
        harness.type("/auth cram-md5 bob\nbuilder\n")
        harness.server("334 PDEyMzQ+\r\n")
        #expect(harness.sent.hasSuffix("AUTH CRAM-MD5\r\n" + Data("bob abcd".utf8).base64EncodedString() + "\r\n"))
        let shown = harness.screen(132, 40).text
        #expect(!shown.contains("YnVpbGRlcg=="))
    }

    @Test("Esc cancels the prompt; --show-secrets shows them")
    func cancelAndShow() {
        var harness = ready()
        harness.type("/auth --allow-plaintext plain alice\nsecr")
        harness.key(.escape)
        #expect(harness.screen(80, 24).text.contains("AUTH cancelled"))
        #expect(!harness.sent.contains("AUTH"))
        var open = ready(showSecrets: true)
        open.type("/auth --allow-plaintext plain alice\nwonderland\n")
        #expect(open.screen(132, 40).text.contains("AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ="))
    }

    @Test("/save masks secrets unless asked")
    func save() {
        var harness = ready()
        harness.type("/auth --allow-plaintext plain alice\nwonderland\n")
        harness.type("/save x.txt\n")
        guard case .save(_, let contents, _)? = harness.effects.last else { Issue.record("no save"); return }
        #expect(contents.contains("AUTH PLAIN ********"))
        #expect(!contents.contains("AGFsaWNl"))
    }

    @Test("a hand-typed AUTH is decoded, the password masked")
    func handTyped() {
        var harness = ready()
        harness.type("AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=")
        let text = harness.screen(132, 40).text
        #expect(text.contains("user alice, password ********"))
    }

    @Test("/starttls sends STARTTLS and the TLS line shows version, cipher and chain")
    func startTLS() {
        var harness = ready()
        harness.type("/starttls\n")
        harness.server("220 2.0.0 go\r\n")
        #expect(harness.effects.contains(.startTLS))
        let certificate = CertificateSummary(subject: "CN=mx.example.test", issuer: "CN=Test CA", names: ["mx.example.test"],
                                             notBefore: Date(timeIntervalSince1970: 1_790_000_000),
                                             notAfter: Date(timeIntervalSince1970: 1_800_000_000), sha256: "AB:CD")
        harness.event(.tlsEstablished(TLSInfo(version: "TLSv1.3", cipherSuite: "TLS_AES_256_GCM_SHA384",
                                              chain: [certificate], verified: true)))
        let text = harness.screen(132, 40).text
        #expect(text.contains("TLSv1.3 TLS_AES_256_GCM_SHA384"))
        #expect(text.contains("CN=Test CA"))
        #expect(text.contains("send EHLO again"))
        harness.type("EHLO laptop\n")
        harness.server("250-mx\r\n250 AUTH PLAIN\r\n")
        #expect(harness.screen(132, 40).text.contains("What changed since STARTTLS"))
    }

    @Test("a failed handshake says why and the connection is not used")
    func tlsFailed() {
        var harness = ready()
        harness.type("STARTTLS\n")
        harness.server("220 go\r\n")
        harness.event(.tlsFailed(TLSFailure(reasons: [.selfSigned, .wrongName(expected: "127.0.0.1", names: ["mx.smtpx.test"])])))
        let text = harness.screen(132, 40).text
        #expect(text.contains("TLS failed: the certificate is self-signed"))
        #expect(text.contains("smtpx did not use this connection"))
        #expect(text.contains("the certificate is for mx.smtpx.test, not 127.0.0.1"))
        harness.type("NOOP\n")
        #expect(!harness.sent.hasSuffix("NOOP\r\n"))
    }
}
