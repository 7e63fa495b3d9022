import Foundation
import Testing
@testable import SMTPCore

/// A client session and a server session wired back to back, no network.
struct Wire {
    var client = ClientSession(connectedAt: 0)
    var server: ServerSession
    var messages: [ServerSession.Message] = []
    var heard: [String] = []
    var replies: [Reply] = []
    var delays: [Double] = []
    var closed = false
    var startedTLS = false
    var time = 0.0
    var storeResult = ServerSession.DeliveryResult.stored
    /// What `.spool` actions carried of the message in progress.
    var spool: [UInt8] = []
    var storeFails: Bool {
        get { if case .failed = storeResult { return true } else { return false } }
        set { storeResult = newValue ? .failed("disk full: /var/mail/alice/tmp, errno 28") : .stored }
    }

    init(_ config: ServerConfig = ServerConfig(), greylist: Greylist? = nil, accounts: AccountTable? = nil,
         throttle: LoginThrottle = LoginThrottle(), client address: String = "192.0.2.7") {
        server = ServerSession(policy: PracticePolicy(config: config, greylist: greylist, accounts: accounts, throttle: throttle),
                               client: .init(address: address, port: 50000))
        run(server.start(at: time))
    }

    mutating func run(_ actions: [ServerSession.Action]) {
        for action in actions {
            switch action {
            case .reply(let reply, let after):
                delays.append(after)
                client.receive(reply.wireBytes, at: time)
                while let event = client.nextEvent() {
                    if case .reply(let reply, _, _) = event { replies.append(reply) }
                }
            case .heard(let line): heard.append(line)
            case .spool(let bytes):
                spool += bytes
            case .discardSpool:
                spool = []
            case .deliver(let message):
                var whole = message
                whole.data = spool + message.data
                spool = []
                messages.append(whole)
                run(server.delivered(storeResult, id: message.id, at: time))
            case .close: closed = true
            case .startTLS: startedTLS = true
            }
        }
    }

    /// Types a line as a user would (command, message line, …).
    mutating func send(_ line: String) {
        time += 1
        let outgoing = client.submit(line, at: time)
        run(server.receive(outgoing.bytes, at: time))
    }

    /// Sends raw bytes, as a misbehaving client would.
    mutating func raw(_ bytes: [UInt8]) {
        time += 1
        run(server.receive(bytes, at: time))
    }

    var last: Reply? { replies.last }
    var codes: [Int] { replies.map(\.code) }
}

@Suite("Server session")
struct ServerSessionTests {
    @Test("a whole transaction delivers the message, dot-stuffing undone")
    func transaction() {
        var wire = Wire()
        #expect(wire.last?.code == 220)
        for line in ["EHLO laptop", "MAIL FROM:<me@laptop.example>", "RCPT TO:<alice@example.test>", "RCPT TO:<team@example.test>",
                     "DATA", "Subject: hi", "", "..starts with a dot", "body", ".", "QUIT"] {
            wire.send(line)
        }
        #expect(wire.codes == [220, 250, 250, 250, 250, 354, 250, 221])
        #expect(wire.closed)
        #expect(wire.messages.count == 1)
        let message = wire.messages[0]
        #expect(String(decoding: message.data, as: UTF8.self) == "Subject: hi\r\n\r\n..starts with a dot\r\nbody\r\n")
        #expect(message.recipients.map(\.mailboxes) == [["alice"], ["alice", "bob"]])
        #expect(message.sender == "me@laptop.example")
        #expect(message.helo == "laptop")
        #expect(wire.replies[6].texts[0].hasPrefix("2.0.0 Ok: queued as \(message.id)"))
        #expect(wire.heard.contains("MAIL FROM:<me@laptop.example>"))
    }

