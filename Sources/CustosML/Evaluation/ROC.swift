/// Receiver operating characteristic: area under the curve, with tied scores counted half
/// (the Mann–Whitney U statistic, equal to scikit-learn's `roc_auc_score`).
public enum ROC {
    /// AUC of `scores` for binary `labels`; `nil` when either class is absent (undefined).
    public static func auc(scores: [Double], labels: [Bool]) -> Double? {
        precondition(scores.count == labels.count, "scores and labels must have the same length")
        let order = ascendingOrder(scores)
        return aucByGroup(order: order, scores: scores, labels: labels, groups: [Int32](repeating: 0, count: scores.count),
                          groupCount: 1, weights: nil)[0]
    }

    /// Indices of `scores` in ascending order (stable). Compute once and reuse for resamples.
    public static func ascendingOrder(_ scores: [Double]) -> [Int] {
        scores.indices.sorted { scores[$0] < scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
    }

    /// AUC for every group at once in one pass over a precomputed ascending order.
    ///
    /// - Parameters:
    ///   - order: `ascendingOrder(scores)`.
    ///   - groups: group index of each row (`-1` excludes the row).
    ///   - weights: per-row weight (e.g. bootstrap multiplicities); `nil` means all 1.
    /// - Returns: one AUC per group, `nil` where a group lacks positives or negatives.
    public static func aucByGroup(
        order: [Int], scores: [Double], labels: [Bool], groups: [Int32], groupCount: Int, weights: [Double]?
    ) -> [Double?] {
        var negativesBelow = [Double](repeating: 0, count: groupCount)
        var positives = [Double](repeating: 0, count: groupCount)
        var numerator = [Double](repeating: 0, count: groupCount)
        var blockPositives = [Double](repeating: 0, count: groupCount)
        var blockNegatives = [Double](repeating: 0, count: groupCount)
        var touched: [Int] = []
        touched.reserveCapacity(16)
        var start = 0
        let n = order.count
        while start < n {
            var end = start
            let value = scores[order[start]]
            while end < n && scores[order[end]] == value { end += 1 }
            for k in start..<end {
                let row = order[k]
                let g = Int(groups[row])
                if g < 0 { continue }
                let w = weights?[row] ?? 1
                if w == 0 { continue }
                if blockPositives[g] == 0 && blockNegatives[g] == 0 { touched.append(g) }
                if labels[row] { blockPositives[g] += w } else { blockNegatives[g] += w }
            }
            for g in touched {
                numerator[g] += blockPositives[g] * (negativesBelow[g] + 0.5 * blockNegatives[g])
                negativesBelow[g] += blockNegatives[g]
                positives[g] += blockPositives[g]
                blockPositives[g] = 0
                blockNegatives[g] = 0
            }
            touched.removeAll(keepingCapacity: true)
            start = end
        }
        return (0..<groupCount).map { g in
            let pairs = positives[g] * negativesBelow[g]
            return pairs > 0 ? numerator[g] / pairs : nil
        }
    }
}
