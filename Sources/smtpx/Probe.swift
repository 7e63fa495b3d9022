import ArgumentParser
import DNSTransport
import Explorer
import FaceIO
import Foundation
import Probe
import ProbeRun
import SMTPCore
import SMTPKnowledge

struct ProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "A live mail server's report card: connection, ESMTP, TLS, policy, relaying, timings, DANE, MTA-STS.",
        discussion: """
        Each check gets a verdict (ok, note, warning, problem), the lines exchanged, and what it
        means. The probe never sends DATA or BDAT: every transaction ends with RSET or QUIT. A
        domain is probed through its route (the best MX, or every MX with --all-mx); a HOST[:PORT]
        directly; with neither, the built-in practice server. Exit status, as monitoring plugins
        use it: 0 ok, 1 warning, 2 problem, 3 could not probe.

          smtpx probe example.org
          smtpx probe mail.example.org:587 --checks tls,policy
          smtpx probe 192.0.2.25 --format markdown > ticket.md
        """
    )

    @Argument(help: "A mail domain, or HOST[:PORT] (a host name or address; [IPv6]:PORT).")
    var target: String?

    @Option(help: "The port of each MX when probing a domain (default 25).")
    var port: Int = 25

    @Flag(name: .customLong("all-mx"), help: "Probe every MX of the domain, not only the best.")
    var allMX = false

    @Flag(name: .customLong("host"), help: "Treat TARGET as a host even without a port (default: a name with an MX is a domain).")
    var asHost = false

    @Option(help: ArgumentHelp("The groups of checks, comma-separated: " + CheckGroup.allCases.map(\.rawValue).joined(separator: ","), valueName: "LIST"))
    var checks: String?

    @Option(help: "text, json or markdown.")
    var format: RouteFormat = .text

    @Option(help: "Language: en or zh. Default: from LC_ALL, LC_MESSAGES or LANG.")
    var lang: LanguageOption?

    @Option(help: "The name sent in EHLO and HELO (default: this machine's host name).")
    var helo: String?

    @Option(help: "Seconds allowed to connect and for each reply (default 30).")
    var timeout: Double = 30

    @Option(name: .customLong("dns-server"), help: "Ask this resolver, IP[:PORT], instead of the system's (/etc/resolv.conf).")
    var dnsServer: String?

    @OptionGroup(title: "TLS and connection controls")
    var controls: TLSControls

    func validate() throws {
        if let dnsServer, ResolverAddress(parsing: dnsServer) == nil {
            throw ValidationError(ResolverError.badServer(dnsServer).description)
        }
        if !(1...65535).contains(port) { throw ValidationError("--port must be between 1 and 65535.") }
        if !(timeout > 0 && timeout <= 600) { throw ValidationError("--timeout must be between 0 and 600 seconds.") }
        _ = try groups()
        if let target { _ = try parsed(target) }
        if let helo, helo.isEmpty || helo.contains(where: { $0 == " " || $0.isNewline }) {
            throw ValidationError("--helo '\(VisibleText.sanitize(helo))' is not a host name.")
        }
    }

    func groups() throws -> Set<CheckGroup> {
        guard let checks else { return Set(CheckGroup.allCases) }
        var groups = Set<CheckGroup>()
        for name in checks.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) where !name.isEmpty {
            guard let group = CheckGroup(rawValue: name) else {
                throw ValidationError("--checks: '\(VisibleText.sanitize(name))' is not a group; choose from "
                                      + CheckGroup.allCases.map(\.rawValue).joined(separator: ", ") + ".")
            }
            groups.insert(group)
        }
        if groups.isEmpty { throw ValidationError("--checks: name at least one group.") }
        return groups
    }

    /// A domain, or a host with its port.
    func parsed(_ text: String) throws -> ProbeOptions.Target {
        var host = text
        var port: Int?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw ValidationError("'\(VisibleText.sanitize(text))': a [ without ].") }
            host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            if rest.hasPrefix(":") { port = Int(rest.dropFirst()) } else if !rest.isEmpty { port = -1 }
        } else if text.filter({ $0 == ":" }).count == 1, let colon = text.firstIndex(of: ":") {
            host = String(text[..<colon])
            port = Int(text[text.index(after: colon)...]) ?? -1
        }
        if let port, !(1...65535).contains(port) { throw ValidationError("'\(VisibleText.sanitize(text))': the port is not a number from 1 to 65535.") }
        try controls.checkHost(host)
        if let port { return .host(host, port: port, implicitTLS: port == 465) }
        if asHost || MailRoute.isAddressLiteral(host) || host == "localhost" {
            return .host(host, port: 25, implicitTLS: false)
        }
        switch RouteTarget.domain(of: host) {
        case .failure(let problem):
            throw ValidationError(VisibleText.sanitize(text) + ": " + RouteTexts.problem(problem)[lang?.language ?? .fromEnvironment()])
        case .success(let domain): return .domain(domain)
        }
    }

    func run() throws {
        let language = lang?.language ?? Language.fromEnvironment()
        var practice: EmbeddedPractice?
        let probeTarget: ProbeOptions.Target
        if let target {
            probeTarget = try parsed(target)
        } else {
            do {
                practice = try EmbeddedPractice(scenarios: [])
            } catch {
                FileHandle.standardError.write(Data("smtpx: cannot start the practice server: \(error)\n".utf8))
                throw ExitCode(3)
            }
            probeTarget = .host("127.0.0.1", port: practice!.port, implicitTLS: false)
        }
        defer { practice?.stop() }
        let options = ProbeOptions(
            target: probeTarget, mxPort: port, allMX: allMX, groups: try groups(), helo: helo ?? Self.hostname(), timeout: timeout,
            dns: ResolverConfig(server: dnsServer.flatMap(ResolverAddress.init(parsing:))), tls: try controls.tls(insecure: false),
            network: controls.network, label: practice?.label[language])
        let report = Prober(options: options).run()
        switch format {
        case .text: StandardOutput.write(ProbeRender.text(report, language: language))
        case .json: StandardOutput.write(ProbeRender.json(report, language: language))
        case .markdown: StandardOutput.write(ProbeRender.markdown(report, language: language))
        }
        throw ExitCode(report.exitStatus)
    }

    /// This machine's name, as EHLO should carry it; a fully qualified one when it has a dot.
    static func hostname() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "smtpx-probe.invalid" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? "smtpx-probe.invalid" : name
    }
}
