import Foundation
import Testing
@testable import SMTPCore

/// A maildrop in memory, for the server session.
struct MemoryMaildrop {
    var messages: [String: [UInt8]] = [:]
    var order: [String] = []
    var locked: Set<String> = []

    mutating func add(_ uid: String, _ text: String) {
        messages[uid] = Array(text.utf8)
        order.append(uid)
    }

    var entries: [MaildropEntry] {
        order.map { uid in
            let bytes = messages[uid]!
            return MaildropEntry(uid: uid, size: bytes.count + bytes.filter { $0 == 0x0A }.count)
        }
    }
}

/// The server session and the client session talking, with the maildrop in memory.
struct POP3Pair {
    var server: POP3ServerSession
    var client = POP3ClientSession(connectedAt: 0)
    var drop = MemoryMaildrop()
    var events: [POP3ClientSession.Event] = []
    var closed = false

    init(tlsAvailable: Bool = true, requireTLS: Bool = false) {
        let accounts = AccountTable(accounts: ["alice": "wonderland"], hmacMD5: { key, message in Array((key + message).prefix(16)) })
        server = POP3ServerSession(config: POP3ServerConfig(tlsAvailable: tlsAvailable, requireTLSForPasswords: requireTLS),
                                   accounts: accounts, md5: { Array($0.prefix(16)) }, timestamp: "<1.2@mx.example.test>")
        drop.add("m1", "Return-Path: <you@example.net>\nSubject: one\n\nHello\n.dotted\n")
        drop.add("m2", "Subject: two\n\nSecond\n")
        carry(server.start(at: 0))
    }

    mutating func carry(_ actions: [POP3ServerSession.Action]) {
        for action in actions {
            switch action {
            case .reply(let bytes):
                // Byte by byte: the reader must not care how reads fall.
                for byte in bytes { client.receive([byte], at: 1) }
                while let event = client.nextEvent() { events.append(event) }
            case .openMaildrop(let user):
                if drop.locked.contains(user) {
                    carry(server.maildropOpened(.failure(.inUse)))
                } else {
                    drop.locked.insert(user)
                    carry(server.maildropOpened(.success(drop.entries)))
                }
            case .readMessage(let uid): carry(server.messageRead(.success(drop.messages[uid]!)))
            case .commit(let uids):
                for uid in uids { drop.messages[uid] = nil; drop.order.removeAll { $0 == uid } }
                drop.locked = []
                carry(server.committed(.success(())))
            case .releaseMaildrop: drop.locked = []
            case .close: closed = true
            case .heard, .startTLS: break
            }
        }
    }

    @discardableResult
    mutating func say(_ line: String) -> POP3Response? {
        let outgoing = client.submit(line, at: 1)
        carry(server.receive(outgoing.bytes, at: 1))
        return lastResponse
    }

    var lastResponse: POP3Response? {
        for event in events.reversed() { if case .response(let response, _, _) = event { return response } }
        return nil
    }
}

@Suite("POP3")
struct POP3Tests {
    @Test("login, STAT, LIST, RETR unstuffed, DELE, QUIT deletes")
    func journey() {
        var pair = POP3Pair()
        #expect(pair.client.state == .authorization)
        #expect(pair.client.apopTimestamp == "<1.2@mx.example.test>")
        #expect(pair.say("USER alice")?.isOK == true)
        #expect(pair.say("PASS wonderland")?.text.hasPrefix("alice's maildrop has 2 messages") == true)
        #expect(pair.client.state == .transaction)
        #expect(pair.say("STAT")?.text == "2 \(pair.drop.entries.reduce(0) { $0 + $1.size })")
        let list = pair.say("LIST")
        #expect(list?.multiline == true && list?.lines.count == 2)
        let retr = pair.say("RETR 1")
        #expect(retr?.lines.map { String(decoding: $0, as: UTF8.self) } == ["Return-Path: <you@example.net>", "Subject: one", "", "Hello", ".dotted"])
        #expect(pair.say("TOP 1 0")?.lines.count == 3)
        #expect(pair.say("UIDL 2")?.text == "2 m2")
        #expect(pair.say("DELE 1")?.isOK == true)
        #expect(pair.say("DELE 1")?.status == .err)
        #expect(pair.drop.order == ["m1", "m2"], "nothing is deleted before QUIT")
        #expect(pair.say("QUIT")?.text.contains("1 message left") == true)
        #expect(pair.drop.order == ["m2"] && pair.closed)
    }

