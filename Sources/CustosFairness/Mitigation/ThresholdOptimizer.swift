import CustosCore
import CustosML

/// Post-processing with group-specific randomized thresholds on a score (Hardt, Price & Srebro 2016), computed as
/// Fairlearn's `ThresholdOptimizer` computes them (objective accuracy, no label flipping): per group, the convex
/// hull of the (x, accuracy) or ROC trade-off curve is interpolated on a grid of `gridSize + 1` points, and the
/// grid point best for the whole population under the constraint is chosen.
public struct ThresholdOptimizer: Sendable, Equatable {
    /// The parity the thresholds enforce.
    public enum Constraint: String, Sendable, Codable, CaseIterable {
        /// Equal selection rates.
        case demographicParity = "demographic_parity"
        /// Equal true and false positive rates.
        case equalizedOdds = "equalized_odds"
    }

    /// The constraint.
    public var constraint: Constraint
    /// Grid resolution (Fairlearn's default 1000).
    public var gridSize: Int

    /// Creates an optimizer.
    public init(constraint: Constraint, gridSize: Int = 1000) {
        self.constraint = constraint
        self.gridSize = gridSize
    }

    /// One point of a group's trade-off curve: x, y and the threshold (`score > threshold`) reaching it.
    struct Point {
        var x: Double
        var y: Double
        var threshold: Double
    }

    /// A grid point of the interpolated curve.
    struct Interpolated {
        var y: Double
        var p0: Double
        var threshold0: Double
        var p1: Double
        var threshold1: Double
        var x: Double
    }

    /// Each group's rule, fitted to `scores` (the base model's probability), binary `labels` and `groups`.
    ///
    /// - Throws: when lengths disagree, a score is not finite, or a group has only one label (Fairlearn's
    ///   "degenerate labels"): its trade-off curve is undefined.
    public func fit(scores: [Double], labels: [Bool], groups: [String]) throws -> [String: RandomizedThreshold] {
        guard scores.count == labels.count, labels.count == groups.count, !labels.isEmpty else {
            throw CustosError(.invalidInput, "threshold optimizer: \(scores.count) scores, \(labels.count) labels, \(groups.count) groups")
        }
        guard gridSize > 0 else { throw CustosError(.usage, "grid size must be positive") }
        if let bad = scores.firstIndex(where: { !$0.isFinite }) {
            throw CustosError(.invalidInput, "score \(scores[bad]) is not finite", at: SourceLocation(row: bad + 1))
        }
        var members: [String: [Int]] = [:]
        for (i, group) in groups.enumerated() { members[group, default: []].append(i) }
        let names = members.keys.sorted()
        let grid = (0...gridSize).map { $0 == gridSize ? 1.0 : Double($0) * (1.0 / Double(gridSize)) }
        var curves: [String: [Interpolated]] = [:]
        for name in names {
            let rows = members[name] ?? []
            let points = try Self.tradeoffPoints(scores: rows.map { scores[$0] }, labels: rows.map { labels[$0] }, group: name, constraint: constraint)
            curves[name] = Self.interpolate(Self.upperHull(points), grid: grid)
        }
        let n = Double(labels.count)
        var rules: [String: RandomizedThreshold] = [:]
        switch constraint {
        case .demographicParity:
            var overall = [Double](repeating: 0, count: grid.count)
            for name in names {
                let share = Double(members[name]?.count ?? 0) / n
                for k in 0..<grid.count { overall[k] += share * (curves[name]?[k].y ?? 0) }
            }
            let best = Self.firstArgmax(overall)
            for name in names {
                guard let point = curves[name]?[best] else { continue }
                rules[name] = RandomizedThreshold(p0: point.p0, threshold0: point.threshold0, p1: point.p1, threshold1: point.threshold1)
            }
        case .equalizedOdds:
            let positives = Double(labels.filter { $0 }.count)
            let negatives = n - positives
            let yMin = (0..<grid.count).map { k in names.map { curves[$0]?[k].y ?? 0 }.min() ?? 0 }
            // Fairlearn rounds the objective to 15 decimals before taking the first maximum.
            let objective = (0..<grid.count).map { k -> Double in
                let accuracy = (positives * yMin[k] + negatives * (1 - grid[k])) / n
                return (accuracy * 1e15).rounded() / 1e15
            }
            let best = Self.firstArgmax(objective)
            let xBest = grid[best]
            let yBest = yMin[best]
            for name in names {
                guard let point = curves[name]?[best] else { continue }
                let pIgnore = point.y == point.x ? 0 : (point.y - yBest) / (point.y - point.x)
                rules[name] = RandomizedThreshold(p0: point.p0, threshold0: point.threshold0, p1: point.p1, threshold1: point.threshold1,
                                                  pIgnore: pIgnore, predictionConstant: xBest)
            }
        }
        return rules
    }

