import Foundation

// How typed local events are written in JSON records and read back by replay. Every object
// starts with "type"; dates are ISO 8601 in UTC.

extension LocalEvent {
    /// The event as a JSON object; `now` gives a certificate's days left.
    public func json(at now: Date) -> JSONValue {
        func object(_ type: String, _ fields: [(String, JSONValue)] = []) -> JSONValue {
            .object([("type", .string(type))] + fields)
        }
        switch self {
        case .connecting(let host, let port): return object("connecting", [("host", .string(host)), ("port", .int(port))])
        case .connected(let remote, let local):
            return object("connected", [("remote", .string(remote)), ("local", .string(local))])
        case .connectFailed(let failure):
            return object("connect-failed", [("reason", .string(failure.kind.rawValue)), ("host", .string(failure.host)),
                                             ("port", .int(failure.port)), ("detail", .string(failure.detail))])
        case .closed(let reason, let expected):
            return object("closed", reason.jsonFields + [("expected", .bool(expected))])
        case .startingTLS: return object("starting-tls")
        case .tlsEstablished(let info, let upgrade):
            return object("tls-established", [("upgrade", .bool(upgrade)), ("tls", info.json(at: now))])
        case .tlsFailed(let failure):
            return object("tls-failed", [("problems", .array(failure.reasons.map(\.json))),
                                         ("chain", .array(failure.chain.map { $0.json(at: now) }))])
        case .tlsWeak(let weaknesses): return object("tls-weak", [("weaknesses", .array(weaknesses.map(\.json)))])
        case .chainSaved(let count, let path):
            return object("chain-saved", [("certificates", .int(count)), ("path", .string(path))])
        case .refusedPlaintext(let count, let preview):
            return object("refused-plaintext", [("bytes", .int(count)), ("preview", .string(preview))])
        case .discarded(let count): return object("discarded", [("bytes", .int(count))])
        case .timedOut(let seconds, let awaiting):
            return object("timeout", [("seconds", .number(seconds)), ("awaiting", .string(awaiting))])
        case .replyTooLong(let seconds): return object("reply-too-long", [("seconds", .number(seconds))])
        case .authenticated(let user): return object("authenticated", [("user", .string(user))])
        case .authRefused(let why): return object("auth-refused", [("reason", .string(why.rawValue))])
        case .plaintextAuthAllowed(let mechanism):
            return object("plaintext-auth", [("mechanism", .string(mechanism))])
        case .authCancelled: return object("auth-cancelled")
        case .tlsRequirementUnmet(let why): return object("tls-required", [("reason", .string(why.rawValue))])
        case .startTLSRequired(let before): return object("starttls-required", [("before", .string(before))])
        case .serverClosing(let notSent): return object("server-closing", [("not_sent", .int(notSent))])
        case .greetingRefused(let code): return object("greeting-refused", [("code", .int(code))])
        case .linesNotSent(let count, let reason):
            return object("not-sent", [("lines", .int(count)), ("reason", .string(reason.rawValue))])
        case .notConnected: return object("not-connected")
        case .usage(let usage): return object("usage", [("usage", .string(usage))])
        case .unknownCommand(let name): return object("unknown-command", [("name", .string(name))])
        case .notAvailableHere(let name): return object("not-available", [("name", .string(name))])
        case .languageSet(let code): return object("language", [("language", .string(code))])
        case .saved(let lines, let path): return object("saved", [("lines", .int(lines)), ("path", .string(path))])
        case .saveFailed(let path, let reason):
            return object("save-failed", [("path", .string(path)), ("reason", .string(reason))])
        case .recordFailed(let path, let reason):
            return object("record-failed", [("path", .string(path)), ("reason", .string(reason))])
        case .recorded(let text): return object("recorded", [("text", .string(text))])
        case .dns(let step): return object("dns", step.jsonFields)
        case .routeFound(let summary): return object("route", summary.jsonFields)
        case .routeRefused(let input, let problem):
            return object("route-refused", [("input", .string(input))] + problem.jsonFields)
        case .mxAttempt(let preference, let host, let address, let port):
            return object("mx-attempt", Self.exchangerFields(preference, host, address, port))
        case .mxFailed(let preference, let host, let address, let port, let reason, let next):
            return object("mx-failed", Self.exchangerFields(preference, host, address, port)
                          + [("reason", .string(reason.rawValue)), ("next", .bool(next))])
        case .mxNone(let domain): return object("mx-none", [("domain", .string(domain))])
        }
    }

    static func exchangerFields(_ preference: Int?, _ host: String, _ address: String, _ port: Int) -> [(String, JSONValue)] {
        [("preference", preference.map { .int($0) } ?? .null), ("host", .string(host)), ("address", .string(address)),
         ("port", .int(port))]
    }

