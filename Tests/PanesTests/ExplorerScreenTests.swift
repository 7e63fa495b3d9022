import Foundation
import Testing
@testable import Conversation
@testable import Panes
import SMTPCore
import SMTPKnowledge

@Suite("Explorer screen")
struct ExplorerScreenTests {
    @Test("starting with a host asks to connect")
    func connects() {
        let harness = Harness(connect: false)
        #expect(harness.effects.first == .connect(Target(host: "mx.example.test", port: 25)))
    }

    @Test("typed commands go on the wire with CRLF and are recorded")
    func sends() {
        var harness = Harness()
        harness.ordinarySession()
        #expect(harness.sent == "EHLO laptop\r\nMAIL FROM:<me@laptop.example>\r\nRCPT TO:<bob@mx.example.test>\r\n")
        let directions = harness.records.map(\.direction)
        #expect(directions.filter { $0 == .sent }.count == 3)
        #expect(directions.filter { $0 == .received }.count == 8)
        let ok = harness.records.last { $0.direction == .received }
        #expect(ok?.answers == "RCPT TO:<bob@mx.example.test>")
        #expect(abs((ok?.latencySeconds ?? 0) - 0.002) < 1e-6)
    }

    @Test("nothing a server sends reaches the screen as a control character")
    func noControlBytes() {
        var harness = Harness()
        var hostile: [UInt8] = Array("220-".utf8)
        for byte in UInt8(0)...UInt8(255) where byte != 0x0A { hostile.append(byte) }
        hostile += Array("\r\n220 \u{1B}[31mred \u{202E}evil \u{85}next\r\n".utf8)
        harness.event(.received(hostile))
        for (width, height) in [(132, 40), (80, 24)] {
            let canvas = harness.screen(width, height)
            for cell in canvas.cells {
                for scalar in cell.character.unicodeScalars {
                    #expect(!(scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x202E),
                            "control U+\(String(scalar.value, radix: 16)) on screen")
                }
            }
            #expect(canvas.text.contains("\\x1b[31mred"))
            #expect(canvas.text.contains("\\u202e"))
        }
    }

    @Test("a flood keeps the newest lines only")
    func flood() {
        var harness = Harness(scrollback: 1000)
        harness.server("220 ok\r\n")
        let chunk = Array(String(repeating: "250-flood flood flood flood flood\r\n", count: 1000).utf8)
        for _ in 0..<100 { harness.event(.received(chunk)) }
        #expect(harness.model.streamLineCount >= 1000)
        #expect(harness.model.streamLineCount < 1000 + 300)
        let canvas = harness.screen(80, 24)
        #expect(canvas.text.contains("250-flood"))
    }

    @Test("an endless line is cut and the rest reported")
    func endlessLine() {
        var harness = Harness()
        harness.server("220 ok\r\n")
        for _ in 0..<100 { harness.event(.received([UInt8](repeating: 0x41, count: 10_000))) }
        harness.event(.received(Array("\r\n".utf8)))
        let text = harness.screen(132, 40).text
        #expect(text.contains("AAAAAAAA"))
        #expect(text.contains("995906 more bytes of an over-long line were dropped"))
    }

    @Test("Ctrl-P selects the previous reply and the explainer follows it")
    func selection() {
        var harness = Harness()
        harness.ordinarySession()
        harness.key(.control("p"))
        harness.key(.control("p"))
        harness.key(.control("p"))
        let text = harness.screen(132, 40).text
        #expect(text.contains("250 2.1.0 — Requested mail action okay, completed"), "\(text)")
        #expect(text.contains("The answer to MAIL FROM:<me@laptop.example>"))
        harness.key(.escape)
        #expect(harness.screen(132, 40).text.contains("250 2.1.5 — Destination address valid"))
    }

    @Test("F2 shows line endings")
    func lineEndings() {
        var harness = Harness()
        harness.server("220 ok\r\n")
        harness.server("250 bare\n")
        harness.key(.function(2))
        let text = harness.screen(132, 40).text
        #expect(text.contains("220 ok␍␊"))
    }

    @Test("DATA mode: the prompt changes, lines are dot-stuffed, and the explainer says why")
    func dataMode() {
        var harness = Harness()
        harness.ordinarySession()
        harness.type("DATA\n")
        harness.server("354 go ahead\r\n")
        #expect(harness.screen(80, 24).text.contains("msg>"))
        harness.type(".leading dot")
        #expect(harness.screen(132, 40).text.contains("dot-stuffing"))
        harness.type("\n.\n")
        #expect(harness.sent.hasSuffix("DATA\r\n..leading dot\r\n.\r\n"))
    }

    @Test("lint warns but still sends")
    func lintDoesNotBlock() {
        var harness = Harness()
        harness.server("220 ok\r\n")
        harness.type("RCPT TO:<x@y.example>")
        #expect(harness.screen(132, 40).text.contains("MAIL FROM"))
        harness.key(.enter)
        #expect(harness.sent == "RCPT TO:<x@y.example>\r\n")
    }

    @Test("typing while not connected gives a clear message and sends nothing")
    func notConnected() {
        var harness = Harness(host: nil, connect: false)
        harness.type("EHLO me\n")
        #expect(harness.sent.isEmpty)
        #expect(harness.screen(80, 24).text.contains("Not connected. Type /connect HOST [PORT]."))
    }

    @Test("slash commands", arguments: ["/b64 hello", "/b64 VXNlcm5hbWU6"])
    func base64(line: String) {
        var harness = Harness()
        harness.type(line + "\n")
        let text = harness.screen(132, 40).text
        if line.hasSuffix("hello") { #expect(text.contains("aGVsbG8=")) } else { #expect(text.contains("Username:")) }
    }

    @Test("/raw sends exactly what is written, escapes decoded")
    func raw() {
        var harness = Harness()
        harness.type("/raw NOOP\\r\\nNOOP\\n\n")
        #expect(harness.sent == "NOOP\r\nNOOP\n")
    }

    @Test("/save produces the transcript with the right format")
    func save() throws {
        var harness = Harness()
        harness.ordinarySession()
        harness.type("/save out.jsonl\n")
        guard case .save(let path, let contents, let count)? = harness.effects.last else {
            Issue.record("no save effect")
            return
        }
        #expect(path == "out.jsonl")
        #expect(count == .transcript(lines: harness.model.streamLineCount))
        let entries = TranscriptFormat.read(contents)
        #expect(.transcript(lines: entries.count) == count)
        #expect(entries.contains { $0.text() == "RCPT TO:<bob@mx.example.test>" })
        harness.type("/save out.txt\n")
        guard case .save(_, let text, _)? = harness.effects.last else { return }
        #expect(text.contains(" -> EHLO laptop\n"))
        #expect(text.contains("<-  250 2.1.5 Ok  (+2.0ms)\n"))
    }

    @Test("/lang switches every screen text")
    func language() {
        var harness = Harness()
        harness.ordinarySession()
        harness.type("/lang zh\n")
        let text = harness.screen(80, 24).text
        #expect(text.contains("明文"))
        #expect(text.contains("F1 帮助"))
        harness.type("/lang xx\n")
        #expect(harness.screen(132, 40).text.contains("/lang en|zh"))
    }

    @Test("/lang also switches the practice server's label and welcome page")
    func languageOfPractice() {
        let settings = ScreenSettings(welcome: { language in
            Welcome.practice(address: "127.0.0.1:2525", maildir: "/tmp/m", config: ServerConfig(accounts: ServerConfig.demoAccounts),
                             language: language)
        }, label: Localized("practice server 127.0.0.1:{0}", "练习服务器 127.0.0.1:{0}").format(2525))
        var harness = Harness(host: "127.0.0.1", settings: settings)
        // The explainer's words, whatever the wrapping.
        func words(_ canvas: Canvas) -> String {
            canvas.text.split { $0 == " " || $0 == "\n" || $0 == "│" }.joined(separator: " ")
        }
        var text = words(harness.screen(132, 40))
        #expect(text.contains("practice server 127.0.0.1:2525"))
        #expect(text.contains("Demo accounts: alice / wonderland and bob / builder. STARTTLS first, EHLO again, then /auth"))
        harness.type("/lang zh\n")
        text = words(harness.screen(132, 40))
        #expect(text.contains("练习服务器 127.0.0.1:2525"))
        #expect(text.contains("欢迎使用 smtpx"))
        // Chinese wraps between any two characters: compare without the spaces.
        #expect(text.filter { $0 != " " }.contains("演示账户：alice/wonderland和bob/builder。先执行STARTTLS"))
    }

    @Test("/connect reconnects, /clear empties, unknown commands are named")
    func moreSlash() {
        var harness = Harness()
        harness.type("/connect 127.0.0.1 2525\n")
        #expect(harness.effects.suffix(2) == [.close, .connect(Target(host: "127.0.0.1", port: 2525))])
        harness.type("/clear\n")
        #expect(harness.model.streamLineCount == 0)
        harness.type("/frobnicate\n")
        #expect(harness.screen(80, 24).text.contains("Unknown command /frobnicate"))
        harness.type("/connect 127.0.0.1 x\n")
        #expect(harness.screen(132, 40).text.contains("Usage: /connect [--tls] HOST [PORT]"))
    }

    @Test("Tab completes verbs and slash commands")
    func completion() {
        var harness = Harness()
        harness.type("ma")
        harness.key(.tab)
        #expect(harness.model.inputText == "MAIL FROM:<")
        harness.key(.control("u"))
        harness.type("/sa")
        harness.key(.tab)
        #expect(harness.model.inputText == "/save ")
        harness.key(.control("u"))
        harness.type("E")
        harness.key(.tab)
        #expect(harness.model.inputText == "E")
        #expect(harness.screen(132, 40).text.contains("EHLO  EXPN  ETRN"))
    }

    @Test("line editing keys")
    func editing() {
        var harness = Harness()
        harness.type("NOOP one two")
        harness.key(.control("w"))
        #expect(harness.model.inputText == "NOOP one ")
        harness.key(.home)
        harness.key(.control("k"))
        #expect(harness.model.inputText == "")
        harness.type("QUIT\n")
        harness.key(.up)
        #expect(harness.model.inputText == "QUIT")
    }

    @Test("Ctrl-C quits")
    func quit() {
        var harness = Harness()
        harness.key(.control("c"))
        #expect(harness.model.wantsQuit)
        #expect(harness.effects.last == .quit)
    }

    @Test("a refused connection is explained")
    func refused() {
        var harness = Harness(connect: false)
        harness.event(.failed(ConnectFailure(kind: .refused, host: "127.0.0.1", port: 2599, detail: "Connection refused")))
        let text = harness.screen(132, 40).text
        #expect(text.contains("Connection refused by 127.0.0.1:2599"))
        #expect(text.contains("nothing listens on port"))
    }

    @Test("a server that closes is reported and explained")
    func closed() {
        var harness = Harness()
        harness.server("220 ok\r\n")
        harness.event(.closed(.byServer))
        let text = harness.screen(132, 40).text
        #expect(text.contains("Connection closed by the server"))
        #expect(text.contains("Without a QUIT from you"))
    }

    @Test("plaintext injected after STARTTLS's 220 is refused and reported")
    func injection() {
        var harness = Harness()
        harness.ordinarySession()
        harness.type("RSET\n")
        harness.server("250 ok\r\n")
        harness.type("STARTTLS\n")
        harness.server("220 2.0.0 Ready to start TLS\r\n250 injected\r\n")
        #expect(harness.effects.contains(.startTLS))
        let text = harness.screen(132, 40).text
        #expect(text.contains("14 bytes arrived in plaintext after the 220 to STARTTLS"))
    }

    @Test("a screen too small says so", arguments: [(30, 20), (80, 8)])
    func tooSmall(size: (Int, Int)) {
        var harness = Harness()
        #expect(harness.screen(size.0, size.1).text.contains("smtpx"))
    }

    @Test("every size renders without trapping", arguments: [40, 41, 60, 99, 100, 101, 200])
    func sizes(width: Int) {
        var harness = Harness(language: .zh)
        harness.ordinarySession()
        for height in [12, 13, 24, 60] {
            let canvas = harness.screen(width, height)
            #expect(canvas.text.split(separator: "\n", omittingEmptySubsequences: false).count == height)
        }
    }
}
