import Foundation

/// A JSON value with object keys in the order they were given, so records come out with a
/// fixed key order; strings are written with ``TranscriptFormat/quote(_:)``, which escapes
/// controls and every invisible scalar of the display policy.
public enum JSONValue: Sendable, Hashable {
    case string(String)
    case int(Int)
    case number(Double)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool { a.serialized == b.serialized }
    public func hash(into hasher: inout Hasher) { hasher.combine(serialized) }

    /// The value on one line.
    public var serialized: String {
        switch self {
        case .string(let text): return TranscriptFormat.quote(text)
        case .int(let value): return String(value)
        case .number(let value):
            if value.isFinite, value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
            return value.isFinite ? String(value) : "null"
        case .bool(let value): return value ? "true" : "false"
        case .null: return "null"
        case .array(let values): return "[" + values.map(\.serialized).joined(separator: ",") + "]"
        case .object(let fields):
            return "{" + fields.map { TranscriptFormat.quote($0.0) + ":" + $0.1.serialized }.joined(separator: ",") + "}"
        }
    }

    /// Parses one JSON document.
    public static func parse(_ text: String) -> JSONValue? {
        JSONReader.parse(Array(text.utf8))
    }

    /// Parses one JSON document from its bytes.
    public static func parse(bytes: [UInt8]) -> JSONValue? {
        JSONReader.parse(bytes)
    }

    public subscript(key: String) -> JSONValue? {
        guard case .object(let fields) = self else { return nil }
        return fields.first { $0.0 == key }?.1
    }

    public var string: String? { if case .string(let text) = self { return text } else { return nil } }
    public var int: Int? {
        switch self {
        case .int(let value): return value
        case .number(let value): return Int(exactly: value.rounded())
        default: return nil
        }
    }
    public var double: Double? {
        switch self {
        case .int(let value): return Double(value)
        case .number(let value): return value
        default: return nil
        }
    }
    public var bool: Bool? { if case .bool(let value) = self { return value } else { return nil } }
    public var array: [JSONValue]? { if case .array(let values) = self { return values } else { return nil } }
}
