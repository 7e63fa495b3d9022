import Foundation
import Testing
@testable import Conversation
import SMTPCore
import SMTPKnowledge

@Suite("Conversation engine")
struct ConversationTests {
    static let transaction = ["EHLO laptop", "MAIL FROM:<me@example.net>", "RCPT TO:<alice@example.test>", "DATA",
                              "Subject: hi", "", "hello", ".", "QUIT"]

    @Test("a whole transaction against the practice server's session, one line at a time")
    func transaction() {
        var harness = Harness(peer: ServerPeer())
        harness.script(Self.transaction)
        #expect(harness.sent == Self.transaction.joined(separator: "\r\n") + "\r\n")
        #expect((harness.peer as? ServerPeer)?.stored.count == 1)
        #expect(harness.conversation.outcome.exitStatus == 0)
        #expect(harness.conversation.isIdle)
    }

    @Test("a pasted block waits for each reply: message lines after the 354, QUIT after the 250")
    func pasteIsQueued() {
        // The server's replies arrive only when the test lets them: everything is typed first.
        var harness = Harness(peer: ServerPeer())
        var held: [ConnectionEvent] = []
        for line in Self.transaction {
            harness.perform(harness.conversation.submit(line, at: harness.moment))
            held += harness.inbox
            harness.inbox = []
        }
        // Only EHLO is on the wire: everything else waits for its turn.
        #expect(harness.sent == "EHLO laptop\r\n")
        #expect(harness.conversation.queuedLines.count == Self.transaction.count - 1)
        harness.inbox = held
        harness.settle()
        #expect(harness.sent == Self.transaction.joined(separator: "\r\n") + "\r\n")
        #expect(harness.conversation.session?.quitSent == true)
        #expect((harness.peer as? ServerPeer)?.stored.first.map { String(decoding: $0.data, as: UTF8.self) } == "Subject: hi\r\n\r\nhello\r\n")
    }

    @Test("typed STARTTLS and /starttls behave the same: nothing goes until TLS is up", arguments: ["STARTTLS", "/starttls"])
    func startTLS(form: String) {
        var harness = Harness(peer: ServerPeer())
        var held: [ConnectionEvent] = []
        harness.script(["EHLO laptop"])
        // STARTTLS and what follows, typed before the 220 arrives.
        for line in [form, "EHLO laptop", "MAIL FROM:<me@example.net>"] {
            harness.perform(harness.conversation.submit(line, at: harness.moment))
            held += harness.inbox
            harness.inbox = []
        }
        #expect(harness.sent == "EHLO laptop\r\nSTARTTLS\r\n")
        harness.inbox = held
        harness.settle()
        #expect(harness.sent == "EHLO laptop\r\nSTARTTLS\r\nEHLO laptop\r\nMAIL FROM:<me@example.net>\r\n")
        #expect(harness.conversation.session?.isTLS == true)
        // The lines after STARTTLS are logged as sent under TLS, and only once they were.
        let sentAfter = harness.conversation.log.indices.compactMap { harness.conversation.log[$0] }
            .filter { $0.kind == .sent }.suffix(2)
        #expect(sentAfter.allSatisfy { $0.tls })
        #expect(harness.events().contains { if case .tlsEstablished(_, true) = $0 { true } else { false } })
    }

    @Test("BDAT n LAST: the chunk goes with the command, before its reply")
    func bdatLast() {
        var harness = Harness(peer: ServerPeer())
        harness.script(["EHLO laptop", "MAIL FROM:<me@example.net>", "RCPT TO:<alice@example.test>", "BDAT 7 LAST", "hello",
                        "QUIT"])
        #expect(harness.sent.hasSuffix("BDAT 7 LAST\r\nhello\r\nQUIT\r\n"))
        #expect((harness.peer as? ServerPeer)?.stored.count == 1)
        #expect(harness.conversation.outcome.exitStatus == 0)
    }

