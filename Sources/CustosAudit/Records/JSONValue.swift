import CustosCore
import Foundation

/// A JSON value, decoded without loss of structure (object key order is irrelevant to it).
public indirect enum JSONValue: Sendable, Equatable, Decodable {
    /// `null`.
    case null
    /// `true` / `false`.
    case bool(Bool)
    /// A number (IEEE 754 double, as in I-JSON and RFC 8785).
    case number(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object.
    case object([String: JSONValue])

    /// Decodes any JSON value.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null; return }
        if let b = try? c.decode(Bool.self) { self = .bool(b); return }
        if let d = try? c.decode(Double.self) { self = .number(d); return }
        if let s = try? c.decode(String.self) { self = .string(s); return }
        if let a = try? c.decode([JSONValue].self) { self = .array(a); return }
        if let o = try? c.decode([String: JSONValue].self) { self = .object(o); return }
        throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a JSON value")
    }

    /// Parses JSON text; malformed text is an error.
    public static func parse(_ bytes: [UInt8]) throws -> JSONValue {
        do {
            return try JSONDecoder().decode(JSONValue.self, from: Data(bytes))
        } catch {
            throw CustosError(.invalidInput, "not valid JSON")
        }
    }
}
