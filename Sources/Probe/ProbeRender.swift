import Foundation
import SMTPCore
import SMTPKnowledge

extension Checks {
    /// Every check of one server that `groups` selects.
    public static func all(for server: ServerFindings, groups: Set<CheckGroup>, now: Date) -> [ProbeCheck] {
        var checks: [ProbeCheck] = []
        if groups.contains(.connection) {
            checks.append(connect(server))
            if let banner = banner(server) { checks.append(banner) }
            checks += reverseDNS(server)
        }
        if groups.contains(.esmtp) { checks += esmtp(server) }
        if groups.contains(.tls) { checks += tls(server, now: now) }
        if groups.contains(.policy) { checks += policy(server) }
        if groups.contains(.relay), let relay = relay(server) { checks.append(relay) }
        if groups.contains(.timing) { checks += timing(server) }
        if groups.contains(.dane), let dane = DANE.check(server) { checks.append(dane) }
        return checks
    }

    /// The domain's own checks (MTA-STS, TLS-RPT).
    public static func domain(_ domain: String, txt: Lookup<String>?, fetch: MTASTS.Fetch?, mxHosts: [String],
                              tlsrpt: Lookup<String>?) -> [ProbeCheck] {
        MTASTS.checks(domain: domain, txt: txt, fetch: fetch, mxHosts: mxHosts, tlsrpt: tlsrpt)
    }
}

/// The report as text, JSON or Markdown.
public enum ProbeRender {
    public static func text(_ report: ProbeReport, language: Language) -> String {
        var out = ["smtpx probe \(report.target)  (\(report.mode.rawValue))"]
        out += report.route.map { "  " + $0 }
        if let failure = report.failure { out.append("!!! " + failure[language]) }
        var lastGroup: String?
        for check in report.checks {
            let heading = check.group.title[language] + (check.server.map { " — " + $0 } ?? "")
            if heading != lastGroup {
                out.append("")
                out.append("== " + heading)
                lastGroup = heading
            }
            let mark = ["ok": "  ok ", "note": "note ", "warning": "WARN ", "problem": "PROB "][check.verdict.rawValue] ?? ""
            out.append("[\(mark)] \(check.title[language]): \(check.detail[language])")
            out += check.evidence.map { "        " + $0 }
        }
        out.append("")
        out.append(summary(report, language: language))
        return out.map(VisibleText.sanitize).joined(separator: "\n") + "\n"
    }

    static func summary(_ report: ProbeReport, language: Language) -> String {
        let counts = Verdict.allCases.reversed().map { "\(report.count($0)) \($0.words[language])" }.joined(separator: ", ")
        let verdict = report.failure != nil ? L("could not probe", "无法探测")[language] : report.worst.words[language]
        return L("Verdict: {0} ({1}); exit status {2}", "结论：{0}（{1}）；退出状态 {2}").format(verdict, counts, report.exitStatus)[language]
    }

    public static func json(_ report: ProbeReport, language: Language) -> String {
        let checks: [JSONValue] = report.checks.map { check in
            .object([
                ("id", .string(check.id)), ("group", .string(check.group.rawValue)),
                ("server", check.server.map(JSONValue.string) ?? .null), ("verdict", .string(check.verdict.rawValue)),
                ("title", .string(check.title[language])), ("detail", .string(check.detail[language])),
                ("evidence", .array(check.evidence.map(JSONValue.string))),
            ])
        }
        let counts: [(String, JSONValue)] = Verdict.allCases.map { ($0.rawValue, .int(report.count($0))) }
        var fields: [(String, JSONValue)] = [
            ("target", .string(report.target)), ("mode", .string(report.mode.rawValue)),
            ("started", .string(ISO8601DateFormatter().string(from: report.started))),
            ("servers", .array(report.servers.map(JSONValue.string))), ("route", .array(report.route.map(JSONValue.string))),
            ("checks", .array(checks)), ("counts", .object(counts)),
            ("verdict", .string(report.failure != nil ? "unknown" : report.worst.rawValue)),
            ("status", .int(Int(report.exitStatus))),
        ]
        if let failure = report.failure { fields.append(("failure", .string(failure[language]))) }
        return JSONValue.object(fields).serialized + "\n"
    }

    public static func markdown(_ report: ProbeReport, language: Language) -> String {
        var out = ["# smtpx probe: \(report.target)", ""]
        out.append(L("Probed {0}.", "探测于 {0}。").format(ISO8601DateFormatter().string(from: report.started))[language])
        if !report.route.isEmpty {
            out += ["", "```"] + report.route + ["```"]
        }
        if let failure = report.failure { out += ["", "**" + failure[language] + "**"] }
        out += ["", "| | " + L("Check", "检查")[language] + " | " + L("Server", "服务器")[language] + " | " + L("Finding", "结果")[language] + " |",
                "|---|---|---|---|"]
        for check in report.checks {
            let mark = ["ok": "✅", "note": "ℹ️", "warning": "⚠️", "problem": "❌"][check.verdict.rawValue] ?? ""
            out.append("| \(mark) \(check.verdict.words[language]) | \(cell(check.title[language])) | \(cell(check.server ?? "—")) | \(cell(check.detail[language])) |")
        }
        let withEvidence = report.checks.filter { !$0.evidence.isEmpty && $0.verdict != .ok }
        if !withEvidence.isEmpty {
            out += ["", "## " + L("Evidence", "证据")[language]]
            for check in withEvidence {
                out += ["", "### \(check.verdict.words[language]): \(check.title[language])" + (check.server.map { " (\($0))" } ?? ""),
                        "", "```"] + check.evidence + ["```"]
            }
        }
        out += ["", summary(report, language: language)]
        return out.map(VisibleText.sanitize).joined(separator: "\n") + "\n"
    }

    static func cell(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|") }
}
