import CustosCore
import Foundation

/// Decodes request and response bodies of the OpenAI wire format, turning every failure into a `CustosError`
/// that names the JSON path (`$.messages[2].content`) where the body went wrong.
public enum WireDecoding {
    /// Decodes `bytes` as `T`; `what` names the body in messages ("chat request", "upstream response").
    public static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8], what: String) throws -> T {
        guard !bytes.isEmpty else { throw CustosError(.invalidInput, "\(what): empty body, expected a JSON object") }
        if let offset = UTF8Validation.firstInvalidOffset(bytes) {
            throw CustosError(.invalidInput, "\(what): invalid UTF-8", at: SourceLocation(byteOffset: offset))
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw describe(error, what: what)
        } catch let error as CustosError {
            throw error
        } catch {
            throw CustosError(.invalidInput, "\(what): \(error)")
        }
    }

    /// Parses a body as a JSON value (the gateway's fast path: one pass, no Codable); errors say `what` and give
    /// the byte offset, with `$` as the path.
    public static func json(_ bytes: [UInt8], what: String) throws -> JSONValue {
        guard !bytes.isEmpty else { throw CustosError(.invalidInput, "\(what): empty body, expected a JSON object", at: SourceLocation(jsonPath: "$")) }
        do {
            return try JSONValue.parse(bytes)
        } catch let error as CustosError {
            var location = error.location ?? SourceLocation()
            location.jsonPath = "$"
            throw CustosError(.invalidInput, "\(what): \(error.message)", at: location)
        }
    }

    /// `$` followed by `.key` and `[index]` parts.
    public static func path(_ codingPath: [any CodingKey]) -> String {
        var out = "$"
        for key in codingPath {
            if let index = key.intValue { out += "[\(index)]" } else { out += ".\(key.stringValue)" }
        }
        return out
    }

    static func describe(_ error: DecodingError, what: String) -> CustosError {
        switch error {
        case .keyNotFound(let key, let context):
            let path = path(context.codingPath + [key])
            return CustosError(.invalidInput, "\(what): missing required field '\(key.stringValue)'",
                               at: SourceLocation(jsonPath: path))
        case .typeMismatch(let type, let context):
            return CustosError(.invalidInput, "\(what): expected \(typeName(type))\(detail(context))",
                               at: SourceLocation(jsonPath: path(context.codingPath)))
        case .valueNotFound(let type, let context):
            return CustosError(.invalidInput, "\(what): expected \(typeName(type)), found null",
                               at: SourceLocation(jsonPath: path(context.codingPath)))
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                return CustosError(.invalidInput, "\(what): not valid JSON\(syntaxDetail(context))",
                                   at: SourceLocation(jsonPath: "$"))
            }
            return CustosError(.invalidInput, "\(what): \(context.debugDescription)",
                               at: SourceLocation(jsonPath: path(context.codingPath)))
        @unknown default:
            return CustosError(.invalidInput, "\(what): \(error)")
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Bool.Type: return "a boolean"
        case is Int.Type, is Double.Type, is Float.Type: return "a number"
        case is [Any].Type: return "an array"
        default:
            let name = "\(type)"
            if name.hasPrefix("Array") { return "an array" }
            if name.hasPrefix("Dictionary") { return "an object" }
            return "a \(name)"
        }
    }

    private static func detail(_ context: DecodingError.Context) -> String {
        context.debugDescription.hasPrefix("Expected to decode") ? "" : " (\(context.debugDescription))"
    }

    private static func syntaxDetail(_ context: DecodingError.Context) -> String {
        if let underlying = context.underlyingError as NSError?,
           let reason = underlying.userInfo[NSDebugDescriptionErrorKey] as? String {
            return " (\(reason))"
        }
        return ""
    }
}

/// A string or an array of strings, as OpenAI accepts for `input` and `stop`.
public enum StringOrArray: Sendable, Equatable, Codable {
    /// One string.
    case one(String)
    /// Several strings.
    case many([String])

    /// The strings, in order.
    public var strings: [String] {
        switch self {
        case .one(let s): return [s]
        case .many(let a): return a
        }
    }

    /// Decodes a string or an array of strings.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let s = try? c.decode(String.self) { self = .one(s); return }
        self = .many(try c.decode([String].self))
    }

    /// Encodes as it was given.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .one(let s): try c.encode(s)
        case .many(let a): try c.encode(a)
        }
    }
}
