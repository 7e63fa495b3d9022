/// What is wrong with a name given to look up.
public enum DomainNameProblem: Error, Sendable, Hashable {
    case empty
    /// `user@` or `@example.org`.
    case badAddress(String)
    case emptyLabel
    /// A label over 63 octets (RFC 1035 §2.3.4).
    case labelTooLong(String)
    /// Over 253 octets in all.
    case nameTooLong(Int)
    /// A character no host name may hold (RFC 952, RFC 1123 §2.1), after IDNA.
    case badCharacter(Character)
    /// A label that starts or ends with a hyphen.
    case hyphenAtEdge(String)
    /// IDNA could not turn the name into an A-label (RFC 5891).
    case notConvertible(String)
}

/// Host names as mail routing takes them: the domain of an address, checked label by label.
public enum DomainName {
    /// The domain to look up for `input`: the part after the last `@` of an address, or the
    /// name itself; lowercased, without a trailing dot. The name must already be ASCII (an
    /// A-label); `check` says what is wrong with it.
    public static func target(of input: String) -> Result<String, DomainNameProblem> {
        var name = input.trimmingSpaces
        if name.hasPrefix("<") && name.hasSuffix(">") { name = String(name.dropFirst().dropLast()) }
        if name.isEmpty { return .failure(.empty) }
        if let at = name.lastIndex(of: "@") {
            let domain = String(name[name.index(after: at)...])
            let local = name[..<at]
            if domain.isEmpty || local.isEmpty { return .failure(.badAddress(input)) }
            name = domain
        }
        if name.hasSuffix(".") && name.count > 1 { name.removeLast() }
        return .success(name)
    }

    /// The problems of an ASCII name, or nil.
    public static func check(_ name: String) -> DomainNameProblem? {
        if name.isEmpty { return .empty }
        if name.utf8.count > 253 { return .nameTooLong(name.utf8.count) }
        for label in name.split(separator: ".", omittingEmptySubsequences: false) {
            if label.isEmpty { return .emptyLabel }
            if label.utf8.count > 63 { return .labelTooLong(String(label)) }
            if let bad = label.first(where: { !($0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_")) }) {
                return .badCharacter(bad)
            }
            if label.hasPrefix("-") || label.hasSuffix("-") { return .hyphenAtEdge(String(label)) }
        }
        return nil
    }
}
