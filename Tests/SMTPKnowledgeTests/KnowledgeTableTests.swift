import Testing
import SMTPCore
@testable import SMTPKnowledge

/// Both languages present, and the Chinese text really Chinese.
func checkBothLanguages(_ text: Localized, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(!text.en.trimmingCharacters(in: .whitespaces).isEmpty, "\(what): English missing", sourceLocation: sourceLocation)
    #expect(!text.zh.trimmingCharacters(in: .whitespaces).isEmpty, "\(what): Chinese missing", sourceLocation: sourceLocation)
    #expect(text.zh.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) },
            "\(what): the Chinese text has no Chinese: \(text.zh)", sourceLocation: sourceLocation)
    #expect(text.en.unicodeScalars.allSatisfy { !(0x4E00...0x9FFF).contains($0.value) },
            "\(what): Chinese in the English text", sourceLocation: sourceLocation)
}

@Suite("Knowledge tables")
struct KnowledgeTableTests {
    @Test("reply codes: unique, in range, both languages, a reference")
    func replyCodes() {
        let codes = ReplyCodes.all.map(\.code)
        #expect(Set(codes).count == codes.count, "duplicated reply code")
        for info in ReplyCodes.all {
            #expect((200...599).contains(info.code), "\(info.code) out of range")
            #expect((0...5).contains(info.code / 10 % 10), "\(info.code): second digit")
            checkBothLanguages(info.title, "\(info.code) title")
            checkBothLanguages(info.meaning, "\(info.code) meaning")
            if let causes = info.causes { checkBothLanguages(causes, "\(info.code) causes") }
            if let advice = info.advice { checkBothLanguages(advice, "\(info.code) advice") }
            #expect(info.reference.hasPrefix("RFC") || info.reference.hasPrefix("draft-"), "\(info.code): reference")
            checkBothLanguages(info.standing.text, "\(info.code) standing")
            if info.standing == .draft { #expect(info.reference.hasPrefix("draft-"), "\(info.code): a draft names its draft") }
        }
    }

    @Test("every basic code of RFC 5321 §4.2 and the extensions is there")
    func replyCoverage() {
        let rfc5321 = [211, 214, 220, 221, 250, 251, 252, 354, 421, 450, 451, 452, 455, 500, 501, 502, 503, 504,
                       550, 551, 552, 553, 554, 555]
        let extensions = [235, 334, 432, 454, 530, 534, 535, 538, 253, 458, 459, 453, 521, 556]
        for code in rfc5321 + extensions { #expect(ReplyCodes.info(code) != nil, "missing \(code)") }
        // Codes the IANA enhanced registry names, older RFCs (876, 1845) and drafts.
        for code in [200, 355, 422, 456, 520, 523, 524, 525] { #expect(ReplyCodes.info(code) != nil, "missing \(code)") }
        #expect(ReplyCodes.info(200)?.standing == .historic)
        #expect(ReplyCodes.info(456)?.standing == .draft)
        #expect(ReplyCodes.info(250)?.standing == .standard)
        #expect(ReplyCodes.info(535)?.standing == .extension)
    }

    @Test("the codes people meet most have causes and advice")
    func commonAdvice() {
        for code in [250, 354, 421, 450, 451, 452, 500, 501, 502, 503, 504, 530, 535, 550, 551, 552, 553, 554] {
            let info = ReplyCodes.info(code)
            #expect(info?.causes != nil && info?.advice != nil, "\(code) lacks causes or advice")
        }
    }

    @Test("an enhanced code's class never contradicts its reply class")
    func classesAgree() {
        for info in ReplyCodes.all {
            for key in info.usualEnhanced {
                let code = EnhancedStatusCode(key)
                #expect(code != nil, "\(info.code): \(key) is not an enhanced code")
                guard let code else { continue }
                #expect(EnhancedCodes.info(code) != nil, "\(info.code): \(key) is not registered")
                let expected = info.code / 100 == 3 ? 2 : info.code / 100
                #expect(code.statusClass == expected, "\(info.code) lists \(key)")
            }
        }
    }

    @Test("the enhanced registry: unique, both languages, every subject and known code")
    func enhancedRegistry() {
        let keys = EnhancedCodes.all.map(\.key)
        #expect(Set(keys).count == keys.count, "duplicated enhanced code")
        for info in EnhancedCodes.all {
            checkBothLanguages(info.title, info.key)
            checkBothLanguages(info.meaning, info.key)
            #expect(!info.reference.isEmpty)
            #expect(EnhancedCodes.subject(info.subject) != nil, "\(info.key): subject")
            for reply in info.usualReplies { #expect(ReplyCodes.info(reply) != nil, "\(info.key): reply \(reply) unknown") }
        }
        for value in [2, 4, 5] {
            let entry = EnhancedCodes.statusClass(value)
            #expect(entry != nil)
            if let entry { checkBothLanguages(entry.title, "class \(value)"); checkBothLanguages(entry.meaning, "class \(value)") }
        }
        for subject in 0...7 {
            let entry = EnhancedCodes.subject(subject)
            #expect(entry != nil)
            if let entry { checkBothLanguages(entry.title, "subject \(subject)") }
        }
        // The registry as IANA lists it (RFC 3463, 3886, 4468, 4954, 5248, 6531, 6710, 7293, 7372, 7505, 8617, 8689).
        let details: [Int: ClosedRange<Int>] = [0: 0...0, 1: 0...10, 2: 0...4, 3: 0...6, 4: 0...7, 5: 0...6, 6: 0...10, 7: 0...30]
        for (subject, range) in details {
            for detail in range { #expect(EnhancedCodes.info(subject: subject, detail: detail) != nil, "missing X.\(subject).\(detail)") }
        }
        #expect(EnhancedCodes.all.count == details.values.map(\.count).reduce(0, +))
    }

    @Test("advice exists for registered codes only, in both languages")
    func enhancedAdvice() {
        for (key, entry) in EnhancedAdvice.table {
            let registry = key.hasPrefix("X") ? key : "X" + key.dropFirst()
            #expect(EnhancedCodes.byKey[registry] != nil, "advice for unknown \(key)")
            checkBothLanguages(entry.causes, key)
            checkBothLanguages(entry.advice, key)
        }
    }

    @Test("extensions: the IANA registry and the keywords real servers announce")
    func extensions() {
        let keywords = Extensions.all.map(\.keyword)
        #expect(Set(keywords).count == keywords.count, "duplicated keyword")
        for info in Extensions.all {
            checkBothLanguages(info.title, info.keyword)
            checkBothLanguages(info.meaning, info.keyword)
            if let parameters = info.parameters { checkBothLanguages(parameters, info.keyword) }
        }
        let registry = ["SEND", "SOML", "SAML", "EXPN", "HELP", "TURN", "8BITMIME", "SIZE", "VERB", "ONEX", "CHUNKING",
                        "BINARYMIME", "CHECKPOINT", "DELIVERBY", "PIPELINING", "DSN", "ETRN", "ENHANCEDSTATUSCODES",
                        "STARTTLS", "NO-SOLICITING", "MTRK", "ATRN", "AUTH", "BURL", "FUTURERELEASE", "UTF8SMTP",
                        "CONPERM", "CONNEG", "SMTPUTF8", "MT-PRIORITY", "RRVS", "REQUIRETLS", "LIMITS", "SUBMITTER"]
        for keyword in registry {
            #expect(Extensions.info(keyword).map { $0.standing != .unregistered } == true, "\(keyword) missing or unregistered")
        }
        for keyword in ["XCLIENT", "XFORWARD", "X-EXPS", "PRDR", "VRFY", "XEXCH50", "X-LINK2STATE"] {
            #expect(Extensions.info(keyword)?.standing == .unregistered, "\(keyword)")
        }
    }

    @Test("every verb has words in both languages")
    func verbs() {
        for verb in Verb.allCases {
            checkBothLanguages(VerbTexts.title(verb), verb.rawValue)
            checkBothLanguages(VerbTexts.purpose(verb), verb.rawValue)
            for code in verb.replies.all { #expect(ReplyCodes.info(code) != nil, "\(verb.rawValue) expects unknown \(code)") }
        }
    }

    @Test("SASL mechanisms: unique, both languages")
    func mechanisms() {
        let names = Mechanisms.all.map(\.name)
        #expect(Set(names).count == names.count)
        for info in Mechanisms.all {
            checkBothLanguages(info.title, info.name)
            checkBothLanguages(info.meaning, info.name)
        }
        for name in ["PLAIN", "LOGIN", "CRAM-MD5", "XOAUTH2", "SCRAM-SHA-256", "GSSAPI", "NTLM"] {
            #expect(Mechanisms.info(name) != nil, "\(name)")
        }
        // The whole IANA registry, each with its usage; only vendor names are unregistered.
        for name in Mechanisms.usage.keys { #expect(Mechanisms.info(name) != nil, "registered \(name) not described") }
        #expect(Mechanisms.usage.count >= 45)
        for usage in MechanismUsage.allCases { checkBothLanguages(usage.text, usage.rawValue) }
        #expect(Mechanisms.info("LOGIN")?.usage == .obsolete)
        #expect(Mechanisms.info("CRAM-MD5")?.usage == .limited)
        #expect(Mechanisms.info("SCRAM-SHA-256")?.usage == .common)
        #expect(Mechanisms.info("PLAIN-CLIENTTOKEN")?.usage == .unregistered)
    }

    static let everyIssue: [LintIssue] = [
        .emptyLine, .unknownVerb("X"), .missingArgument(.helo), .unexpectedArgument(.data), .missingPathPrefix(.mail),
        .spaceAfterColon(.mail), .missingAngleBrackets(.rcpt), .unbalancedAngleBrackets(.mail),
        .badAddress("a", .noAt), .nullRecipient, .unknownParameter(.mail, "FOO"), .badParameterValue("SIZE", "x"),
        .duplicateParameter("SIZE"), .lineTooLong(600), .obsoleteVerb(.send), .badHelloArgument("a b"),
        .badChunkSize("x"), .controlCharacters, .notConnected, .greetingNotReceived, .helloRequired(.mail),
        .rcptBeforeMail, .mailInTransaction, .dataWithoutRecipients, .notAdvertised(.starttls, keyword: "STARTTLS"),
        .parameterNotAdvertised("SIZE", keyword: "SIZE"), .extensionsNeedEhlo("SIZE"),
        .sizeOverLimit(declared: 2, limit: 1), .alreadyUnderTLS, .alreadyAuthenticated, .authInTransaction,
        .authOverPlaintext, .afterQuit, .replyOutstandingWithoutPipelining, .afterStartTLSInPipeline, .dataAfterBdat,
        .nonASCIIWithoutSMTPUTF8, .mechanismNotAdvertised("X"), .dotStuffed, .textLineTooLong(2000),
        .lowercaseVerb("mail"), .headerWithoutColon, .unencodedHeader("Subject"), .bareLineBreak, .commandInMessage("QUIT"),
        .missingHeader("Date"), .unknownVerb("XCLIENT"), .textOutsideData(refused: true), .textOutsideData(refused: false),
    ]

    @Test("every lint issue and address problem has words in both languages")
    func lintTexts() {
        for issue in Self.everyIssue { checkBothLanguages(LintTexts.text(issue), "\(issue)") }
        let problems: [AddressProblem] = [.noAt, .emptyLocalPart, .emptyDomain, .localPartTooLong(65), .domainTooLong(300),
                                          .pathTooLong(300), .badLocalPartCharacter(" "), .badDots, .badDomainLabel("-"),
                                          .badAddressLiteral("[x]"), .nonASCII, .sourceRoute, .unterminatedQuote]
        for problem in problems { checkBothLanguages(LintTexts.problemText(problem), "\(problem)") }
    }

    @Test("every reply anomaly has words in both languages")
    func anomalyTexts() {
        let all = ReplyAnomalies(rawValue: 0x1FFF)
        let texts = LintTexts.anomalies(all)
        #expect(texts.count == 13)
        for text in texts { checkBothLanguages(text, text.en) }
    }

    @Test("the language comes from LC_ALL, LC_MESSAGES, then LANG")
    func language() {
        #expect(Language.fromEnvironment(["LANG": "zh_CN.UTF-8"]) == .zh)
        #expect(Language.fromEnvironment(["LANG": "zh_CN.UTF-8", "LC_ALL": "en_US.UTF-8"]) == .en)
        #expect(Language.fromEnvironment(["LC_MESSAGES": "zh_TW", "LANG": "C"]) == .zh)
        #expect(Language.fromEnvironment([:]) == .en)
    }
}
