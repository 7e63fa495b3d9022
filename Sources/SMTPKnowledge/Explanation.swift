/// An explanation, ready to be shown as text, in a pane, or as JSON.
public struct Explanation: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Codable {
        case replyCode = "reply-code", enhancedCode = "enhanced-code", reply, keyword, ehloReply = "ehlo-reply"
        case verb, command, mechanism, port, topic, unknown
    }

    public struct Item: Sendable, Hashable, Codable {
        public var term: String
        public var text: String
        /// One position of a code read digit by digit (`5yz`, `x.1.x`).
        public var isDigit: Bool
        public init(_ term: String, _ text: String, isDigit: Bool = false) {
            self.term = term
            self.text = text
            self.isDigit = isDigit
        }
    }

    /// What a section is, whatever its heading says in either language.
    public enum Role: String, Sendable, Hashable, Codable {
        /// The server's own words.
        case serverSaid
        /// What this reply answers, in this session.
        case context
        /// A lint finding about what was sent or typed.
        case finding
        /// What to send next.
        case next
        /// What the thing means.
        case meaning
        /// A code read digit by digit.
        case digits
        /// A code's meaning and its digits together.
        case code
        /// A message's envelope beside its headers.
        case envelope
        case causes, advice, problems, decoded, syntax, replies, status, details, other
        /// The lesson being followed: its step, hint and progress.
        case lesson
    }

    /// How a section should stand out.
    public enum Tone: String, Sendable, Hashable, Codable {
        case warning, error
    }

    public struct Section: Sendable, Hashable, Codable {
        public var role: Role
        public var heading: String?
        public var paragraphs: [String]
        public var items: [Item]
        public var tone: Tone?
        public init(_ role: Role = .other, heading: String? = nil, paragraphs: [String] = [], items: [Item] = [],
                    tone: Tone? = nil) {
            self.role = role
            self.heading = heading
            self.paragraphs = paragraphs
            self.items = items
            self.tone = tone
        }
    }

    public var kind: Kind
    /// What was explained, as given.
    public var subject: String
    public var title: String
    /// False when smtpx could only decompose the thing, not name it.
    public var recognized: Bool
    public var sections: [Section]
    public var references: [String]
    /// The context rule that chose the meaning of a reply, if one did (for tests and tools).
    public var rule: String?

    public init(kind: Kind, subject: String, title: String, recognized: Bool, sections: [Section] = [],
                references: [String] = []) {
        self.kind = kind
        self.subject = subject
        self.title = title
        self.recognized = recognized
        self.sections = sections
        self.references = references
    }
}

extension Explanation.Section {
    /// The digit-by-digit reading of a code, which a handout can leave out.
    public var isDigitBreakdown: Bool { role == .digits }
    /// The server's own words or this session's context: around the meaning, not the meaning.
    public var isContext: Bool { role == .serverSaid || role == .context || role == .next || role == .finding }
}

extension Explanation {
    /// The first section with this role.
    public func section(_ role: Role) -> Section? { sections.first { $0.role == role } }

    /// "Title: the first words of its meaning", on one line: what batch mode's `--explain`
    /// prints and JSON Lines carry. A lint finding about the command answered comes first.
    public var summary: String {
        let finding = section(.finding)?.paragraphs.first
        let meaning = sections.first { !$0.isContext && !$0.isDigitBreakdown && $0.role != .problems && !$0.paragraphs.isEmpty }?
            .paragraphs.first
        let parts = [finding, meaning].compactMap { $0 }
        return title + (parts.isEmpty ? "" : ": " + parts.joined(separator: " "))
    }
}

/// Section headings and other words the explanations share.
enum Words {
    static let digits = L("Digit by digit", "逐位含义")
    static let meaning = L("Meaning", "含义")
    static let causes = L("Typical causes", "常见原因")
    static let advice = L("What to do", "怎么办")
    static let usualEnhanced = L("Usual enhanced codes", "常见的增强状态码")
    static let usualReplies = L("Usual reply codes", "常见的回复码")
    static let answers = L("Commands it answers", "会得到它的命令")
    static let serverSaid = L("The server said", "服务器原文")
    static let problems = L("Problems", "问题")
    static let parameter = L("Parameter", "参数")
    static let syntax = L("Syntax", "语法")
    static let replies = L("Replies to expect", "预期的回复")
    static let status = L("Status", "状态")
    static let needs = L("Needs", "前提")
    static let mechanisms = L("Mechanisms", "机制")
    static let extensions = L("Extensions", "扩展")
    static let decoded = L("Decoded", "解码")
    static let context = L("In this session", "在本会话中")
    static let notRegistered = L("Not in the IANA registry.", "不在 IANA 注册表中。")
    static let unknown = L("unknown", "未知")
}
