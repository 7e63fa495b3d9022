/// The message being typed after a 354, line by line, as RFC 5322 reads it: a header section
/// (`Name: value` lines, continued by lines that start with a space or a tab), an empty line,
/// the body. It lints each line as it is typed and the whole at the final ".".
public struct MessageDraft: Sendable, Hashable {
    public struct Header: Sendable, Hashable {
        public var name: String
        public var value: String
    }

    public private(set) var headers: [Header] = []
    public private(set) var inHeaders = true
    public private(set) var bodyLines = 0
    /// SMTPUTF8 was given with MAIL: headers may carry UTF-8 (RFC 6532).
    public let smtputf8: Bool

    public init(smtputf8: Bool = false) {
        self.smtputf8 = smtputf8
    }

    /// What is wrong with `line` as the next line, without taking it.
    public func lint(_ line: String) -> [LintFinding] {
        var findings: [LintFinding] = []
        if line.hasPrefix(".") && line != "." { findings.append(LintFinding(.dotStuffed, .note)) }
        let length = line.utf8.count + 2
        if length > SMTPLimits.textLineLength { findings.append(LintFinding(.textLineTooLong(length), .warning)) }
        if line.contains("\r") || line.contains("\n") { findings.append(LintFinding(.bareLineBreak, .warning)) }
        if let verb = Self.commandLike(line) { findings.append(LintFinding(.commandInMessage(verb), .warning)) }
        guard inHeaders, !line.isEmpty, line != "." else { return findings }
        if line.first == " " || line.first == "\t" {
            if headers.isEmpty { findings.append(LintFinding(.headerWithoutColon, .warning)) }
        } else if let header = Self.header(line) {
            if !smtputf8 && !header.value.unicodeScalars.allSatisfy(\.isASCII) {
                findings.append(LintFinding(.unencodedHeader(header.name), .warning))
            }
        } else {
            findings.append(LintFinding(.headerWithoutColon, .warning))
        }
        return findings
    }

    /// Takes `line` (not the final "."); returns what its lint found.
    public mutating func add(_ line: String) -> [LintFinding] {
        let findings = lint(line)
        if inHeaders {
            if line.isEmpty {
                inHeaders = false
            } else if (line.first == " " || line.first == "\t"), !headers.isEmpty {
                headers[headers.count - 1].value += " " + line.trimmingSpaces
            } else if let header = Self.header(line) {
                headers.append(header)
            } else {
                // Not a header: readers take the body to start here.
                inHeaders = false
                bodyLines += 1
            }
        } else {
            bodyLines += 1
        }
        return findings
    }

    /// What the finished message lacks (RFC 5322 §3.6: From and Date are required, Message-ID
    /// should be there).
    public func finish() -> [LintFinding] {
        var findings: [LintFinding] = []
        for (name, severity) in [("From", LintSeverity.warning), ("Date", .warning), ("Message-ID", .note)]
        where value(of: name) == nil {
            findings.append(LintFinding(.missingHeader(name), severity))
        }
        return findings
    }

    /// The value of the first header with this name (any case).
    public func value(of name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) }?.value
    }

    /// Every header with this name.
    public func values(of name: String) -> [String] {
        headers.filter { $0.name.caseInsensitiveCompare(name) }.map(\.value)
    }

    /// `Name: value`, the name printable ASCII without a colon or space (RFC 5322 §2.2).
    static func header(_ line: String) -> Header? {
        guard let colon = line.firstIndex(of: ":"), colon != line.startIndex else { return nil }
        let name = line[..<colon]
        guard name.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else { return nil }
        return Header(name: String(name), value: line[line.index(after: colon)...].trimmingSpaces)
    }

    /// The verb of a line that looks like an SMTP command a learner meant for the server.
    static func commandLike(_ line: String) -> String? {
        let upper = line.uppercased()
        for verb in ["QUIT", "RSET", "NOOP", "DATA", "EHLO", "HELO"] where upper == verb || upper.hasPrefix(verb + " ") {
            return verb
        }
        for prefix in ["MAIL FROM:", "RCPT TO:"] where upper.hasPrefix(prefix) { return String(prefix.prefix(4)) }
        return nil
    }
}
