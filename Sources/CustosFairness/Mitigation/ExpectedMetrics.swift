import CustosCore

/// Accuracy and disparities of a randomized classifier's expected predictions (each row counted as positive with its
/// probability), as Fairlearn's reference values were taken from `_pmf_predict`.
public struct ExpectedMetrics: Sendable, Equatable, Codable {
    /// Expected accuracy.
    public var accuracy: Double
    /// Largest minus smallest group selection rate.
    public var demographicParityDifference: Double
    /// max(TPR difference, FPR difference) between groups (Fairlearn's definition).
    public var equalizedOddsDifference: Double

    enum CodingKeys: String, CodingKey {
        case accuracy, demographicParityDifference = "demographic_parity_difference"
        case equalizedOddsDifference = "equalized_odds_difference"
    }

    /// Evaluates positive-prediction probabilities against labels, per group.
    public init(labels: [Bool], positiveProbabilities p: [Double], groups: [String]) throws {
        guard labels.count == p.count, p.count == groups.count, !labels.isEmpty else {
            throw CustosError(.invalidInput, "\(labels.count) labels, \(p.count) predictions, \(groups.count) groups")
        }
        var overall = ConfusionCounts()
        var byGroup: [String: ConfusionCounts] = [:]
        for i in labels.indices {
            overall.add(label: labels[i], prediction: true, weight: p[i])
            overall.add(label: labels[i], prediction: false, weight: 1 - p[i])
            byGroup[groups[i], default: ConfusionCounts()].add(label: labels[i], prediction: true, weight: p[i])
            byGroup[groups[i], default: ConfusionCounts()].add(label: labels[i], prediction: false, weight: 1 - p[i])
        }
        func spread(_ metric: GroupMetric) -> Double {
            let values = byGroup.values.compactMap { $0.value(metric) }
            guard let high = values.max(), let low = values.min() else { return 0 }
            return high - low
        }
        accuracy = overall.value(.accuracy) ?? 0
        demographicParityDifference = spread(.selectionRate)
        equalizedOddsDifference = max(spread(.tpr), spread(.fpr))
    }
}
