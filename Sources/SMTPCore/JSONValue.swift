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

    /// Reads what JSONSerialization returned.
    public init?(foundation value: Any) {
        switch value {
        case let text as String: self = .string(text)
        case let number as NSNumber:
            // JSON's true and false come back as NSNumbers whose type is "c" (a C char).
            if String(cString: number.objCType) == "c" { self = .bool(number.boolValue); return }
            let double = number.doubleValue
            self = double == double.rounded() && abs(double) < 1e15 ? .int(Int(double)) : .number(double)
        case let values as [Any]: self = .array(values.compactMap(JSONValue.init(foundation:)))
        case let object as [String: Any]:
            self = .object(object.keys.sorted().compactMap { key in
                JSONValue(foundation: object[key] as Any).map { (key, $0) }
            })
        case is NSNull: self = .null
        default: return nil
        }
    }

    /// Parses one JSON document.
    public static func parse(_ text: String) -> JSONValue? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) else {
            return nil
        }
        return JSONValue(foundation: object)
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
