import SMTPCore

/// A mail route in progress: the lookup, then the exchangers tried one after the other.
struct RouteRun: Sendable {
    var query: String
    var route: MailRoute
    /// Connect to the best exchanger once the route is known (`/mx`, `--mx`).
    var connect: Bool
    var port: Int
    /// Steps already in the log.
    var logged = 0
    var candidates: [(exchanger: MailExchanger, address: String)] = []
    /// The candidate being connected to; -1 before the first.
    var attempt = -1
}

extension Conversation {
    /// `/route`, `/mx`, `--mx`: the route of `input`, each question asked through `.resolve`.
    mutating func beginRoute(_ input: String, connect: Bool, port: Int, at moment: Moment) -> [ConversationEffect] {
        let domain: String
        switch config.routeTarget?(input) ?? Self.asciiDomain(input) {
        case .failure(let problem):
            note(.routeRefused(input: input, problem: problem), at: moment)
            if connect {
                link = .closed
                outcome.stopped(.connectFailed)
            }
            return []
        case .success(let name): domain = name
        }
        routing = RouteRun(query: input, route: MailRoute(domain: domain), connect: connect, port: port)
        if connect { link = .idle }
        return advanceRoute(at: moment)
    }

    /// Without the app's IDNA: the domain of an ASCII name or address.
    static func asciiDomain(_ input: String) -> Result<String, DomainNameProblem> {
        switch DomainName.target(of: input) {
        case .failure(let problem): return .failure(problem)
        case .success(let name):
            let lowered = name.lowercased()
            if let problem = DomainName.check(lowered) { return .failure(problem) }
            return .success(lowered)
        }
    }

    /// The resolver answered.
    mutating func resolved(_ response: DNSResponse, at moment: Moment) -> [ConversationEffect] {
        guard routing?.route.question == response.question else { return [] }
        routing?.route.receive(response)
        return advanceRoute(at: moment)
    }

    /// Logs the steps since the last turn; asks the next question, or ends the lookup.
    mutating func advanceRoute(at moment: Moment) -> [ConversationEffect] {
        guard var run = routing else { return [] }
        for step in run.route.steps.dropFirst(run.logged) { note(.dns(step), at: moment) }
        run.logged = run.route.steps.count
        routing = run
        if let question = run.route.question { return [.resolve(question)] }
        note(.routeFound(RouteSummary(query: run.query, route: run.route)), at: moment)
        guard run.connect else { return [] }
        var generator = SystemRandomNumberGenerator()
        run.candidates = run.route.candidates(using: &generator)
        routing = run
        guard !run.candidates.isEmpty else {
            note(.mxNone(domain: run.route.domain), at: moment)
            link = .closed
            outcome.stopped(.connectFailed)
            return []
        }
        return connectToCandidate(0, at: moment)
    }

    mutating func connectToCandidate(_ index: Int, at moment: Moment) -> [ConversationEffect] {
        guard var run = routing, index < run.candidates.count else { return [] }
        run.attempt = index
        routing = run
        let (exchanger, address) = run.candidates[index]
        note(.mxAttempt(preference: exchanger.preference, host: exchanger.host, address: address, port: run.port), at: moment)
        let target = Target(host: address, port: run.port, implicitTLS: config.target?.implicitTLS ?? false,
                            serverName: exchanger.host)
        return connect(to: target, at: moment, keepRoute: true)
    }

    /// A connection to an exchanger failed: the next one, when there is one (nil when this was
    /// no route's connection, so the failure is reported as usual).
    mutating func exchangerFailed(_ failure: ConnectFailure, at moment: Moment) -> [ConversationEffect]? {
        guard let run = routing, run.connect, run.attempt >= 0, run.attempt < run.candidates.count else { return nil }
        let (exchanger, address) = run.candidates[run.attempt]
        let more = run.attempt + 1 < run.candidates.count
        note(.mxFailed(preference: exchanger.preference, host: exchanger.host, address: address, port: run.port,
                       reason: failure.kind, next: more), at: moment)
        guard more else {
            routing?.attempt = run.candidates.count
            return nil
        }
        return connectToCandidate(run.attempt + 1, at: moment)
    }
}
