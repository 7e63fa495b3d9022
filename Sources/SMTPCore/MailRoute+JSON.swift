// How the steps of a mail route are written in JSON records and read back by replay.

extension DNSRecord {
    /// Reads back ``dataText`` for a type: `10 mx.example.org.`, `192.0.2.1`, `alias.example.org.`.
    init?(name: String, ttl: UInt32, type: String, dataText text: String) {
        let bare = { (name: Substring) in name == "." ? "" : name.hasSuffix(".") ? String(name.dropLast()) : String(name) }
        switch type {
        case "A", "AAAA": self.init(name: name, ttl: ttl, data: .address(text))
        case "CNAME": self.init(name: name, ttl: ttl, data: .name(bare(Substring(text))))
        case "MX":
            let parts = text.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, let preference = Int(parts[0]) else { return nil }
            self.init(name: name, ttl: ttl, data: .mx(preference: preference, exchange: bare(parts[1])))
        default: self.init(name: name, ttl: ttl, data: .other(type: type, text: text))
        }
    }
}

extension RouteStep {
    var jsonFields: [(String, JSONValue)] {
        switch self {
        case .query(let question):
            return [("step", .string("query")), ("name", .string(question.name)), ("qtype", .string(question.type.rawValue)),
                    ("cd", .bool(question.checkingDisabled))]
        case .answer(let record, let state):
            return [("step", .string("answer")), ("name", .string(record.name)), ("ttl", .int(Int(record.ttl))),
                    ("rrtype", .string(record.typeName)), ("data", .string(record.dataText)), ("dnssec", .string(state.rawValue))]
        case .note(let note):
            let (kind, arguments) = note.parts
            return [("step", .string("note")), ("note", .string(kind)), ("args", .array(arguments.map(JSONValue.string)))]
        }
    }

    init?(json value: JSONValue) {
        let s = { (key: String) in value[key]?.string ?? "" }
        switch s("step") {
        case "query":
            guard let type = DNSType(rawValue: s("qtype")) else { return nil }
            self = .query(DNSQuestion(s("name"), type, checkingDisabled: value["cd"]?.bool ?? false))
        case "answer":
            guard let record = DNSRecord(name: s("name"), ttl: UInt32(clamping: value["ttl"]?.int ?? 0), type: s("rrtype"),
                                         dataText: s("data")) else { return nil }
            self = .answer(record, DNSSECState(rawValue: s("dnssec")) ?? .insecure)
        case "note":
            guard let note = RouteNote(kind: s("note"), (value["args"]?.array ?? []).compactMap(\.string)) else { return nil }
            self = .note(note)
        default: return nil
        }
    }
}

extension RouteNote {
    /// A name and its arguments, as text.
    var parts: (String, [String]) {
        switch self {
        case .chainEnds(let name): return ("chain-ends", [name])
        case .cnameLoop(let name): return ("cname-loop", [name])
        case .chainTooLong(let hops): return ("chain-too-long", [String(hops)])
        case .implicitMX(let name): return ("implicit-mx", [name])
        case .nullMX(let name): return ("null-mx", [name])
        case .equalPreference(let preference, let hosts): return ("equal-preference", [String(preference)] + hosts)
        case .exchangerIsAlias(let host, let target): return ("exchanger-is-alias", [host, target])
        case .exchangerIsAddress(let host): return ("exchanger-is-address", [host])
        case .noSuchName(let name): return ("nxdomain", [name])
        case .noSuchHost(let name): return ("no-such-host", [name])
        case .noRecords(let name, let type): return ("nodata", [name, type.rawValue])
        case .serverFailure(let name): return ("servfail", [name])
        case .bogus(let name): return ("bogus", [name])
        case .notValidation(let name): return ("not-validation", [name])
        case .refused(let name): return ("refused", [name])
        case .timeout(let name): return ("timeout", [name])
        case .network(let name, let why): return ("network", [name, why])
        case .truncated(let name): return ("truncated", [name])
        case .noAddresses(let name): return ("no-addresses", [name])
        }
    }

