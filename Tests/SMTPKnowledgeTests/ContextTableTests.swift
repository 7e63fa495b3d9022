import Testing
import SMTPCore
@testable import SMTPKnowledge

/// One reply in its place in a conversation, and the rule that must explain it.
struct ContextCase: Sendable, CustomTestStringConvertible {
    /// "550 5.1.1 text": the code, then the text (with its enhanced code, if any).
    let reply: String
    /// "greeting", "." (the message's end), "*" (an AUTH cancelled), "sasl" (a SASL answer),
    /// "paste" (nothing known) or the command line answered.
    let answers: String
    let rule: String?
    var smtputf8 = false
    /// Words the English explanation must not contain: the misleading texts of old.
    var never: [String] = []

    var testDescription: String { "\(reply) ← \(answers)" }

    var parsed: Reply {
        let code = Int(reply.prefix(3))!
        return Reply(code: code, String(reply.dropFirst(4)))
    }

    var context: ReplyContext {
        switch answers {
        case "greeting": return ReplyContext(answered: .greeting)
        case "paste": return ReplyContext(answered: .unknown)
        case ".": return ReplyContext(answered: .messageEnd, command: Command(parsing: "."), smtputf8: smtputf8)
        case "*": return ReplyContext(answered: .saslResponse(cancel: true), command: Command(parsing: "*"))
        case "sasl": return ReplyContext(answered: .saslResponse(cancel: false), command: Command(parsing: "dGVzdA=="))
        default:
            let command = Command(parsing: answers)
            return ReplyContext(answered: .command(command.verb), command: command,
                                findings: CommandLint.syntax(command), smtputf8: smtputf8)
        }
    }
}

