import Foundation

/// The languages smtpx speaks.
public enum Language: String, CaseIterable, Sendable, Codable {
    case en, zh

    /// The language the environment asks for: `LC_ALL`, then `LC_MESSAGES`, then `LANG`;
    /// Chinese when the first one set starts with `zh`, English otherwise.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment)
        -> Language {
        for key in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let value = environment[key], !value.isEmpty {
                return value.lowercased().hasPrefix("zh") ? .zh : .en
            }
        }
        return .en
    }
}

/// A text in every language smtpx speaks. Both are required, so none can be missing.
public struct Localized: Sendable, Hashable {
    public let en: String
    public let zh: String

    public init(_ en: String, _ zh: String) {
        self.en = en
        self.zh = zh
    }

    public subscript(language: Language) -> String {
        switch language {
        case .en: return en
        case .zh: return zh
        }
    }

    /// Fills `{0}`, `{1}`, … in both languages.
    public func format(_ arguments: CustomStringConvertible...) -> Localized {
        func fill(_ text: String) -> String {
            var result = text
            for (index, argument) in arguments.enumerated() {
                result = result.replacingOccurrences(of: "{\(index)}", with: argument.description)
            }
            return result
        }
        return Localized(fill(en), fill(zh))
    }
}

extension Localized {
    /// This text followed by `other`, language by language.
    public func appending(_ other: Localized, separator: String = "") -> Localized {
        Localized(en + separator + other.en, zh + (separator.isEmpty ? "" : separator) + other.zh)
    }
}

typealias L = Localized
