import Foundation

/// The storage type of a column.
public enum ColumnType: String, Sendable, Codable, CaseIterable {
    /// 64-bit floating point numbers.
    case double
    /// 64-bit integers.
    case int
    /// UTF-8 text.
    case string
    /// `true` / `false`.
    case bool
}

/// Typed values of one column; `nil` is a missing value.
public enum ColumnValues: Sendable, Equatable {
    /// Floating point values.
    case double([Double?])
    /// Integer values.
    case int([Int?])
    /// Text values.
    case string([String?])
    /// Boolean values.
    case bool([Bool?])
}

/// One named, typed column of a `Table`.
public struct Column: Sendable, Equatable {
    /// The column's name (unique within its table).
    public var name: String
    /// The values, typed.
    public var values: ColumnValues

    /// Creates a column.
    public init(name: String, values: ColumnValues) {
        self.name = name
        self.values = values
    }

    /// The storage type.
    public var type: ColumnType {
        switch values {
        case .double: return .double
        case .int: return .int
        case .string: return .string
        case .bool: return .bool
        }
    }

    /// Number of values, missing ones included.
    public var count: Int {
        switch values {
        case .double(let v): return v.count
        case .int(let v): return v.count
        case .string(let v): return v.count
        case .bool(let v): return v.count
        }
    }

    /// Whether the value at `index` is missing.
    public func isMissing(_ index: Int) -> Bool {
        switch values {
        case .double(let v): return v[index] == nil
        case .int(let v): return v[index] == nil
        case .string(let v): return v[index] == nil
        case .bool(let v): return v[index] == nil
        }
    }

    /// Number of missing values.
    public var missingCount: Int {
        (0..<count).reduce(0) { $0 + (isMissing($1) ? 1 : 0) }
    }

    /// The value at `index` as text (`nil` when missing). Integers print without a decimal point,
    /// doubles in their shortest round-tripping form, booleans as `true`/`false`.
    public func string(at index: Int) -> String? {
        switch values {
        case .double(let v): return v[index].map(Column.format)
        case .int(let v): return v[index].map { String($0) }
        case .string(let v): return v[index]
        case .bool(let v): return v[index].map { $0 ? "true" : "false" }
        }
    }

    /// The value at `index` as a number, or `nil` when missing or not numeric.
    public func double(at index: Int) -> Double? {
        switch values {
        case .double(let v): return v[index]
        case .int(let v): return v[index].map(Double.init)
        case .bool(let v): return v[index].map { $0 ? 1 : 0 }
        case .string(let v): return v[index].flatMap(Column.parseDouble)
        }
    }

    /// All values as numbers; a value that is present but not a number is an error naming its row.
    public func doubles() throws -> [Double?] {
        switch values {
        case .double(let v): return v
        case .int(let v): return v.map { $0.map(Double.init) }
        case .bool(let v): return v.map { $0.map { $0 ? 1 : 0 } }
        case .string(let v):
            var out: [Double?] = []
            out.reserveCapacity(v.count)
            for (i, text) in v.enumerated() {
                guard let text else { out.append(nil); continue }
                guard let number = Column.parseDouble(text) else {
                    throw CustosError(
                        .invalidInput, "cannot parse '\(Column.clip(text))' as a number",
                        at: SourceLocation(row: i + 1, column: name))
                }
                out.append(number)
            }
            return out
        }
    }

    /// The distinct present values as text, sorted.
    public func distinctStrings() -> [String] {
        var seen = Set<String>()
        for i in 0..<count { if let s = string(at: i) { seen.insert(s) } }
        return seen.sorted()
    }

    /// The rows of this column where `keep` is true.
    public func filtered(_ keep: [Bool]) -> Column {
        func pick<T>(_ v: [T]) -> [T] { zip(v, keep).compactMap { $1 ? $0 : nil } }
        switch values {
        case .double(let v): return Column(name: name, values: .double(pick(v)))
        case .int(let v): return Column(name: name, values: .int(pick(v)))
        case .string(let v): return Column(name: name, values: .string(pick(v)))
        case .bool(let v): return Column(name: name, values: .bool(pick(v)))
        }
    }

    /// Parses a decimal number strictly: the whole text (spaces and tabs around it ignored) must
    /// be a number as Swift's `Double(_:)` reads it (`inf` and `nan` included).
    public static func parseDouble(_ text: String) -> Double? {
        let trimmed = trimSpaces(text)
        guard !trimmed.isEmpty else { return nil }
        return Double(trimmed)
    }

    /// Parses an integer strictly (optional sign, digits only; spaces and tabs around it ignored).
    public static func parseInt(_ text: String) -> Int? {
        Int(trimSpaces(text))
    }

    /// Parses `true`/`false` (any case).
    public static func parseBool(_ text: String) -> Bool? {
        switch trimSpaces(text).lowercased() {
        case "true": return true
        case "false": return false
        default: return nil
        }
    }

    /// The text without leading and trailing spaces and tabs; no copy when there are none
    /// (this runs once per cell, so it avoids Foundation's character-set trimming).
    static func trimSpaces(_ text: String) -> Substring {
        let utf8 = text.utf8
        guard let first = utf8.first, let last = utf8.last else { return text[...] }
        if first != 0x20 && first != 0x09 && last != 0x20 && last != 0x09 { return text[...] }
        var start = utf8.startIndex
        var end = utf8.endIndex
        while start < end, utf8[start] == 0x20 || utf8[start] == 0x09 { start = utf8.index(after: start) }
        while end > start {
            let before = utf8.index(before: end)
            guard utf8[before] == 0x20 || utf8[before] == 0x09 else { break }
            end = before
        }
        return text[start..<end]
    }

    /// Shortest text that reads back as the same double.
    public static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    /// Shortens a value for an error message.
    static func clip(_ text: String) -> String {
        text.count > 40 ? String(text.prefix(40)) + "…" : text
    }

    /// Infers the narrowest type that holds every present value: int, then double, then bool,
    /// else string. Values in `missing` (after trimming spaces) become `nil`.
    public static func infer(name: String, raw: [String], missing: Set<String>) -> Column {
        let trimmed: [Substring?] = raw.map { value in
            let t = trimSpaces(value)
            return missing.contains(String(t)) ? nil : t
        }
        /// Every present value parsed by `parse`, or nil as soon as one does not parse.
        func parseAll<T>(_ parse: (Substring) -> T?) -> [T?]? {
            var out: [T?] = []
            out.reserveCapacity(trimmed.count)
            for value in trimmed {
                guard let value else { out.append(nil); continue }
                guard let parsed = parse(value) else { return nil }
                out.append(parsed)
            }
            return out
        }
        if let ints = parseAll({ Int($0) }) { return Column(name: name, values: .int(ints)) }
        if let doubles = parseAll({ Double($0) }) { return Column(name: name, values: .double(doubles)) }
        let bools = trimmed.map { $0.flatMap { parseBool(String($0)) } }
        if zip(trimmed, bools).allSatisfy({ $0.0 == nil || $0.1 != nil }) {
            return Column(name: name, values: .bool(bools))
        }
        return Column(name: name, values: .string(trimmed.map { $0.map(String.init) }))
    }
}
