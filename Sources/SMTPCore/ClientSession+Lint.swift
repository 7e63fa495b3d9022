extension ClientSession {
    /// What is wrong with `command` now: its syntax, and its place in this session.
    public func lint(_ command: Command) -> [LintFinding] {
        var findings = CommandLint.syntax(command)
        guard let verb = command.verb else {
            if dataRefused || Self.looksLikeHeader(command.line) {
                // Not an unknown verb: message text in the wrong place, which is the real cause.
                findings.removeAll { if case .unknownVerb = $0.issue { return true }; return false }
                findings.insert(LintFinding(.textOutsideData(refused: dataRefused), .error, expect: 500), at: 0)
            }
            return findings
        }
        findings += sequenceFindings(command, verb: verb)
        return findings.sorted { $0.severity > $1.severity }
    }

    /// The lint of a typed line in the current input mode.
    public func lint(line: String) -> [LintFinding] {
        switch inputMode {
        case .command: return lint(Command(parsing: line))
        case .messageText: return line == "." ? draft.finish() : draft.lint(line)
        case .chunk, .saslResponse: return []
        }
    }

    private func sequenceFindings(_ command: Command, verb: Verb) -> [LintFinding] {
        var findings: [LintFinding] = []
        if isClosed {
            findings.append(LintFinding(quitSent ? .afterQuit : .notConnected, .error))
            return findings
        }
        if awaiting.contains(.greeting) {
            findings.append(LintFinding(.greetingNotReceived, .warning, expect: 554))
        }
        if awaiting.contains(where: { if case .command(let c) = $0 { return c.verb == .starttls }; return false }) {
            findings.append(LintFinding(.afterStartTLSInPipeline, .error))
        } else if !awaiting.isEmpty && !awaiting.contains(.greeting) && capabilities?.has("PIPELINING") != true {
            findings.append(LintFinding(.replyOutstandingWithoutPipelining, .warning))
        }
        if let keyword = verb.requiredExtension {
            findings += extensionFindings(verb: verb, keyword: keyword)
        }
        let needsHello: Set<Verb> = [.mail, .rcpt, .data, .bdat, .send, .soml, .saml, .auth, .etrn, .atrn, .burl]
        if hello == nil && needsHello.contains(verb) && !awaiting.contains(where: Self.isHello) {
            findings.append(LintFinding(.helloRequired(verb), .error, expect: 503))
        }
        switch verb {
        case .mail, .send, .soml, .saml:
            if transaction.mail != .none {
                findings.append(LintFinding(.mailInTransaction, .error, expect: 503))
            }
            findings += parameterFindings(command, verb: verb)
        case .rcpt:
            if transaction.mail == .none {
                findings.append(LintFinding(.rcptBeforeMail, .error, expect: 503))
            }
            findings += parameterFindings(command, verb: verb)
        case .data, .bdat:
            if transaction.mail == .none {
                findings.append(LintFinding(.rcptBeforeMail, .error, expect: 503))
            } else if transaction.recipientsSent == 0 {
                findings.append(LintFinding(.dataWithoutRecipients, .error, expect: 503))
            }
            if verb == .data && transaction.usedChunks {
                findings.append(LintFinding(.dataAfterBdat, .error, expect: 503))
            }
        case .starttls:
            if isTLS { findings.append(LintFinding(.alreadyUnderTLS, .error, expect: 503)) }
        case .auth:
            if isAuthenticated { findings.append(LintFinding(.alreadyAuthenticated, .error, expect: 503)) }
            if !transaction.isEmpty { findings.append(LintFinding(.authInTransaction, .error, expect: 503)) }
            if !isTLS { findings.append(LintFinding(.authOverPlaintext, .warning, expect: 538)) }
            let mechanism = command.argument.split(separator: " ").first.map { $0.uppercased() } ?? ""
            if let capabilities, capabilities.has("AUTH"), !mechanism.isEmpty,
               !capabilities.authMechanisms.contains(mechanism) {
                findings.append(LintFinding(.mechanismNotAdvertised(mechanism), .error, expect: 504))
            }
        case .helo, .ehlo, .rset, .vrfy, .expn, .help, .noop, .quit, .turn, .etrn, .atrn, .burl:
            break
        }
        return findings
    }

    /// "Subject: …" or "Subject : …": a header, typed where a command goes.
    static func looksLikeHeader(_ line: String) -> Bool {
        guard let colon = line.firstIndex(of: ":") else { return false }
        let name = line[..<colon].trimmingSpaces
        return !name.isEmpty && !name.contains(" ") && name.allSatisfy { $0.isLetter || $0 == "-" }
    }

    private static func isHello(_ sent: Sent) -> Bool {
        if case .command(let command) = sent { return command.verb == .ehlo || command.verb == .helo }
        return false
    }

    private func extensionFindings(verb: Verb, keyword: String) -> [LintFinding] {
        if hello == .helo {
            return [LintFinding(.extensionsNeedEhlo(verb.rawValue), .error, expect: 502)]
        }
        guard let capabilities else { return [] }
        if verb == .starttls && isTLS { return [] }
        return capabilities.has(keyword) ? [] : [LintFinding(.notAdvertised(verb, keyword: keyword), .error, expect: 502)]
    }

    private func parameterFindings(_ command: Command, verb: Verb) -> [LintFinding] {
        guard let path = command.pathArgument else { return [] }
        var findings: [LintFinding] = []
        var smtputf8 = transaction.smtputf8
        for parameter in path.parameters {
            guard let spec = ESMTPParameterSpec.find(parameter.keyword, for: verb) else { continue }
            if spec.keyword == "SMTPUTF8" { smtputf8 = true }
            if hello == .helo {
                findings.append(LintFinding(.extensionsNeedEhlo(spec.keyword), .error, expect: 555))
            } else if let capabilities, !capabilities.has(spec.extensionKeyword) {
                findings.append(LintFinding(.parameterNotAdvertised(spec.keyword, keyword: spec.extensionKeyword),
                                            .error, expect: 555))
            }
            if spec.keyword == "SIZE", let declared = Int(parameter.value ?? ""),
               let limit = capabilities?.sizeLimit, limit > 0, declared > limit {
                findings.append(LintFinding(.sizeOverLimit(declared: declared, limit: limit), .error, expect: 552))
            }
        }
        if !path.address.unicodeScalars.allSatisfy(\.isASCII) && !smtputf8 {
            findings.append(LintFinding(.nonASCIIWithoutSMTPUTF8, .error, expect: 553))
        }
        return findings
    }
}
