/// What a server did wrong on one reply line, per the grammar of RFC 5321 §4.2.
/// The parser never rejects a line for these; it records them so the user can see them.
public struct ReplyAnomalies: OptionSet, Sendable, Hashable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// The line ended with LF alone instead of CRLF (RFC 5321 §2.3.8).
    public static let bareLF = ReplyAnomalies(rawValue: 1 << 0)
    /// A CR that is not followed by LF appears inside the line.
    public static let strayCR = ReplyAnomalies(rawValue: 1 << 1)
    /// The fourth byte is neither "-", " " nor the end of the line.
    public static let badSeparator = ReplyAnomalies(rawValue: 1 << 2)
    /// The line does not start with three digits.
    public static let noCode = ReplyAnomalies(rawValue: 1 << 3)
    /// The code's first digit is not 2 to 5, or its second is above 5.
    public static let codeOutOfRange = ReplyAnomalies(rawValue: 1 << 4)
    /// The code differs from the code of the reply's first line (RFC 5321 §4.2.1).
    public static let codeChanged = ReplyAnomalies(rawValue: 1 << 5)
    /// Bytes that are not valid UTF-8.
    public static let invalidUTF8 = ReplyAnomalies(rawValue: 1 << 6)
    /// Control bytes (NUL, ESC, DEL, …) inside the text.
    public static let controlBytes = ReplyAnomalies(rawValue: 1 << 7)
    /// Longer than the 512 octets of RFC 5321 §4.5.3.1.5.
    public static let overLong = ReplyAnomalies(rawValue: 1 << 8)
    /// Longer than ``SMTPLimits/replyLineHardCap``: the rest of the line was dropped.
    public static let truncated = ReplyAnomalies(rawValue: 1 << 9)
    /// The connection ended before the line did.
    public static let unterminated = ReplyAnomalies(rawValue: 1 << 10)
    /// 8-bit text in a reply; allowed only after SMTPUTF8 (RFC 6531 §3.7.4).
    public static let nonASCII = ReplyAnomalies(rawValue: 1 << 11)
    /// The reply carried more lines than ``SMTPLimits/replyLinesHardCap``.
    public static let tooManyLines = ReplyAnomalies(rawValue: 1 << 12)
}

/// How a reply line ended on the wire.
public enum LineEnding: String, Sendable, Hashable, Codable {
    case crlf, lf, none
}

/// The byte after the three-digit code.
public enum ReplySeparator: Sendable, Hashable {
    /// "-": more lines follow.
    case continuation
    /// " " or the end of the line: this is the last line.
    case final
    /// Anything else: smtpx treats the line as the last one.
    case invalid(UInt8)
    /// The line has no code, so no separator either.
    case none
}

/// One line of a reply, with every byte as it arrived.
public struct ReplyLine: Sendable, Hashable {
    /// Exactly the bytes received, including the line ending.
    public let raw: [UInt8]
    /// The three-digit code, or nil when the line does not start with three digits.
    public let code: Int?
    public let separator: ReplySeparator
    public let ending: LineEnding
    public let anomalies: ReplyAnomalies

    public init(raw: [UInt8], code: Int?, separator: ReplySeparator, ending: LineEnding, anomalies: ReplyAnomalies) {
        self.raw = raw
        self.code = code
        self.separator = separator
        self.ending = ending
        self.anomalies = anomalies
    }

    /// The bytes of the line without its ending.
    public var content: ArraySlice<UInt8> {
        switch ending {
        case .crlf: return raw.dropLast(2)
        case .lf: return raw.dropLast(1)
        case .none: return raw[...]
        }
    }

    /// The text after the code and separator, as raw bytes.
    public var textBytes: ArraySlice<UInt8> {
        let body = content
        guard code != nil else { return body }
        return body.dropFirst(min(4, body.count))
    }

    /// The text after the code and separator, decoded as UTF-8 (invalid bytes become U+FFFD).
    public var text: String { String(decoding: textBytes, as: UTF8.self) }

    /// The text after the code and separator, safe to show (``VisibleText``).
    public var visibleText: String { VisibleText.escape(textBytes) }

    /// The whole line without its ending, decoded as UTF-8.
    public var string: String { String(decoding: content, as: UTF8.self) }

    /// The whole line without its ending, safe to show (``VisibleText``).
    public var visibleString: String { VisibleText.escape(content) }

    /// True when this line ends a reply.
    public var isFinal: Bool {
        switch separator {
        case .final, .invalid: return true
        case .continuation, .none: return false
        }
    }
}
