import Testing
@testable import SMTPCore

@Suite("Command syntax lint")
struct CommandLintTests {
    func issues(_ line: String) -> [LintIssue] { CommandLint.syntax(Command(parsing: line)).map(\.issue) }

    @Test("well-formed commands have no findings", arguments: [
        "EHLO client.example.net", "HELO [192.0.2.1]", "EHLO [IPv6:2001:db8::1]", "MAIL FROM:<>",
        "MAIL FROM:<alice@example.net> SIZE=1000 BODY=8BITMIME", "RCPT TO:<bob@example.org> NOTIFY=SUCCESS,DELAY",
        "RCPT TO:<Postmaster>", "DATA", "RSET", "VRFY bob", "EXPN team", "HELP", "HELP MAIL", "NOOP", "QUIT",
        "STARTTLS", "AUTH PLAIN", "BDAT 100", "BDAT 0 LAST", "ETRN @example.net", "ATRN",
        "MAIL FROM:<\"john smith\"@example.net>", "MAIL FROM:<user@[192.0.2.1]>",
    ])
    func clean(line: String) {
        #expect(issues(line).isEmpty, "\(line)")
    }

    @Test("a lowercase verb is legal: only a note, and nothing else is found")
    func lowercase() {
        let findings = CommandLint.syntax(Command(parsing: "rcpt to:<a@b.example>"))
        #expect(findings.map(\.issue) == [.lowercaseVerb("rcpt")])
        #expect(findings.first?.severity == .note)
        #expect(issues("Mail FROM:<a@b.example>") == [.lowercaseVerb("Mail")])
    }

    @Test("syntax mistakes are named", arguments: [
        ("MAIL FROM: <a@b.example>", LintIssue.spaceAfterColon(.mail)),
        ("MAIL FROM:a@b.example", .missingAngleBrackets(.mail)),
        ("MAIL <a@b.example>", .missingPathPrefix(.mail)),
        ("RCPT TO:<a@b.example", .unbalancedAngleBrackets(.rcpt)),
        ("RCPT TO:<>", .nullRecipient),
        ("MAIL FROM:<ab.example>", .badAddress("ab.example", .noAt)),
        ("MAIL FROM:<a..b@c.example>", .badAddress("a..b@c.example", .badDots)),
        ("MAIL FROM:<a@-bad.example>", .badAddress("a@-bad.example", .badDomainLabel("-bad"))),
        ("MAIL FROM:<a b@c.example>", .badAddress("a b@c.example", .badLocalPartCharacter(" "))),
        ("MAIL FROM:<a@b.example> FOO=1", .unknownParameter(.mail, "FOO")),
        ("MAIL FROM:<a@b.example> SIZE=big", .badParameterValue("SIZE", "big")),
        ("MAIL FROM:<a@b.example> BODY=9BIT", .badParameterValue("BODY", "9BIT")),
        ("MAIL FROM:<a@b.example> SMTPUTF8=yes", .badParameterValue("SMTPUTF8", "yes")),
        ("MAIL FROM:<a@b.example> RET=ALL", .badParameterValue("RET", "ALL")),
        ("MAIL FROM:<a@b.example> ENVID", .badParameterValue("ENVID", nil)),
        ("RCPT TO:<a@b.example> NOTIFY=NEVER,SUCCESS", .badParameterValue("NOTIFY", "NEVER,SUCCESS")),
        ("RCPT TO:<a@b.example> ORCPT", .badParameterValue("ORCPT", nil)),
        ("RCPT TO:<a@b.example> SIZE=10", .unknownParameter(.rcpt, "SIZE")),
        ("MAIL FROM:<a@b.example> SIZE=1 SIZE=2", .duplicateParameter("SIZE")),
        ("DATA now", .unexpectedArgument(.data)),
        ("QUIT please", .unexpectedArgument(.quit)),
        ("HELO", .missingArgument(.helo)),
        ("VRFY", .missingArgument(.vrfy)),
        ("AUTH", .missingArgument(.auth)),
        ("EHLO not a domain", .badHelloArgument("not a domain")),
        ("BDAT ten", .badChunkSize("ten")),
        ("BDAT 10 FIRST", .badChunkSize("10 FIRST")),
        ("SEND FROM:<a@b.example>", .obsoleteVerb(.send)),
        ("TURN", .obsoleteVerb(.turn)),
        ("XYZZY", .unknownVerb("XYZZY")),
        ("", .emptyLine),
    ])
    func mistakes(line: String, issue: LintIssue) {
        #expect(issues(line).contains(issue), "\(line): \(issues(line))")
    }

    @Test("a command line over 512 octets is flagged")
    func tooLong() {
        let line = "NOOP " + String(repeating: "x", count: 600)
        #expect(issues(line).contains(.lineTooLong(607)))
    }

    @Test("a local-part over 64 octets and a path over 256 are flagged")
    func lengths() {
        let local = String(repeating: "a", count: 65)
        #expect(issues("MAIL FROM:<\(local)@b.example>").contains(.badAddress("\(local)@b.example", .localPartTooLong(65))))
        let domain = (0..<30).map { _ in "abcdefgh" }.joined(separator: ".")
        #expect(issues("MAIL FROM:<a@\(domain)>").contains { if case .badAddress(_, .pathTooLong) = $0 { return true }; return false })
    }

    @Test("commands render to wire bytes with CRLF")
    func wire() {
        #expect(Command(parsing: "mail FROM:<a@b>").wireBytes == Array("mail FROM:<a@b>\r\n".utf8))
        #expect(Command.rcpt(to: "x@y", "NOTIFY=NEVER").line == "RCPT TO:<x@y> NOTIFY=NEVER")
        #expect(Command(parsing: "XCLIENT NAME=x").verb == nil)
        #expect(Command(parsing: "ehlo x").verb == .ehlo)
    }

    @Test("every verb of the issue is known", arguments: ["HELO", "EHLO", "MAIL", "RCPT", "DATA", "RSET", "VRFY",
        "EXPN", "HELP", "NOOP", "QUIT", "SEND", "SOML", "SAML", "TURN", "STARTTLS", "AUTH", "BDAT", "ETRN", "ATRN", "BURL"])
    func verbs(name: String) {
        let verb = Verb(keyword: name)
        #expect(verb != nil)
        #expect(!(verb?.replies.success.isEmpty ?? true))
    }
}
