import Foundation
import SMTPCore

// Theory of operation
//
// Each target takes arbitrary bytes and checks what must hold for every input, not only that
// nothing crashes: limits hold, every input byte is accounted for, a reply's lines re-serialise
// to the bytes that came in, feeding in pieces changes nothing. A broken invariant is a
// `preconditionFailure`, which libFuzzer reports as a crash with the input that caused it.

/// One fuzz target: a name and what it does with an input.
struct FuzzTarget: Sendable {
    let name: String
    let run: @Sendable ([UInt8]) -> Void

    static let all: [FuzzTarget] = [
        FuzzTarget(name: "reply-parser", run: replyParser),
        FuzzTarget(name: "command", run: command),
        FuzzTarget(name: "server-session", run: serverSession),
        FuzzTarget(name: "transcript", run: transcript),
        FuzzTarget(name: "pop3-reader", run: pop3Reader),
        FuzzTarget(name: "pop3-server", run: pop3Server),
        FuzzTarget(name: "route", run: route),
    ]

    static func find(_ name: String) -> FuzzTarget? { all.first { $0.name == name } }
}

/// Splits `bytes` into pieces whose lengths come from a seed, so one input is also fed in
/// different cuts.
func pieces(_ bytes: [UInt8], seed: UInt8) -> [ArraySlice<UInt8>] {
    var out: [ArraySlice<UInt8>] = []
    var index = 0
    var state = UInt32(seed) | 1
    while index < bytes.count {
        state = state &* 1_103_515_245 &+ 12_345
        let length = 1 + Int(state >> 16) % 97
        out.append(bytes[index..<min(bytes.count, index + length)])
        index += length
    }
    return out
}

func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { preconditionFailure(message()) }
}

// MARK: - The reply parser

/// Every event of a parser fed these pieces, and the bytes it still holds.
func parse(_ pieces: [ArraySlice<UInt8>]) -> (events: [ReplyParser.Event], rest: Int) {
    var parser = ReplyParser()
    var events: [ReplyParser.Event] = []
    for piece in pieces {
        parser.feed(piece)
        while let event = parser.next() { events.append(event) }
    }
    let rest = parser.bufferedByteCount
    events += parser.finish()
    return (events, rest)
}

func replyParser(_ bytes: [UInt8]) {
    let whole = parse([bytes[...]])
    let cut = parse(pieces(bytes, seed: bytes.first ?? 0))
    check(whole.events == cut.events, "feeding in pieces changed the events")
    if bytes.count <= 1024 {
        let single = parse(bytes.indices.map { bytes[$0...$0] })
        check(whole.events == single.events, "feeding byte by byte changed the events")
    }
    var accounted = 0
    var handedOut: [ReplyLine] = []
    for event in whole.events {
        switch event {
        case .line(let line), .stray(let line):
            if case .line = event { handedOut.append(line) }
            accounted += line.raw.count
            check(line.raw.count <= SMTPLimits.replyLineHardCap + 2, "a line over the hard cap: \(line.raw.count)")
        case .discarded(let count):
            accounted += count
        case .reply(let reply):
            check(reply.lines.count <= SMTPLimits.replyLinesHardCap, "a reply over the line cap")
            check(reply.raw == reply.lines.flatMap(\.raw), "a reply does not re-serialise to its lines")
            check(reply.lines.last?.isFinal == true || reply.lines.last?.anomalies.contains(.unterminated) == true,
                  "a reply ends with a line that is not final")
            check(reply.droppedLineCount > 0 || reply.lines == handedOut, "a reply's lines are not the lines handed out")
            handedOut = []
        }
    }
    check(accounted == bytes.count, "\(bytes.count) bytes in, \(accounted) accounted for")
}

// MARK: - Commands and their lint

func command(_ bytes: [UInt8]) {
    let line = String(decoding: bytes.prefix(2048), as: UTF8.self)
    let command = Command(parsing: line)
    check(command.line == line, "a command does not keep its line")
    check(command.wireBytes == Array(line.utf8) + [0x0D, 0x0A], "wire bytes are not the line and CRLF")
    _ = CommandLint.syntax(command)
    _ = command.pathArgument
    _ = Secrets.masked(command)
    // The lint in every state a session can be in before any reply, and after a greeting.
    var session = ClientSession(connectedAt: 0)
    _ = session.lint(command)
    session.receive(Array("220 x\r\n250-x\r\n250 PIPELINING\r\n".utf8), at: 1)
    while session.nextEvent() != nil {}
    _ = session.lint(command)
    _ = session.likelyReplies(to: command)
    let outgoing = session.submit(line, at: 2)
    check(!outgoing.sensitive || outgoing.display.contains(Secrets.mask) || outgoing.display == line,
          "a secret shown unmasked")
    _ = VisibleText.escape(bytes)
    check(!VisibleText.sanitize(line).unicodeScalars.contains(where: VisibleText.isShownEscaped), "sanitize left a control")
}

