/// One line of an EHLO reply after the first: a keyword and its parameters (RFC 5321 §4.1.1.1).
public struct Capability: Sendable, Hashable {
    /// The keyword in upper case. For the pre-standard `AUTH=LOGIN PLAIN` form the keyword
    /// is `AUTH` and ``legacyEquals`` is set.
    public let keyword: String
    public let parameters: [String]
    /// Written `KEYWORD=param`, as servers did for clients of a draft of RFC 2554.
    public let legacyEquals: Bool
    /// The line's text as the server sent it.
    public let text: String

    public init(text: String) {
        self.text = text
        let tokens = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        let first = tokens.first ?? ""
        if let equals = first.firstIndex(of: "="), equals != first.startIndex {
            keyword = first[..<equals].uppercased()
            let inline = String(first[first.index(after: equals)...])
            parameters = (inline.isEmpty ? [] : [inline]) + tokens.dropFirst()
            legacyEquals = true
        } else {
            keyword = first.uppercased()
            parameters = Array(tokens.dropFirst())
            legacyEquals = false
        }
    }
}

/// What a server said it supports in its EHLO reply.
public struct Capabilities: Sendable, Hashable {
    /// The domain the server named on the first line.
    public let domain: String
    /// The rest of the first line after the domain (often a greeting).
    public let greeting: String
    public let items: [Capability]

    /// Read from the escaped text of each line (``VisibleText``): what the server named
    /// itself and announced is safe to show wherever it goes.
    public init(ehloReply reply: Reply) {
        let texts = reply.visibleTexts
        let first = texts.first ?? ""
        let parts = first.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        domain = parts.first.map(String.init) ?? ""
        greeting = parts.count > 1 ? String(parts[1]) : ""
        items = texts.dropFirst().map(Capability.init(text:)).filter { !$0.keyword.isEmpty }
    }

    public init(domain: String = "", greeting: String = "", items: [Capability]) {
        self.domain = domain
        self.greeting = greeting
        self.items = items
    }

    public static let none = Capabilities(items: [])

    public func has(_ keyword: String) -> Bool {
        let upper = keyword.uppercased()
        return items.contains { $0.keyword == upper }
    }

    /// The parameters of every line with this keyword, joined.
    public func parameters(of keyword: String) -> [String]? {
        let upper = keyword.uppercased()
        let matching = items.filter { $0.keyword == upper }
        return matching.isEmpty ? nil : matching.flatMap(\.parameters)
    }

    /// SIZE's parameter (RFC 1870 §4): the largest message in octets; 0 means no fixed limit.
    public var sizeLimit: Int? {
        guard let parameters = parameters(of: "SIZE") else { return nil }
        return parameters.first.flatMap { Int($0) }
    }

    /// The SASL mechanisms from `AUTH` and the legacy `AUTH=` lines, upper-cased, in order.
    public var authMechanisms: [String] {
        var seen: [String] = []
        for mechanism in (parameters(of: "AUTH") ?? []).map({ $0.uppercased() }) where !seen.contains(mechanism) {
            seen.append(mechanism)
        }
        return seen
    }

    /// How two EHLO replies differ (typically before and after STARTTLS).
    public func changes(from before: Capabilities) -> CapabilityChanges {
        let beforeKeys = before.items.map(\.keyword)
        let afterKeys = items.map(\.keyword)
        let added = items.filter { !beforeKeys.contains($0.keyword) }
        let removed = before.items.filter { !afterKeys.contains($0.keyword) }
        var changed: [(before: Capability, after: Capability)] = []
        for item in items {
            if let old = before.items.first(where: { $0.keyword == item.keyword }),
               old.parameters != item.parameters {
                changed.append((old, item))
            }
        }
        return CapabilityChanges(added: added, removed: removed, changed: changed)
    }
}

/// The result of comparing two EHLO replies.
public struct CapabilityChanges: Sendable {
    public let added: [Capability]
    public let removed: [Capability]
    public let changed: [(before: Capability, after: Capability)]

    public var isEmpty: Bool { added.isEmpty && removed.isEmpty && changed.isEmpty }
}