    @Test("RSET undeletes; a dropped connection deletes nothing and frees the lock")
    func rsetAndDrop() {
        var pair = POP3Pair()
        pair.say("USER alice")
        pair.say("PASS wonderland")
        pair.say("DELE 2")
        #expect(pair.say("RSET")?.text.contains("none marked") == true)
        pair.say("DELE 1")
        pair.carry(pair.server.connectionClosed())
        #expect(pair.drop.order == ["m1", "m2"])
        #expect(pair.drop.locked.isEmpty)
    }

    @Test("a second session of the same user gets -ERR [IN-USE]")
    func inUse() {
        var first = POP3Pair()
        first.say("USER alice")
        first.say("PASS wonderland")
        var second = POP3Pair()
        second.drop = first.drop
        second.say("USER alice")
        let refused = second.say("PASS wonderland")
        #expect(refused?.status == .err && refused?.code == "IN-USE" && refused?.isTransientFailure == true)
        #expect(second.client.state == .authorization)
    }

    @Test("wrong password, unknown command, commands out of their state: -ERR, counted, then closed")
    func refusals() {
        var pair = POP3Pair()
        pair.say("USER alice")
        #expect(pair.say("PASS nope")?.code == "AUTH")
        #expect(pair.say("STAT")?.text.contains("needs a login first") == true)
        #expect(pair.say("FOO")?.status == .err)
        for _ in 0..<10 { pair.say("FOO") }
        #expect(pair.closed)
    }

    @Test("closed for too many errors with more than a line's worth still unread: one last reply, one close")
    func closedWithALongTail() {
        var server = POP3ServerSession(config: POP3ServerConfig(tlsAvailable: true), accounts: nil, md5: { Array($0.prefix(16)) },
                                       timestamp: "<1@mx>")
        _ = server.start(at: 0)
        let input = String(repeating: "FOO\r\n", count: 10) + String(repeating: "x", count: 600)
        let actions = server.receive(Array(input.utf8), at: 1)
        let replies = actions.filter { if case .reply = $0 { return true }; return false }
        #expect(replies.count == 10)
        #expect(actions.filter { $0 == .close }.count == 1)
        #expect(actions.last == .close)
        #expect(server.receive(Array("NOOP\r\n".utf8), at: 2).isEmpty)
    }

    @Test("AUTH PLAIN with a continuation, CRAM-MD5, and * cancels")
    func sasl() {
        var pair = POP3Pair()
        #expect(pair.say("AUTH PLAIN")?.status == .continuation)
        #expect(pair.client.inputMode == .saslResponse)
        #expect(pair.say(Data("\0alice\0wonderland".utf8).base64EncodedString())?.isOK == true)
        #expect(pair.client.state == .transaction)
        var cancelled = POP3Pair()
        cancelled.say("AUTH CRAM-MD5")
        #expect(cancelled.say("*")?.code == "AUTH")
        #expect(cancelled.client.state == .authorization)
    }

    @Test("STLS pauses the client; CAPA is forgotten after TLS; passwords may require TLS")
    func stls() {
        var pair = POP3Pair(requireTLS: true)
        let capa = pair.say("CAPA")
        #expect(capa?.lines.map { String(decoding: $0, as: UTF8.self) }.contains("STLS") == true)
        #expect(pair.client.has("STLS") && !pair.client.has("USER"))
        #expect(pair.say("USER alice")?.code == "AUTH")
        pair.say("STLS")
        #expect(pair.client.state == .awaitingTLS)
        #expect(pair.events.last == .startTLS)
        pair.client.tlsEstablished()
        pair.server.tlsEstablished()
        #expect(pair.client.capabilities == nil)
        pair.say("USER alice")
        #expect(pair.say("PASS wonderland")?.isOK == true)
    }

