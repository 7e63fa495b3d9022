import Foundation
import SMTPCore

/// A mail route as `smtpx route` prints it: every question and answer in order (`?` a
/// question, `=` an answer, `***` a note), each with what it means, then the summary; or the
/// same as JSON or a Markdown handout.
public struct RouteReport: Sendable {
    public var summary: RouteSummary
    public var resolver: String?
    public var language: Language

    public init(summary: RouteSummary, resolver: String?, language: Language) {
        self.summary = summary
        self.resolver = resolver
        self.language = language
    }

    public init(query: String, route: MailRoute, resolver: String?, language: Language) {
        self.init(summary: RouteSummary(query: query, route: route), resolver: resolver, language: language)
    }

    var query: String { summary.query }

    func t(_ text: Localized) -> String { VisibleText.sanitize(text[language]) }

    /// One transcript line of a step, without its explanation.
    public static func line(_ step: RouteStep) -> String {
        switch step {
        case .query(let question):
            return "? " + question.name + " " + question.type.rawValue + (question.checkingDisabled ? " +cd" : "")
        case .answer(let record, let state):
            return "= \(record.name). \(record.ttl) \(record.typeName) \(record.dataText)  [\(state.rawValue)]"
        case .note:
            return "***"
        }
    }

    // MARK: - Text

    public var text: String {
        var lines: [String] = []
        if let resolver { lines.append("*** " + t(L("resolver {0}", "解析器 {0}").format(resolver))) }
        if let note = aLabelNote { lines.append("*** " + note) }
        for step in summary.steps {
            let explanation = t(RouteTexts.explain(step))
            if case .note = step {
                lines.append("*** " + explanation)
            } else {
                lines.append(VisibleText.sanitize(Self.line(step)))
                lines.append("    " + explanation)
            }
        }
        lines.append("")
        lines += summaryLines
        return lines.joined(separator: "\n") + "\n"
    }

    /// An internationalized name is asked for by its A-label (RFC 5891); say which.
    var aLabelNote: String? {
        guard case .success(let typed) = DomainName.target(of: query), !typed.unicodeScalars.allSatisfy(\.isASCII) else { return nil }
        return t(L("{0} is asked for as {1}, its A-label (RFC 5891).", "{0} 以它的 A 标签 {1} 进行查询（RFC 5891）。").format(typed, summary.domain))
    }

    var summaryLines: [String] {
        let result = summary.result
        var lines = [t(L("Route for {0}: {1}", "{0} 的路由：{1}").format(query, result.rawValue))]
        lines.append("  " + t(RouteTexts.result(result, domain: summary.domain)))
        if summary.canonical != summary.domain {
            lines.append("  " + t(L("{0} is an alias of {1}.", "{0} 是 {1} 的别名。").format(summary.domain, summary.canonical)))
        }
        if result == .deliverable {
            let shared = Dictionary(grouping: summary.exchangers, by: { $0.preference ?? -1 }).filter { $0.value.count > 1 }
            var number = 0
            for exchanger in summary.exchangers where !exchanger.addresses.isEmpty {
                number += 1
                let label = exchanger.preference.map { "MX \($0)" } ?? t(L("no MX", "无 MX"))
                var line = "  \(number). " + label.padding(toLength: 8, withPad: " ", startingAt: 0) + " " + exchanger.host
                line += "  " + exchanger.addresses.joined(separator: " ")
                if let preference = exchanger.preference, shared[preference] != nil {
                    line += "  " + t(L("(random among preference {0})", "（在优先级 {0} 中随机）").format(preference))
                }
                lines.append(VisibleText.sanitize(line))
            }
        }
        lines.append(t(L("DNSSEC: {0}", "DNSSEC：{0}").format(t(RouteTexts.dnssec(summary.dnssec)))))
        return lines
    }

    // MARK: - JSON

    public var json: String {
        var steps: [JSONValue] = []
        for step in summary.steps {
            var fields: [(String, JSONValue)] = []
            switch step {
            case .query(let question):
                fields = [("kind", .string("query")), ("name", .string(question.name)), ("type", .string(question.type.rawValue))]
                if question.checkingDisabled { fields.append(("cd", .bool(true))) }
            case .answer(let record, let state):
                fields = [("kind", .string("answer")), ("name", .string(record.name)), ("type", .string(record.typeName)),
                          ("ttl", .int(Int(record.ttl))), ("data", .string(record.dataText)), ("dnssec", .string(state.rawValue))]
            case .note:
                fields = [("kind", .string("note"))]
            }
            fields.append(("explanation", .string(RouteTexts.explain(step)[language])))
            steps.append(.object(fields))
        }
        let mx: [JSONValue] = summary.exchangers.map { exchanger in
            .object([("preference", exchanger.preference.map { .int($0) } ?? .null), ("host", .string(exchanger.host)),
                     ("addresses", .array(exchanger.addresses.map(JSONValue.string)))])
        }
        let result = summary.result
        var fields: [(String, JSONValue)] = [("query", .string(query)), ("domain", .string(summary.domain)),
                                             ("canonical", .string(summary.canonical))]
        if let resolver { fields.append(("resolver", .string(resolver))) }
        fields += [("steps", .array(steps)), ("mx", .array(mx)), ("result", .string(result.rawValue)),
                   ("dnssec", .string(summary.dnssec.rawValue)),
                   ("summary", .string(RouteTexts.result(result, domain: summary.domain)[language]))]
        return JSONValue.object(fields).serialized + "\n"
    }

    // MARK: - Markdown

    public var markdown: String {
        var lines = ["# " + t(L("Mail route for {0}", "{0} 的邮件路由").format(query)), ""]
        lines.append("```")
        for step in summary.steps {
            if case .note = step { lines.append("*** " + t(RouteTexts.explain(step))) } else { lines.append(VisibleText.sanitize(Self.line(step))) }
        }
        lines.append("```")
        lines.append("")
        for step in summary.steps {
            guard case .note = step else {
                lines.append("- `" + VisibleText.sanitize(Self.line(step)).replacingOccurrences(of: "`", with: "'") + "`: " + t(RouteTexts.explain(step)))
                continue
            }
        }
        lines.append("")
        lines += summaryLines.map { $0.hasPrefix("  ") ? "- " + $0.trimmingCharacters(in: .whitespaces) : "**" + $0 + "**" }
        return lines.joined(separator: "\n") + "\n"
    }
}
