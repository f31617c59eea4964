import CustosCore

/// A fairness constraint of the reductions approach (Agarwal et al. 2018; Fairlearn's `UtilityParity` moments with
/// difference bounds): for every event e and group g, the mean utility in (e, g) may differ from the mean in e by
/// at most `bound`. Each (e, g) pair gives a `+` and a `−` constraint.
public struct ParityConstraint: Sendable {
    /// The parities Fairlearn offers for binary classification.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// Equal selection rates (`DemographicParity`).
        case demographicParity = "demographic_parity"
        /// Equal true and false positive rates (`EqualizedOdds`).
        case equalizedOdds = "equalized_odds"
        /// Equal true positive rates (`TruePositiveRateParity`, equal opportunity).
        case truePositiveRateParity = "true_positive_rate_parity"
        /// Equal error rates (`ErrorRateParity`).
        case errorRateParity = "error_rate_parity"
    }

    /// One (sign, event, group) constraint.
    struct Index: Equatable {
        var positive: Bool
        var event: Int
        var group: Int
    }

    let kind: Kind
    let bound: Double
    let n: Int
    let groupOf: [Int]
    let eventOf: [Int?]
    let utility0: [Double]
    let utilityDiff: [Double]
    let probEvent: [Double]
    /// P(event, group) for present pairs, keyed by `event * groupCount + group`.
    let probGroupEvent: [Int: Double]
    let groupCount: Int
    let eventCount: Int
    /// Constraints: all `+` then all `−`, each in (event, group) order.
    let index: [Index]

    /// Loads the data: binary labels and each row's group index (0..<groupCount).
    init(kind: Kind, bound: Double, labels: [Bool], groups: [Int], groupCount: Int) {
        self.kind = kind
        self.bound = bound
        n = labels.count
        groupOf = groups
        self.groupCount = groupCount
        switch kind {
        case .demographicParity, .errorRateParity:
            eventOf = labels.map { _ in 0 }
            eventCount = 1
        case .truePositiveRateParity:
            eventOf = labels.map { $0 ? 0 : nil }
            eventCount = 1
        case .equalizedOdds:
            eventOf = labels.map { $0 ? 1 : 0 }
            eventCount = 2
        }
        if kind == .errorRateParity {
            // Utility of predicting 0 is y (an error when y = 1), of predicting 1 is 1 − y.
            utility0 = labels.map { $0 ? 1 : 0 }
            utilityDiff = labels.map { $0 ? -1 : 1 }
        } else {
            utility0 = [Double](repeating: 0, count: labels.count)
            utilityDiff = [Double](repeating: 1, count: labels.count)
        }
        var eventTotals = [Double](repeating: 0, count: eventCount)
        var pairTotals: [Int: Double] = [:]
        for i in 0..<labels.count {
            guard let e = eventOf[i] else { continue }
            eventTotals[e] += 1
            pairTotals[e * groupCount + groups[i], default: 0] += 1
        }
        probEvent = eventTotals.map { $0 / Double(labels.count) }
        probGroupEvent = pairTotals.mapValues { $0 / Double(labels.count) }
        let pairs = pairTotals.keys.sorted()
        index = pairs.map { Index(positive: true, event: $0 / groupCount, group: $0 % groupCount) }
            + pairs.map { Index(positive: false, event: $0 / groupCount, group: $0 % groupCount) }
    }

    /// Constraint values γ(h) for (soft) predictions: `+`: mean(e, g) − mean(e); `−`: the opposite.
    func gamma(_ predictions: [Double]) -> [Double] {
        var eventSum = [Double](repeating: 0, count: eventCount)
        var pairSum: [Int: Double] = [:]
        for i in 0..<n {
            guard let e = eventOf[i] else { continue }
            let value = utility0[i] + utilityDiff[i] * predictions[i]
            eventSum[e] += value
            pairSum[e * groupCount + groupOf[i], default: 0] += value
        }
        let nd = Double(n)
        return index.map { c in
            let key = c.event * groupCount + c.group
            let pairMean = (pairSum[key] ?? 0) / nd / (probGroupEvent[key] ?? 1)
            let eventMean = eventSum[c.event] / nd / probEvent[c.event]
            return c.positive ? pairMean - eventMean : eventMean - pairMean
        }
    }

    /// The per-row costs the constraints add for multipliers `lambda` (Agarwal et al. §3.2; Fairlearn's `signed_weights`).
    func signedWeights(_ lambda: [Double]) -> [Double] {
        // For a row in (e, g): Σ_g' (λ⁺(e,g') − λ⁻(e,g')) / P(e) − (λ⁺(e,g) − λ⁻(e,g)) / P(e,g).
        var eventTerm = [Double](repeating: 0, count: eventCount)
        var pairTerm: [Int: Double] = [:]
        for (k, c) in index.enumerated() {
            let signed = c.positive ? lambda[k] : -lambda[k]
            eventTerm[c.event] += signed / probEvent[c.event]
            let key = c.event * groupCount + c.group
            pairTerm[key, default: 0] += signed / (probGroupEvent[key] ?? 1)
        }
        return (0..<n).map { i in
            guard let e = eventOf[i] else { return 0 }
            return utilityDiff[i] * (eventTerm[e] - (pairTerm[e * groupCount + groupOf[i]] ?? 0))
        }
    }

    /// Fairlearn's `project_lambda`: the multipliers re-centred per event at the probability-weighted median, then
    /// split into positive and negative parts — the same or a higher Lagrangian for every classifier.
    func project(_ lambda: [Double]) -> [Double] {
        let half = index.count / 2
        var signed = (0..<half).map { lambda[$0] - lambda[$0 + half] }
        for e in 0..<eventCount {
            let members = (0..<half).filter { index[$0].event == e }
            guard !members.isEmpty else { continue }
            let prob = members.map { (probGroupEvent[e * groupCount + index[$0].group] ?? 0) / probEvent[e] }
            let normalized = members.indices.map { signed[members[$0]] / prob[$0] }
            let order = normalized.indices.sorted { (normalized[$0], $0) < (normalized[$1], $1) }
            let total = prob.reduce(0, +)
            var cumulative = 0.0
            var position = order.count - 1
            for (k, j) in order.enumerated() {
                cumulative += prob[j]
                if cumulative >= total / 2 { position = k; break }
            }
            let shift = normalized[order[position]]
            for (k, m) in members.enumerated() { signed[m] -= prob[k] * shift }
        }
        return signed.map { max($0, 0) } + signed.map { max(-$0, 0) }
    }
}
