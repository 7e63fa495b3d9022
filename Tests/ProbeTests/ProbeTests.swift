import Crypto
import Foundation
import Testing
@testable import Probe
import SMTPCore
import SMTPKnowledge

/// An exchange as a stage would record it.
func exchange(_ command: String?, _ verb: Verb?, _ code: Int, _ text: String, latency: Double = 0.001, tls: Bool = false) -> Exchange {
    Exchange(command: command, verb: verb, reply: Reply(code: code, text), latency: latency, tls: tls)
}

func findings(_ session: StageRecord, port: Int = 25) -> ServerFindings {
    var server = ServerFindings(label: "mx.example.test [192.0.2.7]:\(port)", host: "mx.example.test", address: "192.0.2.7",
                                port: port, implicitTLS: false)
    server.session = session
    return server
}

func session(rcptCodes: [Int], mailCodes: [Int] = [250, 250], errorLatencies: [Double] = []) -> StageRecord {
    var exchanges = [exchange(nil, nil, 220, "mx.example.test ESMTP"),
                     Exchange(command: "EHLO probe.example.net", verb: .ehlo,
                              reply: Reply(code: 250, ["mx.example.test", "PIPELINING", "SIZE 52428800", "STARTTLS", "AUTH PLAIN LOGIN"]),
                              latency: 0.001)]
    exchanges.append(exchange("MAIL FROM:<>", .mail, mailCodes[0], "2.1.0 Ok"))
    exchanges.append(exchange("RSET", .rset, 250, "2.0.0 Ok"))
    exchanges.append(exchange("MAIL FROM:<smtpx-probe@example.com>", .mail, mailCodes[1], "2.1.0 Ok"))
    for (index, code) in rcptCodes.enumerated() {
        let latency = index < errorLatencies.count ? errorLatencies[index] : 0.001
        exchanges.append(exchange("RCPT TO:<x\(index)>", .rcpt, code, code == 250 ? "2.1.5 Ok" : "5.7.1 Relay access denied", latency: latency))
    }
    return StageRecord(name: "session", remote: "192.0.2.7:25", connectSeconds: 0.002, exchanges: exchanges)
}

@Suite("The probe's checks judge what the stages saw")
struct ProbeCheckTests {
    @Test("one accepted relay form is a problem, naming the form; all refused is ok")
    func relay() {
        let open = Checks.relay(findings(session(rcptCodes: [554, 554, 250, 554, 554, 554])))
        #expect(open?.verdict == .problem)
        #expect(open?.detail.en.contains("source-route") == true)
        #expect(Checks.relay(findings(session(rcptCodes: Array(repeating: 554, count: 6))))?.verdict == .ok)
        // The outside sender refused: nothing relays.
        #expect(Checks.relay(findings(session(rcptCodes: [], mailCodes: [250, 550])))?.verdict == .ok)
    }

    @Test("errors answered ever later are a tarpit; steady ones are not")
    func tarpit() {
        let slowing = Checks.timing(findings(session(rcptCodes: Array(repeating: 554, count: 5), errorLatencies: [0.001, 0.002, 1.0, 2.0, 3.0])))
        #expect(slowing.first { $0.id == "timing.tarpit" }?.verdict == .note)
        let steady = Checks.timing(findings(session(rcptCodes: Array(repeating: 554, count: 5), errorLatencies: [0.3, 0.3, 0.3, 0.3, 0.3])))
        #expect(steady.first { $0.id == "timing.tarpit" }?.verdict == .ok)
    }

    @Test("PLAIN or LOGIN before TLS is a warning; the null sender refused a problem")
    func policy() {
        let checks = Checks.policy(findings(session(rcptCodes: [], mailCodes: [550, 550])))
        #expect(checks.first { $0.id == "policy.auth-before-tls" }?.verdict == .warning)
        #expect(checks.first { $0.id == "policy.null-sender" }?.verdict == .problem)
    }

    @Test("SIZE is graded against common limits")
    func size() {
        let big = Checks.esmtp(findings(session(rcptCodes: [])))
        #expect(big.first { $0.id == "esmtp.size" }?.verdict == .ok)
    }

    @Test("old TLS versions accepted are warnings; neither 1.2 nor 1.3 is a problem")
    func versions() {
        var server = findings(session(rcptCodes: []))
        let accepted = TLSInfo(version: "TLSv1.0", cipherSuite: "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", chain: [], verified: false)
        server.versions = ["1.0": StageRecord(name: "v", tls: accepted), "1.1": StageRecord(name: "v", tls: accepted),
                           "1.2": StageRecord(name: "v"), "1.3": StageRecord(name: "v")]
        let checks = Checks.versions(server)
        #expect(checks.first { $0.id == "tls.version.1.0" }?.verdict == .warning)
        #expect(checks.first { $0.id == "tls.version.1.3" }?.verdict == .note)
        #expect(checks.first { $0.id == "tls.version.modern" }?.verdict == .problem)
    }

