/// Receiver operating characteristic: area under the curve, with tied scores counted half
/// (the Mann–Whitney U statistic, equal to scikit-learn's `roc_auc_score`).
public enum ROC {
    /// AUC of `scores` for binary `labels`; `nil` when either class is absent (undefined).
    public static func auc(scores: [Double], labels: [Bool]) -> Double? {
        let ranked = RankedScores(scores: scores, labels: labels)
        return ranked.aucByGroup(groups: [Int32](repeating: 0, count: scores.count), groupCount: 1, weights: nil)[0]
    }
}

/// Scores sorted once, with their tie blocks, so AUC can be recomputed for many groupings and
/// row weightings (bootstrap resamples) in one linear pass each.
public struct RankedScores: Sendable {
    /// Row indices in ascending score order (stable).
    public let order: [Int]
    /// Labels in rank order.
    let rankedLabels: [Bool]
    /// For each rank, whether the next rank has the same score (continues a tie block).
    let tiedWithNext: [Bool]

    /// Sorts `scores` (ascending, stable) and records tie blocks.
    public init(scores: [Double], labels: [Bool]) {
        precondition(scores.count == labels.count, "scores and labels must have the same length")
        let order = scores.indices.sorted { scores[$0] < scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
        self.order = order
        rankedLabels = order.map { labels[$0] }
        tiedWithNext = order.indices.map { k in k + 1 < order.count && scores[order[k]] == scores[order[k + 1]] }
    }

    /// Reorders per-row values into rank order.
    @inlinable
    public func ranked<T>(_ values: [T]) -> [T] { order.map { values[$0] } }

    /// AUC for every group at once in one pass.
    ///
    /// - Parameters:
    ///   - groups: group index of each row **in rank order** (see `ranked(_:)`); `-1` excludes a row.
    ///   - weights: per-row weights in rank order (e.g. bootstrap multiplicities); `nil` means all 1.
    /// - Returns: one AUC per group, `nil` where a group lacks positives or negatives.
    public func aucByGroup(groups: [Int32], groupCount: Int, weights: [Double]?) -> [Double?] {
        var negativesBelow = [Double](repeating: 0, count: groupCount)
        var positives = [Double](repeating: 0, count: groupCount)
        var numerator = [Double](repeating: 0, count: groupCount)
        var blockPositives = [Double](repeating: 0, count: groupCount)
        var blockNegatives = [Double](repeating: 0, count: groupCount)
        var touched = [Int](repeating: 0, count: max(groupCount, 1))
        let n = order.count
        rankedLabels.withUnsafeBufferPointer { labels in
            tiedWithNext.withUnsafeBufferPointer { tied in
                groups.withUnsafeBufferPointer { group in
                    var k = 0
                    while k < n {
                        if !tied[k] {
                            // A block of one row: the common case for continuous scores.
                            let g = Int(group[k])
                            let w = weights?[k] ?? 1
                            if g >= 0 && w != 0 {
                                if labels[k] {
                                    numerator[g] += w * negativesBelow[g]
                                    positives[g] += w
                                } else {
                                    negativesBelow[g] += w
                                }
                            }
                            k += 1
                            continue
                        }
                        // A tie block: positives in it count half of the block's negatives.
                        var touchedCount = 0
                        var j = k
                        repeat {
                            let g = Int(group[j])
                            let w = weights?[j] ?? 1
                            if g >= 0 && w != 0 {
                                if blockPositives[g] == 0 && blockNegatives[g] == 0 {
                                    touched[touchedCount] = g
                                    touchedCount += 1
                                }
                                if labels[j] { blockPositives[g] += w } else { blockNegatives[g] += w }
                            }
                            j += 1
                        } while j < n && tied[j - 1]
                        for t in 0..<touchedCount {
                            let g = touched[t]
                            numerator[g] += blockPositives[g] * (negativesBelow[g] + 0.5 * blockNegatives[g])
                            negativesBelow[g] += blockNegatives[g]
                            positives[g] += blockPositives[g]
                            blockPositives[g] = 0
                            blockNegatives[g] = 0
                        }
                        k = j
                    }
                }
            }
        }
        return (0..<groupCount).map { g in
            let pairs = positives[g] * negativesBelow[g]
            return pairs > 0 ? numerator[g] / pairs : nil
        }
    }
}
