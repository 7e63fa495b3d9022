import Foundation
import Testing
@testable import SMTPCore

/// A recorded conversation: what the server sent and what the user typed, in order.
struct Transcript {
    enum Step { case server(String), client(String), tlsEstablished }
    let name: String
    let steps: [Step]

    init(name: String, text: String) {
        self.name = name
        steps = text.split(separator: "\n", omittingEmptySubsequences: false).compactMap { line in
            if line.hasPrefix("S: ") { return .server(String(line.dropFirst(3))) }
            if line.hasPrefix("C: ") { return .client(String(line.dropFirst(3))) }
            if line == "C:" { return .client("") }
            if line == "TLS" { return .tlsEstablished }
            return nil
        }
    }

    static func all() throws -> [Transcript] {
        let folder = try #require(Bundle.module.url(forResource: "Fixtures/transcripts", withExtension: nil))
        return try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "txt" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
            .map { Transcript(name: $0.deletingPathExtension().lastPathComponent,
                              text: try String(contentsOf: $0, encoding: .utf8)) }
    }
}

/// Plays a transcript through a client session, feeding the server's bytes three ways.
struct Replay {
    var session = ClientSession(connectedAt: 0)
    var events: [ClientSession.Event] = []
    var sent: [UInt8] = []
    var clock = 0.0

    mutating func run(_ transcript: Transcript, way: FeedWay) {
        var serverBytes: [UInt8] = []
        func flush(_ replay: inout Replay) {
            guard !serverBytes.isEmpty else { return }
            replay.clock += 0.001
            switch way {
            case .whole, .withTrailing:
                replay.session.receive(serverBytes, at: replay.clock)
                while let event = replay.session.nextEvent() { replay.events.append(event) }
            case .byteByByte:
                for byte in serverBytes {
                    replay.session.receive([byte], at: replay.clock)
                    while let event = replay.session.nextEvent() { replay.events.append(event) }
                }
            }
            serverBytes = []
        }
        for step in transcript.steps {
            switch step {
            case .server(let line):
                serverBytes += Array((line + "\r\n").utf8)
            case .client(let line):
                flush(&self)
                clock += 0.001
                sent += session.submit(line, at: clock).bytes
            case .tlsEstablished:
                flush(&self)
                session.tlsEstablished()
            }
        }
        flush(&self)
    }

    var replies: [(Reply, ClientSession.Sent?)] {
        events.compactMap { if case .reply(let r, let s, _) = $0 { return (r, s) } else { return nil } }
    }
}

@Suite("Real transcripts replay without a protocol error")
struct FixtureReplayTests {
    static let mtas = ["postfix", "exim", "sendmail", "office365", "exchange-bdat", "gmail-mx", "qmail",
                       "opensmtpd", "haraka", "yahoo"]

    @Test("at least eight different MTAs are covered")
    func coverage() throws {
        let names = try Transcript.all().map(\.name)
        for mta in Self.mtas { #expect(names.contains(mta), "missing fixture \(mta)") }
    }

    @Test("every reply answers a command, in order, with no stray line or anomaly",
          arguments: try Transcript.all().map(\.name), [FeedWay.whole, .byteByByte])
    func replay(name: String, way: FeedWay) throws {
        let transcript = try #require(try Transcript.all().first { $0.name == name })
        var replay = Replay()
        replay.run(transcript, way: way)
        let serverLines = transcript.steps.filter { if case .server = $0 { return true } else { return false } }
        let lineEvents = replay.events.filter { if case .line = $0 { return true } else { return false } }
        #expect(lineEvents.count == serverLines.count, "\(name): every server line is a reply line")
        for event in replay.events {
            switch event {
            case .stray(let line): Issue.record("\(name): stray line \(visible(line.raw))")
            case .refusedPlaintext(let bytes): Issue.record("\(name): refused \(visible(bytes))")
            case .reply(let reply, let sent, _):
                #expect(sent != nil, "\(name): unsolicited reply \(visible(reply.raw))")
                #expect(reply.anomalies.isEmpty, "\(name): \(reply.anomalies) in \(visible(reply.raw))")
            case .line, .discarded, .startTLS: break
            }
        }
        #expect(replay.session.awaiting.isEmpty, "\(name): commands left without a reply")
    }

    @Test("the Postfix session pairs each reply with its command")
    func postfixPairs() throws {
        let transcript = try #require(try Transcript.all().first { $0.name == "postfix-pipelining" })
        var replay = Replay()
        replay.run(transcript, way: .whole)
        let pairs = replay.replies.map { reply, sent -> String in
            switch sent {
            case .command(let c)?: return "\(c.keyword) \(reply.code)"
            case .greeting?: return "greeting \(reply.code)"
            case .messageEnd?: return ". \(reply.code)"
            case .saslResponse?: return "sasl \(reply.code)"
            case nil: return "none \(reply.code)"
            }
        }
        #expect(pairs == ["greeting 220", "EHLO 250", "MAIL 250", "RCPT 250", "RCPT 450", "DATA 354", ". 250",
                          "QUIT 221"])
        #expect(String(decoding: replay.sent, as: UTF8.self).contains("\r\n..leading dot is stuffed\r\n"))
    }

    @Test("the Gmail submission session forgets capabilities at TLS and learns AUTH after")
    func gmailTLS() throws {
        let transcript = try #require(try Transcript.all().first { $0.name == "gmail-submission" })
        var replay = Replay()
        replay.run(transcript, way: .whole)
        #expect(replay.events.contains(.startTLS))
        #expect(replay.session.isTLS)
        #expect(replay.session.capabilitiesBeforeTLS?.has("AUTH") == false)
        #expect(replay.session.isAuthenticated == false)
        let codes = replay.replies.map(\.0.code)
        #expect(codes == [220, 250, 220, 250, 334, 334, 535, 221])
    }

    @Test("the Exchange BDAT chunk is sent exactly as announced")
    func exchangeChunk() throws {
        let transcript = try #require(try Transcript.all().first { $0.name == "exchange-bdat" })
        var replay = Replay()
        replay.run(transcript, way: .whole)
        let wire = String(decoding: replay.sent, as: UTF8.self)
        #expect(wire.contains("BDAT 31 LAST\r\nSubject: chunked\r\n\r\nhello bob\r\nQUIT\r\n"))
    }
}
