/// An RFC 3463 enhanced status code, `class.subject.detail`, as RFC 2034 puts it at the
/// start of a reply's text.
public struct EnhancedStatusCode: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    /// 2 success, 4 persistent transient failure, 5 permanent failure.
    public let statusClass: Int
    /// 0 to 7 in the registry; up to three digits by the grammar.
    public let subject: Int
    /// Up to three digits.
    public let detail: Int

    public init(statusClass: Int, subject: Int, detail: Int) {
        self.statusClass = statusClass
        self.subject = subject
        self.detail = detail
    }

    /// Parses `d.ddd.ddd` exactly (RFC 3463 §2: class is 2, 4 or 5; subject and detail
    /// are one to three digits without leading zeros beyond the first).
    public init?(_ string: some StringProtocol) {
        let parts = string.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3,
              parts[0].count == 1, let c = Int(parts[0]), [2, 4, 5].contains(c),
              Self.isNumber(parts[1]), let s = Int(parts[1]),
              Self.isNumber(parts[2]), let d = Int(parts[2])
        else { return nil }
        self.init(statusClass: c, subject: s, detail: d)
    }

    /// Finds an enhanced code at the start of a reply's text: `5.1.1 User unknown`.
    /// Returns the code and the number of bytes it took, including one following space.
    public static func parsePrefix(_ text: ArraySlice<UInt8>) -> (EnhancedStatusCode, Int)? {
        var index = text.startIndex
        var numbers: [Int] = []
        var digits = 0
        var value = 0
        while index < text.endIndex, numbers.count < 3 {
            let byte = text[index]
            if byte >= 0x30 && byte <= 0x39 {
                digits += 1
                guard digits <= 3 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            } else if byte == 0x2E && numbers.count < 2 && digits > 0 {
                numbers.append(value)
                digits = 0
                value = 0
            } else {
                break
            }
            index += 1
        }
        guard numbers.count == 2, digits > 0 else { return nil }
        numbers.append(value)
        if index < text.endIndex {
            let next = text[index]
            guard next == 0x20 || next == 0x09 else { return nil }
            index += 1
        }
        guard [2, 4, 5].contains(numbers[0]), String(numbers[0]).count == 1 else { return nil }
        return (EnhancedStatusCode(statusClass: numbers[0], subject: numbers[1], detail: numbers[2]),
                index - text.startIndex)
    }

    private static func isNumber(_ s: some StringProtocol) -> Bool {
        !s.isEmpty && s.count <= 3 && s.allSatisfy { $0.isASCII && $0.isNumber }
    }

    public var description: String { "\(statusClass).\(subject).\(detail)" }

    /// The registry form with the class left open: `X.1.1`.
    public var registryKey: String { "X.\(subject).\(detail)" }

    public static func < (a: Self, b: Self) -> Bool {
        (a.statusClass, a.subject, a.detail) < (b.statusClass, b.subject, b.detail)
    }

    public init(from decoder: any Decoder) throws {
        let string = try decoder.singleValueContainer().decode(String.self)
        guard let code = EnhancedStatusCode(string) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "not an enhanced status code: \(string)"))
        }
        self = code
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
