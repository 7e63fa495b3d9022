/// One command line as the client sends it: a verb (known or not) and its argument.
public struct Command: Sendable, Hashable {
    /// The verb as typed, case kept.
    public let keyword: String
    /// The known verb, or nil for a verb smtpx does not know (it is still sent).
    public let verb: Verb?
    /// Everything after the single space that follows the verb, unchanged.
    public let argument: String
    /// The verb was followed by a space (so `NOOP ` goes out with its space, as typed).
    let spaced: Bool

    /// Splits a typed line at its first space. The line is kept as typed.
    public init(parsing line: String) {
        if let space = line.firstIndex(of: " ") {
            keyword = String(line[..<space])
            argument = String(line[line.index(after: space)...])
            spaced = true
        } else {
            keyword = line
            argument = ""
            spaced = false
        }
        verb = Verb(keyword: keyword)
    }

    public init(_ verb: Verb, _ argument: String = "") {
        self.keyword = verb.rawValue
        self.verb = verb
        self.argument = argument
        spaced = !argument.isEmpty
    }

    /// The line as it goes on the wire, without CRLF: exactly as typed.
    public var line: String {
        spaced ? keyword + " " + argument : keyword
    }

    /// The line and its CRLF, as bytes.
    public var wireBytes: [UInt8] { Array(line.utf8) + [0x0D, 0x0A] }

    /// The argument of MAIL, RCPT, SEND, SOML or SAML parsed into path and parameters.
    public var pathArgument: PathArgument? {
        switch verb {
        case .mail, .send, .soml, .saml: return PathArgument(parsing: argument, prefix: "FROM:")
        case .rcpt: return PathArgument(parsing: argument, prefix: "TO:")
        default: return nil
        }
    }

    public static func mail(from address: String, _ parameters: String = "") -> Command {
        Command(.mail, "FROM:<\(address)>" + (parameters.isEmpty ? "" : " " + parameters))
    }

    public static func rcpt(to address: String, _ parameters: String = "") -> Command {
        Command(.rcpt, "TO:<\(address)>" + (parameters.isEmpty ? "" : " " + parameters))
    }
}

/// One ESMTP parameter of MAIL or RCPT: `SIZE=1000`, `SMTPUTF8` (RFC 5321 §4.1.2).
public struct ESMTPParameter: Sendable, Hashable {
    public let keyword: String
    public let value: String?

    public init(keyword: String, value: String?) {
        self.keyword = keyword
        self.value = value
    }

    public var text: String { value.map { "\(keyword)=\($0)" } ?? keyword }
}

/// The argument of MAIL FROM / RCPT TO, read leniently so that every mistake can be named.
public struct PathArgument: Sendable, Hashable {
    /// "FROM:" or "TO:" was there (any case).
    public let hasPrefix: Bool
    /// Spaces between the colon and the path, as in `MAIL FROM: <a@b>`.
    public let spaceAfterColon: Bool
    /// The path was inside `<` and `>`.
    public let bracketed: Bool
    /// `<` without `>` or the reverse.
    public let unbalanced: Bool
    /// The address inside the brackets; empty for the null path `<>`.
    public let address: String
    public let parameters: [ESMTPParameter]

    public init(parsing argument: String, prefix: String) {
        var rest = Substring(argument)
        if rest.uppercased().hasPrefix(prefix) {
            hasPrefix = true
            rest = rest.dropFirst(prefix.count)
        } else {
            hasPrefix = false
        }
        let trimmed = rest.drop(while: { $0 == " " })
        spaceAfterColon = hasPrefix && trimmed.count != rest.count
        rest = trimmed

        var pathText: Substring
        if rest.hasPrefix("<") {
            if let close = rest.firstIndex(of: ">") {
                pathText = rest[rest.index(after: rest.startIndex)..<close]
                rest = rest[rest.index(after: close)...]
                bracketed = true
                unbalanced = false
            } else {
                pathText = rest.dropFirst().prefix(while: { $0 != " " })
                rest = rest.dropFirst(pathText.count + 1)
                bracketed = false
                unbalanced = true
            }
        } else {
            pathText = rest.prefix(while: { $0 != " " })
            rest = rest.dropFirst(pathText.count)
            bracketed = false
            unbalanced = pathText.hasSuffix(">")
            if unbalanced { pathText = pathText.dropLast() }
        }
        address = String(pathText)
        parameters = rest.split(separator: " ").map { token in
            if let equals = token.firstIndex(of: "=") {
                return ESMTPParameter(keyword: String(token[..<equals]),
                                      value: String(token[token.index(after: equals)...]))
            }
            return ESMTPParameter(keyword: String(token), value: nil)
        }
    }
}