@Suite("Explanations in context")
struct ContextTableTests {
    static let cases: [ContextCase] = [
        // The greeting and the hello.
        .init(reply: "220 mx.example.org ESMTP", answers: "greeting", rule: "greeting-ready"),
        .init(reply: "421 4.3.2 Too busy, try later", answers: "greeting", rule: "greeting-busy"),
        .init(reply: "554 5.7.1 Your address is on our blocklist", answers: "greeting", rule: "greeting-refused"),
        .init(reply: "250 mx.example.org", answers: "HELO client.example.net", rule: "helo-ok"),
        .init(reply: "501 5.5.4 Syntax: HELO hostname", answers: "HELO", rule: "hello-syntax"),
        .init(reply: "501 5.5.4 Syntax: EHLO hostname", answers: "EHLO", rule: "hello-syntax"),
        .init(reply: "502 5.5.2 Error: command not recognized", answers: "EHLO client.example.net", rule: "ehlo-unknown"),
        .init(reply: "500 Command unrecognized", answers: "EHLO client.example.net", rule: "ehlo-unknown"),
        .init(reply: "550 5.7.1 Go away", answers: "EHLO client.example.net", rule: "hello-refused"),
        // STARTTLS.
        .init(reply: "220 2.0.0 Ready to start TLS", answers: "STARTTLS", rule: "starttls-go"),
        .init(reply: "454 4.7.0 TLS not available due to local problem", answers: "STARTTLS", rule: "starttls-unavailable"),
        .init(reply: "502 5.5.1 STARTTLS not offered", answers: "STARTTLS", rule: "starttls-not-offered"),
        .init(reply: "503 5.5.1 Already in TLS", answers: "STARTTLS", rule: "starttls-sequence"),
        // AUTH.
        .init(reply: "334 VXNlcm5hbWU6", answers: "AUTH LOGIN", rule: "auth-challenge"),
        .init(reply: "235 2.7.0 Authentication successful", answers: "sasl", rule: "auth-ok"),
        .init(reply: "535 5.7.8 Authentication credentials invalid", answers: "sasl", rule: "auth-wrong"),
        .init(reply: "538 5.7.11 Encryption required for requested authentication mechanism", answers: "AUTH PLAIN",
              rule: "auth-needs-tls"),
        .init(reply: "530 5.7.0 Must issue a STARTTLS command first", answers: "AUTH PLAIN", rule: "auth-needs-tls"),
        .init(reply: "504 5.5.4 Unrecognized authentication type", answers: "AUTH KERBEROS_V4", rule: "auth-mechanism"),
        .init(reply: "534 5.7.9 Authentication mechanism is too weak", answers: "AUTH LOGIN", rule: "auth-weak"),
        .init(reply: "454 4.7.0 Temporary authentication failure", answers: "sasl", rule: "auth-temporary"),
        .init(reply: "503 5.5.1 Error: already authenticated", answers: "AUTH PLAIN", rule: "auth-sequence"),
        .init(reply: "501 5.5.2 Cannot decode response", answers: "sasl", rule: "auth-syntax"),
        .init(reply: "501 5.7.0 Authentication aborted", answers: "*", rule: "auth-cancelled", never: ["unknown command", "starttls"]),
        .init(reply: "502 5.5.1 AUTH not available", answers: "AUTH PLAIN", rule: "auth-unknown"),
        // MAIL.
        .init(reply: "250 2.1.0 Ok", answers: "MAIL FROM:<me@example.net>", rule: "mail-ok",
              never: ["problem", "wrong", "inbox", "correct it"]),
        .init(reply: "501 5.1.7 Bad sender address syntax", answers: "MAIL FROM: you@x", rule: "mail-syntax",
              never: ["does not support"]),
        .init(reply: "501 5.5.4 Syntax: MAIL FROM:<address>", answers: "MAIL FROM:you@example.net", rule: "mail-syntax"),
        .init(reply: "500 5.5.2 Syntax error", answers: "mail from:<you@example.net>", rule: "mail-syntax"),
        .init(reply: "503 5.5.1 Error: send HELO/EHLO first", answers: "MAIL FROM:<me@example.net>", rule: "mail-sequence"),
        .init(reply: "530 5.7.0 Authentication required", answers: "MAIL FROM:<me@example.net>", rule: "mail-needs-auth"),
        .init(reply: "552 5.3.4 Message size exceeds fixed limit", answers: "MAIL FROM:<me@example.net> SIZE=99999999999",
              rule: "mail-too-big"),
        .init(reply: "555 5.5.4 Unsupported option: FOO", answers: "MAIL FROM:<me@example.net> FOO=1", rule: "mail-parameter"),
        .init(reply: "550 5.7.1 Sender rejected by SPF", answers: "MAIL FROM:<me@example.net>", rule: "mail-bad-sender"),
        .init(reply: "553 5.1.8 Sender address domain not found", answers: "MAIL FROM:<me@nowhere.invalid>",
              rule: "mail-bad-sender"),
        .init(reply: "451 4.3.0 Temporary lookup failure", answers: "MAIL FROM:<me@example.net>", rule: "mail-temporary"),
        .init(reply: "452 4.3.1 Insufficient system storage", answers: "MAIL FROM:<me@example.net>", rule: "mail-temporary"),
        .init(reply: "421 4.4.2 Timeout, closing", answers: "MAIL FROM:<me@example.net>", rule: "closing"),
        // RCPT.
        .init(reply: "250 2.1.5 Ok", answers: "RCPT TO:<bob@example.org>", rule: "rcpt-ok"),
        .init(reply: "250 2.1.5 Ok", answers: "rcpt to:<bob@example.org>", rule: "rcpt-ok"),
        .init(reply: "251 2.1.5 User not local; will forward", answers: "RCPT TO:<bob@example.org>", rule: "rcpt-forward"),
        .init(reply: "554 5.7.1 <bob@elsewhere.example>: Relay access denied", answers: "RCPT TO:<bob@elsewhere.example>",
              rule: "rcpt-relay", never: ["whole transaction"]),
        .init(reply: "550 5.7.1 Relaying denied", answers: "RCPT TO:<bob@elsewhere.example>", rule: "rcpt-relay"),
        .init(reply: "550 5.1.1 User unknown", answers: "RCPT TO:<nobody@example.org>", rule: "rcpt-unknown"),
        .init(reply: "551 5.1.6 User not local; please try <bob@new.example>", answers: "RCPT TO:<bob@example.org>",
              rule: "rcpt-not-local"),
        .init(reply: "450 4.7.1 <bob@example.org>: Recipient address rejected: Greylisted, try again in 300 s",
              answers: "RCPT TO:<bob@example.org>", rule: "rcpt-greylisted", never: ["relaying denied", "relay access"]),
        .init(reply: "451 4.7.1 Please try again later", answers: "RCPT TO:<bob@example.org>", rule: "rcpt-greylisted"),
        .init(reply: "452 4.5.3 Too many recipients", answers: "RCPT TO:<bob@example.org>", rule: "rcpt-too-many"),
        .init(reply: "552 5.2.2 Mailbox full", answers: "RCPT TO:<bob@example.org>", rule: "rcpt-full"),
        .init(reply: "452 4.2.2 Over quota", answers: "RCPT TO:<bob@example.org>", rule: "rcpt-full"),
        .init(reply: "503 5.5.1 Error: need MAIL command", answers: "RCPT TO:<bob@example.org>", rule: "rcpt-sequence"),
        .init(reply: "501 5.5.4 Syntax: RCPT TO:<address>", answers: "RCPT CC:<carol@example.org>", rule: "rcpt-syntax"),
        .init(reply: "501 5.1.3 Bad recipient address syntax", answers: "RCPT TO: <bob@example.org>", rule: "rcpt-syntax"),
        .init(reply: "501 5.1.3 Bad recipient address syntax", answers: "RCPT TO:bob@example.org", rule: "rcpt-syntax"),
        .init(reply: "553 5.7.1 Sender not allowed to send to this recipient", answers: "RCPT TO:<bob@example.org>",
              rule: "rcpt-refused"),
        .init(reply: "450 4.2.0 Mailbox temporarily unavailable", answers: "RCPT TO:<bob@example.org>", rule: "rcpt-temporary"),
        .init(reply: "451 4.3.0 Temporary lookup failure", answers: "RCPT TO:<bob@example.org>", rule: "rcpt-temporary"),
        .init(reply: "555 5.5.4 Unsupported option: NOTIFY", answers: "RCPT TO:<bob@example.org> NOTIFY=NEVER",
              rule: "rcpt-parameter"),
        .init(reply: "421 4.7.0 Too many errors, closing", answers: "RCPT TO:<bob@example.org>", rule: "closing"),
        // DATA, the message's end, BDAT.
        .init(reply: "354 End data with <CR><LF>.<CR><LF>", answers: "DATA", rule: "data-go"),
        .init(reply: "554 5.5.1 Error: no valid recipients", answers: "DATA", rule: "data-no-recipients"),
        .init(reply: "503 5.5.1 Error: need RCPT command", answers: "DATA", rule: "data-no-recipients"),
        .init(reply: "451 4.3.0 Try again later", answers: "DATA", rule: "data-temporary"),
        .init(reply: "250 2.0.0 Ok: queued as 4F1A2B", answers: ".", rule: "message-accepted", never: ["problem"]),
        .init(reply: "250 2.0.0 Ok: queued", answers: ".", rule: "message-accepted", smtputf8: true),
        .init(reply: "552 5.3.4 Message size exceeds fixed limit", answers: ".", rule: "message-too-big"),
        .init(reply: "554 5.7.1 Message rejected as spam", answers: ".", rule: "message-refused"),
        .init(reply: "550 5.7.26 Unauthenticated email is not accepted", answers: ".", rule: "message-refused"),
        .init(reply: "451 4.3.0 Error: queue file write error", answers: ".", rule: "message-temporary"),
        .init(reply: "452 4.3.1 Insufficient system storage", answers: ".", rule: "message-temporary"),
        .init(reply: "250 2.0.0 Chunk received", answers: "BDAT 100", rule: "chunk-ok"),
        .init(reply: "250 2.0.0 Message accepted", answers: "BDAT 0 LAST", rule: "message-accepted"),
        .init(reply: "552 5.3.4 Message too big", answers: "BDAT 100 LAST", rule: "message-too-big"),
        .init(reply: "503 5.5.1 Error: need RCPT first", answers: "BDAT 100", rule: "chunk-sequence"),
        // VRFY, EXPN and the rest.
        .init(reply: "250 2.1.5 Bob <bob@example.org>", answers: "VRFY bob", rule: "vrfy-exists",
              never: ["in the mailbox", "delivered"]),
        .init(reply: "252 2.0.0 Cannot VRFY user, but will accept message", answers: "VRFY bob", rule: "vrfy-cannot"),
        .init(reply: "550 5.1.1 No such user", answers: "VRFY nobody", rule: "vrfy-unknown"),
        .init(reply: "502 5.5.1 VRFY command is disabled", answers: "VRFY bob", rule: "vrfy-off"),
        .init(reply: "502 5.5.2 EXPN not available", answers: "EXPN staff", rule: "expn-refused"),
        .init(reply: "250 2.1.5 Bob <bob@example.org>", answers: "EXPN staff", rule: "expn-members"),
        .init(reply: "214 2.0.0 Commands: HELO EHLO MAIL RCPT DATA", answers: "HELP", rule: "help"),
        .init(reply: "250 2.0.0 Ok", answers: "NOOP", rule: "noop"),
        .init(reply: "250 2.0.0 Ok", answers: "RSET", rule: "rset"),
        .init(reply: "221 2.0.0 Bye", answers: "QUIT", rule: "quit"),
        .init(reply: "502 5.5.2 Error: command not recognized", answers: "SAML FROM:<me@example.net>", rule: "obsolete",
              never: ["check the order"]),
        .init(reply: "500 5.5.1 Command unrecognized", answers: "SEND FROM:<me@example.net>", rule: "obsolete"),
        .init(reply: "502 5.5.1 TURN not implemented", answers: "TURN", rule: "obsolete"),
        .init(reply: "502 5.5.1 ETRN not implemented", answers: "ETRN example.net", rule: "not-implemented"),
        .init(reply: "550 5.7.0 Error: insufficient authorization", answers: "XCLIENT ADDR=192.0.2.1", rule: "nonstandard-verb"),
        .init(reply: "500 5.5.1 Command unrecognized: \"LHLO client\"", answers: "LHLO client.example.net", rule: "nonstandard-verb"),
        .init(reply: "500 5.5.2 Error: command not recognized", answers: "FOO", rule: "unknown-verb"),
        .init(reply: "502 5.5.2 Error: command not recognized", answers: "XYZZY plugh", rule: "unknown-verb"),
        .init(reply: "421 4.4.2 Error: timeout exceeded", answers: "DATA", rule: "closing"),
        // A pasted reply: nothing known of its context, so no rule.
        .init(reply: "550 5.1.1 User unknown", answers: "paste", rule: nil),
    ]

