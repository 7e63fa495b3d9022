/// What can be wrong with a mailbox address (RFC 5321 §4.1.2, RFC 6531 §3.3).
public enum AddressProblem: Sendable, Hashable {
    case noAt
    case emptyLocalPart
    case emptyDomain
    case localPartTooLong(Int)
    case domainTooLong(Int)
    case pathTooLong(Int)
    /// A character that may not appear unquoted in a local-part.
    case badLocalPartCharacter(Character)
    /// Two dots in a row, or a dot at either end of the local-part.
    case badDots
    case badDomainLabel(String)
    case badAddressLiteral(String)
    /// UTF-8 in the address: allowed only with SMTPUTF8 (RFC 6531).
    case nonASCII
    /// `@relay:user@host` source routes are obsolete (RFC 5321 §4.1.1.3, Appendix F.2).
    case sourceRoute
    case unterminatedQuote
}

/// Checks of mailbox syntax.
public enum Mailbox {
    /// Every problem found in `address`, the text between `<` and `>`.
    public static func problems(in address: String) -> [AddressProblem] {
        var found: [AddressProblem] = []
        var mailbox = Substring(address)
        if mailbox.utf8.count + 2 > SMTPLimits.pathLength {
            found.append(.pathTooLong(mailbox.utf8.count + 2))
        }
        if mailbox.hasPrefix("@"), let colon = mailbox.firstIndex(of: ":") {
            found.append(.sourceRoute)
            mailbox = mailbox[mailbox.index(after: colon)...]
        }
        if !mailbox.unicodeScalars.allSatisfy(\.isASCII) { found.append(.nonASCII) }

        guard let at = lastAt(in: mailbox) else {
            found.append(.noAt)
            return found
        }
        let local = mailbox[..<at]
        let domain = mailbox[mailbox.index(after: at)...]
        found += localPartProblems(local)
        found += domainProblems(domain)
        return found
    }

    /// The `@` that separates local-part and domain: the last one outside quotes.
    private static func lastAt(in mailbox: Substring) -> Substring.Index? {
        var quoted = false
        var escaped = false
        var result: Substring.Index?
        for index in mailbox.indices {
            let c = mailbox[index]
            if escaped { escaped = false; continue }
            if c == "\\" && quoted { escaped = true; continue }
            if c == "\"" { quoted.toggle(); continue }
            if c == "@" && !quoted { result = index }
        }
        return result
    }

    private static let atextSymbols = Set("!#$%&'*+-/=?^_`{|}~")

    static func localPartProblems(_ local: Substring) -> [AddressProblem] {
        if local.isEmpty { return [.emptyLocalPart] }
        var found: [AddressProblem] = []
        if local.utf8.count > SMTPLimits.localPartLength {
            found.append(.localPartTooLong(local.utf8.count))
        }
        if local.hasPrefix("\"") {
            if local.count < 2 || !local.hasSuffix("\"") { found.append(.unterminatedQuote) }
            return found
        }
        if local.hasPrefix(".") || local.hasSuffix(".") || local.contains("..") {
            found.append(.badDots)
        }
        if let bad = local.first(where: { c in
            !(c.isASCII ? (c.isLetter || c.isNumber || c == "." || atextSymbols.contains(c)) : !c.isWhitespace)
        }) {
            found.append(.badLocalPartCharacter(bad))
        }
        return found
    }

    static func domainProblems(_ domain: Substring) -> [AddressProblem] {
        if domain.isEmpty { return [.emptyDomain] }
        if domain.hasPrefix("[") {
            return isAddressLiteral(domain) ? [] : [.badAddressLiteral(String(domain))]
        }
        var found: [AddressProblem] = []
        if domain.utf8.count > SMTPLimits.domainLength { found.append(.domainTooLong(domain.utf8.count)) }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        if let bad = labels.first(where: { !isDomainLabel($0) }) {
            found.append(.badDomainLabel(String(bad)))
        }
        return found
    }

    /// `sub-domain = Let-dig [Ldh-str]`, with UTF-8 letters allowed as U-labels (RFC 6531).
    static func isDomainLabel(_ label: Substring) -> Bool {
        guard !label.isEmpty, label.utf8.count <= 63,
              let first = label.first, let last = label.last,
              first != "-", last != "-" else { return false }
        return label.allSatisfy { c in c.isASCII ? (c.isLetter || c.isNumber || c == "-") : c.isLetter || c.isNumber }
    }

    /// `[192.0.2.1]`, `[IPv6:2001:db8::1]` or a general `[tag:content]` literal.
    static func isAddressLiteral(_ literal: Substring) -> Bool {
        guard literal.hasPrefix("["), literal.hasSuffix("]"), literal.count > 2 else { return false }
        let inner = literal.dropFirst().dropLast()
        let octets = inner.split(separator: ".", omittingEmptySubsequences: false)
        if octets.count == 4, octets.allSatisfy({ Int($0).map { (0...255).contains($0) } ?? false }) {
            return true
        }
        if inner.uppercased().hasPrefix("IPV6:") {
            let address = inner.dropFirst(5)
            return !address.isEmpty && address.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
                && address.contains(":")
        }
        if let colon = inner.firstIndex(of: ":") {
            return isDomainLabel(inner[..<colon]) && inner.index(after: colon) < inner.endIndex
        }
        return false
    }
}
