/// A MAIL or RCPT parameter that a service extension defines, and what its value must be.
public struct ESMTPParameterSpec: Sendable {
    public enum Value: Sendable {
        /// No value: `SMTPUTF8`.
        case none
        /// Decimal digits: `SIZE=12345`.
        case number
        /// One of a fixed list, any case: `BODY=8BITMIME`.
        case oneOf([String])
        /// A comma-separated list from a fixed set, or a single exclusive word (`NOTIFY`).
        case listOf([String], exclusive: String)
        /// Any non-empty text (xtext, a date, …).
        case text
        /// An integer in a range: `MT-PRIORITY=-9`…`9`.
        case integer(ClosedRange<Int>)
    }

    public let keyword: String
    public let verb: Verb
    /// The EHLO keyword that must be advertised first.
    public let extensionKeyword: String
    public let value: Value
    public let reference: String

    /// The parameters of the registered extensions that a client can meet.
    public static let all: [ESMTPParameterSpec] = [
        .init(keyword: "SIZE", verb: .mail, extensionKeyword: "SIZE", value: .number, reference: "RFC 1870 §6"),
        .init(keyword: "BODY", verb: .mail, extensionKeyword: "8BITMIME",
              value: .oneOf(["7BIT", "8BITMIME", "BINARYMIME"]), reference: "RFC 6152 §2; RFC 3030 §3"),
        .init(keyword: "SMTPUTF8", verb: .mail, extensionKeyword: "SMTPUTF8", value: .none, reference: "RFC 6531 §3.4"),
        .init(keyword: "RET", verb: .mail, extensionKeyword: "DSN", value: .oneOf(["FULL", "HDRS"]),
              reference: "RFC 3461 §4.3"),
        .init(keyword: "ENVID", verb: .mail, extensionKeyword: "DSN", value: .text, reference: "RFC 3461 §4.4"),
        .init(keyword: "AUTH", verb: .mail, extensionKeyword: "AUTH", value: .text, reference: "RFC 4954 §5"),
        .init(keyword: "BY", verb: .mail, extensionKeyword: "DELIVERBY", value: .text, reference: "RFC 2852 §4"),
        .init(keyword: "MT-PRIORITY", verb: .mail, extensionKeyword: "MT-PRIORITY", value: .integer(-9...9),
              reference: "RFC 6710 §3"),
        .init(keyword: "REQUIRETLS", verb: .mail, extensionKeyword: "REQUIRETLS", value: .none,
              reference: "RFC 8689 §4.1"),
        .init(keyword: "HOLDFOR", verb: .mail, extensionKeyword: "FUTURERELEASE", value: .number,
              reference: "RFC 4865 §3"),
        .init(keyword: "HOLDUNTIL", verb: .mail, extensionKeyword: "FUTURERELEASE", value: .text,
              reference: "RFC 4865 §3"),
        .init(keyword: "MTRK", verb: .mail, extensionKeyword: "MTRK", value: .text, reference: "RFC 3885 §3"),
        .init(keyword: "NOTIFY", verb: .rcpt, extensionKeyword: "DSN",
              value: .listOf(["SUCCESS", "FAILURE", "DELAY"], exclusive: "NEVER"), reference: "RFC 3461 §4.1"),
        .init(keyword: "ORCPT", verb: .rcpt, extensionKeyword: "DSN", value: .text, reference: "RFC 3461 §4.2"),
        .init(keyword: "RRVS", verb: .rcpt, extensionKeyword: "RRVS", value: .text, reference: "RFC 7293 §3"),
    ]

    public static func find(_ keyword: String, for verb: Verb) -> ESMTPParameterSpec? {
        let upper = keyword.uppercased()
        let verb: Verb = (verb == .send || verb == .soml || verb == .saml) ? .mail : verb
        return all.first { $0.keyword == upper && $0.verb == verb }
    }

    /// Whether `value` fits this parameter.
    public func accepts(_ value: String?) -> Bool {
        switch self.value {
        case .none: return value == nil
        case .number:
            guard let value, !value.isEmpty else { return false }
            return value.allSatisfy { $0.isASCII && $0.isNumber }
        case .oneOf(let words):
            guard let value else { return false }
            return words.contains(value.uppercased())
        case .listOf(let words, let exclusive):
            guard let value, !value.isEmpty else { return false }
            if value.uppercased() == exclusive { return true }
            return value.split(separator: ",", omittingEmptySubsequences: false)
                .allSatisfy { words.contains($0.uppercased()) }
        case .text:
            guard let value else { return false }
            return !value.isEmpty
        case .integer(let range):
            guard let value, let number = Int(value) else { return false }
            return range.contains(number)
        }
    }
}