    @Test("plaintext sent behind STLS is thrown away, never run (the STARTTLS injection of RFC 2595 §4)")
    func stlsInjection() {
        var server = POP3ServerSession(config: POP3ServerConfig(tlsAvailable: true), accounts: nil, md5: { Array($0.prefix(16)) },
                                       timestamp: "<1@mx>")
        _ = server.start(at: 0)
        let actions = server.receive(Array("STLS\r\nUSER alice\r\nCAPA\r\n".utf8), at: 1)
        let replies = actions.compactMap { action -> String? in
            if case .reply(let bytes) = action { return String(decoding: bytes, as: UTF8.self) }
            return nil
        }
        #expect(replies == ["+OK Begin TLS negotiation\r\n"])
        #expect(actions.contains(.startTLS))
        #expect(actions.contains(.heard("(18 octets sent after STLS in plaintext: thrown away, RFC 2595 §4)")))
        // Before the handshake ends, more plaintext is thrown away too; after it, lines are read.
        #expect(server.receive(Array("NOOP\r\n".utf8), at: 2).allSatisfy { if case .reply = $0 { return false }; return true })
        server.tlsEstablished()
        let after = server.receive(Array("CAPA\r\n".utf8), at: 3)
        #expect(after.contains { if case .reply(let bytes) = $0 { return bytes.starts(with: Array("+OK".utf8)) }; return false })
    }

    @Test("the reader: byte-stuffing, a bare LF noted, an endless line cut, stray lines")
    func reader() {
        var reader = POP3ResponseReader()
        reader.expectations = [true, false]
        reader.feed(Array("+OK here\r\n..a\r\nb\n.\r\n".utf8))
        var responses: [POP3Response] = []
        var anomalies = ReplyAnomalies()
        while let event = reader.next() {
            if case .response(let response) = event { responses.append(response) }
            if case .line(_, _, let flags) = event { anomalies.formUnion(flags) }
        }
        #expect(responses.first?.lines == [Array(".a".utf8), Array("b".utf8)])
        #expect(anomalies.contains(.bareLF))
        // Without its end the line is not kept while it grows.
        var discarded = 0
        for _ in 0..<25 {
            reader.feed(Array(repeating: 0x41, count: 4_000))
            while let event = reader.next() { if case .discarded(let count) = event { discarded = count } }
            #expect(reader.bufferedByteCount <= 8 * POP3Limits.responseLineOctets + 4_000)
        }
        reader.feed([0x0D, 0x0A])
        while let event = reader.next() { if case .discarded(let count) = event { discarded = count } }
        #expect(discarded > 0)
        reader.feed(Array("hello\r\n".utf8))
        #expect(reader.next() == .stray(Array("hello\r\n".utf8)))
    }

    @Test("lint: PASS without USER, RETR with no number, STAT before login, a password in the clear")
    func lint() {
        let session = POP3Pair().client
        #expect(session.lint(POP3Command(parsing: "PASS x")).map(\.issue).contains(.passWithoutUser))
        #expect(session.lint(POP3Command(parsing: "RETR")).map(\.issue).contains(.missingArgument(.retr)))
        #expect(session.lint(POP3Command(parsing: "RETR one")).map(\.issue).contains(.notANumber(.retr, "one")))
        #expect(session.lint(POP3Command(parsing: "STAT")).map(\.issue).contains(.notInPhase(.stat, .authorization)))
        #expect(session.lint(POP3Command(parsing: "PASS x")).map(\.issue).contains(.plaintextPassword(.pass)))
        #expect(POP3Command(parsing: "PASS wonderland").masked == "PASS ********")
    }

    @Test("a hostile POP3 server: endless multi-line responses stay bounded", arguments: [1, 7, 4096])
    func bounded(chunk: Int) {
        var client = POP3ClientSession(connectedAt: 0)
        client.receive(Array("+OK hi\r\n".utf8), at: 0)
        while client.nextEvent() != nil {}
        _ = client.send(POP3Command(parsing: "RETR 1"), at: 0)
        let body = Array("+OK\r\n".utf8) + Array(repeating: Array("Header: x\r\n".utf8), count: 20_000).joined()
        for start in stride(from: 0, to: body.count, by: chunk) {
            client.receive(body[start..<min(body.count, start + chunk)], at: 0)
            while client.nextEvent() != nil {}
        }
        client.receive(Array(".\r\n".utf8), at: 0)
        var last: POP3Response?
        while let event = client.nextEvent() { if case .response(let response, _, _) = event { last = response } }
        #expect(last?.lines.count == POP3ResponseReader.keptHeaderLines)
        #expect(last?.droppedLines == 20_000 - POP3ResponseReader.keptHeaderLines)
    }
}