    /// A server that answers RCPT with 421 and closes at once.
    static func closingPeer() -> ScriptedPeer {
        ScriptedPeer(greeting: [ScriptedPeer.reply("220 ok")]) { line in
            if line.hasPrefix("RCPT") { return [ScriptedPeer.reply("421 4.3.2 going down"), .close] }
            if line.hasPrefix("EHLO") { return [ScriptedPeer.reply("250 ok")] }
            return [ScriptedPeer.reply("250 ok")]
        }
    }

    @Test("421 and a close: one transcript and one exit status, however the reads fall",
          arguments: [0, 1, 3, 7, 64])
    func serverClosing(chunk: Int) {
        var transcripts: Set<[String]> = []
        var statuses: Set<Int32> = []
        for _ in 0..<50 {
            var harness = Harness(peer: Self.closingPeer(), chunk: chunk)
            harness.batch(["EHLO laptop", "MAIL FROM:<me@example.net>", "RCPT TO:<a@example.test>", "DATA", "x", ".", "QUIT"])
            transcripts.insert(harness.transcript)
            statuses.insert(harness.conversation.outcome.exitStatus)
            #expect(!harness.sent.contains("DATA"))
        }
        #expect(transcripts.count == 1)
        #expect(statuses == [4])
    }

    @Test("a reset instead of a FIN after 421 reads the same")
    func resetAfter421() {
        var a = Harness(peer: ScriptedPeer(greeting: [ScriptedPeer.reply("421 4.3.2 busy")]) { _ in [] })
        a.event(.closed(.byServer))
        var b = Harness(peer: ScriptedPeer(greeting: [ScriptedPeer.reply("421 4.3.2 busy")]) { _ in [] })
        b.event(.closed(.error("Connection reset by peer")))
        #expect(a.transcript == b.transcript)
        #expect(a.conversation.outcome.exitStatus == 4 && b.conversation.outcome.exitStatus == 4)
    }

    @Test("a 554 greeting in a script: QUIT, nothing else, exit 5")
    func refusedGreeting() {
        var harness = Harness(peer: ScriptedPeer(greeting: [ScriptedPeer.reply("554 5.7.1 go away")]) { line in
            line == "QUIT" ? [ScriptedPeer.reply("221 bye"), .close] : [ScriptedPeer.reply("503 no")]
        }, config: ConversationConfig(target: Target(host: "x", port: 25), scriptMode: true))
        harness.batch(Self.transaction)
        #expect(harness.sent == "QUIT\r\n")
        #expect(harness.conversation.outcome.exitStatus == 5)
    }

    @Test("the reply timeout is silence, not the whole reply; what arrived is kept", arguments: [0.1, 0.5, 2.0])
    func timeout(seconds: Double) {
        var harness = Harness(peer: ScriptedPeer(greeting: [ScriptedPeer.reply("220 ok")]) { _ in [] },
                              config: ConversationConfig(target: Target(host: "x", port: 25), scriptMode: true,
                                                         replyTimeoutSeconds: seconds))
        harness.script(["EHLO laptop", "QUIT"])
        // A slow multi-line reply: each line comes within the limit, so it is not a timeout.
        for n in 0..<5 {
            harness.advance(seconds * 0.6)
            harness.tick()
            harness.event(.received(Array("250-line \(n)\r\n".utf8)))
        }
        #expect(harness.conversation.outcome.stop == nil)
        harness.event(.received(Array("250-part".utf8)))
        harness.advance(seconds * 1.01)
        harness.tick()
        #expect(harness.conversation.outcome.exitStatus == 3)
        #expect(harness.transcript.filter { $0.hasPrefix("<-  250-line") }.count == 5)
        #expect(harness.transcript.contains("<-  250-part"))
        #expect(!harness.sent.contains("QUIT"))
    }

