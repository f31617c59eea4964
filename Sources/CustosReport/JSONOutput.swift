import Foundation

/// The one way Custos turns results into JSON: sorted keys, unescaped slashes, ISO 8601 dates, pretty or compact.
public enum JSONOutput {
    /// A `JSONEncoder` with sorted keys and `.withoutEscapingSlashes`, pretty-printed when `pretty` is true.
    ///
    /// Keys are written as declared: result types choose their snake_case names with `CodingKeys`,
    /// so decoding with a plain `JSONDecoder` round-trips.
    public static func encoder(pretty: Bool = true) -> JSONEncoder {
        let encoder = JSONEncoder()
        var formatting: JSONEncoder.OutputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        if pretty { formatting.insert(.prettyPrinted) }
        encoder.outputFormatting = formatting
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    /// Encodes `value` as UTF-8 JSON text (pretty by default, one line when `pretty` is false).
    public static func encode<T: Encodable>(_ value: T, pretty: Bool = true) throws -> String {
        let data = try encoder(pretty: pretty).encode(value)
        return String(decoding: data, as: UTF8.self)
    }
}
