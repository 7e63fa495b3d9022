import Testing
import SMTPCore
@testable import SMTPKnowledge

@Suite("Knowledge tables: ports, topics, verbs, providers' codes, rules")
struct MoreKnowledgeTests {
    @Test("ports: unique, both languages, a reference where one exists")
    func ports() {
        let ports = Ports.all.map(\.port)
        #expect(Set(ports).count == ports.count)
        for port in [25, 465, 587, 2525, 110, 995, 143, 993] { #expect(Ports.info(port) != nil, "\(port)") }
        for info in Ports.all {
            checkBothLanguages(info.title, "port \(info.port) title")
            checkBothLanguages(info.speaks, "port \(info.port)")
            checkBothLanguages(info.tls, "port \(info.port) TLS")
        }
    }

    @Test("topics: unique names, both languages, references")
    func topics() {
        let names = Topics.all.flatMap(\.names).map(Topics.normalized)
        #expect(Set(names).count == names.count, "a name leads to two topics")
        #expect(Set(Topics.all.map(\.id)).count == Topics.all.count)
        for topic in Topics.all {
            checkBothLanguages(topic.title, topic.id)
            for paragraph in topic.paragraphs { checkBothLanguages(paragraph, topic.id) }
            if let tryIt = topic.tryIt { checkBothLanguages(tryIt, topic.id) }
            #expect(!topic.references.isEmpty, "\(topic.id)")
        }
        for name in ["MX", "envelope", "BCC", "open relay", "dot-stuffing", "greylisting", "Open-Relay", "dot stuffing"] {
            #expect(Topics.info(name) != nil, "\(name)")
        }
        // No topic shadows a code, keyword, verb or mechanism.
        for topic in Topics.all {
            for name in topic.names {
                #expect(Extensions.info(name) == nil && Verb(keyword: name.uppercased()) == nil
                        && Mechanisms.info(name) == nil && VerbCatalog.entry(name) == nil, "\(name)")
            }
        }
    }

    @Test("verbs: every one marked current, extension, nonstandard or obsolete; none twice")
    func verbs() {
        let keywords = VerbCatalog.all.map(\.keyword)
        #expect(Set(keywords).count == keywords.count)
        for entry in VerbCatalog.all {
            #expect(Verb(keyword: entry.keyword) == nil, "\(entry.keyword) is the session's own verb")
            checkBothLanguages(entry.meaning, entry.keyword)
            #expect(!entry.server.isEmpty && !entry.reference.isEmpty)
        }
        for standing in VerbStanding.allCases { checkBothLanguages(standing.text, standing.rawValue) }
        for verb in Verb.allCases { #expect(VerbCatalog.standing(verb.rawValue) != nil) }
        #expect(VerbCatalog.standing("LHLO") == .extension)
        #expect(VerbCatalog.standing("XCLIENT") == .nonstandard)
        #expect(VerbCatalog.standing("SAML") == .obsolete)
        #expect(VerbCatalog.standing("MAIL") == .current)
        for name in ["XFORWARD", "VERB", "ONEX", "XEXCH50", "X-LINK2STATE", "XSHADOW"] { #expect(VerbCatalog.entry(name) != nil) }
    }

    @Test("providers' codes: both languages, no overlap, each said to be outside or against the registry")
    func wildCodes() {
        for (index, wild) in EnhancedCodes.wild.enumerated() {
            checkBothLanguages(wild.title, wild.display)
            checkBothLanguages(wild.meaning, wild.display)
            #expect([4, 5].contains(wild.statusClass))
            for other in EnhancedCodes.wild.dropFirst(index + 1)
            where other.statusClass == wild.statusClass && other.subject == wild.subject {
                #expect(!other.details.overlaps(wild.details), "\(wild.display) overlaps \(other.display)")
            }
        }
        #expect(EnhancedCodes.wild(EnhancedStatusCode("5.7.620")!)?.display == "5.7.606–649")
        #expect(EnhancedCodes.wild(EnhancedStatusCode("5.7.1")!) == nil)
    }

    @Test("context rules: unique ids, both languages in meaning and advice")
    func rules() {
        for rule in ContextRules.all {
            checkBothLanguages(rule.meaning, rule.id)
            if let advice = rule.advice { checkBothLanguages(advice, rule.id) }
            #expect(!rule.codes.isEmpty, "\(rule.id)")
            for code in rule.codes { #expect(ReplyCodes.info(code) != nil, "\(rule.id): \(code)") }
        }
    }

    @Test("keywords servers announce unregistered: Exim, Sendmail, Postfix, Exchange, Microsoft 365, Courier")
    func announced() {
        for keyword in ["PRDR", "PIPECONNECT", "XCLIENT", "XFORWARD", "XVERP", "X-EXPS", "XEXCH50",
                        "XRDST", "XSHADOW", "XOORG", "XPROXYFROM", "XSESSIONPARAMS", "XEXDATA"] {
            #expect(Extensions.info(keyword)?.standing == .unregistered, "\(keyword)")
        }
        // Sendmail's are in the registry, named by their author.
        for keyword in ["VERB", "ONEX"] { #expect(Extensions.info(keyword)?.standing == .registered, "\(keyword)") }
        for filler in ["Ok", "OK", "ok.", "Ready"] { #expect(Extensions.isClosingFiller(filler)) }
        #expect(!Extensions.isClosingFiller("SIZE"))
    }
}