    @Test("a reply that never ends is given up once, though its bytes go on coming while the close is under way")
    func endlessReplyGivenUpOnce() {
        var conversation = Conversation(config: ConversationConfig(target: Target(host: "x", port: 25), scriptMode: true,
                                                                   replyTimeoutSeconds: 1))
        var now = 0.0
        func at() -> Moment { Moment(monotonic: now, wall: Date(timeIntervalSince1970: 1_795_000_000 + now)) }
        _ = conversation.start(at: at())
        _ = conversation.handle(.connected(remote: "192.0.2.1:25", local: "192.0.2.2:5000"), at: at())
        _ = conversation.handle(.received(Array("220 ".utf8)), at: at())
        var closes = 0
        for _ in 0..<400 {
            now += 0.1
            _ = conversation.handle(.received([UInt8](repeating: 0x41, count: 8192)), at: at())
            closes += conversation.tick(at: at()).filter { $0 == .close }.count
        }
        #expect(closes == 1)
        #expect(conversation.log.indices.compactMap { conversation.log.event($0) }
            .filter { if case .replyTooLong = $0 { return true }; return false }.count == 1)
        #expect(conversation.outcome.exitStatus == 3)
    }

    @Test("/auth never sends a secret in the clear unless allowed, nor to a server that did not offer AUTH")
    func authPolicy() {
        // 454 to STARTTLS, then /auth over plaintext: refused.
        let refusesTLS = ScriptedPeer(greeting: [ScriptedPeer.reply("220 ok")]) { line in
            if line.hasPrefix("EHLO") { return [.send(Array((ehloReply + "\r\n").utf8))] }
            if line == "STARTTLS" { return [ScriptedPeer.reply("454 4.7.0 TLS not available")] }
            return [ScriptedPeer.reply("235 2.7.0 ok")]
        }
        var harness = Harness(peer: refusesTLS)
        harness.script(["EHLO laptop", "STARTTLS", "/auth plain alice"])
        #expect(!harness.sent.contains("AUTH"))
        #expect(harness.events().contains(.authRefused(.plaintext)))
        // Allowed explicitly: sent, and the transcript says so.
        harness.type("/auth --allow-plaintext plain alice")
        #expect(harness.sent.contains("AUTH PLAIN"))
        #expect(harness.events().contains(.plaintextAuthAllowed(mechanism: "PLAIN")))
        #expect(harness.transcript.contains(" -> AUTH PLAIN ********"))
        // No AUTH in the EHLO reply: refused even under --allow-plaintext-auth.
        var plain = Harness(peer: ScriptedPeer(greeting: [ScriptedPeer.reply("220 ok")]) { _ in [ScriptedPeer.reply("250 ok")] },
                            config: ConversationConfig(target: Target(host: "x", port: 25), allowPlaintextAuth: true))
        plain.script(["EHLO laptop", "/auth plain alice"])
        #expect(!plain.sent.contains("AUTH"))
        #expect(plain.events().contains(.authRefused(.notOffered)))
    }

    @Test("/auth in a script that refuses it stops the run with status 1")
    func authRefusedInScript() {
        var harness = Harness(peer: ServerPeer(), config: ConversationConfig(target: Target(host: "x", port: 25), scriptMode: true))
        harness.script(["EHLO laptop", "/auth plain alice", "MAIL FROM:<a@b.example>"])
        #expect(!harness.sent.contains("AUTH") && !harness.sent.contains("MAIL"))
        #expect(harness.conversation.outcome.exitStatus == 1)
    }

    @Test("/auth under TLS against the practice server: 235 and the user is known")
    func authUnderTLS() {
        var harness = Harness(peer: ServerPeer())
        harness.script(["EHLO laptop", "STARTTLS", "EHLO laptop", "/auth login alice"])
        #expect(harness.conversation.authenticatedUser == "alice")
        #expect(harness.conversation.session?.isAuthenticated == true)
        #expect(!harness.transcript.contains { $0.contains("d29uZGVybGFuZA") })
    }

    @Test("--require-tls: STARTTLS is sent when needed, EHLO again, then the command")
    func requireTLSUpgrades() {
        var harness = Harness(peer: ServerPeer(), config: ConversationConfig(target: Target(host: "x", port: 25), scriptMode: true,
                                                                             requireTLS: true))
        harness.script(["EHLO laptop", "MAIL FROM:<me@example.net>", "QUIT"])
        #expect(harness.sent == "EHLO laptop\r\nSTARTTLS\r\nEHLO laptop\r\nMAIL FROM:<me@example.net>\r\nQUIT\r\n")
        #expect(harness.conversation.outcome.exitStatus == 0)
    }

    @Test("--require-tls stops with status 6 when STARTTLS is not offered, refused, or fails")
    func requireTLSUnmet() {
        let noTLS = ScriptedPeer(greeting: [ScriptedPeer.reply("220 ok")]) { line in
            line == "QUIT" ? [ScriptedPeer.reply("221 bye"), .close] : [ScriptedPeer.reply("250 ok")]
        }
        let config = ConversationConfig(target: Target(host: "x", port: 25), scriptMode: true, requireTLS: true)
        var notOffered = Harness(peer: noTLS, config: config)
        notOffered.script(["EHLO laptop", "MAIL FROM:<me@example.net>"])
        #expect(notOffered.sent == "EHLO laptop\r\nQUIT\r\n")
        #expect(notOffered.conversation.outcome.exitStatus == 6)

        let refuses = ScriptedPeer(greeting: [ScriptedPeer.reply("220 ok")]) { line in
            if line.hasPrefix("EHLO") { return [.send(Array((ehloReply + "\r\n").utf8))] }
            if line == "STARTTLS" { return [ScriptedPeer.reply("454 4.7.0 no")] }
            return line == "QUIT" ? [ScriptedPeer.reply("221 bye"), .close] : [ScriptedPeer.reply("250 ok")]
        }
        var refused = Harness(peer: refuses, config: config)
        refused.script(["EHLO laptop", "STARTTLS", "MAIL FROM:<me@example.net>"])
        #expect(!refused.sent.contains("MAIL"))
        #expect(refused.conversation.outcome.exitStatus == 6)

        var failed = Harness(peer: ServerPeer(), config: config)
        failed.tlsFails = true
        failed.script(["EHLO laptop", "MAIL FROM:<me@example.net>"])
        #expect(!failed.sent.contains("MAIL"))
        #expect(failed.conversation.outcome.exitStatus == 6)
    }

    @Test("a refused DATA skips the message the script holds")
    func refusedData() {
        var harness = Harness(peer: ServerPeer(), config: ConversationConfig(target: Target(host: "x", port: 25), scriptMode: true))
        harness.batch(["EHLO laptop", "MAIL FROM:<me@example.net>", "RCPT TO:<nobody@example.test>", "DATA", "Subject: x",
                       "", "body", ".", "QUIT"])
        #expect(harness.sent.hasSuffix("DATA\r\nQUIT\r\n"))
        #expect(harness.events().contains(.linesNotSent(count: 4, reason: .dataRefused)))
        #expect(harness.conversation.outcome.exitStatus == 5)
    }

    @Test("pipelining sends a group at once where RFC 2920 allows, and waits after DATA")
    func pipelining() {
        var harness = Harness(peer: ServerPeer(), config: ConversationConfig(target: Target(host: "x", port: 25), pipelining: true,
                                                                             scriptMode: true))
        var held: [ConnectionEvent] = []
        harness.script(["EHLO laptop"])
        for line in ["MAIL FROM:<me@example.net>", "RCPT TO:<alice@example.test>", "RCPT TO:<bob@example.test>", "DATA", "x", "."] {
            harness.perform(harness.conversation.submit(line, at: harness.moment))
            held += harness.inbox
            harness.inbox = []
        }
        #expect(harness.sent.hasSuffix("MAIL FROM:<me@example.net>\r\nRCPT TO:<alice@example.test>\r\nRCPT TO:<bob@example.test>\r\nDATA\r\n"))
        harness.inbox = held
        harness.settle()
        #expect(harness.sent.hasSuffix("DATA\r\nx\r\n.\r\n"))
    }

    @Test("latency is from the command to the reply's first byte; the last line's time is kept too")
    func latency() {
        var harness = Harness(peer: ScriptedPeer(greeting: []) { _ in [] })
        harness.advance(0.003)
        harness.event(.received(Array("220 ok\r\n".utf8)))
        harness.type("EHLO laptop")
        harness.advance(0.004)
        harness.event(.received(Array("250-first\r\n250-".utf8)))
        harness.advance(0.010)
        harness.event(.received(Array("second\r\n250 last\r\n".utf8)))
        let records = harness.conversation.log.indices.compactMap { harness.conversation.record($0) }
        let greeting = records.first { $0.code == 220 }
        #expect(abs((greeting?.latencySeconds ?? 0) - 0.003) < 1e-9)
        let last = records.last
        #expect(abs((last?.latencySeconds ?? 0) - 0.004) < 1e-9)
        #expect(abs((last?.lastLineLatencySeconds ?? 0) - 0.014) < 1e-9)
        let first = harness.conversation.log.indices.compactMap { harness.conversation.log[$0] }.first { $0.code == 250 }
        #expect(abs((first?.latencySeconds ?? 0) - 0.004) < 1e-9)
        #expect(TranscriptFormat.text(last!) == "<-  250 last  (+4.0ms, last line +14ms)")
    }

    @Test("/connect takes --tls and refuses what it does not understand")
    func connectCommand() {
        var harness = Harness(peer: ServerPeer())
        harness.type("/connect --tls smtp.example.org")
        #expect(harness.effects.contains(.connect(Target(host: "smtp.example.org", port: 465, implicitTLS: true))))
        harness.type("/connect smtp.example.org 587 tls")
        #expect(harness.events().contains(.usage("/connect [--tls] HOST [PORT]")))
        harness.type("/connect [::1] 2525")
        #expect(harness.effects.contains(.connect(Target(host: "::1", port: 2525, implicitTLS: false))))
    }

    @Test("local lines say what they are by kind, and their words follow /lang")
    func kindsAndLanguage() throws {
        var harness = Harness(peer: ServerPeer())
        harness.script(["EHLO laptop", "/lang zh"])
        let log = harness.conversation.log
        let connected = try #require(log.indices.first { index in
            if case .connected? = log.event(index) { return true }
            return false
        })
        #expect(harness.conversation.record(connected)?.text().hasPrefix("已连接到") == true)
        harness.type("/lang en")
        #expect(harness.conversation.record(connected)?.text().hasPrefix("Connected to") == true)
        #expect(harness.kinds.first == .note)
    }

    @Test("a flood keeps the newest lines only")
    func flood() {
        var harness = Harness(peer: ScriptedPeer(greeting: [ScriptedPeer.reply("220 ok")]) { _ in [] },
                              config: ConversationConfig(target: Target(host: "x", port: 25), scrollback: 1000))
        let chunk = Array(String(repeating: "250-flood flood flood flood flood\r\n", count: 1000).utf8)
        for _ in 0..<100 { harness.event(.received(chunk)) }
        #expect(harness.conversation.log.count >= 1000 && harness.conversation.log.count < 1300)
    }

    @Test("a reply with a line cut at the hard cap is still one reply, with every line, when rebuilt from the log")
    func cutLineInsideReply() throws {
        var harness = Harness(peer: ScriptedPeer(greeting: [ScriptedPeer.reply("220 ok")]) { _ in [] })
        let long = "250-" + String(repeating: "A", count: 5000)
        for way in [1, 700] {
            let bytes = Array("250-first\r\n251-changed\r\n\(long)\r\n250 last\r\n".utf8)
            var offset = 0
            while offset < bytes.count {
                harness.event(.received(Array(bytes[offset..<min(bytes.count, offset + way * 97)])))
                offset += way * 97
            }
            let log = harness.conversation.log
            let last = try #require(log.indices.last { log[$0]?.isReply == true })
            let (reply, _) = try #require(log.reply(containing: last))
            #expect(reply.lineCount == 4, "reads of \(way * 97) bytes")
            #expect(reply.texts.first == "first" && reply.texts.last == "last")
            #expect(reply.lines[1].anomalies.contains(.codeChanged))
            #expect(reply.lines[2].anomalies.contains(.truncated))
            #expect(log.replyStart(of: last) == log.replyStart(of: last - 3))
            // From the cut line itself, past the note after it, the reply is the same.
            let (fromCut, _) = try #require(log.reply(containing: last - 2))
            #expect(fromCut == reply)
        }
    }
}
