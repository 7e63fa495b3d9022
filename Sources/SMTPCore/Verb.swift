/// Every SMTP verb of RFC 821, RFC 5321 and the common extensions.
public enum Verb: String, CaseIterable, Sendable, Hashable, Codable {
    case helo = "HELO", ehlo = "EHLO", mail = "MAIL", rcpt = "RCPT", data = "DATA"
    case rset = "RSET", vrfy = "VRFY", expn = "EXPN", help = "HELP", noop = "NOOP", quit = "QUIT"
    case send = "SEND", soml = "SOML", saml = "SAML", turn = "TURN"
    case starttls = "STARTTLS", auth = "AUTH", bdat = "BDAT", etrn = "ETRN", atrn = "ATRN", burl = "BURL"

    /// Standing of a verb today.
    public enum Status: String, Sendable, Codable {
        /// Part of RFC 5321 itself.
        case current
        /// Defined by a service extension; use it only when EHLO advertises the keyword.
        case `extension`
        /// Defined by RFC 821 and withdrawn since (RFC 5321 Appendix F).
        case obsolete
    }

    /// The verb's grammar, in the RFC's notation.
    public var syntax: String {
        switch self {
        case .helo: return "HELO <domain>"
        case .ehlo: return "EHLO <domain | address-literal>"
        case .mail: return "MAIL FROM:<reverse-path> [parameters]"
        case .rcpt: return "RCPT TO:<forward-path> [parameters]"
        case .data: return "DATA"
        case .rset: return "RSET"
        case .vrfy: return "VRFY <user or mailbox>"
        case .expn: return "EXPN <mailing list>"
        case .help: return "HELP [topic]"
        case .noop: return "NOOP [string]"
        case .quit: return "QUIT"
        case .send: return "SEND FROM:<reverse-path>"
        case .soml: return "SOML FROM:<reverse-path>"
        case .saml: return "SAML FROM:<reverse-path>"
        case .turn: return "TURN"
        case .starttls: return "STARTTLS"
        case .auth: return "AUTH <mechanism> [initial-response]"
        case .bdat: return "BDAT <chunk-size> [LAST]"
        case .etrn: return "ETRN <node | @domain | #queue>"
        case .atrn: return "ATRN [domain[,domain…]]"
        case .burl: return "BURL <imap-url> [LAST]"
        }
    }

    public var status: Status {
        switch self {
        case .helo, .ehlo, .mail, .rcpt, .data, .rset, .vrfy, .expn, .help, .noop, .quit: return .current
        case .send, .soml, .saml, .turn: return .obsolete
        case .starttls, .auth, .bdat, .etrn, .atrn, .burl: return .extension
        }
    }

    /// Where the verb is defined.
    public var reference: String {
        switch self {
        case .helo, .ehlo: return "RFC 5321 §4.1.1.1"
        case .mail: return "RFC 5321 §4.1.1.2"
        case .rcpt: return "RFC 5321 §4.1.1.3"
        case .data: return "RFC 5321 §4.1.1.4"
        case .rset: return "RFC 5321 §4.1.1.5"
        case .vrfy: return "RFC 5321 §4.1.1.6"
        case .expn: return "RFC 5321 §4.1.1.7"
        case .help: return "RFC 5321 §4.1.1.8"
        case .noop: return "RFC 5321 §4.1.1.9"
        case .quit: return "RFC 5321 §4.1.1.10"
        case .send, .soml, .saml: return "RFC 821 §4.1.1; RFC 5321 Appendix F.6"
        case .turn: return "RFC 821 §4.1.1; RFC 5321 Appendix F.1"
        case .starttls: return "RFC 3207 §4"
        case .auth: return "RFC 4954 §4"
        case .bdat: return "RFC 3030 §2"
        case .etrn: return "RFC 1985 §4"
        case .atrn: return "RFC 2645 §4"
        case .burl: return "RFC 4468 §3"
        }
    }

    /// The EHLO keyword a server must advertise before a client may use this verb.
    public var requiredExtension: String? {
        switch self {
        case .starttls: return "STARTTLS"
        case .auth: return "AUTH"
        case .bdat: return "CHUNKING"
        case .etrn: return "ETRN"
        case .atrn: return "ATRN"
        case .burl: return "BURL"
        case .helo, .ehlo, .mail, .rcpt, .data, .rset, .vrfy, .expn, .help, .noop, .quit,
             .send, .soml, .saml, .turn:
            return nil
        }
    }

    /// Whether the verb takes an argument: required, optional or none.
    public enum Argument: Sendable { case required, optional, none }

    public var argument: Argument {
        switch self {
        case .helo, .ehlo, .mail, .rcpt, .vrfy, .expn, .send, .soml, .saml, .auth, .bdat, .etrn, .burl:
            return .required
        case .help, .noop, .atrn: return .optional
        case .data, .rset, .quit, .turn, .starttls: return .none
        }
    }

    /// The replies RFC 5321 §4.3.2 (or the extension's RFC) lists for this verb.
    /// 421, 500 and 501 may answer any command and are not repeated here.
    public var replies: VerbReplies {
        switch self {
        case .helo, .ehlo: return VerbReplies(success: [250], failure: [504, 550, 502])
        case .mail: return VerbReplies(success: [250], failure: [552, 451, 452, 550, 553, 503, 455, 555, 530])
        case .rcpt: return VerbReplies(success: [250, 251],
                                       failure: [550, 551, 552, 553, 450, 451, 452, 503, 455, 555])
        case .data: return VerbReplies(intermediate: [354], success: [250],
                                       failure: [552, 554, 451, 452, 450, 550, 503])
        case .rset, .noop: return VerbReplies(success: [250])
        case .vrfy: return VerbReplies(success: [250, 251, 252], failure: [550, 551, 553, 502, 504])
        case .expn: return VerbReplies(success: [250, 252], failure: [550, 502, 504])
        case .help: return VerbReplies(success: [211, 214], failure: [502, 504])
        case .quit: return VerbReplies(success: [221])
        case .send, .soml, .saml: return VerbReplies(success: [250], failure: [552, 451, 452, 502])
        case .turn: return VerbReplies(success: [250], failure: [502, 503])
        case .starttls: return VerbReplies(success: [220], failure: [454, 501, 503])
        case .auth: return VerbReplies(intermediate: [334], success: [235],
                                       failure: [432, 454, 503, 504, 530, 534, 535, 538])
        case .bdat: return VerbReplies(success: [250], failure: [552, 554, 451, 452, 503])
        case .etrn: return VerbReplies(success: [250, 251, 252, 253], failure: [458, 459])
        case .atrn: return VerbReplies(success: [250], failure: [450, 453, 502, 530])
        case .burl: return VerbReplies(success: [250], failure: [503, 554])
        }
    }

    /// Looks a verb up, ignoring case.
    public init?(keyword: some StringProtocol) {
        self.init(rawValue: keyword.uppercased())
    }
}

/// The reply codes a command can expect, by kind.
public struct VerbReplies: Sendable, Hashable {
    public let intermediate: [Int]
    public let success: [Int]
    public let failure: [Int]

    public init(intermediate: [Int] = [], success: [Int], failure: [Int] = []) {
        self.intermediate = intermediate
        self.success = success
        self.failure = failure
    }

    /// Codes any command may get (RFC 5321 §4.3.2).
    public static let always = [421, 500, 501]

    public var all: [Int] { intermediate + success + failure }
}
