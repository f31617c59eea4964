import CustosCore

/// Truth, prediction and optional score of a binary classifier, one entry per row.
public struct BinaryOutcomes: Sendable, Equatable {
    /// True outcomes (`true` = the positive class).
    public var labels: [Bool]
    /// Predicted outcomes.
    public var predictions: [Bool]
    /// Predicted scores (e.g. probabilities of the positive class), when given.
    public var scores: [Double]?

    /// Outcomes from arrays of equal length.
    public init(labels: [Bool], predictions: [Bool], scores: [Double]? = nil) throws {
        guard labels.count == predictions.count, scores.map({ $0.count == labels.count }) ?? true else {
            throw CustosError(.invalidInput, "labels, predictions and scores must have the same length")
        }
        guard !labels.isEmpty else { throw CustosError(.invalidInput, "there are no rows to evaluate") }
        self.labels = labels
        self.predictions = predictions
        self.scores = scores
    }

    /// Reads outcomes from table columns.
    ///
    /// A column is binary when its values are {0, 1} or {false, true} (either may be absent); any other
    /// column needs `positiveLabel`, and then a row is positive exactly when its text equals it.
    /// Missing labels, predictions or scores are errors naming the row, never dropped silently.
    public init(table: Table, label: String, prediction: String, score: String? = nil, positiveLabel: String? = nil) throws {
        let labels = try Self.binary(table, column: label, positiveLabel: positiveLabel)
        let predictions = try Self.binary(table, column: prediction, positiveLabel: positiveLabel)
        var scores: [Double]?
        if let score {
            let column = try table.column(named: score)
            let values: [Double?]
            do { values = try column.doubles() } catch let error as CustosError { throw table.locate(error) }
            scores = try values.enumerated().map { i, v in
                guard let v else {
                    throw CustosError(.invalidInput, "missing score", at: table.location(row: i, column: score))
                }
                guard v.isFinite else {
                    throw CustosError(.invalidInput, "score is not a finite number", at: table.location(row: i, column: score))
                }
                return v
            }
        }
        do {
            try self.init(labels: labels, predictions: predictions, scores: scores)
        } catch let error as CustosError {
            throw error.inFile(table.source ?? "")
        }
    }

    static func binary(_ table: Table, column name: String, positiveLabel: String?) throws -> [Bool] {
        let column = try table.column(named: name)
        var out = [Bool]()
        out.reserveCapacity(table.rowCount)
        if let positiveLabel {
            let distinct = column.distinctStrings()
            guard distinct.contains(positiveLabel) || Self.isZeroOne(column) else {
                throw CustosError(
                    .invalidInput,
                    "the positive label '\(positiveLabel)' never occurs (values: \(Self.sample(distinct)))",
                    at: SourceLocation(file: table.source, column: name))
            }
            if distinct.contains(positiveLabel) {
                for i in 0..<table.rowCount {
                    guard let text = column.string(at: i) else {
                        throw CustosError(.invalidInput, "missing value", at: table.location(row: i, column: name))
                    }
                    out.append(text == positiveLabel)
                }
                return out
            }
        }
        guard Self.isZeroOne(column) else {
            throw CustosError(
                .invalidInput,
                "values are not binary (found \(Self.sample(column.distinctStrings()))); pass --positive-label to say which value is positive",
                at: SourceLocation(file: table.source, column: name))
        }
        for i in 0..<table.rowCount {
            guard let value = column.double(at: i) else {
                throw CustosError(.invalidInput, "missing value", at: table.location(row: i, column: name))
            }
            out.append(value == 1)
        }
        return out
    }

    static func isZeroOne(_ column: Column) -> Bool {
        switch column.type {
        case .bool: return true
        case .int, .double:
            for i in 0..<column.count {
                if let v = column.double(at: i), v != 0, v != 1 { return false }
            }
            return true
        case .string: return false
        }
    }

    static func sample(_ values: [String]) -> String {
        let shown = values.prefix(6).map { "'\($0)'" }.joined(separator: ", ")
        return values.count > 6 ? shown + ", … (\(values.count) distinct)" : shown
    }
}

/// A sensitive attribute: a name and each row's group.
public struct SensitiveAttribute: Sendable, Equatable {
    /// Placeholder group name for rows whose value is missing (reported, not dropped).
    public static let missingGroup = "<missing>"

    /// Attribute name (`sex`, or `sex+race` for an intersection).
    public var name: String
    /// Group of each row.
    public var values: [String]

    /// An attribute from explicit values.
    public init(name: String, values: [String]) {
        self.name = name
        self.values = values
    }

    /// An attribute read from a table column.
    public init(table: Table, column: String) throws {
        let c = try table.column(named: column)
        self.init(name: column, values: (0..<table.rowCount).map { c.string(at: $0) ?? Self.missingGroup })
    }

    /// The intersection of several attributes: name `a+b`, groups `x+y`.
    public static func intersection(_ parts: [SensitiveAttribute]) -> SensitiveAttribute {
        let n = parts.first?.values.count ?? 0
        let values = (0..<n).map { i in parts.map { $0.values[i] }.joined(separator: "+") }
        return SensitiveAttribute(name: parts.map(\.name).joined(separator: "+"), values: values)
    }

    /// Every intersection of two or more of `attributes` (in input order).
    public static func intersections(of attributes: [SensitiveAttribute]) -> [SensitiveAttribute] {
        guard attributes.count >= 2 else { return [] }
        var out: [SensitiveAttribute] = []
        for size in 2...attributes.count {
            for combination in combinations(attributes.count, size) {
                out.append(intersection(combination.map { attributes[$0] }))
            }
        }
        return out
    }

    static func combinations(_ n: Int, _ k: Int) -> [[Int]] {
        if k == 0 { return [[]] }
        guard n >= k else { return [] }
        var out: [[Int]] = []
        func walk(_ start: Int, _ current: [Int]) {
            if current.count == k { out.append(current); return }
            guard start < n else { return }
            for i in start..<n { walk(i + 1, current + [i]) }
        }
        walk(0, [])
        return out
    }
}