    init?(kind: String, _ arguments: [String]) {
        let first = arguments.first ?? ""
        let second = arguments.dropFirst().first ?? ""
        switch kind {
        case "chain-ends": self = .chainEnds(first)
        case "cname-loop": self = .cnameLoop(first)
        case "chain-too-long": self = .chainTooLong(Int(first) ?? 0)
        case "implicit-mx": self = .implicitMX(first)
        case "null-mx": self = .nullMX(first)
        case "equal-preference": self = .equalPreference(Int(first) ?? 0, Array(arguments.dropFirst()))
        case "exchanger-is-alias": self = .exchangerIsAlias(host: first, target: second)
        case "exchanger-is-address": self = .exchangerIsAddress(first)
        case "nxdomain": self = .noSuchName(first)
        case "no-such-host": self = .noSuchHost(first)
        case "nodata": self = .noRecords(first, DNSType(rawValue: second) ?? .a)
        case "servfail": self = .serverFailure(first)
        case "bogus": self = .bogus(first)
        case "not-validation": self = .notValidation(first)
        case "refused": self = .refused(first)
        case "timeout": self = .timeout(first)
        case "network": self = .network(first, second)
        case "truncated": self = .truncated(first)
        case "no-addresses": self = .noAddresses(first)
        default: return nil
        }
    }
}

extension RouteSummary {
    var jsonFields: [(String, JSONValue)] {
        [("query", .string(query)), ("domain", .string(domain)), ("canonical", .string(canonical)), ("result", .string(result.rawValue)),
         ("dnssec", .string(dnssec.rawValue)),
         ("mx", .array(exchangers.map { exchanger in
             .object([("preference", exchanger.preference.map { .int($0) } ?? .null), ("host", .string(exchanger.host)),
                      ("addresses", .array(exchanger.addresses.map(JSONValue.string)))])
         }))]
    }

    init?(json value: JSONValue) {
        guard let result = value["result"]?.string.flatMap(RouteResult.init(rawValue:)) else { return nil }
        query = value["query"]?.string ?? ""
        domain = value["domain"]?.string ?? ""
        canonical = value["canonical"]?.string ?? domain
        self.result = result
        dnssec = value["dnssec"]?.string.flatMap(DNSSECState.init(rawValue:)) ?? .insecure
        exchangers = (value["mx"]?.array ?? []).map { item in
            MailExchanger(preference: item["preference"]?.int, host: item["host"]?.string ?? "",
                          addresses: (item["addresses"]?.array ?? []).compactMap(\.string))
        }
        // The steps have lines of their own in the record.
        steps = []
    }
}

extension DomainNameProblem {
    var jsonFields: [(String, JSONValue)] {
        switch self {
        case .empty: return [("problem", .string("empty"))]
        case .badAddress(let text): return [("problem", .string("bad-address")), ("text", .string(text))]
        case .emptyLabel: return [("problem", .string("empty-label"))]
        case .labelTooLong(let label): return [("problem", .string("label-too-long")), ("text", .string(label))]
        case .nameTooLong(let count): return [("problem", .string("name-too-long")), ("octets", .int(count))]
        case .badCharacter(let character): return [("problem", .string("bad-character")), ("text", .string(String(character)))]
        case .hyphenAtEdge(let label): return [("problem", .string("hyphen")), ("text", .string(label))]
        case .notConvertible(let why): return [("problem", .string("idna")), ("text", .string(why))]
        }
    }

    init(json value: JSONValue) {
        let text = value["text"]?.string ?? ""
        switch value["problem"]?.string {
        case "bad-address": self = .badAddress(text)
        case "empty-label": self = .emptyLabel
        case "label-too-long": self = .labelTooLong(text)
        case "name-too-long": self = .nameTooLong(value["octets"]?.int ?? 0)
        case "bad-character": self = .badCharacter(text.first ?? "?")
        case "hyphen": self = .hyphenAtEdge(text)
        case "idna": self = .notConvertible(text)
        default: self = .empty
        }
    }
}
