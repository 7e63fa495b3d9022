import Testing
import SMTPCore
@testable import SMTPKnowledge

@Suite("Explainer")
struct ExplainerTests {
    let en = Explainer(language: .en)
    let zh = Explainer(language: .zh)

    func text(_ explanation: Explanation) -> String {
        ([explanation.title] + explanation.sections.flatMap { section in
            [section.heading ?? ""] + section.paragraphs + section.items.map { "\($0.term) \($0.text)" }
        }).joined(separator: "\n")
    }

    @Test("550 5.1.1: a reply with its enhanced code and advice")
    func unknownUser() {
        let explanation = en.explain(Explainer.things(from: ["550", "5.1.1"])[0])
        #expect(explanation.kind == .reply)
        #expect(explanation.recognized)
        #expect(explanation.title == "550 5.1.1 — Bad destination mailbox address")
        let body = text(explanation)
        #expect(body.contains("Permanent negative completion"))
        #expect(body.contains("Addressing status"))
        #expect(body.contains("Check the spelling of the part before the @"))
    }

    @Test("454 4.7.0 in Chinese")
    func chineseTLS() {
        let explanation = zh.explain(Explainer.things(from: ["454", "4.7.0"])[0])
        #expect(explanation.title.hasPrefix("454 4.7.0 — "))
        let body = text(explanation)
        #expect(body.contains("暂时性认证失败，或 TLS 暂不可用"))
        #expect(body.contains("持续性暂时失败"))
        #expect(body.contains("STARTTLS"))
    }

    @Test("SIZE 35882577 is a 34.2 MiB limit")
    func size() {
        let explanation = en.explain("SIZE 35882577")
        #expect(explanation.kind == .keyword)
        #expect(text(explanation).contains("messages up to 34.2 MiB (35882577 octets)"))
        #expect(en.explain("SIZE 10240000").sections.contains { $0.paragraphs.contains { $0.contains("9.8 MiB") } })
        #expect(text(en.explain("SIZE 0")).contains("no fixed limit"))
    }

    static let gmail = """
    550-5.7.26 Unauthenticated email from example.net is not accepted due to
    550-5.7.26 domain's DMARC policy. Please contact the administrator of
    550-5.7.26 example.net domain if this was a legitimate mail. To learn about
    550-5.7.26 the DMARC initiative, go to
    550 5.7.26  https://support.google.com/mail/?p=DmarcRejection a1-2 - gsmtp
    """

    @Test("a pasted Gmail 550-5.7.26 reply")
    func gmail() {
        let explanation = en.explain(Self.gmail)
        #expect(explanation.kind == .reply)
        #expect(explanation.recognized)
        #expect(explanation.title == "550 5.7.26 — Multiple authentication checks failed")
        let body = text(explanation)
        #expect(body.contains("Unauthenticated email from example.net is not accepted due to domain's DMARC policy."))
        #expect(body.contains("SPF, sign with DKIM and align with DMARC"))
        #expect(explanation.sections.first?.heading == "The server said")
        #expect(text(zh.explain(Self.gmail)).contains("DMARC"))
    }

    @Test("a pasted reply whose last line lost its space still parses")
    func pastedLastLine() {
        let explanation = en.explain("250-mx.example.org\n250-PIPELINING\n250-SIZE 1000")
        #expect(explanation.kind == .ehloReply)
    }

    @Test("a whole EHLO reply explains every keyword")
    func ehlo() {
        let explanation = en.explain("250-mx.example.org Hello\n250-PIPELINING\n250-SIZE 10240000\n250-AUTH PLAIN LOGIN\n250-XFOO\n250 STARTTLS")
        #expect(explanation.kind == .ehloReply)
        #expect(!explanation.recognized, "XFOO is unknown")
        let items = explanation.sections.flatMap(\.items)
        #expect(items.map(\.term) == ["PIPELINING", "SIZE 10240000", "AUTH PLAIN LOGIN", "XFOO", "STARTTLS"])
        #expect(items[1].text.contains("9.8 MiB"))
        #expect(items[2].text.contains("PLAIN ("))
        #expect(items[3].text.contains("private extension"))
    }

