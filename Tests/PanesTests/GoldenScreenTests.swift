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
