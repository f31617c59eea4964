import CustosCore

/// A small dense linear program `minimize c·x subject to A_ub·x ≤ b_ub, A_eq·x = b_eq, x ≥ 0`, solved by the
/// two-phase simplex method with Bland's rule (no cycling). Meant for the tens of variables of the fairness
/// reductions, not for large problems.
public struct LinearProgram: Sendable {
    /// Objective coefficients.
    public var objective: [Double]
    /// Inequality rows (`≤`).
    public var upperRows: [[Double]]
    /// Right-hand sides of the inequality rows.
    public var upperBounds: [Double]
    /// Equality rows.
    public var equalityRows: [[Double]]
    /// Right-hand sides of the equality rows.
    public var equalityBounds: [Double]

    /// Creates a program; every row must have `objective.count` entries.
    public init(objective: [Double], upperRows: [[Double]] = [], upperBounds: [Double] = [],
                equalityRows: [[Double]] = [], equalityBounds: [Double] = []) {
        self.objective = objective
        self.upperRows = upperRows
        self.upperBounds = upperBounds
        self.equalityRows = equalityRows
        self.equalityBounds = equalityBounds
    }

    /// Pivot tolerance: entries smaller than this count as zero.
    static let epsilon = 1e-11

    /// An optimal `x`, or an error when the program is infeasible or unbounded.
    public func solve() throws -> [Double] {
        let n = objective.count
        let m1 = upperRows.count
        let m2 = equalityRows.count
        let m = m1 + m2
        guard upperBounds.count == m1, equalityBounds.count == m2,
              (upperRows + equalityRows).allSatisfy({ $0.count == n }) else {
            throw CustosError(.internal, "linear program: rows and bounds disagree in shape")
        }
        // Columns: x (n), slacks (m1), artificials (m). Each row is flipped so its right-hand side is ≥ 0.
        let width = n + m1 + m
        var tableau = [[Double]](repeating: [Double](repeating: 0, count: width + 1), count: m)
        var basis = [Int](repeating: 0, count: m)
        for r in 0..<m {
            let isUpper = r < m1
            var row = isUpper ? upperRows[r] : equalityRows[r - m1]
            var rhs = isUpper ? upperBounds[r] : equalityBounds[r - m1]
            var slack = isUpper ? 1.0 : 0.0
            if rhs < 0 {
                row = row.map { -$0 }
                rhs = -rhs
                slack = -slack
            }
            for j in 0..<n { tableau[r][j] = row[j] }
            if isUpper { tableau[r][n + r] = slack }
            tableau[r][n + m1 + r] = 1
            tableau[r][width] = rhs
            basis[r] = n + m1 + r
        }
        // Phase I: minimize the sum of artificials.
        var phaseOne = [Double](repeating: 0, count: width)
        for r in 0..<m { phaseOne[n + m1 + r] = 1 }
        try Self.run(&tableau, &basis, cost: phaseOne, allowed: width)
        let infeasibility = (0..<m).reduce(0.0) { $0 + (basis[$1] >= n + m1 ? tableau[$1][width] : 0) }
        guard infeasibility < 1e-9 else { throw CustosError(.invalidInput, "linear program is infeasible") }
        // Drive remaining (zero) artificials out of the basis where possible.
        for r in 0..<m where basis[r] >= n + m1 {
            if let j = (0..<(n + m1)).first(where: { abs(tableau[r][$0]) > Self.epsilon }) {
                Self.pivot(&tableau, &basis, row: r, column: j)
            }
        }
        // Phase II on the original columns only.
        var cost = [Double](repeating: 0, count: width)
        for j in 0..<n { cost[j] = objective[j] }
        try Self.run(&tableau, &basis, cost: cost, allowed: n + m1)
        var x = [Double](repeating: 0, count: n)
        for r in 0..<m where basis[r] < n { x[basis[r]] = tableau[r][width] }
        return x
    }

    /// Simplex iterations with Bland's rule over columns `0..<allowed`.
    static func run(_ tableau: inout [[Double]], _ basis: inout [Int], cost: [Double], allowed: Int) throws {
        let m = tableau.count
        let width = cost.count
        for _ in 0..<10_000 {
            // Reduced costs: c_j − c_B·B⁻¹A_j (the tableau already holds B⁻¹A).
            var entering: Int?
            for j in 0..<allowed where !basis.contains(j) {
                var reduced = cost[j]
                for r in 0..<m { reduced -= cost[basis[r]] * tableau[r][j] }
                if reduced < -1e-10 { entering = j; break }
            }
            guard let column = entering else { return }
            var leaving: Int?
            var best = Double.infinity
            for r in 0..<m where tableau[r][column] > epsilon {
                let ratio = tableau[r][width] / tableau[r][column]
                if ratio < best - 1e-12 || (abs(ratio - best) <= 1e-12 && leaving.map { basis[r] < basis[$0] } == true) {
                    best = ratio
                    leaving = r
                }
            }
            guard let row = leaving else { throw CustosError(.invalidInput, "linear program is unbounded") }
            pivot(&tableau, &basis, row: row, column: column)
        }
        throw CustosError(.internal, "linear program: simplex did not terminate")
    }

    static func pivot(_ tableau: inout [[Double]], _ basis: inout [Int], row: Int, column: Int) {
        let pivot = tableau[row][column]
        for j in 0..<tableau[row].count { tableau[row][j] /= pivot }
        for r in 0..<tableau.count where r != row {
            let factor = tableau[r][column]
            if factor == 0 { continue }
            for j in 0..<tableau[r].count { tableau[r][j] -= factor * tableau[row][j] }
        }
        basis[row] = column
    }
}
