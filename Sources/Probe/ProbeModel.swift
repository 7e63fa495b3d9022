import Foundation
import SMTPCore
import SMTPKnowledge

typealias L = Localized

/// How a check came out, in the order of a monitoring plugin's states.
public enum Verdict: String, Sendable, Hashable, Comparable, CaseIterable {
    case ok, note, warning, problem

    public static func < (a: Verdict, b: Verdict) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    public var words: Localized {
        switch self {
        case .ok: return L("ok", "正常")
        case .note: return L("note", "提示")
        case .warning: return L("warning", "警告")
        case .problem: return L("problem", "问题")
        }
    }
}

/// The groups `--checks` selects.
public enum CheckGroup: String, Sendable, Hashable, CaseIterable {
    case connection, esmtp, tls, policy, relay, timing, dane
    case mtaSTS = "mta-sts"

    public var title: Localized {
        switch self {
        case .connection: return L("Connection", "连接")
        case .esmtp: return L("ESMTP", "ESMTP")
        case .tls: return L("TLS", "TLS")
        case .policy: return L("Security policy", "安全策略")
        case .relay: return L("Relaying", "中继")
        case .timing: return L("Timings", "耗时")
        case .dane: return L("DANE", "DANE")
        case .mtaSTS: return L("MTA-STS and TLS-RPT", "MTA-STS 与 TLS-RPT")
        }
    }
}

/// One finding of the report: what was checked, how it came out, why, and the lines exchanged.
public struct ProbeCheck: Sendable, Hashable {
    /// A stable name: "tls.certificate", "relay", "dane".
    public var id: String
    public var group: CheckGroup
    /// The server it is about ("mx1.example.org [192.0.2.7]:25"), or nil for the domain's.
    public var server: String?
    public var verdict: Verdict
    public var title: Localized
    public var detail: Localized
    /// Exactly what was exchanged, as the transcript shows it (escaped, secrets masked).
    public var evidence: [String]

    public init(_ id: String, _ group: CheckGroup, server: String? = nil, _ verdict: Verdict, _ title: Localized,
                _ detail: Localized, evidence: [String] = []) {
        self.id = id
        self.group = group
        self.server = server
        self.verdict = verdict
        self.title = title
        self.detail = detail
        self.evidence = evidence
    }
}

/// The whole report card.
public struct ProbeReport: Sendable {
    public enum Mode: String, Sendable { case domain, host }

    public var target: String
    public var mode: Mode
    public var started: Date
    /// The servers probed, as the checks name them.
    public var servers: [String]
    /// The route as lines ("MX 10 mx1.example.org [192.0.2.7]"), for a domain.
    public var route: [String]
    public var checks: [ProbeCheck]
    /// Why nothing could be probed, when that is so.
    public var failure: Localized?

    public init(target: String, mode: Mode, started: Date, servers: [String] = [], route: [String] = [],
                checks: [ProbeCheck] = [], failure: Localized? = nil) {
        self.target = target
        self.mode = mode
        self.started = started
        self.servers = servers
        self.route = route
        self.checks = checks
        self.failure = failure
    }

    public var worst: Verdict { checks.map(\.verdict).max() ?? .ok }

    /// The monitoring-plugin convention: 0 ok (notes included), 1 warning, 2 problem, 3 could
    /// not probe.
    public var exitStatus: Int32 {
        if failure != nil { return 3 }
        switch worst {
        case .ok, .note: return 0
        case .warning: return 1
        case .problem: return 2
        }
    }

    public func count(_ verdict: Verdict) -> Int { checks.filter { $0.verdict == verdict }.count }
}