    /// Reads an event written by ``json(at:)``; nil for one it does not know.
    public init?(json value: JSONValue) {
        let s = { (key: String) in value[key]?.string ?? "" }
        let i = { (key: String) in value[key]?.int ?? 0 }
        switch value["type"]?.string {
        case "connecting": self = .connecting(host: s("host"), port: i("port"))
        case "connected": self = .connected(remote: s("remote"), local: s("local"))
        case "connect-failed":
            self = .connectFailed(ConnectFailure(kind: ConnectFailure.Kind(rawValue: s("reason")) ?? .other,
                                                 host: s("host"), port: i("port"), detail: s("detail")))
        case "closed": self = .closed(CloseReason(json: value), expected: value["expected"]?.bool ?? false)
        case "starting-tls": self = .startingTLS
        case "tls-established":
            guard let info = value["tls"].flatMap(TLSInfo.init(json:)) else { return nil }
            self = .tlsEstablished(info, upgrade: value["upgrade"]?.bool ?? false)
        case "tls-failed":
            let reasons = (value["problems"]?.array ?? []).compactMap(TLSFailure.Reason.init(json:))
            let chain = (value["chain"]?.array ?? []).compactMap(CertificateSummary.init(json:))
            self = .tlsFailed(TLSFailure(reasons: reasons.isEmpty ? [.handshake("")] : reasons, chain: chain))
        case "refused-plaintext": self = .refusedPlaintext(count: i("bytes"), preview: s("preview"))
        case "discarded": self = .discarded(byteCount: i("bytes"))
        case "timeout": self = .timedOut(seconds: value["seconds"]?.double ?? 0, awaiting: s("awaiting"))
        case "reply-too-long": self = .replyTooLong(seconds: value["seconds"]?.double ?? 0)
        case "authenticated": self = .authenticated(user: s("user"))
        case "auth-refused": self = .authRefused(AuthRefusal(rawValue: s("reason")) ?? .notOffered)
        case "plaintext-auth": self = .plaintextAuthAllowed(mechanism: s("mechanism"))
        case "auth-cancelled": self = .authCancelled
        case "tls-required": self = .tlsRequirementUnmet(TLSRequirementFailure(rawValue: s("reason")) ?? .failed)
        case "starttls-required": self = .startTLSRequired(before: s("before"))
        case "server-closing": self = .serverClosing(notSent: i("not_sent"))
        case "greeting-refused": self = .greetingRefused(code: i("code"))
        case "not-sent": self = .linesNotSent(count: i("lines"), reason: NotSentReason(rawValue: s("reason")) ?? .stopped)
        case "not-connected": self = .notConnected
        case "usage": self = .usage(s("usage"))
        case "unknown-command": self = .unknownCommand(s("name"))
        case "not-available": self = .notAvailableHere(s("name"))
        case "language": self = .languageSet(s("language"))
        case "saved": self = .saved(lines: i("lines"), path: s("path"))
        case "tls-weak": self = .tlsWeak((value["weaknesses"]?.array ?? []).compactMap(TLSWeakness.init(json:)))
        case "chain-saved": self = .chainSaved(certificates: i("certificates"), path: s("path"))
        case "save-failed": self = .saveFailed(path: s("path"), reason: s("reason"))
        case "record-failed": self = .recordFailed(path: s("path"), reason: s("reason"))
        case "recorded": self = .recorded(s("text"))
        case "dns":
            guard let step = RouteStep(json: value) else { return nil }
            self = .dns(step)
        case "route":
            guard let summary = RouteSummary(json: value) else { return nil }
            self = .routeFound(summary)
        case "route-refused": self = .routeRefused(input: s("input"), problem: DomainNameProblem(json: value))
        case "mx-attempt": self = .mxAttempt(preference: value["preference"]?.int, host: s("host"), address: s("address"), port: i("port"))
        case "mx-failed":
            self = .mxFailed(preference: value["preference"]?.int, host: s("host"), address: s("address"), port: i("port"),
                             reason: ConnectFailure.Kind(rawValue: s("reason")) ?? .other, next: value["next"]?.bool ?? false)
        case "mx-none": self = .mxNone(domain: s("domain"))
        default: return nil
        }
    }
}

extension CloseReason {
    var jsonFields: [(String, JSONValue)] {
        switch self {
        case .byServer: return [("by", .string("server"))]
        case .byClient: return [("by", .string("client"))]
        case .error(let words): return [("by", .string("error")), ("error", .string(words))]
        case .idleTimeout(let seconds): return [("by", .string("idle")), ("seconds", .int(seconds))]
        }
    }

    init(json value: JSONValue) {
        switch value["by"]?.string {
        case "client": self = .byClient
        case "error": self = .error(value["error"]?.string ?? "")
        case "idle": self = .idleTimeout(seconds: value["seconds"]?.int ?? 0)
        default: self = .byServer
        }
    }
}

extension TLSInfo {
    /// `{"version", "cipher", "verified", "problems", "chain"}`, as batch JSONL prints it.
    public func json(at now: Date) -> JSONValue {
        .object([
            ("version", .string(version)),
            ("cipher", cipherSuite.map(JSONValue.string) ?? .null),
            ("key_exchange", keyExchange.map(JSONValue.string) ?? .null),
            ("verified", .bool(verified)),
            ("problems", .array(verificationProblems.map(\.json))),
            ("chain", .array(chain.map { $0.json(at: now) })),
        ])
    }

