import CustosCore

/// A scanner option value from a policy file, with the line it was written on.
public indirect enum PolicyValue: Sendable, Equatable, Codable {
    /// A scalar (YAML keeps numbers and booleans as text until an option asks for a type).
    case scalar(String)
    /// A list.
    case list([PolicyValue])
    /// A mapping.
    case map([String: PolicyValue])

    /// Encodes as the plain JSON value (used for the version hash).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .scalar(let text): try container.encode(text)
        case .list(let items): try container.encode(items)
        case .map(let entries): try container.encode(entries)
        }
    }

    /// Decodes a plain JSON value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .scalar(text)
        } else if let items = try? container.decode([PolicyValue].self) {
            self = .list(items)
        } else {
            self = .map(try container.decode([String: PolicyValue].self))
        }
    }
}

/// A scanner's `options:` mapping with typed accessors whose errors name the policy line.
public struct ScannerOptions: Sendable, Equatable, Codable {
    /// Option values by key.
    public var values: [String: PolicyValue]
    /// The line of each key in the policy file (not part of the version hash).
    var lines: [String: Int]
    /// The policy file, for error locations.
    var file: String?
    /// The line of the scanner entry.
    var entryLine: Int?

    /// Options given in code.
    public init(_ values: [String: PolicyValue] = [:]) {
        self.values = values
        lines = [:]
    }

    init(values: [String: PolicyValue], lines: [String: Int], file: String?, entryLine: Int?) {
        self.values = values
        self.lines = lines
        self.file = file
        self.entryLine = entryLine
    }

    /// Encodes only the values (locations do not change what a policy does).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(values)
    }

    /// Decodes values.
    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode([String: PolicyValue].self))
    }

    /// Where `key` (or the scanner entry) is in the policy file.
    public func location(_ key: String?) -> SourceLocation {
        SourceLocation(file: file, line: key.flatMap { lines[$0] } ?? entryLine, column: key)
    }

    /// Fails on keys the scanner does not know.
    public func allowOnly(_ keys: Set<String>, scanner: String) throws {
        try allowOnly(keys, in: "scanner '\(scanner)'", noun: "option")
    }

    /// Fails on keys not in `keys`, naming `context` ("scanner 'pii'", "custos.yaml") and the known keys.
    public func allowOnly(_ keys: Set<String>, in context: String, noun: String = "key") throws {
        for key in values.keys.sorted() where !keys.contains(key) {
            let known = keys.isEmpty ? "none" : keys.sorted().joined(separator: ", ")
            throw CustosError(.invalidInput, "unknown \(noun) '\(key)' for \(context) (known: \(known))", at: location(key))
        }
    }

    /// A text option.
    public func string(_ key: String) throws -> String? {
        guard let value = values[key] else { return nil }
        guard case .scalar(let text) = value else { throw CustosError(.invalidInput, "option '\(key)' must be text", at: location(key)) }
        return text
    }

    /// A list of texts (a single text is a list of one).
    public func strings(_ key: String) throws -> [String] {
        guard let value = values[key] else { return [] }
        switch value {
        case .scalar(let text): return [text]
        case .list(let items):
            return try items.map {
                guard case .scalar(let text) = $0 else {
                    throw CustosError(.invalidInput, "option '\(key)' must be a list of texts", at: location(key))
                }
                return text
            }
        case .map: throw CustosError(.invalidInput, "option '\(key)' must be a list of texts", at: location(key))
        }
    }

    /// A positive integer option.
    public func positiveInt(_ key: String) throws -> Int? {
        guard let text = try string(key) else { return nil }
        guard let n = Int(text), n > 0 else {
            throw CustosError(.invalidInput, "option '\(key)' must be a positive integer, got '\(text)'", at: location(key))
        }
        return n
    }

    /// A number option in `range`.
    public func number(_ key: String, in range: ClosedRange<Double>) throws -> Double? {
        guard let text = try string(key) else { return nil }
        guard let x = Double(text), range.contains(x) else {
            throw CustosError(.invalidInput, "option '\(key)' must be a number in \(range.lowerBound)...\(range.upperBound), got '\(text)'",
                              at: location(key))
        }
        return x
    }
}