    @Test("AUTH PLAIN LOGIN lists two mechanisms, each explained")
    func auth() {
        let explanation = en.explain("AUTH PLAIN LOGIN")
        #expect(explanation.kind == .keyword)
        let mechanisms = explanation.sections.first { $0.heading == "Mechanisms" }?.items.map(\.term)
        #expect(mechanisms == ["PLAIN", "LOGIN"])
        #expect(text(en.explain("AUTH=LOGIN")).contains("pre-standard") || text(en.explain("AUTH=LOGIN")).contains("draft of RFC 2554"))
    }

    @Test("a verb: syntax, purpose, replies, reference")
    func verb() {
        let explanation = en.explain("RCPT")
        #expect(explanation.kind == .verb)
        #expect(explanation.sections.first?.paragraphs == ["RCPT TO:<forward-path> [parameters]"])
        #expect(explanation.references == ["RFC 5321 §4.1.1.3"])
        #expect(explanation.sections.flatMap(\.items).map(\.term).contains("550"))
    }

    @Test("a word that is a verb and a keyword gets both")
    func both() {
        let explanation = en.explain("STARTTLS")
        #expect(explanation.kind == .verb)
        #expect(explanation.references == ["RFC 3207 §4"], "a reference and its own section are not both listed")
        #expect(explanation.sections.contains { $0.heading?.hasPrefix("Also an EHLO keyword: STARTTLS") == true })
        let headings = explanation.sections.compactMap(\.heading)
        #expect(headings.filter { $0 == "Meaning" }.count == 2, "the keyword adds its own meaning once")
    }

    @Test("SEND is one entry: the keyword adds only what it says beyond the verb")
    func sendOnce() {
        let explanation = en.explain("SEND")
        let statuses = explanation.sections.filter { $0.role == .status }
        #expect(statuses.count == 1, "\(statuses)")
        #expect(explanation.references.filter { $0 == "RFC 821" }.isEmpty)
    }

    @Test("ports and topics", arguments: ["25", "465", "587", "2525", "110", "995", "143", "993", "MX", "envelope",
                                          "BCC", "open relay", "dot-stuffing", "greylisting", "开放中继", "密送"])
    func portsAndTopics(input: String) {
        let thing = Explainer.things(from: input.split(separator: " ").map(String.init))
        #expect(thing.count == 1)
        for explainer in [en, zh] {
            let explanation = explainer.explain(thing[0])
            #expect(explanation.recognized, "\(input)")
            #expect([.port, .topic].contains(explanation.kind), "\(input): \(explanation.kind)")
            #expect(!explanation.references.isEmpty)
        }
    }

    @Test("a port that reads as a reply code is explained as both")
    func portAndCode() {
        let explanation = en.explain("110")
        #expect(explanation.kind == .port)
        #expect(explanation.title.hasPrefix("Port 110"))
        let body = text(explanation)
        #expect(body.contains("POP3"))
        #expect(body.contains("As a reply code"))
        #expect(body.contains("1yz"))
        #expect(text(en.explain("465")).contains("implicit") || text(en.explain("465")).contains("Implicit"))
        #expect(text(en.explain("587")).contains("STARTTLS"))
    }

    @Test("Microsoft's own codes, and its meaning of a registered one")
    func wild() {
        let banned = en.explain("5.7.606")
        #expect(banned.recognized)
        #expect(text(banned).contains("Not in the IANA registry"))
        let notFound = en.explain("550 5.1.10 RESOLVER.ADR.RecipientNotFound")
        #expect(notFound.title == "550 5.1.10 — Recipient not found")
        #expect(text(notFound).contains("null MX"))
    }

    @Test("a closing \"250 Ok\" is no unknown keyword")
    func closingFiller() {
        let reply = Reply(code: 250, ["email-smtp.example.com", "8BITMIME", "STARTTLS", "AUTH PLAIN LOGIN", "Ok"])
        let explanation = en.explain(ehloReply: reply)
        #expect(explanation.recognized)
        #expect(explanation.title.hasSuffix("3 extensions"))
        #expect(!text(explanation).contains("not a keyword smtpx knows"))
    }