    func sectionText(_ explanation: Explanation) -> String {
        explanation.sections.flatMap { [$0.heading ?? ""] + $0.paragraphs + $0.items.map(\.text) }.joined(separator: "\n")
    }

    static func hasCJK(_ text: String) -> Bool {
        text.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }
    }

    @Test("the table is large, and reaches every rule")
    func coverage() {
        #expect(Self.cases.count >= 60)
        let reached = Set(Self.cases.compactMap(\.rule))
        let all = ContextRules.all.map(\.id)
        #expect(Set(all).count == all.count, "a rule id is used twice")
        #expect(Set(all).subtracting(reached).isEmpty, "rules no case reaches: \(Set(all).subtracting(reached).sorted())")
        #expect(reached.subtracting(all).isEmpty)
    }

    @Test("each case is explained by its rule, in both languages", arguments: cases)
    func explained(_ sample: ContextCase) {
        for language in Language.allCases {
            let explanation = Explainer(language: language).explain(reply: sample.parsed, context: sample.context)
            #expect(explanation.rule == sample.rule, "\(language)")
            let meaning = explanation.sections.first { $0.role == .meaning }?.paragraphs.joined() ?? ""
            if sample.rule != nil {
                #expect(!meaning.isEmpty, "\(language): no meaning here")
                #expect(Self.hasCJK(meaning) == (language == .zh), "\(language): \(meaning)")
            }
            if language == .en {
                let text = sectionText(explanation).lowercased()
                for phrase in sample.never { #expect(!text.contains(phrase.lowercased()), "says \"\(phrase)\"") }
            }
            if explanation.sections.contains(where: { $0.role == .problems }) {
                #expect(!explanation.summary.isEmpty)
            }
        }
    }

    @Test("a refused line that the lint flagged is explained by the finding first, in the user's language",
          arguments: [
              ("MAIL FROM: you@x", "501 5.5.4 Syntax error"), ("HELO", "501 5.5.4 Syntax: HELO hostname"),
              ("RCPT CC:<carol@example.org>", "501 5.5.4 Syntax error"), ("rcpt to:<bob@example.org>", "500 5.5.1 Unrecognized"),
              ("MAIL FROM:you@example.net", "501 5.1.7 Bad sender address syntax"),
          ])
    func findingFirst(line: String, reply: String) {
        let sample = ContextCase(reply: reply, answers: line, rule: nil)
        for language in Language.allCases {
            let explanation = Explainer(language: language).explain(reply: sample.parsed, context: sample.context)
            let first = explanation.sections.first
            #expect(first?.role == .finding, "\(language) \(line)")
            let text = first?.paragraphs.joined() ?? ""
            #expect(!text.isEmpty)
            #expect(Self.hasCJK(text) == (language == .zh), "\(language): \(text)")
        }
    }

    @Test("an accepted line keeps its findings out of the explanation")
    func acceptedNoFinding() {
        let sample = ContextCase(reply: "250 2.1.5 Ok", answers: "rcpt to:<bob@example.org>", rule: "rcpt-ok")
        let explanation = Explainer(language: .en).explain(reply: sample.parsed, context: sample.context)
        #expect(!explanation.sections.contains { $0.role == .finding })
    }

    @Test("8-bit text in a reply: noted without SMTPUTF8, never instead of the meaning, silent with it")
    func eightBit() {
        var parser = ReplyParser()
        parser.feed(Array("250 2.1.5 Ok, jörg\r\n".utf8))
        var parsed: Reply?
        while let event = parser.next() { if case .reply(let reply) = event { parsed = reply } }
        guard let reply = parsed else { Issue.record("no reply parsed"); return }
        let command = Command(parsing: "RCPT TO:<jörg@exämple.net>")
        let plain = ReplyContext(answered: .command(.rcpt), command: command)
        var utf8 = plain
        utf8.smtputf8 = true
        let en = Explainer(language: .en)
        let noted = en.explain(reply: reply, context: plain)
        #expect(noted.sections.contains { $0.role == .problems })
        #expect(noted.sections.contains { $0.role == .meaning })
        #expect(!noted.summary.contains("8-bit"))
        let quiet = en.explain(reply: reply, context: utf8)
        #expect(!quiet.sections.contains { $0.role == .problems })
    }
}