// MARK: - The server session

/// Replies the server gave to a client stream fed in these pieces.
func serve(_ pieces: [ArraySlice<UInt8>]) -> [Int] {
    // Replies may carry UTF-8 only in a transaction that said SMTPUTF8.
    let utf8 = String(decoding: pieces.joined(), as: UTF8.self).uppercased().contains("SMTPUTF8")
    let config = ServerConfig(maxMessageSize: 64 * 1024, tlsAvailable: true, accounts: ["alice": "wonderland"])
    let policy = PracticePolicy(config: config, greylist: Greylist(),
                                accounts: AccountTable(accounts: config.accounts, hmacMD5: { key, message in Array((key + message).prefix(16)) }))
    var session = ServerSession(policy: policy, client: .init(address: "192.0.2.1", port: 1))
    var codes: [Int] = []
    var closed = false
    var spooled = 0
    func take(_ actions: [ServerSession.Action]) {
        for action in actions {
            switch action {
            case .reply(let reply, let after):
                check(!closed, "a reply after the session closed")
                check((200...599).contains(reply.code), "a reply code out of range: \(reply.code)")
                check(after >= 0, "a negative delay")
                for line in reply.lines {
                    check(line.raw.count <= SMTPLimits.replyLineLength, "a reply line over 512 octets")
                    check(line.ending == .crlf, "a reply line without CRLF")
                    check(utf8 || line.raw.allSatisfy { $0 < 0x80 }, "8-bit text in a reply without SMTPUTF8")
                }
                codes.append(reply.code)
            case .spool(let bytes):
                spooled += bytes.count
            case .discardSpool:
                spooled = 0
            case .deliver(let message):
                check(message.spooledBytes == spooled, "the spool and the message disagree")
                check(message.data.count <= ServerSession.heldMessageBytes + SMTPLimits.commandLineHardCap + 97,
                      "a session held \(message.data.count) bytes of a message in memory")
                check(message.spooledBytes + message.data.count <= config.maxMessageSize, "a message over the size limit was delivered")
                spooled = 0
                check(!message.recipients.isEmpty, "a message with no recipient")
                take(session.delivered(.stored, id: message.id, at: 1))
            case .startTLS:
                // What follows belongs to the TLS handshake: the stream ends here for the session.
                closed = true
            case .close:
                closed = true
            case .heard:
                break
            }
        }
    }
    take(session.start(at: 0))
    for piece in pieces {
        guard !closed else { break }
        take(session.receive(piece, at: 1))
        check(session.pendingInputBytes <= SMTPLimits.commandLineHardCap + 97,
              "the server holds \(session.pendingInputBytes) unread bytes")
    }
    return codes
}

func serverSession(_ bytes: [UInt8]) {
    let whole = serve([bytes[...]])
    let cut = serve(pieces(bytes, seed: bytes.last ?? 0))
    check(whole == cut, "the server answered differently when fed in pieces: \(whole) vs \(cut)")
}

// MARK: - The transcript reader

func transcript(_ bytes: [UInt8]) {
    let text = String(decoding: bytes, as: UTF8.self)
    let entries = TranscriptFormat.read(text)
    _ = TranscriptFormat.kind(of: text)
    _ = TranscriptFormat.readHandout(text)
    // What is read, once written as JSON Lines (times to the millisecond), reads back the same.
    func written(_ entries: [TranscriptEntry]) -> String {
        entries.map { TranscriptFormat.jsonLine($0, showSecrets: true) }.joined(separator: "\n")
    }
    let first = TranscriptFormat.read(written(entries))
    let again = TranscriptFormat.read(written(first))
    check(first.count == entries.count, "JSON Lines lost entries")
    check(again.map(\.bytes) == first.map(\.bytes), "JSON Lines do not round-trip the bytes")
    check(again.map(\.kind) == first.map(\.kind), "JSON Lines do not round-trip the kinds")
    check(again.map(\.event) == first.map(\.event), "JSON Lines do not round-trip the events")
    for entry in entries {
        let line = TranscriptFormat.text(entry)
        check(!line.unicodeScalars.contains(where: { VisibleText.isShownEscaped($0) }), "a text line carries a control")
    }
}
