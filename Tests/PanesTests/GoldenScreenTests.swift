import Testing
@testable import Panes
import SMTPKnowledge

@Suite("Golden screens")
struct GoldenScreenTests {
    @Test("an ordinary session, typing the next RCPT", arguments: [(132, 40), (80, 24)], [Language.en, .zh])
    func session(size: (Int, Int), language: Language) throws {
        var harness = Harness(language: language)
        harness.ordinarySession()
        harness.type("RCPT TO:carol")
        try expectGolden(harness.screen(size.0, size.1), "session-\(size.0)x\(size.1)-\(language.rawValue)")
    }

    @Test("presenter mode: both panes stacked, then the stream alone, then the explanation alone",
          arguments: [(60, 20), (100, 30)])
    func presenter(size: (Int, Int)) throws {
        var settings = ScreenSettings()
        settings.present = true
        var harness = Harness(settings: settings)
        harness.ordinarySession()
        harness.type("RCPT TO:<nobody@mx.example.test>\n")
        harness.server("550 5.1.1 <nobody@mx.example.test>: Recipient address rejected: User unknown\r\n")
        for view in ["both", "stream", "explanation"] {
            try expectGolden(harness.screen(size.0, size.1), "present-\(view)-\(size.0)x\(size.1)-en")
            harness.key(.function(3))
        }
        // A fourth F3 comes back to both.
        try expectGolden(harness.screen(size.0, size.1), "present-both-\(size.0)x\(size.1)-en")
    }

    @Test("a rejected recipient, selected and explained", arguments: [(132, 40), (80, 24)], [Language.en, .zh])
    func rejected(size: (Int, Int), language: Language) throws {
        var harness = Harness(language: language)
        harness.ordinarySession()
        harness.type("RCPT TO:<nobody@mx.example.test>\n")
        harness.server("550 5.1.1 <nobody@mx.example.test>: Recipient address rejected: User unknown\r\n")
        harness.type("DATA\n")
        harness.server("354 End data with <CR><LF>.<CR><LF>\r\n")
        harness.key(.control("p"))
        harness.key(.control("p"))
        harness.key(.control("p"))
        try expectGolden(harness.screen(size.0, size.1), "rejected-\(size.0)x\(size.1)-\(language.rawValue)")
    }

    @Test("a refused line that the lint flagged: the finding leads the explanation", arguments: [Language.en, .zh])
    func lintedRefusal(language: Language) throws {
        var harness = Harness(language: language)
        harness.server("220 mx.example.test ESMTP ready\r\n", after: 0.003)
        harness.type("EHLO laptop\n")
        harness.server("250-mx.example.test\r\n250 ENHANCEDSTATUSCODES\r\n")
        harness.type("MAIL FROM: you@x\n")
        harness.server("501 5.5.4 Syntax: MAIL FROM:<address>\r\n", after: 0.001)
        try expectGolden(harness.screen(132, 40), "lint-refusal-132x40-\(language.rawValue)")
    }

    @Test("the meaning depends on the command answered: one RCPT refused, the transaction goes on")
    func oneRecipientRefused() throws {
        var harness = Harness()
        harness.ordinarySession()
        harness.type("RCPT TO:<carol@elsewhere.example>\n")
        harness.server("554 5.7.1 <carol@elsewhere.example>: Relay access denied\r\n", after: 0.001)
        try expectGolden(harness.screen(132, 40), "rcpt-relay-132x40-en")
    }

    @Test("8-bit text after MAIL … SMTPUTF8 is no problem")
    func smtputf8() throws {
        var harness = Harness()
        harness.server("220 mx.example.test ESMTP ready\r\n", after: 0.003)
        harness.type("EHLO laptop\n")
        harness.server("250-mx.example.test\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 ENHANCEDSTATUSCODES\r\n")
        harness.type("MAIL FROM:<jörg@exämple.net> SMTPUTF8\n")
        harness.server("250 2.1.0 Sender <jörg@exämple.net> ok\r\n", after: 0.001)
        try expectGolden(harness.screen(132, 40), "smtputf8-132x40-en")
    }

    @Test("after the final \".\": envelope beside header, a blind copy and a forged From")
    func envelope() throws {
        var harness = Harness()
        harness.ordinarySession()
        harness.type("RCPT TO:<carol@mx.example.test>\n")
        harness.server("250 2.1.5 Ok\r\n", after: 0.001)
        harness.type("DATA\n")
        harness.server("354 End data with <CR><LF>.<CR><LF>\r\n")
        for line in ["From: The Boss <boss@bank.example>", "To: bob@mx.example.test", "Subject: hello",
                     "Date: Tue, 1 Dec 2026 10:00:00 +0000", "Message-ID: <1@laptop.example>", "", "Hi.", "."] {
            harness.type(line + "\n")
        }
        harness.server("250 2.0.0 Ok: queued as 4F1A2B\r\n", after: 0.004)
        try expectGolden(harness.screen(132, 40), "envelope-132x40-en")
    }

    @Test("the help screen is generated from the key map", arguments: [Language.en, .zh])
    func help(language: Language) throws {
        var harness = Harness(language: language)
        harness.key(.function(1))
        try expectGolden(harness.screen(80, 24), "help-80x24-\(language.rawValue)")
    }

    @Test("a hostile server: escapes, NUL, invalid UTF-8, a stray line")
    func hostile() throws {
        var harness = Harness()
        harness.server("220-\u{1B}[2J\u{1B}]0;pwned\u{07}hello\r\n220 ok\u{0}\u{7F}\r\n")
        harness.event(.received([0x48, 0x54, 0x54, 0x50, 0xFF, 0xFE, 0x0D, 0x0A]))
        try expectGolden(harness.screen(80, 24), "hostile-80x24-en")
    }
}
