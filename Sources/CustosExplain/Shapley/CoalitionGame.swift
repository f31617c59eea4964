import CustosCore
import CustosML

/// A cooperative game: the value `v(S)` of each coalition `S` of players (features, words).
///
/// Every Shapley estimator and the faithfulness curves are written against this protocol, so tabular models
/// (features replaced by background values) and text scorers (words removed) share one implementation.
public protocol CoalitionGame: Sendable {
    /// How many players there are.
    var playerCount: Int { get }
    /// The players whose presence can change `v` (for a tabular game: the features on which the explained row
    /// differs from some background row). Players outside it get Shapley value 0.
    var activePlayers: [Int] { get }
    /// `v(S)` for each coalition; `masks` holds `count × playerCount` flags row by row (true: the player is in `S`).
    func values(_ masks: [Bool]) throws -> [Double]
    /// `v(S)` for every subset of `players` (`players.count` ≤ 30), indexed by bitmask: bit `j` set when
    /// `players[j]` is in `S`; the other players are absent.
    func allSubsetValues(of players: [Int]) throws -> [Double]
}

extension CoalitionGame {
    /// Every player.
    public var activePlayers: [Int] { Array(0..<playerCount) }

    /// Builds each subset's mask and calls `values(_:)`.
    public func allSubsetValues(of players: [Int]) throws -> [Double] {
        let count = 1 << players.count
        var masks = [Bool](repeating: false, count: count * playerCount)
        for subset in 0..<count {
            for (j, player) in players.enumerated() where subset & (1 << j) != 0 {
                masks[subset * playerCount + player] = true
            }
        }
        return try values(masks)
    }

    /// The active players, `v(∅)` and `v(N)` (one call for both values).
    func endpoints() throws -> (players: [Int], base: Double, full: Double) {
        let ends = try values([Bool](repeating: false, count: playerCount) + [Bool](repeating: true, count: playerCount))
        return (activePlayers, ends[0], ends[1])
    }

    /// `v(∅)`: the expected output when no player is known.
    public func emptyValue() throws -> Double {
        try values([Bool](repeating: false, count: playerCount))[0]
    }

    /// `v(N)`: the output with every player present.
    public func fullValue() throws -> Double {
        try values([Bool](repeating: true, count: playerCount))[0]
    }
}

/// The interventional (marginal) game of one explained row against a background set:
/// `v(S) = mean over background rows b of f(x_S, b_S̄)` — SHAP's `KernelExplainer`/`Explainer` definition.
///
/// Cost: each coalition value takes one model output per background row. For an `AdditiveTabularModel` the
/// feature terms of `x` and of every background row are computed once, and a coalition's margin is the background
/// row's margin plus the differences of the features in `S`; enumerating all subsets walks them in Gray-code order,
/// one vector addition per subset.
public struct InterventionalGame: CoalitionGame {
    /// The explained model.
    public let model: any TabularModel
    /// The explained row.
    public let row: [Double]
    /// The background rows.
    public let background: DenseMatrix
    /// Names the explained row in errors ("row 4 of the data").
    public let rowDescription: String
    /// Features on which `row` differs from at least one background row.
    public let activePlayers: [Int]
    private let additive: AdditiveCache?

    /// Terms of an additive model: background margins and, per feature, `term(x) − term(b)` for every `b`.
    struct AdditiveCache: Sendable {
        var model: any AdditiveTabularModel
        /// `intercept + Σ terms(b)`, one per background row.
        var baseMargins: [Double]
        /// Feature-major: `deltas[j * B + b] = termⱼ(x) − termⱼ(b)`.
        var deltas: [Double]
    }

    /// Rows built per model call on the generic path (bounds memory: 2¹⁶ rows × features doubles).
    static let chunkRows = 1 << 16

    /// The game of `row` against `background`; both in `model`'s feature space.
    public init(model: any TabularModel, row: [Double], background: DenseMatrix, rowDescription: String = "the explained row") throws {
        let m = model.featureNames.count
        guard row.count == m, background.columns == m else {
            throw CustosError(.invalidInput, "the model has \(m) features but \(rowDescription) has \(row.count) values "
                + "and the background set \(background.columns) columns")
        }
        guard background.rows > 0 else { throw CustosError(.invalidInput, "the background set has no rows") }
        self.model = model
        self.row = row
        self.background = background
        self.rowDescription = rowDescription
        activePlayers = (0..<m).filter { j in (0..<background.rows).contains { background[$0, j] != row[j] } }
        if let additiveModel = model as? any AdditiveTabularModel {
            let b = background.rows
            let xTerms = additiveModel.terms(row)
            var margins = [Double](repeating: 0, count: b)
            var deltas = [Double](repeating: 0, count: m * b)
            for i in 0..<b {
                let terms = additiveModel.terms(background.row(i))
                margins[i] = terms.reduce(additiveModel.intercept, +)
                for j in 0..<m { deltas[j * b + i] = xTerms[j] - terms[j] }
            }
            additive = AdditiveCache(model: additiveModel, baseMargins: margins, deltas: deltas)
        } else {
            additive = nil
        }
    }

    /// The number of features.
    public var playerCount: Int { row.count }

