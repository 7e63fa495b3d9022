/// Something smtpx noticed about a command before it is sent. The explorer shows it and
/// still sends the command: the point is to see what the server does.
public enum LintIssue: Sendable, Hashable {
    // The command's own syntax.
    case emptyLine
    case unknownVerb(String)
    case missingArgument(Verb)
    case unexpectedArgument(Verb)
    case missingPathPrefix(Verb)
    case spaceAfterColon(Verb)
    case missingAngleBrackets(Verb)
    case unbalancedAngleBrackets(Verb)
    case badAddress(String, AddressProblem)
    case nullRecipient
    case unknownParameter(Verb, String)
    case badParameterValue(String, String?)
    case duplicateParameter(String)
    case lineTooLong(Int)
    case obsoleteVerb(Verb)
    case badHelloArgument(String)
    case badChunkSize(String)
    case controlCharacters
    /// A verb in lower case: legal (verbs are case-insensitive), but some old servers refuse it.
    case lowercaseVerb(String)

    // The command at this point of the session.
    case notConnected
    case greetingNotReceived
    case helloRequired(Verb)
    case rcptBeforeMail
    case mailInTransaction
    case dataWithoutRecipients
    case notAdvertised(Verb, keyword: String)
    case parameterNotAdvertised(String, keyword: String)
    case extensionsNeedEhlo(String)
    case sizeOverLimit(declared: Int, limit: Int)
    case alreadyUnderTLS
    case alreadyAuthenticated
    case authInTransaction
    case authOverPlaintext
    case afterQuit
    case replyOutstandingWithoutPipelining
    case afterStartTLSInPipeline
    case dataAfterBdat
    case nonASCIIWithoutSMTPUTF8
    case mechanismNotAdvertised(String)

    // A line of message text after 354, and the message as a whole (RFC 5322).
    case dotStuffed
    case textLineTooLong(Int)
    /// A line in the header section that is no header (`name: value`) and no continuation.
    case headerWithoutColon
    /// A header with non-ASCII text, neither encoded (RFC 2047) nor under SMTPUTF8.
    case unencodedHeader(String)
    /// A CR or an LF alone inside a line.
    case bareLineBreak
    /// A command typed as message text: the server reads it as part of the message.
    case commandInMessage(String)
    /// Message text typed as a command: no DATA was accepted (`refused`: the last DATA was
    /// refused), so the server reads the line as a command.
    case textOutsideData(refused: Bool)
    /// A header RFC 5322 §3.6 asks for is missing (From, Date; Message-ID is a SHOULD).
    case missingHeader(String)
}

/// How sure smtpx is that the server will refuse.
public enum LintSeverity: Int, Sendable, Comparable {
    /// Worth knowing; servers accept it.
    case note = 0
    /// Some servers refuse it, or it breaks a rule servers rarely enforce.
    case warning = 1
    /// A conforming server will refuse it.
    case error = 2

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

/// One finding of the lint, with the reply a server will likely give.
public struct LintFinding: Sendable, Hashable {
    public let issue: LintIssue
    public let severity: LintSeverity
    /// The reply code a conforming server is expected to answer with, when one is typical.
    public let expectedReply: Int?

    public init(_ issue: LintIssue, _ severity: LintSeverity, expect expectedReply: Int? = nil) {
        self.issue = issue
        self.severity = severity
        self.expectedReply = expectedReply
    }
}
