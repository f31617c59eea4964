import Foundation

/// A JSON value, decoded without loss of structure (object key order is irrelevant to it).
public indirect enum JSONValue: Sendable, Equatable, Codable {
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

    /// Encodes the value; integral numbers of magnitude below 2^53 are written without a fraction (`100`, not
    /// `100.0`), so a value read and written again keeps its text.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .number(let d):
            if d.rounded() == d, abs(d) < 9_007_199_254_740_992 { try c.encode(Int64(d)) } else { try c.encode(d) }
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }

    /// The member `key` of an object (`nil` for other values or a missing key).
    public subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    /// The string, when this is one.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The number, when this is one.
    public var numberValue: Double? {
        if case .number(let d) = self { return d }
        return nil
    }

    /// Compact JSON text (keys sorted by their UTF-8 bytes, so equal values give equal bytes); a non-finite
    /// number is an error.
    public func jsonBytes() throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        try JSONText.write(self, into: &out)
        return out
    }

    /// Appends compact JSON text for this value to `out` (as `jsonBytes`, without a new array per value).
    public func appendJSON(to out: inout [UInt8]) throws {
        try JSONText.write(self, into: &out)
    }

    /// Appends `text` as a JSON string literal (quoted, escaped) to `out`.
    public static func appendJSONString(_ text: String, to out: inout [UInt8]) {
        JSONText.writeString(text, into: &out)
    }

    /// Parses JSON text (RFC 8259); malformed text is an error naming the byte offset.
    public static func parse(_ bytes: [UInt8]) throws -> JSONValue {
        try JSONText.parse(bytes)
    }
}
