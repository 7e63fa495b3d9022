/// An explanation, ready to be shown as text, in a pane, or as JSON.
public struct Explanation: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Codable {
        case replyCode = "reply-code", enhancedCode = "enhanced-code", reply, keyword, ehloReply = "ehlo-reply"
        case verb, command, mechanism, unknown
    }

    public struct Item: Sendable, Hashable, Codable {
        public var term: String
        public var text: String
        public init(_ term: String, _ text: String) {
            self.term = term
            self.text = text
        }
    }

    /// How a section should stand out.
    public enum Tone: String, Sendable, Hashable, Codable {
        case warning, error
    }

    public struct Section: Sendable, Hashable, Codable {
        public var heading: String?
        public var paragraphs: [String]
        public var items: [Item]
        public var tone: Tone?
        public init(heading: String? = nil, paragraphs: [String] = [], items: [Item] = [], tone: Tone? = nil) {
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
    /// The digit-by-digit reading of a code smtpx does not know, which a handout can leave out.
    public var isDigitBreakdown: Bool { heading.map(Words.digits.isEither) ?? false }
    /// The server's own words or this session's context: around the meaning, not the meaning.
    public var isContext: Bool { heading.map { Words.serverSaid.isEither($0) || Words.context.isEither($0) } ?? false }
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
