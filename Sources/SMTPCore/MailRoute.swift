// Theory of operation
//
// How a sender finds where mail for a domain goes (RFC 5321 §5.1), one question at a time, as
// the seed lesson teaches it: follow the CNAME chain of the name until there is none, ask for
// the MX records of the end of the chain and order them by preference, then ask for the A and
// AAAA records of each exchanger. No MX at all means the domain itself is the exchanger (the
// implicit MX); `MX 0 .` means the domain takes no mail (RFC 7505).
//
// `MailRoute` does no I/O: `question` is what to ask next, `receive` takes the answer, `steps`
// is the transcript (each question, each record, each note), `result` says how it ended. A
// SERVFAIL is asked once more with checking disabled (CD): if the answer then comes, the
// failure was DNSSEC validation (bogus), which no sender may deliver past.

/// What the lookup found worth saying.
public enum RouteNote: Sendable, Hashable {
    /// The name has no CNAME: it is the canonical name.
    case chainEnds(String)
    case cnameLoop(String)
    case chainTooLong(Int)
    /// No MX record: the domain's own addresses are used (the implicit MX).
    case implicitMX(String)
    /// `MX 0 .`: the domain takes no mail.
    case nullMX(String)
    /// Exchangers of one preference: a sender picks among them at random.
    case equalPreference(Int, [String])
    /// An MX names an alias (RFC 2181 §10.3 forbids it): it works with most senders.
    case exchangerIsAlias(host: String, target: String)
    /// An MX names an address, not a host (RFC 5321 §5.1: it must be a name).
    case exchangerIsAddress(String)
    case noSuchName(String)
    /// An exchanger's name does not exist: it is skipped.
    case noSuchHost(String)
    case noRecords(String, DNSType)
    case serverFailure(String)
    /// A SERVFAIL that answered with checking disabled: DNSSEC validation failed.
    case bogus(String)
    /// Still SERVFAIL with checking disabled: the failure is not DNSSEC's.
    case notValidation(String)
    case refused(String)
    case timeout(String)
    case network(String, String)
    /// The UDP answer did not fit (TC); asked again over TCP.
    case truncated(String)
    case noAddresses(String)
}

/// The DNSSEC standing of an answer, as the resolver reported it.
public enum DNSSECState: String, Sendable, Hashable, Codable {
    case secure, insecure, bogus
}

/// One line of the route's transcript.
public enum RouteStep: Sendable, Hashable {
    case query(DNSQuestion)
    case answer(DNSRecord, DNSSECState)
    case note(RouteNote)
}

/// How the lookup ended.
public enum RouteResult: String, Sendable, Hashable, Codable {
    case deliverable
    case nullMX = "null-mx"
    case noSuchDomain = "no-such-domain"
    /// Exchangers exist, but none has an address.
    case noAddress = "no-address"
    case serverFailure = "servfail"
    case timeout

    /// Exit status: 0 somewhere to deliver, 1 nowhere, 2 the resolver failed.
    public var exitStatus: Int32 {
        switch self {
        case .deliverable: return 0
        case .nullMX, .noSuchDomain, .noAddress: return 1
        case .serverFailure, .timeout: return 2
        }
    }
}

/// A host that takes the domain's mail.
public struct MailExchanger: Sendable, Hashable {
    /// Nil for the implicit MX.
    public var preference: Int?
    public var host: String
    public var addresses: [String] = []

    public init(preference: Int?, host: String, addresses: [String] = []) {
        self.preference = preference
        self.host = host
        self.addresses = addresses
    }
}

/// The lookup. See the theory of operation above.
public struct MailRoute: Sendable {
    /// Longest CNAME chain followed (Postfix and Exim stop at about this).
    public static let chainLimit = 8

    enum Phase: Sendable, Hashable {
        case alias
        case exchangers
        /// Addresses of exchanger `index`, A first, then AAAA.
        case addresses(index: Int, type: DNSType)
        case done
    }

    /// The domain asked about.
    public let domain: String
    public private(set) var steps: [RouteStep] = []
    public private(set) var result: RouteResult?
    /// The exchangers, best first.
    public private(set) var exchangers: [MailExchanger] = []
    /// The end of the CNAME chain.
    public private(set) var canonical: String
    /// The DNSSEC standing of every answer seen.
    public private(set) var dnssec: [DNSSECState] = []
    public private(set) var question: DNSQuestion?
    var phase = Phase.alias
    var chain: [String] = []
    var failures: (timeouts: Int, servfails: Int) = (0, 0)

