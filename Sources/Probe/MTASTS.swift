import Foundation
import SMTPCore

/// MTA-STS (RFC 8461) and TLS-RPT (RFC 8460): the TXT records, the policy file and what it
/// says about the real MX hosts.
public enum MTASTS {
    /// A policy file (RFC 8461 §3.2): `key: value` lines.
    public struct Policy: Sendable, Hashable {
        public enum Mode: String, Sendable { case enforce, testing, none }
        public var version: String?
        public var mode: Mode?
        public var maxAge: Int?
        public var mx: [String]
        /// Lines that are not `key: value`, and values out of range.
        public var errors: [String]

        public var isValid: Bool { version == "STSv1" && mode != nil && maxAge != nil && (mode == Mode.none || !mx.isEmpty) && errors.isEmpty }
    }

    /// What fetching the policy gave.
    public enum Fetch: Sendable, Hashable {
        case body(status: Int, text: String)
        case failed(String)
    }

    /// The TXT record's fields, when one record starts with `v=STSv1` (§3.1).
    public static func txt(_ records: [String], version: String) -> [String: String]? {
        let matching = records.filter { $0.replacingOccurrences(of: " ", with: "").hasPrefix("v=\(version)") }
        guard matching.count == 1 else { return nil }
        var fields: [String: String] = [:]
        for part in matching[0].split(separator: ";") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2 { fields[pair[0].lowercased()] = pair[1] }
        }
        return fields
    }

    public static func parse(_ text: String) -> Policy {
        var policy = Policy(version: nil, mode: nil, maxAge: nil, mx: [], errors: [])
        for raw in text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            let line = raw.trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            guard let colon = line.firstIndex(of: ":") else { policy.errors.append(line); continue }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            switch key {
            case "version": policy.version = value
            case "mode":
                policy.mode = Policy.Mode(rawValue: value)
                if policy.mode == nil { policy.errors.append("mode: \(value)") }
            case "max_age":
                if let seconds = Int(value), seconds >= 0, seconds <= 31_557_600 { policy.maxAge = seconds } else { policy.errors.append("max_age: \(value)") }
            case "mx": policy.mx.append(value.lowercased())
            default: break  // unknown keys are ignored (§3.2)
            }
        }
        return policy
    }

    /// An MX host against a policy pattern: exact, or `*.` covering one leftmost label (§4.1).
    public static func matches(_ host: String, pattern: String) -> Bool {
        let host = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "."))
        let pattern = pattern.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "."))
        if pattern.hasPrefix("*.") {
            let suffix = pattern.dropFirst(1)
            guard host.hasSuffix(suffix) else { return false }
            let label = host.dropLast(suffix.count)
            return !label.isEmpty && !label.contains(".")
        }
        return host == pattern
    }

    static func checks(domain: String, txt: Lookup<String>?, fetch: Fetch?, mxHosts: [String], tlsrpt: Lookup<String>?) -> [ProbeCheck] {
        var checks: [ProbeCheck] = []
        if let txt {
            checks.append(contentsOf: policyChecks(domain: domain, txt: txt, fetch: fetch, mxHosts: mxHosts))
        }
        if let tlsrpt { checks.append(reportCheck(tlsrpt)) }
        return checks
    }

    static func policyChecks(domain: String, txt: Lookup<String>, fetch: Fetch?, mxHosts: [String]) -> [ProbeCheck] {
        let evidence = ["TXT \(txt.name): " + (txt.records.isEmpty ? (txt.failure ?? "none") : txt.records.joined(separator: " | "))]
        guard let fields = txt.txt(version: "STSv1") else {
            if txt.records.isEmpty {
                return [ProbeCheck("mta-sts", .mtaSTS, .note, L("No MTA-STS", "没有 MTA-STS"),
                                   L("{0} publishes no MTA-STS policy: senders without DANE use TLS opportunistically, and an attacker on the path can strip it.",
                                     "{0} 没有发布 MTA-STS 策略：不用 DANE 的发信方只是机会性地使用 TLS，路径上的攻击者可以把它去掉。").format(domain),
                                   evidence: evidence)]
            }
            return [ProbeCheck("mta-sts", .mtaSTS, .warning, L("MTA-STS record malformed", "MTA-STS 记录格式错误"),
                               L("The _mta-sts TXT record is not one `v=STSv1; id=…` record (RFC 8461 §3.1): senders ignore the policy.",
                                 "_mta-sts TXT 记录不是唯一一条 `v=STSv1; id=…` 记录（RFC 8461 §3.1）：发信方会忽略策略。"),
                               evidence: evidence)]
        }
        let url = "https://mta-sts.\(domain)/.well-known/mta-sts.txt"
        var lines = evidence + ["id=\(fields["id"] ?? "?")", "GET \(url)"]
        guard let fetch else { return [] }
        let text: String
        switch fetch {
        case .failed(let why):
            lines.append(why)
            return [ProbeCheck("mta-sts", .mtaSTS, .problem, L("MTA-STS policy unreachable", "无法获取 MTA-STS 策略"),
                               L("The TXT record announces a policy, but {0} cannot be fetched: {1}. Senders that have the policy cached keep enforcing it; new ones use none.",
                                 "TXT 记录宣布了策略，但无法获取 {0}：{1}。已缓存策略的发信方继续执行它；新的发信方则没有策略。").format(url, why),
                               evidence: lines)]
        case .body(let status, let body):
            lines.append("HTTP \(status)")
            guard status == 200 else {
                return [ProbeCheck("mta-sts", .mtaSTS, .problem, L("MTA-STS policy unreachable", "无法获取 MTA-STS 策略"),
                                   L("{0} answers HTTP {1}; RFC 8461 §3.3 asks 200.", "{0} 返回 HTTP {1}；RFC 8461 §3.3 要求 200。").format(url, status),
                                   evidence: lines)]
            }
            text = body
        }
        let policy = parse(text)
        lines += text.split(whereSeparator: \.isNewline).prefix(20).map { "  " + $0 }
        guard policy.isValid, let mode = policy.mode, let maxAge = policy.maxAge else {
            return [ProbeCheck("mta-sts", .mtaSTS, .problem, L("MTA-STS policy invalid", "MTA-STS 策略无效"),
                               L("The policy file is not valid (version STSv1, a mode, max_age, and mx lines, RFC 8461 §3.2): senders treat the domain as having none.",
                                 "策略文件无效（需要 version STSv1、mode、max_age 和 mx 行，RFC 8461 §3.2）：发信方视之为没有策略。"),
                               evidence: lines + policy.errors.map { "error: " + $0 })]
        }
        var checks: [ProbeCheck] = []
        let unmatched = mxHosts.filter { host in !policy.mx.contains { matches(host, pattern: $0) } }
        switch mode {
        case .enforce where unmatched.isEmpty:
            checks.append(ProbeCheck("mta-sts", .mtaSTS, .ok, L("MTA-STS enforce", "MTA-STS enforce"),
                                     L("The policy is enforced and covers every MX ({0}): senders deliver only over verified TLS.", "策略处于 enforce 模式，覆盖每个 MX（{0}）：发信方只通过已验证的 TLS 投递。").format(mxHosts.joined(separator: ", ")),
                                     evidence: lines))
        case .enforce:
            checks.append(ProbeCheck("mta-sts", .mtaSTS, .problem, L("MTA-STS excludes an MX", "MTA-STS 排除了某个 MX"),
                                     L("The enforced policy does not list {0}: senders that honour it refuse to deliver there.", "enforce 策略没有列出 {0}：遵守它的发信方拒绝向那里投递。").format(unmatched.joined(separator: ", ")),
                                     evidence: lines))
        case .testing:
            checks.append(ProbeCheck("mta-sts", .mtaSTS, unmatched.isEmpty ? .note : .warning, L("MTA-STS testing", "MTA-STS testing"),
                                     unmatched.isEmpty
                                        ? L("The policy is in testing mode: failures are reported (TLS-RPT) but mail is still delivered. Switch to enforce once the reports are clean.",
                                            "策略处于 testing 模式：失败会被报告（TLS-RPT），但邮件仍会投递。报告干净后请切换到 enforce。")
                                        : L("The policy is in testing mode and does not list {0}: it would refuse that MX once enforced.", "策略处于 testing 模式，没有列出 {0}：一旦 enforce 就会拒绝那个 MX。").format(unmatched.joined(separator: ", ")),
                                     evidence: lines))
        case .none:
            checks.append(ProbeCheck("mta-sts", .mtaSTS, .note, L("MTA-STS mode none", "MTA-STS 模式 none"),
                                     L("The policy says none: the domain is withdrawing MTA-STS.", "策略为 none：这个域正在撤销 MTA-STS。"), evidence: lines))
        }
        if maxAge < 86_400 {
            checks.append(ProbeCheck("mta-sts.max-age", .mtaSTS, .note, L("Short max_age", "max_age 太短"),
                                     L("max_age is {0} seconds: senders forget the policy within a day, so a downgrade between fetches goes unnoticed. RFC 8461 §3.2 suggests weeks.",
                                       "max_age 为 {0} 秒：发信方一天之内就会忘记策略，两次获取之间的降级不会被察觉。RFC 8461 §3.2 建议以周计。").format(maxAge),
                                     evidence: ["max_age: \(maxAge)"]))
        }
        return checks
    }

    static func reportCheck(_ lookup: Lookup<String>) -> ProbeCheck {
        let evidence = ["TXT \(lookup.name): " + (lookup.records.isEmpty ? (lookup.failure ?? "none") : lookup.records.joined(separator: " | "))]
        if lookup.records.isEmpty {
            return ProbeCheck("tls-rpt", .mtaSTS, .note, L("No TLS-RPT", "没有 TLS-RPT"),
                              L("No _smtp._tls record: senders have nowhere to report TLS failures (RFC 8460), so a broken certificate is found by users first.",
                                "没有 _smtp._tls 记录：发信方无处报告 TLS 失败（RFC 8460），证书出了问题要等用户先发现。"),
                              evidence: evidence)
        }
        guard let fields = lookup.txt(version: "TLSRPTv1"), let rua = fields["rua"],
              rua.split(separator: ",").allSatisfy({ $0.trimmingCharacters(in: .whitespaces).hasPrefix("mailto:") || $0.trimmingCharacters(in: .whitespaces).hasPrefix("https:") })
        else {
            return ProbeCheck("tls-rpt", .mtaSTS, .warning, L("TLS-RPT record malformed", "TLS-RPT 记录格式错误"),
                              L("The _smtp._tls record is not `v=TLSRPTv1; rua=mailto:…` (RFC 8460 §3): reports are not sent.",
                                "_smtp._tls 记录不是 `v=TLSRPTv1; rua=mailto:…`（RFC 8460 §3）：不会发送报告。"),
                              evidence: evidence)
        }
        return ProbeCheck("tls-rpt", .mtaSTS, .ok, L("TLS-RPT", "TLS-RPT"),
                          L("TLS failures are reported to {0}.", "TLS 失败会报告给 {0}。").format(rua), evidence: evidence)
    }
}

extension Lookup where Record == String {
    func txt(version: String) -> [String: String]? { MTASTS.txt(records, version: version) }
}