    @Test("the exit status follows the worst verdict; nothing probed is 3")
    func exitStatus() {
        var report = ProbeReport(target: "t", mode: .host, started: Date())
        #expect(report.exitStatus == 0)
        report.checks = [ProbeCheck("a", .esmtp, .note, L("", ""), L("", ""))]
        #expect(report.exitStatus == 0)
        report.checks.append(ProbeCheck("b", .tls, .warning, L("", ""), L("", "")))
        #expect(report.exitStatus == 1)
        report.checks.append(ProbeCheck("c", .relay, .problem, L("", ""), L("", "")))
        #expect(report.exitStatus == 2)
        report.failure = L("x", "x")
        #expect(report.exitStatus == 3)
        let json = ProbeRender.json(report, language: .en)
        #expect(json.contains("\"status\":3") && json.contains("\"verdict\":\"unknown\""))
    }

    @Test("the scripts never start a message")
    func scriptsAreSafe() {
        let all = ProbeScripts.session(helo: "h", serverAddress: "192.0.2.7", startTLS: true) + ProbeScripts.tls(helo: "h")
            + ProbeScripts.pipelining(helo: "h", startTLS: true) + ProbeScripts.version(helo: "h", implicitTLS: false)
        #expect(all.allSatisfy(ProbeScripts.isSafe))
        #expect(!ProbeScripts.isSafe("DATA") && !ProbeScripts.isSafe("bdat 10 LAST") && !ProbeScripts.isSafe("/auth plain"))
        #expect(ProbeScripts.session(helo: "h", serverAddress: "192.0.2.7", startTLS: false).filter { $0.hasPrefix("MAIL") }.count == 2)
        #expect(all.last == "QUIT")
        #expect(ProbeScripts.relayRecipients(serverAddress: "::1")[1].path == "<relay-test%example.net@[IPv6:::1]>")
    }
}

@Suite("DANE: TLSA records against the chain served")
struct DANETests {
    let leaf = CertificateSummary(subject: "CN=mx", issuer: "CN=ca", names: ["mx"], notBefore: Date(), notAfter: Date(),
                                  sha256: "", der: Array("leaf-der".utf8), spki: Array("leaf-spki".utf8))
    let ca = CertificateSummary(subject: "CN=ca", issuer: "CN=root", names: [], notBefore: Date(), notAfter: Date(),
                                sha256: "", der: Array("ca-der".utf8), spki: Array("ca-spki".utf8))

    @Test("usage, selector and matching type pick and hash the right bytes")
    func matching() {
        let chain = [leaf, ca]
        #expect(DANE.matches(TLSARecord(usage: 3, selector: 1, matching: 1, data: Array(SHA256.hash(data: leaf.spki))), chain: chain))
        #expect(DANE.matches(TLSARecord(usage: 3, selector: 0, matching: 2, data: Array(SHA512.hash(data: leaf.der))), chain: chain))
        #expect(DANE.matches(TLSARecord(usage: 3, selector: 0, matching: 0, data: leaf.der), chain: chain))
        #expect(DANE.matches(TLSARecord(usage: 2, selector: 1, matching: 1, data: Array(SHA256.hash(data: ca.spki))), chain: chain))
        // DANE-TA does not match the leaf, DANE-EE not the CA.
        #expect(!DANE.matches(TLSARecord(usage: 2, selector: 1, matching: 1, data: Array(SHA256.hash(data: leaf.spki))), chain: chain))
        #expect(!DANE.matches(TLSARecord(usage: 3, selector: 1, matching: 1, data: Array(SHA256.hash(data: ca.spki))), chain: chain))
        #expect(!DANE.matches(TLSARecord(usage: 3, selector: 2, matching: 1, data: []), chain: chain))
    }

    func judged(_ records: [TLSARecord], _ state: DNSSECState, failure: String? = nil) -> ProbeCheck? {
        var server = findings(StageRecord(name: "s"))
        server.tls = StageRecord(name: "tls", tls: TLSInfo(version: "TLSv1.3", cipherSuite: nil, chain: [leaf, ca], verified: true))
        server.tlsa = Lookup(name: "_25._tcp.mx.example.test", records: records, dnssec: state, absent: records.isEmpty, failure: failure)
        return DANE.check(server)
    }

