import Foundation
import Testing
@testable import SMTPCore
@testable import SMTPKnowledge
import DNSTransport

/// Compares a text with its golden file; SMTPX_UPDATE_GOLDEN=1 rewrites the file.
func expectGolden(_ text: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    let file = folder.appendingPathComponent(name + ".txt")
    if ProcessInfo.processInfo.environment["SMTPX_UPDATE_GOLDEN"] == "1" {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try text.write(to: file, atomically: true, encoding: .utf8)
        return
    }
    let golden = try String(contentsOf: file, encoding: .utf8)
    #expect(text == golden, "\(name) differs from its golden file", sourceLocation: sourceLocation)
}

@Suite("Route report")
struct RouteReportTests {
    static let cases = ["sh.abc.test", "nullmx.abc.test", "plain.abc.test", "aliasmx.abc.test", "loop1.abc.test",
                        "v6only.abc.test", "literal.abc.test", "nothere.abc.test", "big.abc.test", "broken.abc.test",
                        "silent.abc.test", "signed.test", "bogus.test"]

    @Test("every case in both languages, as golden text", arguments: cases, Language.allCases)
    func golden(domain: String, language: Language) throws {
        let route = FakeZone.lesson.route(domain)
        let query = domain == "sh.abc.test" ? "shuser@sh.abc.test" : domain
        let report = RouteReport(query: query, route: route, resolver: "192.0.2.53:53", language: language)
        try expectGolden(report.text, "\(domain)-\(language.rawValue)")
    }

    @Test("JSON carries the steps, the exchangers, the result and DNSSEC")
    func json() throws {
        let route = FakeZone.lesson.route("sh.abc.test")
        let report = RouteReport(query: "shuser@sh.abc.test", route: route, resolver: nil, language: .en)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(report.json.utf8)) as? [String: Any])
        #expect(object["query"] as? String == "shuser@sh.abc.test")
        #expect(object["result"] as? String == "deliverable")
        #expect(object["dnssec"] as? String == "insecure")
        let steps = try #require(object["steps"] as? [[String: Any]])
        let first = try #require(steps.first { $0["kind"] as? String == "answer" })
        #expect(first["name"] as? String == "sh.abc.test" && first["type"] as? String == "CNAME" && first["ttl"] as? Int == 300)
        #expect(first["data"] as? String == "hop1.abc.test.")
        #expect((first["explanation"] as? String)?.contains("alias") == true)
        let mx = try #require(object["mx"] as? [[String: Any]])
        #expect(mx.map { $0["preference"] as? Int } == [5, 10, 20, 20])
        #expect(mx.first?["addresses"] as? [String] == ["192.0.2.5", "2001:db8::5"])
    }

    @Test("Markdown: a title, the transcript in a block, each line explained")
    func markdown() {
        let report = RouteReport(query: "nullmx.abc.test", route: FakeZone.lesson.route("nullmx.abc.test"), resolver: nil, language: .zh)
        #expect(report.markdown.hasPrefix("# nullmx.abc.test 的邮件路由"))
        #expect(report.markdown.contains("```\n? nullmx.abc.test CNAME"))
        #expect(report.markdown.contains("空 MX"))
    }

    @Test("an IDN is asked for by its A-label, and the report says so")
    func idn() throws {
        #expect(try IDNA.aLabel("bücher.example").get() == "xn--bcher-kva.example")
        #expect(try RouteTarget.domain(of: "Jörg@Bücher.Example").get() == "xn--bcher-kva.example")
        let report = RouteReport(query: "bücher.example", route: MailRoute(domain: "xn--bcher-kva.example"), resolver: nil, language: .en)
        #expect(report.text.contains("bücher.example is asked for as xn--bcher-kva.example, its A-label (RFC 5891)."))
        if case .failure(let problem) = RouteTarget.domain(of: "a\u{00AD}\u{200D}..x") { _ = problem } else { Issue.record("accepted") }
    }

    @Test("every route text has both languages")
    func texts() {
        for domain in Self.cases {
            for step in FakeZone.lesson.route(domain).steps { checkBoth(RouteTexts.explain(step), "\(domain) \(step)") }
        }
        for result in [RouteResult.deliverable, .nullMX, .noSuchDomain, .noAddress, .serverFailure, .timeout] {
            checkBoth(RouteTexts.result(result, domain: "x.test"), result.rawValue)
        }
        for problem in [DomainNameProblem.empty, .badAddress("x@"), .emptyLabel, .labelTooLong("x"), .nameTooLong(300),
                        .badCharacter(" "), .hyphenAtEdge("-x"), .notConvertible("bad")] {
            checkBoth(RouteTexts.problem(problem), "\(problem)")
        }
    }

    func checkBoth(_ text: Localized, _ what: String) {
        #expect(!text.en.isEmpty && !text.zh.isEmpty, "\(what)")
        #expect(text.zh.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }, "\(what): \(text.zh)")
    }
}
