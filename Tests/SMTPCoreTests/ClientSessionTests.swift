import Testing
@testable import SMTPCore

extension ClientSession {
    mutating func feed(_ text: String, at time: Double = 1) -> [Event] {
        receive(Array(text.utf8), at: time)
        var events: [Event] = []
        while let event = nextEvent() { events.append(event) }
        return events
    }

    /// Greets, says EHLO and gets the given capabilities.
    static func ready(_ keywords: [String] = ["PIPELINING", "SIZE 1000", "STARTTLS", "8BITMIME", "DSN", "AUTH PLAIN LOGIN",
                                              "CHUNKING", "SMTPUTF8"]) -> ClientSession {
        var session = ClientSession(connectedAt: 0)
        _ = session.feed("220 mx ESMTP\r\n")
        _ = session.send(Command(parsing: "EHLO me"), at: 0)
        let lines = ["mx"] + keywords
        let reply = lines.enumerated().map { i, text in "250\(i == lines.count - 1 ? " " : "-")\(text)\r\n" }.joined()
        _ = session.feed(reply)
        return session
    }

    func issues(_ line: String) -> [LintIssue] { lint(Command(parsing: line)).map(\.issue) }
}

@Suite("Client session")
struct ClientSessionTests {
    @Test("the greeting answers the connection; latency is measured from it")
    func greeting() {
        var session = ClientSession(connectedAt: 10)
        let events = session.feed("220 mx ESMTP ready\r\n", at: 10.25)
        #expect(events.last == .reply(Reply(code: 220, "mx ESMTP ready"), answering: .greeting, latency: .init(firstByteSeconds: 0.25, lastLineSeconds: 0.25)))
        #expect(session.phase == .greeted)
        #expect(session.suggestions.first == "EHLO")
    }

    @Test("the next steps name a path by a placeholder, never the null path")
    func suggestionsAfterMail() {
        var session = ClientSession.ready()
        #expect(session.suggestions.contains("MAIL FROM:<address>"))
        _ = session.send(Command(parsing: "MAIL FROM:<a@b.example>"), at: 1)
        _ = session.feed("250 2.1.0 Ok\r\n")
        #expect(session.phase == .mailStarted)
        #expect(session.suggestions == ["RCPT TO:<address>", "RSET"])
        _ = session.send(Command(parsing: "RCPT TO:<c@d.example>"), at: 1)
        _ = session.feed("250 2.1.5 Ok\r\n")
        #expect(session.suggestions.first == "DATA")
        #expect(!session.suggestions.contains { $0.hasSuffix("<>") })
    }

    @Test("message text typed after a refused DATA is named for what it is, until a transaction begins again")
    func textAfterRefusedData() {
        var session = ClientSession.ready()
        #expect(session.issues("Subject : My first e-mail message.") == [.textOutsideData(refused: false)])
        _ = session.send(Command(parsing: "DATA"), at: 1)
        _ = session.feed("503 5.5.1 Error: need RCPT command\r\n")
        #expect(session.dataRefused)
        #expect(session.issues("First line of a message.").first == .textOutsideData(refused: true))
        #expect(session.issues(".").first == .textOutsideData(refused: true))
        #expect(session.issues("QUIT").isEmpty, "a real command is not message text")
        _ = session.send(Command(parsing: "MAIL FROM:<a@b.example>"), at: 1)
        _ = session.feed("250 2.1.0 Ok\r\n")
        #expect(!session.dataRefused)
        #expect(session.issues("First line of a message.").isEmpty == false)
        #expect(!session.issues("First line of a message.").contains(.textOutsideData(refused: true)))
    }

    @Test("EHLO's reply becomes the capabilities, with parameters decoded")
    func capabilities() {
        let session = ClientSession.ready()
        #expect(session.capabilities?.sizeLimit == 1000)
        #expect(session.capabilities?.authMechanisms == ["PLAIN", "LOGIN"])
        #expect(session.phase == .ready)
    }

