/// The POP3 commands: RFC 1939, CAPA (RFC 2449), STLS (RFC 2595), AUTH (RFC 5034), UTF8 (RFC 6856).
public enum POP3Verb: String, Sendable, Hashable, CaseIterable, Codable {
    case user = "USER", pass = "PASS", apop = "APOP", auth = "AUTH", stls = "STLS", capa = "CAPA", quit = "QUIT"
    case stat = "STAT", list = "LIST", retr = "RETR", dele = "DELE", noop = "NOOP", rset = "RSET", top = "TOP"
    case uidl = "UIDL", utf8 = "UTF8"

    public init?(keyword: String) { self.init(rawValue: keyword.uppercased()) }

    /// The states a command belongs to (RFC 1939 §3).
    public enum Phase: Sendable, Hashable { case authorization, transaction }

    public var phases: Set<Phase> {
        switch self {
        case .user, .pass, .apop, .auth, .stls, .utf8: return [.authorization]
        case .stat, .list, .retr, .dele, .noop, .rset, .top, .uidl: return [.transaction]
        case .capa, .quit: return [.authorization, .transaction]
        }
    }

    public var syntax: String {
        switch self {
        case .user: return "USER name"
        case .pass: return "PASS string"
        case .apop: return "APOP name digest"
        case .auth: return "AUTH mechanism [initial-response]"
        case .stls: return "STLS"
        case .capa: return "CAPA"
        case .quit: return "QUIT"
        case .stat: return "STAT"
        case .list: return "LIST [msg]"
        case .retr: return "RETR msg"
        case .dele: return "DELE msg"
        case .noop: return "NOOP"
        case .rset: return "RSET"
        case .top: return "TOP msg n"
        case .uidl: return "UIDL [msg]"
        case .utf8: return "UTF8"
        }
    }

    public var reference: String {
        switch self {
        case .capa: return "RFC 2449 §5"
        case .stls: return "RFC 2595 §4"
        case .auth: return "RFC 5034 §4"
        case .utf8: return "RFC 6856 §2"
        case .user, .pass: return "RFC 1939 §7"
        case .apop, .top, .uidl: return "RFC 1939 §7"
        default: return "RFC 1939 §5"
        }
    }

    /// Its `+OK` carries more lines, up to a lone ".": LIST and UIDL without an argument,
    /// RETR, TOP, CAPA.
    public func isMultiline(argument: String) -> Bool {
        switch self {
        case .retr, .top, .capa: return true
        case .list, .uidl: return argument.trimmingSpaces.isEmpty
        default: return false
        }
    }

    /// Whether the line carries a secret (shown masked).
    public var isSensitive: Bool { self == .pass || self == .apop || self == .auth }
}

/// A POP3 command line: the keyword and what follows it.
public struct POP3Command: Sendable, Hashable {
    public let line: String
    public let keyword: String
    public let argument: String

    public init(parsing line: String) {
        self.line = line
        let trimmed = line.drop { $0 == " " }
        let keyword = trimmed.prefix { $0 != " " }
        self.keyword = String(keyword)
        argument = String(trimmed.dropFirst(keyword.count).drop { $0 == " " })
    }

    public init(_ verb: POP3Verb, _ argument: String = "") {
        self.init(parsing: argument.isEmpty ? verb.rawValue : verb.rawValue + " " + argument)
    }

    public var verb: POP3Verb? { POP3Verb(keyword: keyword) }
    public var arguments: [String] { argument.split(separator: " ").map(String.init) }

    /// As the screen shows it: the secret of PASS, APOP or an AUTH initial response masked.
    public var masked: String {
        switch verb {
        case .pass?: return "PASS " + Secrets.mask
        case .apop?: return "APOP " + (arguments.first ?? "") + " " + Secrets.mask
        case .auth?: return arguments.count > 1 ? "AUTH " + arguments[0] + " " + Secrets.mask : line
        default: return line
        }
    }
}

/// What is wrong with a POP3 line, while typing and when it was sent.
public enum POP3LintIssue: Sendable, Hashable {
    case unknownVerb(String)
    case missingArgument(POP3Verb)
    case unexpectedArgument(POP3Verb)
    case notANumber(POP3Verb, String)
    case notInPhase(POP3Verb, POP3Verb.Phase)
    case passWithoutUser
    case beforeGreeting
    case plaintextPassword(POP3Verb)
    case afterQuit
    case lineTooLong(Int)
}

public struct POP3LintFinding: Sendable, Hashable {
    public let issue: POP3LintIssue
    public let severity: LintSeverity
    public init(_ issue: POP3LintIssue, _ severity: LintSeverity) {
        self.issue = issue
        self.severity = severity
    }
}

public enum POP3Limits {
    /// A command line, CRLF included (RFC 2449 §4).
    public static let commandLineOctets = 255
    /// A status line of a response (RFC 2449 §4).
    public static let responseLineOctets = 512
    /// What the client keeps of one line of a multi-line response (a message line can be long).
    public static let bodyLineCap = 64 * 1024
}

extension POP3Command {
    /// The syntax of the line alone.
    public var syntaxFindings: [POP3LintFinding] {
        if line.utf8.count + 2 > POP3Limits.commandLineOctets {
            return [POP3LintFinding(.lineTooLong(line.utf8.count + 2), .warning)]
        }
        guard let verb else { return [POP3LintFinding(.unknownVerb(keyword), .error)] }
        let words = arguments
        func number(_ index: Int) -> POP3LintFinding? {
            guard index < words.count else { return POP3LintFinding(.missingArgument(verb), .error) }
            return Int(words[index]).map { $0 > 0 } == true ? nil : POP3LintFinding(.notANumber(verb, words[index]), .error)
        }
        switch verb {
        case .user, .pass, .auth:
            return words.isEmpty ? [POP3LintFinding(.missingArgument(verb), .error)] : []
        case .apop:
            return words.count < 2 ? [POP3LintFinding(.missingArgument(verb), .error)] : []
        case .retr, .dele:
            return number(0).map { [$0] } ?? []
        case .top:
            if let problem = number(0) { return [problem] }
            guard words.count > 1 else { return [POP3LintFinding(.missingArgument(verb), .error)] }
            return Int(words[1]).map { $0 >= 0 } == true ? [] : [POP3LintFinding(.notANumber(verb, words[1]), .error)]
        case .list, .uidl:
            return words.isEmpty ? [] : number(0).map { [$0] } ?? []
        case .stls, .capa, .quit, .stat, .noop, .rset, .utf8:
            return words.isEmpty ? [] : [POP3LintFinding(.unexpectedArgument(verb), .warning)]
        }
    }
}
