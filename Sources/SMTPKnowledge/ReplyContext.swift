import SMTPCore

/// What the explainer knows of the conversation around a reply: what it answers, what the lint
/// found in that command, the state of the transaction.
public struct ReplyContext: Sendable, Hashable {
    /// What a reply answers.
    public enum Answered: Sendable, Hashable {
        case greeting
        /// A command; a nil verb is one smtpx does not know.
        case command(Verb?)
        /// The lone "." that ends DATA.
        case messageEnd
        /// A line of an AUTH exchange; `cancel` for the "*" that ends it (RFC 4954 §4).
        case saslResponse(cancel: Bool)
        /// Nothing that smtpx knows of (a pasted reply).
        case unknown
    }

    public var answered: Answered
    /// The command answered, secrets masked.
    public var command: Command?
    /// What the lint found in that command when it was sent.
    public var findings: [LintFinding]
    /// SMTPUTF8 was given with MAIL (8-bit replies are then expected, RFC 6531 §3.7.4).
    public var smtputf8: Bool
    /// Recipients accepted in the transaction before this reply.
    public var acceptedRecipients: Int

    public init(answered: Answered, command: Command? = nil, findings: [LintFinding] = [], smtputf8: Bool = false,
                acceptedRecipients: Int = 0) {
        self.answered = answered
        self.command = command
        self.findings = findings
        self.smtputf8 = smtputf8
        self.acceptedRecipients = acceptedRecipients
    }

    /// A command answered, with no more known of the session.
    public init(answering command: Command?) {
        self.init(answered: command.map { $0.line == "." ? .messageEnd : .command($0.verb) } ?? .unknown, command: command)
    }

    /// The verb answered, when a command was.
    public var verb: Verb? {
        if case .command(let verb) = answered { return verb }
        return nil
    }

    /// BDAT with LAST: the chunk that ends the message.
    var isLastChunk: Bool {
        verb == .bdat && (command?.argument.uppercased().hasSuffix("LAST") ?? false)
    }
}

/// One meaning of a reply in its context: which replies it covers (codes, an enhanced code or
/// its registry key `X.s.d`, what they answer), what the reply means there and what to do.
/// Rules are data; a test table checks that each case picks the rule it should, in both
/// languages.
struct ContextRule: Sendable {
    /// What a rule's reply answers.
    enum Answers: Sendable {
        case greeting
        case verbs(Set<Verb>)
        /// A verb smtpx does not know.
        case unknownVerb
        /// A verb of LMTP or of one server (``VerbCatalog``).
        case catalogVerb
        case messageEnd
        case lastChunk
        case saslCancel
        case sasl
        case anything
    }

    let id: String
    let codes: Set<Int>
    /// "4.7.1" for exactly that code, "X.7.1" for any class; nil for any or none.
    let enhanced: String?
    let answers: Answers
    let meaning: Localized
    let advice: Localized?

    init(_ id: String, _ codes: Set<Int>, _ enhanced: String? = nil, _ answers: Answers, meaning: Localized,
         advice: Localized? = nil) {
        self.id = id
        self.codes = codes
        self.enhanced = enhanced
        self.answers = answers
        self.meaning = meaning
        self.advice = advice
    }

    func matches(_ reply: Reply, _ context: ReplyContext) -> Bool {
        guard codes.contains(reply.code) else { return false }
        if let enhanced {
            guard let code = reply.enhancedCode else { return false }
            let text = code.description
            if enhanced.hasPrefix("X.") {
                guard text.dropFirst(2) == enhanced.dropFirst(2) else { return false }
            } else if text != enhanced {
                return false
            }
        }
        switch answers {
        case .greeting: if case .greeting = context.answered { return true } else { return false }
        case .verbs(let verbs): return context.verb.map(verbs.contains) ?? false
        case .unknownVerb: if case .command(nil) = context.answered { return true } else { return false }
        case .catalogVerb:
            guard case .command(nil) = context.answered, let keyword = context.command?.keyword else { return false }
            return VerbCatalog.entry(keyword) != nil
        case .messageEnd: if case .messageEnd = context.answered { return true } else { return context.isLastChunk }
        case .lastChunk: return context.isLastChunk
        case .saslCancel: if case .saslResponse(true) = context.answered { return true } else { return false }
        case .sasl:
            if case .saslResponse = context.answered { return true }
            return context.verb == .auth
        case .anything: return true
        }
    }
}

extension ContextRules {
    /// The first rule that fits, most specific first.
    static func rule(for reply: Reply, in context: ReplyContext) -> ContextRule? {
        all.first { $0.matches(reply, context) }
    }

    static let all: [ContextRule] = session + transaction + message + other
}
