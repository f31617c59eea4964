import CustosCore

/// A dense row-major matrix of doubles: the design matrix of the tabular models.
public struct DenseMatrix: Sendable, Equatable {
    /// Number of rows.
    public let rows: Int
    /// Number of columns.
    public let columns: Int
    /// `rows × columns` values, row after row.
    public var values: [Double]

    /// Creates a matrix from row-major values; the count must be `rows × columns`.
    public init(rows: Int, columns: Int, values: [Double]) throws {
        guard rows >= 0, columns >= 0, values.count == rows * columns else {
            throw CustosError(.internal, "a \(rows)×\(columns) matrix needs \(rows * columns) values, got \(values.count)")
        }
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// A matrix of zeros.
    public init(zeros rows: Int, _ columns: Int) {
        self.rows = rows
        self.columns = columns
        self.values = [Double](repeating: 0, count: rows * columns)
    }

    /// The value at (`row`, `column`).
    public subscript(row: Int, column: Int) -> Double {
        get { values[row * columns + column] }
        set { values[row * columns + column] = newValue }
    }

    /// One row as an array.
    public func row(_ index: Int) -> [Double] {
        Array(values[(index * columns)..<((index + 1) * columns)])
    }

    /// The rows whose indices are given, in that order.
    public func selectingRows(_ indices: [Int]) -> DenseMatrix {
        var out = DenseMatrix(zeros: indices.count, columns)
        for (k, i) in indices.enumerated() {
            for j in 0..<columns { out.values[k * columns + j] = values[i * columns + j] }
        }
        return out
    }
}
