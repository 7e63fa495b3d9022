import Batch
import Conversation
import DNSTransport
import FaceIO
import Foundation
import Probe
import SMTPCore
import SMTPKnowledge
import SMTPTransport

/// What `smtpx probe` was asked.
public struct ProbeOptions: Sendable {
    public enum Target: Sendable {
        /// A mail domain: its route first, then its best MX (every MX with `allMX`).
        case domain(String)
        case host(String, port: Int, implicitTLS: Bool)
    }

    public var target: Target
    /// The port of each MX in domain mode.
    public var mxPort: Int
    public var allMX: Bool
    public var groups: Set<CheckGroup>
    public var helo: String
    public var timeout: Double
    public var dns: ResolverConfig
    /// The user's TLS controls (`--ca-file`, `--verify-name`, …): the chain is judged with them.
    public var tls: TLSClientOptions
    public var network: NetworkOptions
    /// What the report calls a target that is the built-in practice server.
    public var label: String?

    public init(target: Target, mxPort: Int = 25, allMX: Bool = false, groups: Set<CheckGroup> = Set(CheckGroup.allCases),
                helo: String, timeout: Double = 30, dns: ResolverConfig = ResolverConfig(), tls: TLSClientOptions = TLSClientOptions(),
                network: NetworkOptions = NetworkOptions(), label: String? = nil) {
        self.target = target
        self.mxPort = mxPort
        self.allMX = allMX
        self.groups = groups
        self.helo = helo
        self.timeout = timeout
        self.dns = dns
        self.tls = tls
        self.network = network
        self.label = label
    }
}

// Theory of operation
//
// The prober is a driver of drivers: every SMTP session it opens is a `BatchDriver` run of one
// of `ProbeScripts`' scripts, with the output thrown away and the engine's log read back as a
// `StageRecord`. TLS runs unverified so that a bad chain is still seen, but it is checked with
// the user's controls, and the problems are what the certificate check reports. DNS questions
// go to the resolver of `smtpx route`; the MTA-STS policy comes over HTTPS through
// async-http-client, to the address that resolver found. The checks themselves are pure
// (`Checks`, in the Probe module).

/// Runs a probe and returns its report.
typealias L = Localized

public final class Prober {
    let options: ProbeOptions
    var resolver: Resolver?
    var resolverFailure: String?

    public init(options: ProbeOptions) {
        self.options = options
        do {
            resolver = try Resolver(options.dns)
        } catch {
            resolverFailure = error.description
        }
    }

    public func run() -> ProbeReport {
        let started = Date()
        switch options.target {
        case .host(let host, let port, let implicitTLS):
            return probeHost(host, port: port, implicitTLS: implicitTLS, started: started)
        case .domain(let domain):
            return probeDomain(domain, started: started)
        }
    }

    func probeHost(_ host: String, port: Int, implicitTLS: Bool, started: Date) -> ProbeReport {
        let label = options.label ?? "\(host):\(port)"
        var report = ProbeReport(target: label, mode: .host, started: started)
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        let addresses = MailRoute.isAddressLiteral(bare) ? [bare] : SystemAddresses.lookup(bare, family: options.network.family)
        guard !addresses.isEmpty else {
            report.failure = L("{0} has no address.", "{0} 没有地址。").format(host)
            return report
        }
        let findings = probeServer(host: bare, addresses: addresses, port: port, implicitTLS: implicitTLS || port == 465)
        report.servers = [findings.label]
        report.checks = Checks.all(for: findings, groups: options.groups, now: Date())
        if findings.session?.connectFailure != nil && findings.reach.allSatisfy({ $0.connectFailure != nil }) {
            report.failure = L("Could not connect to {0}.", "无法连接到 {0}。").format(label)
        }
        return report
    }

    func probeDomain(_ domain: String, started: Date) -> ProbeReport {
        var report = ProbeReport(target: domain, mode: .domain, started: started)
        guard let resolver else {
            report.failure = L("No resolver: {0}", "没有解析器：{0}").format(resolverFailure ?? "")
            return report
        }
        let route = resolver.route(domain)
        report.route = route.exchangers.map { exchanger in
            "MX \(exchanger.preference.map(String.init) ?? "-") \(exchanger.host) " + (exchanger.addresses.isEmpty ? "(no address)" : "[" + exchanger.addresses.joined(separator: ", ") + "]")
        }
        guard route.result == .deliverable else {
            report.failure = L("The route of {0} ends {1}: there is no server to probe.", "{0} 的路由结果为 {1}：没有可探测的服务器。")
                .format(domain, route.result?.rawValue ?? "unknown")
            return report
        }
        let usable = route.exchangers.filter { !$0.addresses.isEmpty }
        let chosen = options.allMX ? usable : Array(usable.prefix(1))
        let family = options.network.family
        for exchanger in chosen {
            let addresses = exchanger.addresses.filter { family == nil || ($0.contains(":") ? family == .v6 : family == .v4) }
            guard !addresses.isEmpty else { continue }
            let findings = probeServer(host: exchanger.host, addresses: addresses, port: options.mxPort, implicitTLS: options.mxPort == 465)
            report.servers.append(findings.label)
            report.checks += Checks.all(for: findings, groups: options.groups, now: Date())
        }
        if options.groups.contains(.mtaSTS) {
            let mtaSTS = lookupText("_mta-sts.\(domain)")
            let fetch = mtaSTS.records.contains { $0.hasPrefix("v=STSv1") } ? fetchPolicy(domain) : nil
            report.checks += Checks.domain(domain, txt: mtaSTS, fetch: fetch, mxHosts: route.exchangers.map(\.host),
                                           tlsrpt: lookupText("_smtp._tls.\(domain)"))
        }
        if report.servers.isEmpty { report.failure = L("No exchanger of {0} has an address to probe.", "{0} 的交换器没有可探测的地址。").format(domain) }
        return report
    }

