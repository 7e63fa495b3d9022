import SMTPCore

/// The name `smtpx route` and `--mx` look up, from what was typed.
public enum RouteTarget {
    /// The A-label domain of an address or a domain: `bücher.example` and `x@Bücher.Example`
    /// both give `xn--bcher-kva.example`.
    public static func domain(of input: String) -> Result<String, DomainNameProblem> {
        let target: String
        switch DomainName.target(of: input) {
        case .failure(let problem): return .failure(problem)
        case .success(let name): target = name
        }
        let ascii: String
        switch IDNA.aLabel(target) {
        case .failure(let problem): return .failure(problem)
        case .success(let name): ascii = name
        }
        if let problem = DomainName.check(ascii) { return .failure(problem) }
        return .success(ascii)
    }
}

extension Resolver {
    /// The whole route, asked question by question; `each` sees every response as it comes.
    public func route(_ domain: String, each: (DNSResponse) -> Void = { _ in }) -> MailRoute {
        var route = MailRoute(domain: domain)
        while let question = route.question {
            let response = ask(question)
            each(response)
            route.receive(response)
        }
        return route
    }
}