    @Test("a typed command gets its lint")
    func command() {
        let explanation = en.explain("MAIL FROM: <a@b.example>")
        #expect(explanation.kind == .command)
        #expect(text(explanation).contains("No space after \"FROM:\""))
    }

    @Test("a SASL mechanism")
    func mechanism() {
        let explanation = en.explain("cram-md5")
        #expect(explanation.kind == .mechanism)
        #expect(explanation.title.hasPrefix("CRAM-MD5"))
    }

    @Test("an unknown code is decomposed, and not recognized", arguments: ["299", "5.1.99", "5.9.1", "3.1.1", "XFOO", "wat"])
    func unknown(input: String) {
        let explanation = en.explain(input)
        #expect(!explanation.recognized, "\(input)")
        #expect(!explanation.sections.isEmpty, "\(input): nothing said")
    }

    @Test("299 is decomposed digit by digit")
    func decomposed() {
        let items = en.explain("299").sections.first?.items ?? []
        #expect(items.map(\.term) == ["2yz", "x9z", "xy9"])
        #expect(items[0].text.hasPrefix("Positive completion"))
        #expect(text(en.explain("5.1.99")).contains("Addressing status"))
    }

    @Test("a 334 challenge is decoded")
    func challenge() {
        #expect(text(en.explain("334 VXNlcm5hbWU6")).contains("\"Username:\""))
    }

    @Test("an enhanced class that contradicts the reply is a problem")
    func mismatch() {
        #expect(text(en.explain("250 5.1.1 odd")).contains("contradicts the reply class 2yz"))
    }

    @Test("escape sequences in a pasted reply are shown escaped")
    func escapes() {
        let explanation = en.explain("550 bad \u{1B}[2J text")
        #expect(!text(explanation).contains("\u{1B}"))
        #expect(text(explanation).contains("\\x1b[2J"))
    }

    @Test("arguments split into things the way a user means them")
    func things() {
        #expect(Explainer.things(from: ["550", "5.1.1"]) == ["550 5.1.1"])
        #expect(Explainer.things(from: ["SIZE", "35882577"]) == ["SIZE 35882577"])
        #expect(Explainer.things(from: ["AUTH", "PLAIN", "LOGIN"]) == ["AUTH PLAIN LOGIN"])
        #expect(Explainer.things(from: ["PIPELINING", "STARTTLS"]) == ["PIPELINING", "STARTTLS"])
        #expect(Explainer.things(from: ["5.1.1", "5.7.1"]) == ["5.1.1", "5.7.1"])
        #expect(Explainer.things(from: ["MAIL", "FROM:<a@b>"]) == ["MAIL FROM:<a@b>"])
    }

    @Test("JSON round-trips")
    func json() throws {
        let explanation = en.explain("550 5.1.1")
        let data = try JSONEncoder().encode(explanation)
        #expect(try JSONDecoder().decode(Explanation.self, from: data) == explanation)
    }

    @Test("a TLS failure advises --insecure only for certificate problems; a handshake failure points at the port")
    func tlsFailureAdvice() {
        let certificate = text(en.explain(tlsFailure: TLSFailure(reasons: [.selfSigned])))
        #expect(certificate.contains("--insecure"))
        let handshake = en.explain(tlsFailure: TLSFailure(reasons: [.handshake("the server did not answer in TLS")]))
        #expect(handshake.title == "TLS failed: the server did not answer in TLS")
        #expect(!text(handshake).contains("--insecure"))
        #expect(text(handshake).contains("implicit TLS is usually 465"))
        #expect(handshake.references == ["RFC 8314 §3", "RFC 3207"])
        #expect(zh.explain(tlsFailure: TLSFailure(reasons: [.handshake("x")])).title == "TLS 失败：握手失败：x")
    }
}

import Foundation
