/// A group-fairness criterion compared across the groups of one attribute.
public enum FairnessCriterion: String, Sendable, Codable, CaseIterable {
    /// Equal selection rates (Calders et al. 2009).
    case demographicParity = "demographic_parity"
    /// Equal true and false positive rates (Hardt et al. 2016); Fairlearn's definition: the larger
    /// of the TPR and FPR differences, and the smaller of the two ratios.
    case equalizedOdds = "equalized_odds"
    /// Equal true positive rates (Hardt et al. 2016).
    case equalOpportunity = "equal_opportunity"
    /// Equal positive predictive values (Chouldechova 2017).
    case predictiveParity = "predictive_parity"
    /// Ratio of selection rates; below 0.8 fails the four-fifths rule (EEOC, 29 CFR 1607.4(D)).
    case disparateImpact = "disparate_impact"

    /// The per-group metrics the criterion compares.
    public var metrics: [GroupMetric] {
        switch self {
        case .demographicParity, .disparateImpact: return [.selectionRate]
        case .equalizedOdds: return [.tpr, .fpr]
        case .equalOpportunity: return [.tpr]
        case .predictiveParity: return [.ppv]
        }
    }

    /// A short human label.
    public var title: String {
        switch self {
        case .demographicParity: return "Demographic parity"
        case .equalizedOdds: return "Equalized odds"
        case .equalOpportunity: return "Equal opportunity"
        case .predictiveParity: return "Predictive parity"
        case .disparateImpact: return "Disparate impact"
        }
    }
}

/// The four-fifths rule: a selection-rate ratio below this fails it (EEOC Uniform Guidelines, 1978).
public let fourFifthsThreshold = 0.8

/// Between-group spread of one metric: max − min and min / max over groups with a defined value,
/// and the largest distance to the overall value.
public struct MetricSpread: Sendable, Equatable {
    /// max − min.
    public var difference: Double?
    /// min / max (`nil` when max is 0).
    public var ratio: Double?
    /// max over groups of |group − overall| (Fairlearn's `method="to_overall"`).
    public var differenceToOverall: Double?
    /// min over groups of min(group/overall, overall/group).
    public var ratioToOverall: Double?
    /// Group with the smallest value.
    public var minGroup: String?
    /// Group with the largest value.
    public var maxGroup: String?

    /// Spread of `values` (one per group, `nil` = undefined) around `overall`.
    public init(groups: [String], values: [Double?], overall: Double?) {
        var lo: (String, Double)?
        var hi: (String, Double)?
        var toOverall: Double?
        var ratioOverall: Double?
        for (group, value) in zip(groups, values) {
            guard let value else { continue }
            if let current = lo { if value < current.1 { lo = (group, value) } } else { lo = (group, value) }
            if let current = hi { if value > current.1 { hi = (group, value) } } else { hi = (group, value) }
            if let overall {
                toOverall = max(toOverall ?? 0, abs(value - overall))
                let r: Double? = (value > 0 && overall > 0) ? min(value / overall, overall / value) : (value == overall ? 1 : 0)
                if let r { ratioOverall = min(ratioOverall ?? 1, r) }
            }
        }
        let defined = values.compactMap { $0 }.count
        if let lo, let hi, defined >= 2 {
            difference = hi.1 - lo.1
            ratio = hi.1 > 0 ? lo.1 / hi.1 : (lo.1 == hi.1 ? 1 : nil)
            minGroup = lo.0
            maxGroup = hi.0
        }
        differenceToOverall = defined >= 1 ? toOverall : nil
        ratioToOverall = defined >= 1 ? ratioOverall : nil
    }
}

/// How far one attribute's groups are from satisfying a criterion.
public struct Disparity: Sendable, Equatable, Codable {
    /// The attribute (`sex`, `sex+race`).
    public var attribute: String
    /// The criterion.
    public var metric: FairnessCriterion
    /// Between-group difference (0 is parity); `nil` when fewer than two groups have it defined.
    public var difference: Double?
    /// Between-group ratio (1 is parity).
    public var ratio: Double?
    /// Largest distance of a group from the overall value.
    public var differenceToOverall: Double?
    /// Smallest group-to-overall ratio.
    public var ratioToOverall: Double?
    /// Bootstrap confidence interval of `difference`.
    public var differenceCI: [Double]?
    /// Bootstrap confidence interval of `ratio`.
    public var ratioCI: [Double]?
    /// Group with the lowest value (of the deciding metric).
    public var lowestGroup: String?
    /// Group with the highest value.
    public var highestGroup: String?
    /// For disparate impact: whether the ratio fails the four-fifths rule.
    public var failsFourFifths: Bool?
    /// Groups left out because the metric is undefined for them.
    public var undefinedGroups: [String]

    enum CodingKeys: String, CodingKey {
        case attribute, metric, difference, ratio
        case differenceToOverall = "difference_to_overall"
        case ratioToOverall = "ratio_to_overall"
        case differenceCI = "difference_ci"
        case ratioCI = "ratio_ci"
        case lowestGroup = "lowest_group"
        case highestGroup = "highest_group"
        case failsFourFifths = "fails_four_fifths"
        case undefinedGroups = "undefined_groups"
    }

    /// Encodes undefined values as explicit `null`; optional extras only when present.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(attribute, forKey: .attribute)
        try c.encode(metric, forKey: .metric)
        try c.encode(difference, forKey: .difference)
        try c.encode(ratio, forKey: .ratio)
        try c.encode(differenceToOverall, forKey: .differenceToOverall)
        try c.encode(ratioToOverall, forKey: .ratioToOverall)
        try c.encodeIfPresent(differenceCI, forKey: .differenceCI)
        try c.encodeIfPresent(ratioCI, forKey: .ratioCI)
        try c.encode(lowestGroup, forKey: .lowestGroup)
        try c.encode(highestGroup, forKey: .highestGroup)
        try c.encodeIfPresent(failsFourFifths, forKey: .failsFourFifths)
        try c.encode(undefinedGroups, forKey: .undefinedGroups)
    }

    /// Combines per-metric spreads into the criterion's difference and ratio.
    static func combine(_ criterion: FairnessCriterion, _ spreads: [MetricSpread]) -> (difference: Double?, ratio: Double?, deciding: Int) {
        if criterion == .equalizedOdds {
            // Fairlearn: difference = max(TPR diff, FPR diff); ratio = min(TPR ratio, FPR ratio).
            let diffs = spreads.map(\.difference)
            let ratios = spreads.map(\.ratio)
            let difference = diffs.contains(where: { $0 == nil }) ? nil : diffs.compactMap { $0 }.max()
            let ratio = ratios.contains(where: { $0 == nil }) ? nil : ratios.compactMap { $0 }.min()
            let first = diffs.first.flatMap { $0 } ?? -1
            let last = diffs.last.flatMap { $0 } ?? -1
            let deciding = first >= last ? 0 : spreads.count - 1
            return (difference, ratio, deciding)
        }
        return (spreads.first?.difference, spreads.first?.ratio, 0)
    }
}