    @Test("pipelined commands are paired with their replies in order")
    func pipelining() {
        var session = ClientSession.ready()
        for line in ["MAIL FROM:<a@b.example>", "RCPT TO:<c@d.example>", "RCPT TO:<e@f.example>", "DATA"] {
            #expect(session.lint(Command(parsing: line)).filter { $0.severity == .error }.isEmpty, "\(line)")
            _ = session.send(Command(parsing: line), at: 2)
        }
        let events = session.feed("250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n550 5.1.1 no\r\n354 go\r\n", at: 2.5)
        let answered = events.compactMap { event -> String? in
            guard case .reply(let reply, .command(let c)?, _) = event else { return nil }
            return "\(c.argument.prefix(6)) \(reply.code)"
        }
        #expect(answered == ["FROM:< 250", "TO:<c@ 250", "TO:<e@ 550", " 354"])
        #expect(session.inputMode == .messageText)
        #expect(session.acceptedRecipients == 1)
    }

    @Test("DATA lines are dot-stuffed and a lone dot ends the message")
    func data() {
        var session = ClientSession.ready()
        _ = session.send(.mail(from: "a@b.example"), at: 1)
        _ = session.send(.rcpt(to: "c@d.example"), at: 1)
        _ = session.send(Command(.data), at: 1)
        _ = session.feed("250 ok\r\n250 ok\r\n354 go\r\n")
        #expect(session.submit(".hidden", at: 2).bytes == Array("..hidden\r\n".utf8))
        #expect(session.lint(line: ".hidden").map(\.issue) == [.dotStuffed])
        #expect(session.submit(".", at: 2).bytes == Array(".\r\n".utf8))
        let events = session.feed("250 2.0.0 queued\r\n", at: 3)
        #expect(events.last == .reply(Reply(code: 250, "2.0.0 queued"), answering: .messageEnd, latency: .init(firstByteSeconds: 1, lastLineSeconds: 1)))
        #expect(session.phase == .ready)
    }

    @Test("STARTTLS is a pause: plaintext after the 220 is refused, capabilities forgotten")
    func startTLSInjection() {
        var session = ClientSession.ready()
        _ = session.send(Command(.starttls), at: 1)
        let events = session.feed("220 2.0.0 Ready to start TLS\r\n250-injected\r\n250 evil\r\n")
        #expect(events.count == 4)
        #expect(events[2] == .refusedPlaintext(Array("250-injected\r\n250 evil\r\n".utf8)))
        #expect(events[3] == .startTLS)
        #expect(session.phase == .startingTLS)
        #expect(session.feed("250 more plaintext\r\n") == [.refusedPlaintext(Array("250 more plaintext\r\n".utf8))])
        session.tlsEstablished()
        #expect(session.isTLS)
        #expect(session.capabilities == nil)
        #expect(session.phase == .greeted)
        #expect(session.issues("MAIL FROM:<a@b.example>").contains(.helloRequired(.mail)))
    }

    @Test("commands pipelined behind STARTTLS are flagged")
    func afterStartTLS() {
        var session = ClientSession.ready()
        _ = session.send(Command(.starttls), at: 1)
        #expect(session.issues("EHLO me").contains(.afterStartTLSInPipeline))
    }

    @Test("AUTH's 334 makes the next line a SASL response, masked on display")
    func auth() {
        var session = ClientSession.ready()
        let first = session.send(Command(parsing: "AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ="), at: 1)
        #expect(first.display == "AUTH PLAIN ********")
        #expect(first.sensitive)
        #expect(session.lint(Command(parsing: "AUTH LOGIN")).map(\.issue).contains(.authOverPlaintext))
        _ = session.feed("535 5.7.8 bad\r\n")
        _ = session.send(Command(parsing: "AUTH LOGIN"), at: 1)
        _ = session.feed("334 VXNlcm5hbWU6\r\n")
        #expect(session.inputMode == .saslResponse)
        let response = session.submit("YWxpY2U=", at: 2)
        #expect(response.display == Secrets.mask)
        _ = session.feed("334 UGFzc3dvcmQ6\r\n")
        _ = session.submit("d29uZGVybGFuZA==", at: 2)
        _ = session.feed("235 2.7.0 ok\r\n")
        #expect(session.isAuthenticated)
        #expect(session.issues("AUTH PLAIN x").contains(.alreadyAuthenticated))
    }

    @Test("a 421 at any time marks the server as closing")
    func closing() {
        var session = ClientSession.ready()
        _ = session.send(.mail(from: "a@b.example"), at: 1)
        let events = session.feed("421 4.3.2 shutting down\r\n")
        #expect(session.serverClosing)
        guard case .reply(_, .command(let command)?, _) = events.last else {
            Issue.record("421 answers the MAIL")
            return
        }
        #expect(command.verb == .mail)
    }