    @Test("EHLO lists the extensions; every later reply has an enhanced code")
    func ehlo() {
        var wire = Wire()
        wire.send("EHLO laptop")
        let keywords = Capabilities(ehloReply: wire.last!).items.map(\.keyword)
        #expect(keywords == ["PIPELINING", "SIZE", "8BITMIME", "SMTPUTF8", "ENHANCEDSTATUSCODES", "DSN", "CHUNKING", "VRFY",
                             "EXPN", "HELP"])
        for line in ["NOOP", "VRFY alice", "VRFY nobody", "MAIL FROM:<a@b.example>", "RCPT TO:<x@elsewhere.example>",
                     "RSET", "HELP", "XYZZY", "SEND FROM:<a@b.example>"] {
            wire.send(line)
            #expect(wire.last?.enhancedCode != nil, "\(line): \(wire.last?.texts ?? [])")
        }
    }

    @Test("pipelined commands are answered in order, even across the message")
    func pipelining() {
        var wire = Wire()
        wire.send("EHLO laptop")
        wire.raw(Array("MAIL FROM:<a@b.example>\r\nRCPT TO:<bob@example.test>\r\nDATA\r\nhello\r\n.\r\nNOOP\r\nQUIT\r\n".utf8))
        #expect(wire.codes == [220, 250, 250, 250, 354, 250, 250, 221])
        #expect(wire.messages.count == 1)
    }

    @Test("only CRLF.CRLF ends a message: a bare-LF dot is data (no smuggling)")
    func smuggling() {
        var wire = Wire()
        wire.send("EHLO laptop")
        wire.raw(Array("MAIL FROM:<a@b.example>\r\nRCPT TO:<bob@example.test>\r\nDATA\r\n".utf8))
        wire.raw(Array("first\n.\nMAIL FROM:<evil@x.example>\r\nlast\r\n.\r\n".utf8))
        #expect(wire.messages.count == 1)
        #expect(String(decoding: wire.messages[0].data, as: UTF8.self) == "first\n.\nMAIL FROM:<evil@x.example>\r\nlast\r\n")
    }

    @Test("mail for other domains is refused: this server never relays")
    func relay() {
        var wire = Wire()
        wire.send("EHLO laptop")
        wire.send("MAIL FROM:<a@b.example>")
        wire.send("RCPT TO:<someone@gmail.example>")
        #expect(wire.last?.code == 554)
        #expect(wire.last?.enhancedCode?.description == "5.7.1")
        wire.send("DATA")
        #expect(wire.last?.code == 554)
        #expect(wire.messages.isEmpty)
    }

    @Test("an unknown mailbox gets 550 5.1.1; postmaster is always there")
    func mailboxes() {
        var wire = Wire()
        wire.send("EHLO laptop")
        wire.send("MAIL FROM:<>")
        wire.send("RCPT TO:<carol@example.test>")
        #expect(wire.last?.code == 550)
        #expect(wire.last?.enhancedCode?.description == "5.1.1")
        wire.send("RCPT TO:<Postmaster>")
        #expect(wire.last?.code == 250)
        wire.send("RCPT TO:<BOB@EXAMPLE.TEST>")
        #expect(wire.last?.code == 250)
    }

    @Test("VRFY and EXPN answer as RFC 5321 §3.5 allows")
    func vrfyExpn() {
        var wire = Wire()
        wire.send("EHLO laptop")
        wire.send("VRFY alice")
        #expect(wire.last?.texts == ["2.1.5 Alice <alice@example.test>"])
        wire.send("VRFY zed")
        #expect(wire.last?.code == 550)
        wire.send("EXPN team")
        #expect(wire.last?.texts == ["2.1.5 Alice <alice@example.test>", "2.1.5 Bob <bob@example.test>"])
        var hidden = Wire(ServerConfig(revealUsers: false))
        hidden.send("VRFY alice")
        #expect(hidden.last?.code == 252)
    }

    @Test("syntax and sequence errors get the right codes", arguments: [
        ("MAIL FROM:<a@b.example>", 503), ("RCPT TO:<alice@example.test>", 503), ("DATA", 503),
        ("HELO", 501), ("XYZZY", 500), ("SEND FROM:<a@b.example>", 502), ("TURN", 502),
    ])
    func errors(line: String, code: Int) {
        var wire = Wire()
        wire.send(line)
        #expect(wire.last?.code == code, "\(line): \(wire.last?.texts ?? [])")
    }

    @Test("MAIL syntax is strict and says why", arguments: [
        ("MAIL FROM: <a@b.example>", 501), ("MAIL FROM:a@b.example", 501), ("MAIL FROM:<ab.example>", 553),
        ("MAIL FROM:<a@b.example> SIZE=99999999999", 552), ("MAIL FROM:<a@b.example> FOO=1", 555),
        ("MAIL FROM:<a@b.example> BODY=BINARYMIME", 555), ("MAIL FROM:<jörg@b.example>", 553),
        ("MAIL FROM:<jörg@b.example> SMTPUTF8", 250), ("MAIL FROM:<a@b.example> BODY=8BITMIME SIZE=100", 250),
    ])
    func mailSyntax(line: String, code: Int) {
        var wire = Wire()
        wire.send("EHLO laptop")
        wire.send(line)
        #expect(wire.last?.code == code, "\(line): \(wire.last?.texts ?? [])")
    }

    @Test("a message over the size limit is refused with 552 5.3.4 and nothing is kept")
    func sizeLimit() {
        var wire = Wire(ServerConfig(scenarios: [.sizeLimit]))
        wire.send("EHLO laptop")
        #expect(Capabilities(ehloReply: wire.last!).sizeLimit == 10240)
        for line in ["MAIL FROM:<a@b.example>", "RCPT TO:<alice@example.test>", "DATA"] { wire.send(line) }
        for _ in 0..<200 { wire.send(String(repeating: "x", count: 100)) }
        wire.send(".")
        #expect(wire.last?.code == 552)
        #expect(wire.last?.enhancedCode?.description == "5.3.4")
        #expect(wire.messages.isEmpty)
    }

    @Test("too many recipients get 452 4.5.3")
    func recipients() {
        var wire = Wire(ServerConfig(maxRecipients: 2))
        wire.send("EHLO laptop")
        wire.send("MAIL FROM:<a@b.example>")
        for _ in 0..<3 { wire.send("RCPT TO:<alice@example.test>") }
        #expect(wire.codes.suffix(3) == [250, 250, 452])
    }

    @Test("a line over 512 octets gets 500 5.5.2; an endless one is not buffered")
    func longLines() {
        var wire = Wire()
        wire.send("NOOP " + String(repeating: "x", count: 600))
        #expect(wire.last?.code == 500)
        #expect(wire.last?.enhancedCode?.description == "5.5.2")
        for _ in 0..<100 { wire.raw([UInt8](repeating: 0x41, count: 10_000)) }
        #expect(wire.server.input.pending <= SMTPLimits.commandLineHardCap)
        wire.raw(Array("\r\nNOOP\r\n".utf8))
        #expect(wire.last?.code == 250)
    }

    @Test("too many errors end the session with 421")
    func tooManyErrors() {
        var wire = Wire(ServerConfig(maxErrors: 3))
        for _ in 0..<5 { wire.send("XYZZY") }
        #expect(wire.codes == [220, 500, 500, 421])
        #expect(wire.closed)
    }

    @Test("garbage and NULs do not break the session")
    func garbage() {
        var wire = Wire()
        wire.raw([0, 0, 0xFF, 0xFE, 0x0D, 0x0A])
        wire.raw(Array("\u{1B}[2J\r\n".utf8))
        #expect(wire.codes == [220, 500, 500])
        wire.send("EHLO ok")
        #expect(wire.last?.code == 250)
    }

    @Test("BDAT chunks make a message; a refused chunk is still read")
    func bdat() {
        var wire = Wire()
        wire.send("EHLO laptop")
        wire.raw(Array("BDAT 5\r\nhelloBDAT 3\r\nabc".utf8))
        #expect(wire.codes.suffix(2) == [503, 503])
        wire.raw(Array("MAIL FROM:<a@b.example>\r\nRCPT TO:<bob@example.test>\r\nBDAT 6\r\nHello BDAT 6 LAST\r\nworld!".utf8))
        #expect(wire.codes.suffix(4) == [250, 250, 250, 250])
        #expect(String(decoding: wire.messages.first?.data ?? [], as: UTF8.self) == "Hello world!")
        #expect(wire.messages.first?.chunked == true)
    }

    @Test("nothing is acknowledged that was not stored")
    func storeFailure() {
        var wire = Wire()
        wire.storeFails = true
        for line in ["EHLO laptop", "MAIL FROM:<a@b.example>", "RCPT TO:<bob@example.test>", "DATA", "x", "."] { wire.send(line) }
        #expect(wire.last?.code == 451)
    }

    @Test("scenarios give the codes real servers use", arguments: [
        (Scenario.busy, [421]), (.mailboxFull, [220, 250, 250, 552]), (.greylist, [220, 250, 250, 450]),
        (.authRequired, [220, 250, 530, 503]), (.tlsRequired, [220, 250, 530, 503]),
    ])
    func scenarios(scenario: Scenario, codes: [Int]) {
        var wire = Wire(ServerConfig(scenarios: [scenario]), greylist: Greylist())
        for line in ["EHLO laptop", "MAIL FROM:<a@b.example>", "RCPT TO:<alice@example.test>"] where !wire.closed {
            wire.send(line)
        }
        #expect(wire.codes == codes)
    }

    @Test("greylisting lets the retry through after the delay")
    func greylistRetry() {
        let greylist = Greylist()
        var first = Wire(ServerConfig(scenarios: [.greylist], greylistDelay: 5), greylist: greylist)
        for line in ["EHLO a", "MAIL FROM:<a@b.example>", "RCPT TO:<alice@example.test>"] { first.send(line) }
        #expect(first.last?.code == 450)
        var again = Wire(ServerConfig(scenarios: [.greylist], greylistDelay: 5), greylist: greylist)
        again.time = 1
        for line in ["EHLO a", "MAIL FROM:<a@b.example>", "RCPT TO:<alice@example.test>"] { again.send(line) }
        #expect(again.last?.code == 450, "too soon")
        var later = Wire(ServerConfig(scenarios: [.greylist], greylistDelay: 5), greylist: greylist)
        later.time = 10
        for line in ["EHLO a", "MAIL FROM:<a@b.example>", "RCPT TO:<alice@example.test>"] { later.send(line) }
        #expect(later.last?.code == 250)
    }

    @Test("slow and tarpit delay the replies")
    func delays() {
        var slow = Wire(ServerConfig(scenarios: [.slow], slowDelay: 1.5))
        slow.send("EHLO a")
        #expect(slow.delays.allSatisfy { $0 == 1.5 })
        var tarpit = Wire(ServerConfig(scenarios: [.tarpit]))
        for line in ["EHLO a", "MAIL FROM:<a@b.example>", "RCPT TO:<alice@example.test>", "RCPT TO:<bob@example.test>", "XYZZY"] {
            tarpit.send(line)
        }
        #expect(tarpit.delays.suffix(3) == [0.5, 1.0, 1.5])
    }

    @Test("disconnect-after-data closes without a reply and delivers nothing")
    func disconnectAfterData() {
        var wire = Wire(ServerConfig(scenarios: [.disconnectAfterData]))
        for line in ["EHLO a", "MAIL FROM:<a@b.example>", "RCPT TO:<alice@example.test>", "DATA", "x", "."] { wire.send(line) }
        #expect(wire.closed)
        #expect(wire.messages.isEmpty)
        #expect(wire.codes.last == 354)
    }

    @Test("STARTTLS throws away what was pipelined behind it and starts over")
    func startTLS() {
        var wire = Wire(ServerConfig(tlsAvailable: true))
        wire.send("EHLO a")
        #expect(Capabilities(ehloReply: wire.last!).has("STARTTLS"))
        wire.raw(Array("STARTTLS\r\nMAIL FROM:<a@b.example>\r\n".utf8))
        #expect(wire.last?.code == 220)
        #expect(wire.startedTLS)
        #expect(wire.server.discardedAfterStartTLS == 25)
        wire.server.tlsEstablished()
        wire.raw(Array("MAIL FROM:<a@b.example>\r\n".utf8))
        #expect(wire.last?.code == 503, "a new EHLO is needed after TLS")
    }

    @Test("AUTH PLAIN and LOGIN with the right and wrong secrets")
    func auth() {
        let accounts = AccountTable(accounts: ["alice": "wonderland"], hmacMD5: hmacMD5)
        var wire = Wire(ServerConfig(accounts: ["alice": "wonderland"]), accounts: accounts)
        wire.send("EHLO a")
        #expect(Capabilities(ehloReply: wire.last!).authMechanisms == ["PLAIN", "LOGIN", "CRAM-MD5"])
        wire.send("AUTH PLAIN " + Data("\u{0}alice\u{0}wrong".utf8).base64EncodedString())
        #expect(wire.last?.code == 535)
        #expect(wire.last?.enhancedCode?.description == "5.7.8")
        wire.send("AUTH LOGIN")
        #expect(wire.last?.texts == ["VXNlcm5hbWU6"])
        wire.send(Data("alice".utf8).base64EncodedString())
        wire.send(Data("wonderland".utf8).base64EncodedString())
        #expect(wire.last?.code == 235)
        #expect(!wire.heard.contains { $0.contains("d29uZGVybGFuZA") })
        wire.send("MAIL FROM:<alice@example.test>")
        wire.send("RCPT TO:<friend@elsewhere.example>")
        #expect(wire.last?.code == 250, "authenticated mail to other domains goes to the outbox")
        wire.send("AUTH PLAIN x")
        #expect(wire.last?.code == 503)
    }

    @Test("AUTH before TLS, when TLS is offered, gets 538 5.7.11; * cancels")
    func authNeedsTLS() {
        let accounts = AccountTable(accounts: ["alice": "wonderland"], hmacMD5: hmacMD5)
        var wire = Wire(ServerConfig(tlsAvailable: true, accounts: ["alice": "wonderland"]), accounts: accounts)
        wire.send("EHLO a")
        wire.send("AUTH PLAIN")
        #expect(wire.last?.code == 538)
        #expect(wire.last?.enhancedCode?.description == "5.7.11")
        wire.send("AUTH CRAM-MD5")
        #expect(wire.last?.code == 334)
        wire.send("*")
        #expect(wire.last?.code == 501)
    }

    @Test("timeouts end the session with 421 4.4.2")
    func timeout() {
        var wire = Wire()
        #expect(wire.server.timedOut(at: wire.server.deadline - 1).isEmpty)
        wire.run(wire.server.timedOut(at: wire.server.deadline))
        #expect(wire.last?.code == 421)
        #expect(wire.closed)
    }

    @Test("the server is fed byte by byte just as well")
    func byteByByte() {
        var server = ServerSession(policy: PracticePolicy(config: ServerConfig()), client: .init(address: "192.0.2.1", port: 1))
        _ = server.start()
        let input = Array("EHLO a\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<bob@example.test>\r\nDATA\r\n.x\r\n..\r\n.\r\n".utf8)
        var delivered: [ServerSession.Message] = []
        var codes: [Int] = []
        for byte in input {
            for action in server.receive([byte], at: 0) {
                if case .deliver(let message) = action {
                    delivered.append(message)
                    for next in server.delivered(.stored, id: message.id, at: 0) {
                        if case .reply(let reply, _) = next { codes.append(reply.code) }
                    }
                }
                if case .reply(let reply, _) = action { codes.append(reply.code) }
            }
        }
        #expect(codes == [250, 250, 250, 354, 250])
        #expect(String(decoding: delivered.first?.data ?? [], as: UTF8.self) == "x\r\n.\r\n")
    }
}