    static func firstArgmax(_ values: [Double]) -> Int {
        var best = 0
        for k in values.indices where values[k] > values[best] { best = k }
        return best
    }

    /// The trade-off curve of one group: thresholds between consecutive distinct scores, from +∞ down to −∞,
    /// sorted by (x, y). x is the selection rate (DP) or false positive rate (EO); y the accuracy (DP) or true
    /// positive rate (EO).
    static func tradeoffPoints(scores: [Double], labels: [Bool], group: String, constraint: Constraint) throws -> [Point] {
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        let n = order.count
        let positives = labels.filter { $0 }.count
        let negatives = n - positives
        guard positives > 0, negatives > 0 else {
            throw CustosError(.invalidInput, "group '\(group)' has only one label value; its trade-off curve is undefined")
        }
        func point(_ falsePositives: Int, _ truePositives: Int, _ threshold: Double) -> Point {
            let fp = Double(falsePositives), tp = Double(truePositives)
            switch constraint {
            case .demographicParity:
                let tn = Double(negatives) - fp
                return Point(x: (tp + fp) / Double(n), y: (tp + tn) / Double(n), threshold: threshold)
            case .equalizedOdds:
                return Point(x: fp / Double(negatives), y: tp / Double(positives), threshold: threshold)
            }
        }
        var points = [point(0, 0, .infinity)]
        var counts = (fp: 0, tp: 0)
        var i = 0
        while i < n {
            let score = scores[order[i]]
            while i < n, scores[order[i]] == score {
                if labels[order[i]] { counts.tp += 1 } else { counts.fp += 1 }
                i += 1
            }
            let next = i < n ? scores[order[i]] : -Double.infinity
            points.append(point(counts.fp, counts.tp, (score + next) / 2))
        }
        // Stable sort by (x, y), as pandas' multi-column sort.
        return points.enumerated().sorted { a, b in
            (a.element.x, a.element.y, a.offset) < (b.element.x, b.element.y, b.offset)
        }.map(\.element)
    }

    /// The upper convex hull of points sorted by x (Fairlearn's `_filter_points_to_get_convex_hull`).
    static func upperHull(_ points: [Point]) -> [Point] {
        var hull: [Point] = []
        for r2 in points {
            while hull.count >= 2 {
                let r1 = hull[hull.count - 1], r0 = hull[hull.count - 2]
                if (r1.y - r0.y) * (r2.x - r0.x) <= (r2.y - r0.y) * (r1.x - r0.x) { hull.removeLast() } else { break }
            }
            hull.append(r2)
        }
        return hull
    }

    /// Linear interpolation of the hull at each grid point (Fairlearn's `_interpolate_curve`).
    static func interpolate(_ hull: [Point], grid: [Double]) -> [Interpolated] {
        grid.enumerated().map { k, x in
            // Index of the last hull point with x ≤ grid value; at an exact hit (except the first grid point) the
            // segment to its left is used.
            var index = (hull.lastIndex { $0.x <= x } ?? -1)
            if k > 0, index >= 0, hull[index].x == x { index -= 1 }
            index = min(max(index, 0), hull.count - 2)
            let left = hull[index], right = hull[index + 1]
            let span = right.x - left.x
            let p0 = span == 0 ? 1 : (right.x - x) / span
            let p1 = 1 - p0
            return Interpolated(y: p0 * left.y + p1 * right.y, p0: p0, threshold0: left.threshold, p1: p1, threshold1: right.threshold, x: x)
        }
    }
}
