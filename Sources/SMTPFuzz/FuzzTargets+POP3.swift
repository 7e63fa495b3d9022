import SMTPCore

// MARK: - POP3: the client's response reader and the server session

/// The events of a reader fed these pieces, expecting a multi-line response where the first
/// byte of the input says so.
func readPOP3(_ pieces: [ArraySlice<UInt8>], expectations: [Bool]) -> [POP3ResponseReader.Event] {
    var reader = POP3ResponseReader()
    reader.expectations = expectations
    var events: [POP3ResponseReader.Event] = []
    for piece in pieces {
        reader.feed(piece)
        while let event = reader.next() { events.append(event) }
        check(reader.bufferedByteCount <= POP3Limits.bodyLineCap + 2, "the reader holds \(reader.bufferedByteCount) bytes")
    }
    return events
}

func pop3Reader(_ bytes: [UInt8]) {
    let expectations = (0..<8).map { (bytes.first ?? 0) >> $0 & 1 == 1 }
    let whole = readPOP3([bytes[...]], expectations: expectations)
    let cut = readPOP3(pieces(bytes, seed: bytes.last ?? 0), expectations: expectations)
    check(whole == cut, "feeding in pieces changed the POP3 events")
    for event in whole {
        switch event {
        case .response(let response):
            check(response.lines.count <= POP3ResponseReader.keptHeaderLines + POP3ResponseReader.keptBodyLines + 1,
                  "a response kept \(response.lines.count) lines")
            check(response.lines.allSatisfy { $0.count <= POP3Limits.bodyLineCap }, "a kept line over the cap")
            _ = response.apopTimestamp
        case .line(let raw, _, _), .stray(let raw):
            check(raw.count <= POP3Limits.bodyLineCap + 2, "a line over the cap: \(raw.count)")
        case .discarded:
            break
        }
    }
}

/// What a POP3 server session answered to a client stream in these pieces; the maildrop is
/// three small messages, each action answered at once as the host would.
func servePOP3(_ pieces: [ArraySlice<UInt8>]) -> [[UInt8]] {
    let accounts = AccountTable(accounts: ["alice": "wonderland"], hmacMD5: { key, message in Array((key + message).prefix(16)) })
    var session = POP3ServerSession(config: POP3ServerConfig(tlsAvailable: true), accounts: accounts,
                                    md5: { Array($0.prefix(16)) }, timestamp: "<1.2@mx.example.test>")
    let drop = [MaildropEntry(uid: "a", size: 10), MaildropEntry(uid: "b", size: 2000), MaildropEntry(uid: "c", size: 0)]
    var replies: [[UInt8]] = []
    var closed = false
    var locked = false
    var deleted: [String] = []
    func take(_ actions: [POP3ServerSession.Action]) {
        for action in actions {
            switch action {
            case .reply(let bytes):
                check(!closed, "a reply after the session closed")
                check(bytes.starts(with: Array("+OK".utf8)) || bytes.starts(with: Array("-ERR".utf8)) || bytes.starts(with: Array("+ ".utf8)),
                      "a reply that is no POP3 status")
                check(bytes.suffix(2) == [13, 10], "a reply without CRLF")
                replies.append(bytes)
            case .openMaildrop:
                check(!locked, "the maildrop opened twice")
                locked = true
                take(session.maildropOpened(.success(drop)))
            case .readMessage(let uid):
                check(locked, "a message read without the maildrop")
                check(drop.contains { $0.uid == uid }, "an unknown message read")
                take(session.messageRead(.success(Array("Subject: x\n\n.leading dot\nline\n".utf8))))
            case .commit(let gone):
                check(locked, "a commit without the maildrop")
                deleted = gone
                take(session.committed(.success(())))
            case .releaseMaildrop:
                locked = false
            case .startTLS, .close:
                closed = true
            case .heard(let line):
                // A PASS line is logged masked (a mistyped verb is not known to carry one).
                check(!(line.uppercased().hasPrefix("PASS ") && line.contains("wonderland")), "a password in the log: \(line)")
            }
        }
    }
    take(session.start(at: 0))
    for piece in pieces {
        guard !closed else { break }
        take(session.receive(Array(piece), at: 1))
    }
    check(deleted.allSatisfy { uid in drop.contains { $0.uid == uid } }, "an unknown message deleted")
    return replies
}

func pop3Server(_ bytes: [UInt8]) {
    let whole = servePOP3([bytes[...]])
    let cut = servePOP3(pieces(bytes, seed: bytes.first ?? 0))
    check(whole == cut, "the POP3 server answered differently when fed in pieces")
}

// MARK: - DNS answers: the route

/// A route fed answers made from the input: each question gets a response whose code, flags and
/// records come from the next bytes. The route must end within its bound of questions.
func route(_ bytes: [UInt8]) {
    var route = MailRoute(domain: "example.test")
    var cursor = 0
    func next() -> UInt8 {
        defer { cursor += 1 }
        return cursor < bytes.count ? bytes[cursor] : 0
    }
    var asked = 0
    while let question = route.question {
        asked += 1
        check(asked <= 400, "the route asked more than 400 questions")
        let code: DNSResponseCode = [.noError, .noError, .noError, .nameError, .serverFailure, .refused][Int(next()) % 6]
        var answers: [DNSRecord] = []
        for _ in 0..<(Int(next()) % 5) {
            let label = "h\(next() % 8).example.test"
            let data: DNSData
            switch next() % 5 {
            case 0: data = .name(label)
            case 1: data = .mx(preference: Int(next()) % 3 * 10, exchange: next() % 7 == 0 ? "." : label)
            case 2: data = .address("127.0.0.\(next())")
            case 3: data = .address("::\(next())")
            default: data = .other(type: "RRSIG", text: "x")
            }
            answers.append(DNSRecord(name: next() % 2 == 0 ? question.name : label, ttl: 60, data: data))
        }
        let failure: DNSFailure? = next() % 11 == 0 ? .timeout : nil
        route.receive(DNSResponse(question: question, code: code, answers: answers, authenticated: next() % 2 == 0,
                                  retriedOverTCP: false, failure: failure))
    }
    check(route.result != nil, "a route that stopped asking without a result")
    var generator = SystemRandomNumberGenerator()
    for candidate in route.candidates(using: &generator) { check(!candidate.address.isEmpty, "an empty address") }
    let summary = RouteSummary(query: "x@example.test", route: route)
    check(summary.exchangers.count == route.exchangers.count, "the summary lost exchangers")
}
