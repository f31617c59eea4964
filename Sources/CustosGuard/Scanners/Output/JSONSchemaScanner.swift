import CustosCore
import Foundation

/// JSON validity: the answer must parse as JSON (a ```json fence around it is accepted) and satisfy the JSON
/// Schema from the policy. Supported keywords: type, properties, required, additionalProperties (boolean),
/// items, enum, const, minimum, maximum, minLength, maxLength, minItems, maxItems.
public struct JSONSchemaScanner: Scanner {
    /// Registry name.
    public let name = "json_schema"
    /// Invalid is a positive.
    public let defaultThreshold = 0.5
    let schema: SchemaValue

    /// Parses the schema (JSON text); an invalid schema is an error at `location`.
    public init(schemaText: String, location: SourceLocation? = nil) throws {
        guard let value = SchemaValue.parse(schemaText), case .object = value else {
            throw CustosError(.invalidInput, "option 'schema' must be a JSON object (a JSON Schema)", at: location)
        }
        schema = value
    }

    /// Score 1 with one finding per violation (spanning the whole answer), 0 when valid.
    public func scan(_ input: ScanInput) throws -> ScanResult {
        let count = input.text.unicodeScalars.count
        guard let document = SchemaValue.parse(Self.stripFence(input.text)) else {
            return ScanResult(score: 1, findings: [Finding(start: 0, end: count, type: "invalid_json")])
        }
        var violations: [String] = []
        validate(document, against: schema, path: "$", into: &violations)
        return ScanResult(score: violations.isEmpty ? 0 : 1,
                          findings: violations.map { Finding(start: 0, end: count, type: "schema_violation: \($0)") })
    }

    static func stripFence(_ text: String) -> String {
        var trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("```") {
            if let newline = trimmed.firstIndex(of: "\n") { trimmed = String(trimmed[trimmed.index(after: newline)...]) }
            if trimmed.hasSuffix("```") { trimmed = String(trimmed.dropLast(3)) }
        }
        return trimmed
    }

    private func validate(_ value: SchemaValue, against schema: SchemaValue, path: String, into violations: inout [String]) {
        guard case .object(let rules) = schema else { return }
        if case .string(let type)? = rules["type"], !value.hasType(type) {
            violations.append("\(path) is not of type \(type)")
            return
        }
        if case .array(let options)? = rules["enum"], !options.contains(value) { violations.append("\(path) is not one of the allowed values") }
        if let constant = rules["const"], constant != value { violations.append("\(path) is not the required constant") }
        switch value {
        case .number(let x):
            if case .number(let low)? = rules["minimum"], x < low { violations.append("\(path) is below \(low)") }
            if case .number(let high)? = rules["maximum"], x > high { violations.append("\(path) is above \(high)") }
        case .string(let s):
            if case .number(let low)? = rules["minLength"], Double(s.count) < low { violations.append("\(path) is shorter than \(Int(low))") }
            if case .number(let high)? = rules["maxLength"], Double(s.count) > high { violations.append("\(path) is longer than \(Int(high))") }
        case .array(let items):
            if case .number(let low)? = rules["minItems"], Double(items.count) < low { violations.append("\(path) has fewer than \(Int(low)) items") }
            if case .number(let high)? = rules["maxItems"], Double(items.count) > high { violations.append("\(path) has more than \(Int(high)) items") }
            if let itemSchema = rules["items"] {
                for (k, item) in items.enumerated() { validate(item, against: itemSchema, path: "\(path)[\(k)]", into: &violations) }
            }
        case .object(let fields):
            if case .array(let required)? = rules["required"] {
                for case .string(let key) in required where fields[key] == nil { violations.append("\(path).\(key) is required") }
            }
            let properties: [String: SchemaValue]
            if case .object(let p)? = rules["properties"] { properties = p } else { properties = [:] }
            for key in fields.keys.sorted() {
                if let sub = properties[key], let field = fields[key] {
                    validate(field, against: sub, path: "\(path).\(key)", into: &violations)
                } else if case .bool(false)? = rules["additionalProperties"] {
                    violations.append("\(path).\(key) is not allowed")
                }
            }
        default: break
        }
    }
}

/// A parsed JSON value (schemas and documents).
indirect enum SchemaValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([SchemaValue])
    case object([String: SchemaValue])

    /// Parses JSON text (any top-level value); nil when it is not JSON.
    static func parse(_ text: String) -> SchemaValue? {
        guard let any = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) else { return nil }
        return SchemaValue(any)
    }

    init?(_ any: Any) {
        switch any {
        case is NSNull: self = .null
        case let n as NSNumber:
            // JSONSerialization returns booleans as NSNumber too; their Objective-C type is "c" (char).
            if String(cString: n.objCType) == "c" { self = .bool(n.boolValue) } else { self = .number(n.doubleValue) }
        case let s as String: self = .string(s)
        case let a as [Any]:
            var items: [SchemaValue] = []
            for element in a {
                guard let v = SchemaValue(element) else { return nil }
                items.append(v)
            }
            self = .array(items)
        case let d as [String: Any]:
            var fields: [String: SchemaValue] = [:]
            for (k, element) in d {
                guard let v = SchemaValue(element) else { return nil }
                fields[k] = v
            }
            self = .object(fields)
        default: return nil
        }
    }

    func hasType(_ type: String) -> Bool {
        switch (type, self) {
        case ("null", .null), ("boolean", .bool), ("number", .number), ("string", .string), ("array", .array), ("object", .object): return true
        case ("integer", .number(let x)): return x == x.rounded()
        default: return false
        }
    }
}
