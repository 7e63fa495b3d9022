import Foundation
import Testing
@testable import Conversation
import SMTPCore
import SMTPKnowledge

/// The engine looking up a route through `.resolve` effects and connecting along it.
@Suite("Routes in the conversation")
struct RouteConversationTests {
    /// fallback.test: MX 10 refuse (192.0.2.3), MX 20 accept (192.0.2.4).
    static func answer(_ question: DNSQuestion) -> DNSResponse {
        switch (question.name, question.type) {
        case ("fallback.test", .mx):
            return DNSResponse(question: question, answers: [
                DNSRecord(name: "fallback.test", ttl: 300, data: .mx(preference: 20, exchange: "accept.fallback.test")),
                DNSRecord(name: "fallback.test", ttl: 300, data: .mx(preference: 10, exchange: "refuse.fallback.test")),
            ])
        case ("refuse.fallback.test", .a):
            return DNSResponse(question: question, answers: [DNSRecord(name: question.name, ttl: 300, data: .address("192.0.2.3"))])
        case ("accept.fallback.test", .a):
            return DNSResponse(question: question, answers: [DNSRecord(name: question.name, ttl: 300, data: .address("192.0.2.4"))])
        case ("nullmx.test", .mx):
            return DNSResponse(question: question, answers: [DNSRecord(name: "nullmx.test", ttl: 300, data: .mx(preference: 0, exchange: ""))])
        default:
            return DNSResponse(question: question)
        }
    }

    struct Run {
        var conversation: Conversation
        var connects: [Target] = []
        var moment = Moment(monotonic: 1000, wall: Date(timeIntervalSince1970: 1_795_000_000))

        init(mx: String?, port: Int = 25) {
            var config = ConversationConfig()
            config.mx = mx.map { ($0, port) }
            conversation = Conversation(config: config, at: moment)
        }

        /// Carries out effects: questions are answered at once from the zone.
        mutating func perform(_ effects: [ConversationEffect]) {
            for effect in effects {
                switch effect {
                case .resolve(let question): perform(conversation.handle(.resolved(RouteConversationTests.answer(question)), at: moment))
                case .connect(let target): connects.append(target)
                default: break
                }
            }
        }

        var lines: [String] {
            (conversation.log.firstIndex..<conversation.log.endIndex).map { conversation.log.display($0) }
        }
    }

    @Test("--mx: the route, then the best MX; a refused one gives way to the next")
    func fallback() {
        var run = Run(mx: "fallback.test", port: 2525)
        run.perform(run.conversation.start(at: run.moment))
        #expect(run.connects == [Target(host: "192.0.2.3", port: 2525, serverName: "refuse.fallback.test")])
        #expect(run.lines.contains("? fallback.test MX"))
        #expect(run.lines.contains { $0.hasPrefix("Route for fallback.test: deliverable") })
        #expect(run.lines.contains("Trying MX 10 refuse.fallback.test [192.0.2.3]:2525"))
        run.perform(run.conversation.handle(.connecting(host: "192.0.2.3", port: 2525), at: run.moment))
        run.perform(run.conversation.handle(.failed(ConnectFailure(kind: .refused, host: "192.0.2.3", port: 2525, detail: "")),
                                            at: run.moment))
        #expect(run.lines.contains("MX 10 refuse.fallback.test [192.0.2.3]:2525 refused, trying the next"))
        #expect(run.connects.last == Target(host: "192.0.2.4", port: 2525, serverName: "accept.fallback.test"))
        #expect(!run.lines.contains { $0.hasPrefix("Trying 192.0.2.3") }, "the MX line says it already")
        run.perform(run.conversation.handle(.failed(ConnectFailure(kind: .timeout, host: "192.0.2.4", port: 2525, detail: "")),
                                            at: run.moment))
        #expect(run.lines.contains("MX 20 accept.fallback.test [192.0.2.4]:2525 did not answer; no exchanger left"))
        #expect(run.connects.count == 2)
        #expect(run.conversation.outcome.exitStatus == 2)
    }

    @Test("lines typed while the MX is looked up wait for the connection")
    func queuedDuringLookup() {
        var run = Run(mx: "fallback.test")
        var effects = run.conversation.start(at: run.moment)
        // The first question is out; the user types before its answer.
        effects += run.conversation.submit("EHLO laptop", at: run.moment)
        #expect(run.conversation.queuedLines == ["EHLO laptop"])
        run.perform(effects)
        #expect(!run.lines.contains { $0.contains("Not connected") })
    }

    @Test("a null MX: nowhere to connect, said so, and the run stops")
    func nullMX() {
        var run = Run(mx: "nullmx.test")
        run.perform(run.conversation.start(at: run.moment))
        #expect(run.connects.isEmpty)
        #expect(run.lines.contains("No exchanger of nullmx.test has an address to connect to"))
        #expect(run.conversation.link == .closed)
    }

    @Test("/route shows the route without connecting; a bad name is refused in words")
    func slashRoute() {
        var run = Run(mx: nil)
        run.perform(run.conversation.submit("/route user@fallback.test", at: run.moment))
        #expect(run.connects.isEmpty)
        let index = run.conversation.lastNoteIndex
        #expect(index.map { run.conversation.log.display($0) }?.hasPrefix("Route for user@fallback.test: deliverable") == true)
        let explanation = index.flatMap { run.conversation.explanation(of: $0, explainer: Explainer(language: .en)) }
        #expect(explanation?.sections.contains { $0.heading == "The lookup" } == true)
        run.perform(run.conversation.submit("/route a..b", at: run.moment))
        #expect(run.lines.last == "Cannot look up a..b: a domain cannot have an empty label (two dots in a row)")
    }

    @Test("a route in a record reads back the same")
    func json() {
        var run = Run(mx: "fallback.test")
        run.perform(run.conversation.start(at: run.moment))
        let (contents, _) = run.conversation.log.transcript(json: true, language: .en, showSecrets: false)
        let events = contents.split(separator: "\n").compactMap { line -> LocalEvent? in
            JSONValue.parse(String(line))?["event"].flatMap(LocalEvent.init(json:))
        }
        #expect(events.contains { if case .dns(.query(DNSQuestion("fallback.test", .mx))) = $0 { return true }; return false })
        #expect(events.contains { if case .routeFound(let summary) = $0 { return summary.exchangers.count == 2 }; return false })
        #expect(events.contains { if case .mxAttempt(10, "refuse.fallback.test", "192.0.2.3", 25) = $0 { return true }; return false })
    }
}