    /// Every stage against one server.
    func probeServer(host: String, addresses: [String], port: Int, implicitTLS: Bool) -> ServerFindings {
        let address = addresses[0]
        let shown = address.contains(":") ? "[\(address)]" : address
        let label = options.label ?? (host == address ? "\(shown):\(port)" : "\(host) \(shown):\(port)")
        var findings = ServerFindings(label: label, host: host, address: address, port: port, implicitTLS: implicitTLS)
        let helo = options.helo
        let target = Target(host: address, port: port, implicitTLS: implicitTLS, serverName: host == address ? nil : host)
        let session = stage("session", target, ProbeScripts.session(helo: helo, serverAddress: address, startTLS: false))
        findings.session = session
        let starttls = !implicitTLS && session.capabilitiesBeforeTLS?.has("STARTTLS") == true
        let mailNeedsTLS = session.exchanges(.mail).first.map { $0.code == 530 } ?? false
        if starttls && mailNeedsTLS && wants(.policy, .relay) {
            findings.sessionInTLS = stage("session-tls", target, ProbeScripts.session(helo: helo, serverAddress: address, startTLS: true))
        }
        if starttls && wants(.tls, .dane, .esmtp) {
            findings.tls = stage("tls", target, ProbeScripts.tls(helo: helo))
        }
        if options.groups.contains(.esmtp), session.capabilitiesBeforeTLS?.has("PIPELINING") == true {
            findings.pipelining = stage("pipelining", target, ProbeScripts.pipelining(helo: helo, startTLS: starttls && mailNeedsTLS),
                                        pipeline: true)
        }
        if options.groups.contains(.tls) && (starttls || (implicitTLS && session.tls != nil)) {
            for version in TLSClientOptions.Version.allCases {
                var tls = stageTLS()
                tls.minimumVersion = version
                tls.maximumVersion = version
                findings.versions[version.rawValue] = stage("tls-\(version.rawValue)", target,
                                                            ProbeScripts.version(helo: helo, implicitTLS: implicitTLS), tls: tls)
            }
        }
        if options.groups.contains(.connection) {
            for other in addresses.dropFirst() {
                findings.reach.append(stage("reach", Target(host: other, port: port, implicitTLS: implicitTLS, serverName: target.serverName),
                                            ProbeScripts.reach))
            }
            findings.reverse = reverseDNS(address)
        }
        if options.groups.contains(.dane), !MailRoute.isAddressLiteral(host), host != "localhost" {
            findings.tlsa = lookupTLSA(DANE.owner(host: host, port: port))
        }
        return findings
    }

    func wants(_ groups: CheckGroup...) -> Bool { groups.contains { options.groups.contains($0) } }

    /// The user's TLS controls, unverified so that the session goes on and the chain is seen.
    func stageTLS() -> TLSClientOptions {
        var tls = options.tls
        tls.insecure = true
        return tls
    }

    /// One script through the conversation engine, as batch mode runs it, with nothing printed.
    func stage(_ name: String, _ target: Target, _ lines: [String], pipeline: Bool = false, tls: TLSClientOptions? = nil) -> StageRecord {
        precondition(lines.allSatisfy(ProbeScripts.isSafe), "a probe script must never start a message")
        var batch = BatchOptions(target: target, transport: ConnectionSettings(tls: tls ?? stageTLS(), connectTimeout: options.timeout,
                                                                               dns: options.dns, network: options.network),
                                 timeout: options.timeout, pipeline: pipeline, language: .en)
        batch.reportsStops = false
        let driver = BatchDriver(options: batch, output: { _ in }, secret: { throw ProbeStop.noSecret })
        _ = driver.run(lines: lines)
        return StageRecord(name: name, conversation: driver.conversation)
    }

    enum ProbeStop: Error { case noSecret }
}