    /// `v(S)` per coalition.
    public func values(_ masks: [Bool]) throws -> [Double] {
        let m = playerCount
        precondition(masks.count % m == 0, "masks must hold whole coalitions")
        let count = masks.count / m
        if let additive {
            if m <= 62 { return try incrementalValues(masks, count: count, additive) }
            var out = [Double](repeating: 0, count: count)
            var margins = additive.baseMargins
            let b = margins.count
            try additive.deltas.withUnsafeBufferPointer { delta in
                try additive.baseMargins.withUnsafeBufferPointer { base in
                    try masks.withUnsafeBufferPointer { mask in
                        for k in 0..<count {
                            margins.withUnsafeMutableBufferPointer { margin in
                                for i in 0..<b { margin[i] = base[i] }
                                for j in 0..<m where mask[k * m + j] {
                                    for i in 0..<b { margin[i] += delta[j * b + i] }
                                }
                            }
                            out[k] = try mean(of: margins, additive.model, coalition: k)
                        }
                    }
                }
            }
            return out
        }
        return try genericValues(masks, count: count)
    }

    /// Every subset of `players`; in Gray-code order (one vector addition each) for an additive model.
    public func allSubsetValues(of players: [Int]) throws -> [Double] {
        guard let additive else {
            let count = 1 << players.count
            var masks = [Bool](repeating: false, count: count * playerCount)
            for subset in 0..<count {
                for (j, player) in players.enumerated() where subset & (1 << j) != 0 { masks[subset * playerCount + player] = true }
            }
            return try genericValues(masks, count: count)
        }
        let b = background.rows
        let count = 1 << players.count
        var out = [Double](repeating: 0, count: count)
        var margins = additive.baseMargins
        out[0] = try mean(of: margins, additive.model, coalition: 0)
        var previous = 0
        for k in 1..<max(count, 1) {
            let gray = k ^ (k >> 1)
            let bit = (gray ^ previous).trailingZeroBitCount
            let sign: Double = gray & (1 << bit) != 0 ? 1 : -1
            let offset = players[bit] * b
            additive.deltas.withUnsafeBufferPointer { delta in
                margins.withUnsafeMutableBufferPointer { margin in
                    for i in 0..<b { margin[i] += sign * delta[offset + i] }
                }
            }
            out[gray] = try mean(of: margins, additive.model, coalition: gray)
            previous = gray
        }
        return out
    }

    /// Additive values visited in Gray-code order: consecutive coalitions differ in few features, so each margin
    /// vector is the previous one plus or minus those features' differences (instead of a sum over all of `S`).
    private func incrementalValues(_ masks: [Bool], count: Int, _ additive: AdditiveCache) throws -> [Double] {
        let m = playerCount
        let b = background.rows
        var keys = [UInt64](repeating: 0, count: count)
        for k in 0..<count {
            for j in 0..<m where masks[k * m + j] { keys[k] |= 1 << UInt64(j) }
        }
        // A subset's position in the Gray-code sequence is the inverse Gray code of its bitmask.
        func rank(_ gray: UInt64) -> UInt64 {
            var binary = gray
            var shift: UInt64 = 1
            while shift < 64 {
                binary ^= binary >> shift
                shift <<= 1
            }
            return binary
        }
        let ranks = keys.map(rank)
        let order = (0..<count).sorted { ranks[$0] < ranks[$1] }
        var out = [Double](repeating: 0, count: count)
        var margins = additive.baseMargins
        var current: UInt64 = 0
        for k in order {
            var changed = keys[k] ^ current
            additive.deltas.withUnsafeBufferPointer { delta in
                margins.withUnsafeMutableBufferPointer { margin in
                    while changed != 0 {
                        let j = changed.trailingZeroBitCount
                        let offset = j * b
                        if keys[k] & (1 << UInt64(j)) != 0 {
                            for i in 0..<b { margin[i] += delta[offset + i] }
                        } else {
                            for i in 0..<b { margin[i] -= delta[offset + i] }
                        }
                        changed &= changed - 1
                    }
                }
            }
            current = keys[k]
            out[k] = try mean(of: margins, additive.model, coalition: k)
        }
        return out
    }

    private func mean(of margins: [Double], _ model: any AdditiveTabularModel, coalition: Int) throws -> Double {
        let value = margins.withUnsafeBufferPointer { model.meanOutput($0) }
        guard value.isFinite else {
            throw CustosError(.invalidInput, "the model returned a non-finite output for a coalition of \(rowDescription); "
                + "explanations need finite outputs")
        }
        return value
    }

    /// Builds `x_S` over every background row, scores them in chunks and averages per coalition.
    private func genericValues(_ masks: [Bool], count: Int) throws -> [Double] {
        let m = playerCount
        let b = background.rows
        let perChunk = max(1, Self.chunkRows / b)
        var out: [Double] = []
        out.reserveCapacity(count)
        var start = 0
        while start < count {
            let end = min(count, start + perChunk)
            var rows = DenseMatrix(zeros: (end - start) * b, m)
            rows.values.withUnsafeMutableBufferPointer { target in
                background.values.withUnsafeBufferPointer { source in
                    for k in start..<end {
                        for i in 0..<b {
                            let base = ((k - start) * b + i) * m
                            for j in 0..<m { target[base + j] = masks[k * m + j] ? row[j] : source[i * m + j] }
                        }
                    }
                }
            }
            let outputs = try checkedPredictions(model, rows) { _ in "a coalition of \(rowDescription)" }
            for k in 0..<(end - start) {
                var sum = 0.0
                for i in 0..<b { sum += outputs[k * b + i] }
                out.append(sum / Double(b))
            }
            start = end
        }
        return out
    }
}
