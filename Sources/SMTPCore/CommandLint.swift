/// Checks a command's own syntax, whatever the session state (RFC 5321 §4.1).
/// The session adds what depends on the conversation so far (``ClientSession/lint(_:)``).
public enum CommandLint {
    public static func syntax(_ command: Command) -> [LintFinding] {
        if command.line.allSatisfy({ $0 == " " }) { return [LintFinding(.emptyLine, .error, expect: 500)] }
        var findings: [LintFinding] = []
        let length = command.wireBytes.count
        if length > SMTPLimits.commandLineLength {
            findings.append(LintFinding(.lineTooLong(length), .error, expect: 500))
        }
        if command.line.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            findings.append(LintFinding(.controlCharacters, .warning))
        }
        guard let verb = command.verb else {
            findings.append(LintFinding(.unknownVerb(command.keyword), .warning, expect: 500))
            return findings
        }
        if verb.status == .obsolete {
            findings.append(LintFinding(.obsoleteVerb(verb), .warning, expect: 502))
        }
        if command.keyword != command.keyword.uppercased() {
            findings.append(LintFinding(.lowercaseVerb(command.keyword), .note))
        }
        let argument = command.argument.trimmingSpaces
        switch verb.argument {
        case .required where argument.isEmpty:
            findings.append(LintFinding(.missingArgument(verb), .error, expect: 501))
            return findings
        case .none where !argument.isEmpty:
            findings.append(LintFinding(.unexpectedArgument(verb), .error, expect: 501))
        case .required, .optional, .none:
            break
        }

        switch verb {
        case .helo, .ehlo:
            if !isHelloArgument(argument) {
                findings.append(LintFinding(.badHelloArgument(argument), .warning, expect: 501))
            }
        case .mail, .rcpt, .send, .soml, .saml:
            findings += pathFindings(command, verb: verb)
        case .bdat:
            if !isChunkArgument(argument) {
                findings.append(LintFinding(.badChunkSize(argument), .error, expect: 501))
            }
        case .data, .rset, .vrfy, .expn, .help, .noop, .quit, .turn, .starttls, .auth, .etrn, .atrn, .burl:
            break
        }
        return findings
    }

    private static func pathFindings(_ command: Command, verb: Verb) -> [LintFinding] {
        guard let path = command.pathArgument else { return [] }
        var findings: [LintFinding] = []
        if !path.hasPrefix {
            findings.append(LintFinding(.missingPathPrefix(verb), .error, expect: 501))
        }
        if path.spaceAfterColon {
            findings.append(LintFinding(.spaceAfterColon(verb), .warning, expect: 501))
        }
        if path.unbalanced {
            findings.append(LintFinding(.unbalancedAngleBrackets(verb), .error, expect: 501))
        } else if !path.bracketed && path.hasPrefix {
            findings.append(LintFinding(.missingAngleBrackets(verb), .warning, expect: 501))
        }
        if path.address.isEmpty {
            if verb == .rcpt && (path.bracketed || path.hasPrefix) {
                findings.append(LintFinding(.nullRecipient, .error, expect: 501))
            }
        } else if !(verb == .rcpt && path.address.lowercased() == "postmaster") {
            for problem in Mailbox.problems(in: path.address) where problem != .nonASCII {
                findings.append(LintFinding(.badAddress(path.address, problem), .error, expect: 553))
            }
        }
        var seen: Set<String> = []
        for parameter in path.parameters {
            let upper = parameter.keyword.uppercased()
            if !seen.insert(upper).inserted {
                findings.append(LintFinding(.duplicateParameter(upper), .error, expect: 501))
            }
            guard let spec = ESMTPParameterSpec.find(upper, for: verb) else {
                findings.append(LintFinding(.unknownParameter(verb, parameter.keyword), .error, expect: 555))
                continue
            }
            if !spec.accepts(parameter.value) {
                findings.append(LintFinding(.badParameterValue(upper, parameter.value), .error, expect: 501))
            }
        }
        return findings
    }

    /// A domain, an address literal, or at least one word a lenient server takes.
    static func isHelloArgument(_ argument: String) -> Bool {
        let text = Substring(argument)
        if text.contains(" ") { return false }
        if text.hasPrefix("[") { return Mailbox.isAddressLiteral(text) }
        return Mailbox.domainProblems(text).isEmpty
    }

    /// `BDAT <size> [LAST]` (RFC 3030 §2).
    static func isChunkArgument(_ argument: String) -> Bool {
        let parts = argument.split(separator: " ")
        guard let size = parts.first, size.allSatisfy({ $0.isASCII && $0.isNumber }), size.count <= 18 else {
            return false
        }
        return parts.count == 1 || (parts.count == 2 && parts[1].uppercased() == "LAST")
    }
}
