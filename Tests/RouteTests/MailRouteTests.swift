import Testing
@testable import SMTPCore

/// A zone in memory: what a resolver would answer to each question.
struct FakeZone {
    var records: [String: [DNSRecord]] = [:]
    var codes: [String: DNSResponseCode] = [:]
    var failures: [String: DNSFailure] = [:]
    var secure: Set<String> = []
    var truncated: Set<String> = []
    /// Names whose answer exists only with checking disabled (a bogus zone).
    var bogus: Set<String> = []

    static func key(_ name: String, _ type: DNSType) -> String { "\(name) \(type.rawValue)" }

    mutating func add(_ name: String, _ type: DNSType, ttl: UInt32 = 300, _ data: DNSData...) {
        records[Self.key(name, type), default: []] += data.map { DNSRecord(name: name, ttl: ttl, data: $0) }
    }

    func answer(_ question: DNSQuestion) -> DNSResponse {
        let key = Self.key(question.name, question.type)
        if let failure = failures[question.name] { return .failed(question, failure) }
        let zone = question.name.split(separator: ".").suffix(2).joined(separator: ".")
        if bogus.contains(zone) && !question.checkingDisabled { return DNSResponse(question: question, code: .serverFailure) }
        if let code = codes[question.name] { return DNSResponse(question: question, code: code) }
        var answers = records[key] ?? []
        // A resolver follows an alias for any type but CNAME, and puts the chain in the answer.
        if question.type != .cname, answers.isEmpty, let alias = records[Self.key(question.name, .cname)]?.first,
           case .name(let target) = alias.data {
            answers = [alias] + (records[Self.key(target, question.type)] ?? [])
        }
        let exists = records.keys.contains { $0.hasPrefix(question.name + " ") }
        return DNSResponse(question: question, code: exists ? .noError : .nameError, answers: answers,
                           authenticated: secure.contains(zone), retriedOverTCP: truncated.contains(key))
    }

    func route(_ domain: String) -> MailRoute {
        var route = MailRoute(domain: domain)
        var asked = 0
        while let question = route.question, asked < 200 {
            route.receive(answer(question))
            asked += 1
        }
        return route
    }

    /// The zone of the seed lesson, and every odd case around it.
    static var lesson: FakeZone {
        var zone = FakeZone()
        zone.add("sh.abc.test", .cname, .name("hop1.abc.test"))
        zone.add("hop1.abc.test", .cname, .name("hop2.abc.test"))
        zone.add("hop2.abc.test", .cname, .name("mail.abc.test"))
        zone.add("mail.abc.test", .mx, .mx(preference: 10, exchange: "shmail2.abc.test"), .mx(preference: 5, exchange: "shmail.abc.test"),
                 .mx(preference: 20, exchange: "b.abc.test"), .mx(preference: 20, exchange: "a.abc.test"))
        for (host, address) in [("shmail.abc.test", "192.0.2.5"), ("shmail2.abc.test", "192.0.2.10"), ("a.abc.test", "192.0.2.20"),
                                ("b.abc.test", "192.0.2.21")] {
            zone.add(host, .a, .address(address))
        }
        zone.add("shmail.abc.test", .aaaa, .address("2001:db8::5"))
        zone.add("nullmx.abc.test", .mx, .mx(preference: 0, exchange: ""))
        zone.add("plain.abc.test", .a, .address("192.0.2.30"))
        zone.add("aliasmx.abc.test", .mx, .mx(preference: 10, exchange: "alias.abc.test"))
        zone.add("alias.abc.test", .cname, .name("real.abc.test"))
        zone.add("real.abc.test", .a, .address("192.0.2.31"))
        zone.add("loop1.abc.test", .cname, .name("loop2.abc.test"))
        zone.add("loop2.abc.test", .cname, .name("loop1.abc.test"))
        zone.add("v6only.abc.test", .mx, .mx(preference: 10, exchange: "v6.abc.test"))
        zone.add("v6.abc.test", .aaaa, .address("2001:db8::6"))
        zone.add("literal.abc.test", .mx, .mx(preference: 10, exchange: "192.0.2.1"))
        zone.add("big.abc.test", .mx, .mx(preference: 10, exchange: "plain.abc.test"))
        zone.truncated.insert(key("big.abc.test", .mx))
        zone.add("broken.abc.test", .mx, .mx(preference: 10, exchange: "plain.abc.test"))
        zone.codes["broken.abc.test"] = .serverFailure
        zone.add("silent.abc.test", .mx, .mx(preference: 10, exchange: "plain.abc.test"))
        zone.failures["silent.abc.test"] = .timeout
        zone.add("signed.test", .mx, .mx(preference: 10, exchange: "mx.signed.test"))
        zone.add("mx.signed.test", .a, .address("192.0.2.40"))
        zone.secure.insert("signed.test")
        zone.add("bogus.test", .mx, .mx(preference: 10, exchange: "mx.bogus.test"))
        zone.add("mx.bogus.test", .a, .address("192.0.2.41"))
        zone.bogus.insert("bogus.test")
        zone.add("deadmx.abc.test", .mx, .mx(preference: 10, exchange: "gone.abc.test"), .mx(preference: 20, exchange: "plain.abc.test"))
        return zone
    }
}

@Suite("Mail route")
struct MailRouteTests {
    let zone = FakeZone.lesson

    func notes(_ route: MailRoute) -> [RouteNote] {
        route.steps.compactMap { if case .note(let note) = $0 { return note } else { return nil } }
    }