    public init?(json value: JSONValue) {
        guard let version = value["version"]?.string else { return nil }
        self.init(version: version, cipherSuite: value["cipher"]?.string,
                  chain: (value["chain"]?.array ?? []).compactMap(CertificateSummary.init(json:)),
                  verified: value["verified"]?.bool ?? false,
                  verificationProblems: (value["problems"]?.array ?? []).compactMap(TLSFailure.Reason.init(json:)),
                  keyExchange: value["key_exchange"]?.string)
    }
}

extension CertificateSummary {
    public func json(at now: Date) -> JSONValue {
        .object([
            ("subject", .string(subject)),
            ("issuer", .string(issuer)),
            ("names", .array(names.map(JSONValue.string))),
            ("not_before", .string(TranscriptFormat.timestamp(notBefore))),
            ("not_after", .string(TranscriptFormat.timestamp(notAfter))),
            ("days_left", .int(daysLeft(at: now))),
            ("key", .string(publicKey)),
            ("signature", .string(signatureAlgorithm)),
            ("sha256", .string(sha256)),
        ])
    }

    public init?(json value: JSONValue) {
        guard let subject = value["subject"]?.string else { return nil }
        let date = { (key: String) in
            value[key]?.string.flatMap(TranscriptFormat.parseTimestamp) ?? Date(timeIntervalSince1970: 0)
        }
        self.init(subject: subject, issuer: value["issuer"]?.string ?? "",
                  names: (value["names"]?.array ?? []).compactMap(\.string), notBefore: date("not_before"),
                  notAfter: date("not_after"), sha256: value["sha256"]?.string ?? "",
                  publicKey: value["key"]?.string ?? "", signatureAlgorithm: value["signature"]?.string ?? "")
    }
}

extension TLSFailure.Reason {
    public var json: JSONValue {
        switch self {
        case .expired(let date): return .object([("type", .string("expired")), ("date", .string(TranscriptFormat.timestamp(date)))])
        case .notYetValid(let date):
            return .object([("type", .string("not-yet-valid")), ("date", .string(TranscriptFormat.timestamp(date)))])
        case .selfSigned: return .object([("type", .string("self-signed"))])
        case .wrongName(let expected, let names):
            return .object([("type", .string("wrong-name")), ("expected", .string(expected)),
                            ("names", .array(names.map(JSONValue.string)))])
        case .unknownIssuer(let issuer): return .object([("type", .string("unknown-issuer")), ("issuer", .string(issuer))])
        case .pinMismatch(let pin): return .object([("type", .string("pin-mismatch")), ("pin", .string(pin))])
        case .handshake(let words): return .object([("type", .string("handshake")), ("words", .string(words))])
        }
    }

    public init?(json value: JSONValue) {
        let date = value["date"]?.string.flatMap(TranscriptFormat.parseTimestamp) ?? Date(timeIntervalSince1970: 0)
        switch value["type"]?.string {
        case "expired": self = .expired(date)
        case "not-yet-valid": self = .notYetValid(date)
        case "self-signed": self = .selfSigned
        case "wrong-name":
            self = .wrongName(expected: value["expected"]?.string ?? "",
                              names: (value["names"]?.array ?? []).compactMap(\.string))
        case "unknown-issuer": self = .unknownIssuer(value["issuer"]?.string ?? "")
        case "pin-mismatch": self = .pinMismatch(value["pin"]?.string ?? "")
        case "handshake": self = .handshake(value["words"]?.string ?? "")
        default: return nil
        }
    }
}

extension TLSWeakness {
    public var json: JSONValue {
        switch self {
        case .oldVersion(let version): return .object([("type", .string("old-version")), ("version", .string(version))])
        case .cbcSHA1(let suite): return .object([("type", .string("cbc-sha1")), ("suite", .string(suite))])
        case .rsaKeyExchange(let suite): return .object([("type", .string("rsa-key-exchange")), ("suite", .string(suite))])
        case .weakKey(let key): return .object([("type", .string("weak-key")), ("key", .string(key))])
        case .sha1Signature(let algorithm):
            return .object([("type", .string("sha1-signature")), ("algorithm", .string(algorithm))])
        case .expiresSoon(let days): return .object([("type", .string("expires-soon")), ("days", .int(days))])
        }
    }

    public init?(json value: JSONValue) {
        let text = { (key: String) in value[key]?.string ?? "" }
        switch value["type"]?.string {
        case "old-version": self = .oldVersion(text("version"))
        case "cbc-sha1": self = .cbcSHA1(text("suite"))
        case "rsa-key-exchange": self = .rsaKeyExchange(text("suite"))
        case "weak-key": self = .weakKey(text("key"))
        case "sha1-signature": self = .sha1Signature(text("algorithm"))
        case "expires-soon": self = .expiresSoon(days: value["days"]?.int ?? 0)
        default: return nil
        }
    }
}