    public init(domain: String) {
        self.domain = domain
        canonical = domain
        chain = [domain]
        ask(DNSQuestion(domain, .cname))
    }

    /// The overall DNSSEC standing: bogus if any answer was, secure if all were.
    public var dnssecSummary: DNSSECState {
        if dnssec.contains(.bogus) { return .bogus }
        return !dnssec.isEmpty && dnssec.allSatisfy { $0 == .secure } ? .secure : .insecure
    }

    mutating func ask(_ next: DNSQuestion) {
        question = next
        steps.append(.query(next))
    }

    mutating func finish(_ outcome: RouteResult) {
        result = outcome
        question = nil
        phase = .done
    }

    /// The answer to `question`.
    public mutating func receive(_ response: DNSResponse) {
        guard let asked = question, response.question == asked else { return }
        question = nil
        if response.retriedOverTCP { steps.append(.note(.truncated(asked.name))) }
        if let failure = response.failure {
            switch failure {
            case .timeout: steps.append(.note(.timeout(asked.name))); failures.timeouts += 1
            case .network(let why): steps.append(.note(.network(asked.name, why))); failures.servfails += 1
            }
            return failed(asked, fatal: failure == .timeout ? .timeout : .serverFailure)
        }
        if response.code == .serverFailure {
            if !asked.checkingDisabled {
                // Was it validation? Ask once more with checking disabled.
                steps.append(.note(.serverFailure(asked.name)))
                ask(DNSQuestion(asked.name, asked.type, checkingDisabled: true))
                return
            }
            steps.append(.note(.notValidation(asked.name)))
            failures.servfails += 1
            return failed(asked, fatal: .serverFailure)
        }
        if asked.checkingDisabled {
            // An answer with checking disabled, after a SERVFAIL: bogus. Show it, deliver nothing.
            dnssec.append(.bogus)
            for record in response.answers where Self.shown(record) { steps.append(.answer(record, .bogus)) }
            steps.append(.note(.bogus(asked.name)))
            failures.servfails += 1
            return failed(asked, fatal: .serverFailure)
        }
        if response.code == .refused {
            steps.append(.note(.refused(asked.name)))
            failures.servfails += 1
            return failed(asked, fatal: .serverFailure)
        }
        let state: DNSSECState = response.authenticated ? .secure : .insecure
        dnssec.append(state)
        for record in response.answers where Self.shown(record) { steps.append(.answer(record, state)) }
        if response.code == .nameError {
            if case .addresses(let index, _) = phase {
                // An exchanger that does not exist: skip it, the others may do.
                steps.append(.note(.noSuchHost(asked.name)))
                return lookUpAddresses(index + 1)
            }
            steps.append(.note(.noSuchName(asked.name)))
            return failed(asked, fatal: .noSuchDomain)
        }
        switch phase {
        case .alias: aliasAnswered(asked, response)
        case .exchangers: exchangersAnswered(asked, response)
        case .addresses(let index, let type): addressesAnswered(asked, response, index: index, type: type)
        case .done: break
        }
    }

    /// A failure in the chain or the MX ends the lookup; one exchanger's only skips it.
    mutating func failed(_ asked: DNSQuestion, fatal: RouteResult) {
        if case .addresses(let index, _) = phase {
            return nextExchanger(after: index)
        }
        finish(fatal)
    }

    mutating func aliasAnswered(_ asked: DNSQuestion, _ response: DNSResponse) {
        let target = response.answers.lazy.compactMap { record -> String? in
            guard record.name.lowercased() == asked.name, case .name(let target) = record.data else { return nil }
            return target.lowercased()
        }.first
        guard let target else {
            steps.append(.note(.chainEnds(asked.name)))
            canonical = asked.name
            phase = .exchangers
            return ask(DNSQuestion(asked.name, .mx))
        }
        if chain.contains(target) {
            steps.append(.note(.cnameLoop(target)))
            return finish(.noSuchDomain)
        }
        chain.append(target)
        if chain.count > Self.chainLimit {
            steps.append(.note(.chainTooLong(chain.count - 1)))
            return finish(.noSuchDomain)
        }
        ask(DNSQuestion(target, .cname))
    }