    @Test("secure and matching ok; insecure a warning; secure mismatch and bogus problems; PKIX only a note; none a note")
    func verdicts() {
        let good = TLSARecord(usage: 3, selector: 1, matching: 1, data: Array(SHA256.hash(data: leaf.spki)))
        let wrong = TLSARecord(usage: 3, selector: 1, matching: 1, data: [UInt8](repeating: 0xAB, count: 32))
        #expect(judged([good], .secure)?.verdict == .ok)
        #expect(judged([good], .insecure)?.verdict == .warning)
        #expect(judged([wrong], .secure)?.verdict == .problem)
        #expect(judged([], .bogus, failure: "SERVFAIL")?.verdict == .problem)
        #expect(judged([TLSARecord(usage: 1, selector: 1, matching: 1, data: good.data)], .secure)?.verdict == .note)
        #expect(judged([], .insecure)?.verdict == .note)
    }
}

@Suite("MTA-STS and TLS-RPT")
struct MTASTSTests {
    @Test("a policy file is read line by line; bad values are errors")
    func parse() {
        let policy = MTASTS.parse("version: STSv1\r\nmode: enforce\r\nmx: mail.example.org\r\nmx: *.example.net\r\nmax_age: 604800\r\nextra: ignored\r\n")
        #expect(policy.isValid && policy.mode == .enforce && policy.maxAge == 604800)
        #expect(policy.mx == ["mail.example.org", "*.example.net"])
        #expect(!MTASTS.parse("version: STSv1\nmode: strict\nmx: a\nmax_age: 1\n").isValid)
        #expect(!MTASTS.parse("version: STSv1\nmode: enforce\nmax_age: 1\n").isValid)
        #expect(!MTASTS.parse("version: STSv1\nmode: enforce\nmx: a\nmax_age: 99999999999\n").isValid)
        #expect(MTASTS.parse("version: STSv1\nmode: none\nmax_age: 86400\n").isValid)
    }

    @Test("mx patterns: exact, or a wildcard for one leftmost label", arguments: [
        ("mail.example.org", "mail.example.org", true), ("MAIL.example.org.", "mail.example.org", true),
        ("mx1.example.net", "*.example.net", true), ("a.mx1.example.net", "*.example.net", false),
        ("example.net", "*.example.net", false), ("mail.example.org", "mx.example.org", false),
    ])
    func patterns(host: String, pattern: String, expected: Bool) {
        #expect(MTASTS.matches(host, pattern: pattern) == expected)
    }

    @Test("the TXT record must be one v=STSv1 record")
    func txt() {
        #expect(MTASTS.txt(["v=STSv1; id=2026"], version: "STSv1")?["id"] == "2026")
        #expect(MTASTS.txt(["v=STSv1; id=1", "v=STSv1; id=2"], version: "STSv1") == nil)
        #expect(MTASTS.txt(["v=spf1 -all"], version: "STSv1") == nil)
    }

    @Test("enforce covering every MX ok, excluding one a problem, a failed fetch a problem, TLS-RPT graded")
    func judged() {
        let txt = Lookup<String>(name: "_mta-sts.example.org", records: ["v=STSv1; id=1"])
        let enforce = MTASTS.Fetch.body(status: 200, text: "version: STSv1\nmode: enforce\nmx: *.example.org\nmax_age: 3600\n")
        let ok = MTASTS.checks(domain: "example.org", txt: txt, fetch: enforce, mxHosts: ["mx1.example.org"], tlsrpt: nil)
        #expect(ok.first { $0.id == "mta-sts" }?.verdict == .ok)
        #expect(ok.first { $0.id == "mta-sts.max-age" }?.verdict == .note)
        let excluded = MTASTS.checks(domain: "example.org", txt: txt, fetch: enforce, mxHosts: ["mx.other.net"], tlsrpt: nil)
        #expect(excluded.first?.verdict == .problem)
        #expect(MTASTS.checks(domain: "example.org", txt: txt, fetch: .failed("refused"), mxHosts: [], tlsrpt: nil).first?.verdict == .problem)
        #expect(MTASTS.checks(domain: "example.org", txt: txt, fetch: .body(status: 404, text: ""), mxHosts: [], tlsrpt: nil).first?.verdict == .problem)
        let none = Lookup<String>(name: "_mta-sts.example.org")
        #expect(MTASTS.checks(domain: "example.org", txt: none, fetch: nil, mxHosts: [], tlsrpt: nil).first?.verdict == .note)
        let report = { (records: [String]) in MTASTS.reportCheck(Lookup(name: "_smtp._tls.example.org", records: records)).verdict }
        #expect(report(["v=TLSRPTv1; rua=mailto:tls@example.org"]) == .ok)
        #expect(report(["v=TLSRPTv1; rua=tls@example.org"]) == .warning)
        #expect(report([]) == .note)
    }
}