    func questions(_ route: MailRoute) -> [String] {
        route.steps.compactMap { if case .query(let q) = $0 { return "\(q.name) \(q.type.rawValue)\(q.checkingDisabled ? " cd" : "")" } else { return nil } }
    }

    @Test("the seed lesson: CNAME to the end of the chain, MX by preference, then addresses")
    func lesson() {
        let route = zone.route("sh.abc.test")
        #expect(route.result == .deliverable)
        #expect(route.canonical == "mail.abc.test")
        #expect(Array(questions(route).prefix(5)) == ["sh.abc.test CNAME", "hop1.abc.test CNAME", "hop2.abc.test CNAME",
                                                      "mail.abc.test CNAME", "mail.abc.test MX"])
        #expect(route.exchangers.map(\.host) == ["shmail.abc.test", "shmail2.abc.test", "b.abc.test", "a.abc.test"])
        #expect(route.exchangers[0].addresses == ["192.0.2.5", "2001:db8::5"])
        #expect(notes(route).contains(.equalPreference(20, ["b.abc.test", "a.abc.test"])))
        #expect(route.dnssecSummary == .insecure)
    }

    @Test("equal preferences are shuffled for connecting; better ones always come first", arguments: 0..<50)
    func shuffled(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        let candidates = zone.route("sh.abc.test").candidates(using: &generator)
        #expect(candidates.prefix(3).map(\.address) == ["192.0.2.5", "2001:db8::5", "192.0.2.10"])
        #expect(Set(candidates.suffix(2).map(\.exchanger.host)) == ["a.abc.test", "b.abc.test"])
    }

    @Test("the two orders of equal preferences both occur")
    func bothOrders() {
        var firsts = Set<String>()
        for seed in 0..<50 {
            var generator = SeededGenerator(seed: UInt64(seed))
            firsts.insert(zone.route("sh.abc.test").candidates(using: &generator)[3].exchanger.host)
        }
        #expect(firsts == ["a.abc.test", "b.abc.test"])
    }

    @Test("each odd case ends as it should", arguments: [
        ("nullmx.abc.test", RouteResult.nullMX, RouteNote.nullMX("nullmx.abc.test")),
        ("plain.abc.test", .deliverable, .implicitMX("plain.abc.test")),
        ("aliasmx.abc.test", .deliverable, .exchangerIsAlias(host: "alias.abc.test", target: "real.abc.test")),
        ("loop1.abc.test", .noSuchDomain, .cnameLoop("loop1.abc.test")),
        ("v6only.abc.test", .deliverable, .noRecords("v6.abc.test", .a)),
        ("literal.abc.test", .noAddress, .exchangerIsAddress("192.0.2.1")),
        ("nothere.abc.test", .noSuchDomain, .noSuchName("nothere.abc.test")),
        ("big.abc.test", .deliverable, .truncated("big.abc.test")),
        ("broken.abc.test", .serverFailure, .notValidation("broken.abc.test")),
        ("silent.abc.test", .timeout, .timeout("silent.abc.test")),
        ("bogus.test", .serverFailure, .bogus("bogus.test")),
        ("deadmx.abc.test", .deliverable, .noSuchHost("gone.abc.test")),
    ])
    func oddCases(domain: String, result: RouteResult, note: RouteNote) {
        let route = zone.route(domain)
        #expect(route.result == result, "\(domain)")
        #expect(notes(route).contains(note), "\(domain): \(notes(route))")
        #expect(route.question == nil)
    }

    @Test("DNSSEC: secure when the resolver vouched for every answer, bogus after a CD answer")
    func dnssec() {
        #expect(zone.route("signed.test").dnssecSummary == .secure)
        let bogus = zone.route("bogus.test")
        #expect(bogus.dnssecSummary == .bogus)
        #expect(questions(bogus).contains { $0.hasSuffix(" cd") })
    }

    @Test("a chain too long is given up")
    func longChain() {
        var zone = FakeZone()
        for index in 0..<12 { zone.add("c\(index).test", .cname, .name("c\(index + 1).test")) }
        let route = zone.route("c0.test")
        #expect(route.result == .noSuchDomain)
        #expect(notes(route).contains(.chainTooLong(MailRoute.chainLimit)))
    }

    @Test("an answer to another question is ignored")
    func strayAnswer() {
        var route = MailRoute(domain: "a.test")
        route.receive(DNSResponse(question: DNSQuestion("b.test", .cname), code: .nameError))
        #expect(route.result == nil)
        #expect(route.question == DNSQuestion("a.test", .cname))
    }

    @Test("names are checked label by label", arguments: [
        ("user@example.org", Result<String, DomainNameProblem>.success("example.org")),
        ("<user@Example.ORG.>", .success("Example.ORG")),
        ("user@", .failure(.badAddress("user@"))),
        ("@example.org", .failure(.badAddress("@example.org"))),
        ("", .failure(.empty)),
    ])
    func targets(input: String, expected: Result<String, DomainNameProblem>) {
        #expect(DomainName.target(of: input) == expected)
    }

    @Test("bad names", arguments: [
        ("a..b", DomainNameProblem.emptyLabel), (String(repeating: "x", count: 64) + ".test", .labelTooLong(String(repeating: "x", count: 64))),
        ("ex ample.test", .badCharacter(" ")), ("-x.test", .hyphenAtEdge("-x")),
        (Array(repeating: "abcdefghij", count: 26).joined(separator: "."), .nameTooLong(285)),
    ])
    func badNames(name: String, problem: DomainNameProblem) {
        #expect(DomainName.check(name) == problem)
    }
}

/// A small deterministic generator (SplitMix64) for shuffles in tests.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
}