    mutating func exchangersAnswered(_ asked: DNSQuestion, _ response: DNSResponse) {
        let records = response.answers.compactMap { record -> (Int, String)? in
            guard case .mx(let preference, let exchange) = record.data else { return nil }
            return (preference, exchange.lowercased())
        }
        if records.isEmpty {
            steps.append(.note(.implicitMX(asked.name)))
            exchangers = [MailExchanger(preference: nil, host: asked.name)]
            return lookUpAddresses(0)
        }
        if records.contains(where: { $0.1.isEmpty }) {
            steps.append(.note(.nullMX(asked.name)))
            return finish(.nullMX)
        }
        // Best first; within one preference, the order the server gave (a sender shuffles them).
        let sorted = records.enumerated().sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }.map(\.element)
        exchangers = sorted.map { MailExchanger(preference: $0.0, host: $0.1) }
        var seen = Set<Int>()
        for (preference, _) in sorted where !seen.contains(preference) {
            seen.insert(preference)
            let hosts = sorted.filter { $0.0 == preference }.map(\.1)
            if hosts.count > 1 { steps.append(.note(.equalPreference(preference, hosts))) }
        }
        lookUpAddresses(0)
    }

    mutating func lookUpAddresses(_ index: Int) {
        guard index < exchangers.count else { return settle() }
        let host = exchangers[index].host
        if Self.isAddressLiteral(host) {
            steps.append(.note(.exchangerIsAddress(host)))
            return lookUpAddresses(index + 1)
        }
        phase = .addresses(index: index, type: .a)
        ask(DNSQuestion(host, .a))
    }

    mutating func addressesAnswered(_ asked: DNSQuestion, _ response: DNSResponse, index: Int, type: DNSType) {
        let host = exchangers[index].host
        if type == .a, exchangers[index].preference != nil,
           let alias = response.answers.first(where: { $0.name.lowercased() == host }),
           case .name(let target) = alias.data {
            steps.append(.note(.exchangerIsAlias(host: host, target: target)))
        }
        let found = response.answers.compactMap { record -> String? in
            if case .address(let text) = record.data { return text }
            return nil
        }
        if found.isEmpty { steps.append(.note(.noRecords(asked.name, type))) }
        exchangers[index].addresses += found
        if type == .a {
            phase = .addresses(index: index, type: .aaaa)
            return ask(DNSQuestion(host, .aaaa))
        }
        nextExchanger(after: index)
    }

    mutating func nextExchanger(after index: Int) {
        if exchangers[index].addresses.isEmpty { steps.append(.note(.noAddresses(exchangers[index].host))) }
        lookUpAddresses(index + 1)
    }

    mutating func settle() {
        if exchangers.contains(where: { !$0.addresses.isEmpty }) { return finish(.deliverable) }
        if failures.timeouts > 0 { return finish(.timeout) }
        if failures.servfails > 0 { return finish(.serverFailure) }
        finish(.noAddress)
    }

    /// Where to connect, in order: best preference first, each exchanger's addresses in turn,
    /// exchangers of one preference shuffled (RFC 5321 §5.1).
    public func candidates<G: RandomNumberGenerator>(using generator: inout G) -> [(exchanger: MailExchanger, address: String)] {
        var groups: [[MailExchanger]] = []
        for exchanger in exchangers where !exchanger.addresses.isEmpty {
            if let last = groups.last?.last, last.preference == exchanger.preference {
                groups[groups.count - 1].append(exchanger)
            } else {
                groups.append([exchanger])
            }
        }
        return groups.flatMap { $0.shuffled(using: &generator) }.flatMap { exchanger in
            exchanger.addresses.map { (exchanger, $0) }
        }
    }

    /// Signatures (RRSIG) and other records that say nothing about routing stay out of the
    /// transcript; the DNSSEC state of each answer says what they proved.
    static func shown(_ record: DNSRecord) -> Bool {
        if case .other = record.data { return false }
        return true
    }

    /// `192.0.2.1`, `[192.0.2.1]` or an IPv6 literal where a host name belongs.
    public static func isAddressLiteral(_ name: String) -> Bool {
        let bare = name.hasPrefix("[") && name.hasSuffix("]") ? String(name.dropFirst().dropLast()) : name
        if bare.contains(":") { return true }
        let parts = bare.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isNumber) }
    }
}

/// A finished route, as a line of the log carries it: what was asked, how it ended, where to
/// deliver, and every step.
public struct RouteSummary: Sendable, Hashable {
    public var query: String
    public var domain: String
    public var canonical: String
    public var result: RouteResult
    public var exchangers: [MailExchanger]
    public var dnssec: DNSSECState
    public var steps: [RouteStep]

    public init(query: String, route: MailRoute) {
        self.query = query
        domain = route.domain
        canonical = route.canonical
        result = route.result ?? .timeout
        exchangers = route.exchangers
        dnssec = route.dnssecSummary
        steps = route.steps
    }
}

