import ArgumentParser
import DNSTransport
import Foundation
import SMTPCore
import SMTPKnowledge

struct Route: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "route",
        abstract: "Show how mail for an address or a domain is routed: CNAME, MX, then addresses.",
        discussion: """
        Every DNS question and answer in order (? a question, = an answer, *** a note), each with
        what it means, then where a sender would deliver. Exit status: 0 there is somewhere to
        deliver, 1 there is not (null MX, no such domain, no address), 2 the resolver failed.

          smtpx route shuser@sh.example.com
          smtpx route example.org --format json
          smtpx route bücher.example --dns-server 127.0.0.1:5353
        """
    )

    @Argument(help: "An address (user@domain) or a domain.")
    var target: String

    @Option(help: "text, json or markdown.")
    var format: RouteFormat = .text

    @Option(help: "Language: en or zh. Default: from LC_ALL, LC_MESSAGES or LANG.")
    var lang: LanguageOption?

    @Option(name: .customLong("dns-server"), help: "Ask this resolver, IP[:PORT], instead of the system's (/etc/resolv.conf).")
    var dnsServer: String?

    @Option(name: .customLong("dns-timeout"), help: "Seconds to wait for each DNS answer (default 5).")
    var dnsTimeout: Double = 5

    func validate() throws {
        if let dnsServer, ResolverAddress(parsing: dnsServer) == nil {
            throw ValidationError(ResolverError.badServer(dnsServer).description)
        }
        if !(dnsTimeout > 0 && dnsTimeout <= 120) { throw ValidationError("--dns-timeout must be between 0 and 120 seconds.") }
    }

    func run() throws {
        let language = lang?.language ?? Language.fromEnvironment()
        let domain: String
        switch RouteTarget.domain(of: target) {
        case .failure(let problem):
            throw ValidationError(VisibleText.sanitize(target) + ": " + RouteTexts.problem(problem)[language])
        case .success(let name): domain = name
        }
        let resolver: Resolver
        do {
            resolver = try Resolver(ResolverConfig(server: dnsServer.flatMap(ResolverAddress.init(parsing:)), timeout: dnsTimeout))
        } catch {
            FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
            throw ExitCode(2)
        }
        let route = resolver.route(domain)
        let report = RouteReport(query: target, route: route, resolver: resolver.servers.first, language: language)
        switch format {
        case .text: print(report.text, terminator: "")
        case .json: print(report.json, terminator: "")
        case .markdown: print(report.markdown, terminator: "")
        }
        throw ExitCode(route.result?.exitStatus ?? 2)
    }
}

enum RouteFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, markdown
}