    @Test("an unsolicited reply answers nothing")
    func unsolicited() {
        var session = ClientSession.ready()
        let events = session.feed("250 surprise\r\n")
        #expect(events.last == .reply(Reply(code: 250, "surprise"), answering: nil, latency: nil))
    }

    @Test("BDAT sends the announced bytes, cut to the chunk size")
    func bdat() {
        var session = ClientSession.ready()
        _ = session.send(.mail(from: "a@b.example"), at: 1)
        _ = session.send(.rcpt(to: "c@d.example"), at: 1)
        _ = session.send(Command(parsing: "BDAT 5 LAST"), at: 1)
        #expect(session.inputMode == .chunk(remaining: 5))
        #expect(session.submit("hello world", at: 1).bytes == Array("hello".utf8))
        #expect(session.inputMode == .command)
        _ = session.feed("250 ok\r\n250 ok\r\n250 2.0.0 chunk ok\r\n")
        #expect(session.issues("DATA").contains(.rcptBeforeMail))
    }

    @Test("the sequence lint names what the server will refuse", arguments: [
        ("RCPT TO:<a@b.example>", LintIssue.rcptBeforeMail, 503),
        ("DATA", .rcptBeforeMail, 503),
        ("MAIL FROM:<a@b.example> SIZE=5000", .sizeOverLimit(declared: 5000, limit: 1000), 552),
        ("MAIL FROM:<a@b.example> MT-PRIORITY=3", .parameterNotAdvertised("MT-PRIORITY", keyword: "MT-PRIORITY"), 555),
        ("ETRN example.net", .notAdvertised(.etrn, keyword: "ETRN"), 502),
        ("AUTH CRAM-MD5", .mechanismNotAdvertised("CRAM-MD5"), 504),
        ("MAIL FROM:<jörg@b.example>", .nonASCIIWithoutSMTPUTF8, 553),
    ])
    func sequence(line: String, issue: LintIssue, code: Int) {
        let session = ClientSession.ready()
        let finding = session.lint(Command(parsing: line)).first { $0.issue == issue }
        #expect(finding?.expectedReply == code, "\(line): \(session.lint(Command(parsing: line)))")
        #expect(session.likelyReplies(to: Command(parsing: line)).first == code)
    }

    @Test("a UTF-8 address is fine with SMTPUTF8")
    func smtputf8() {
        let session = ClientSession.ready()
        #expect(session.issues("MAIL FROM:<jörg@b.example> SMTPUTF8").isEmpty)
    }

    @Test("a nested MAIL and one after HELO are flagged")
    func nestedAndHelo() {
        var session = ClientSession.ready()
        _ = session.send(.mail(from: "a@b.example"), at: 1)
        #expect(session.issues("MAIL FROM:<x@y.example>").contains(.mailInTransaction))
        var old = ClientSession(connectedAt: 0)
        _ = old.feed("220 old\r\n")
        _ = old.send(Command(parsing: "HELO me"), at: 0)
        _ = old.feed("250 old\r\n")
        #expect(old.issues("STARTTLS").contains(.extensionsNeedEhlo("STARTTLS")))
        #expect(old.issues("MAIL FROM:<a@b.example> SIZE=10").contains(.extensionsNeedEhlo("SIZE")))
    }

    @Test("commands before the greeting and without PIPELINING are flagged")
    func timing() {
        var early = ClientSession(connectedAt: 0)
        #expect(early.issues("EHLO me").contains(.greetingNotReceived))
        _ = early.feed("220 hi\r\n")
        var plain = ClientSession.ready(["SIZE 10"])
        _ = plain.send(.mail(from: "a@b.example"), at: 1)
        #expect(plain.issues("RCPT TO:<c@d.example>").contains(.replyOutstandingWithoutPipelining))
    }

    @Test("after QUIT and 221 the session is closed")
    func quit() {
        var session = ClientSession.ready()
        _ = session.send(Command(.quit), at: 1)
        _ = session.feed("221 bye\r\n")
        #expect(session.isClosed)
        #expect(session.issues("NOOP").contains(.afterQuit))
    }

    @Test("the connection closing flushes an unterminated last line")
    func closeFlush() {
        var session = ClientSession.ready()
        _ = session.send(Command(.quit), at: 1)
        session.receive(Array("221 bye".utf8), at: 2)
        #expect(session.nextEvent() == nil)
        let events = session.connectionClosed()
        #expect(events.contains { if case .reply(let r, _, _) = $0 { return r.code == 221 } else { return false } })
    }
}
