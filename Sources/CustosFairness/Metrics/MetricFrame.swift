import CustosCore
import CustosML
import Foundation

/// Settings of a `MetricFrame`.
public struct MetricFrameOptions: Sendable, Equatable {
    /// Groups with fewer rows are flagged `small` (kept, never dropped).
    public var minimumGroupSize = 30
    /// Also evaluate every intersection of two or more sensitive attributes.
    public var intersections = false
    /// Bootstrap resamples for confidence intervals; 0 disables them.
    public var bootstrapResamples = 1000
    /// Two-sided confidence level of the percentile intervals.
    public var confidenceLevel = 0.95
    /// Seed of the bootstrap (results are reproducible for a given seed, whatever the core count).
    public var seed: UInt64 = 0
    /// Equal-width bins of the calibration tables (scores in [0, 1] only).
    public var calibrationBins = 10

    /// Default options: minimum group size 30, 1,000 resamples, 95% intervals, seed 0.
    public init() {}
}

/// One group's results.
public struct GroupResult: Sendable, Equatable {
    /// Attribute name.
    public var attribute: String
    /// Group value.
    public var group: String
    /// Rows in the group.
    public var count: Int
    /// Confusion counts.
    public var counts: ConfusionCounts
    /// Metric values (`nil` = undefined).
    public var metrics: MetricValues
    /// Bootstrap percentile intervals per metric (absent when bootstrap is off or a metric is undefined).
    public var ci: [GroupMetric: [Double]]
    /// Whether the group is below the minimum size.
    public var small: Bool
    /// Reliability table of the score, when a score in [0, 1] was given.
    public var calibration: [CalibrationBin]?
}

/// One attribute's groups and disparities.
public struct AttributeResult: Sendable, Equatable {
    /// Attribute name.
    public var name: String
    /// Whether it is an intersection of several attributes.
    public var isIntersection: Bool
    /// Groups, sorted by name.
    public var groups: [GroupResult]
    /// Per-metric spreads.
    public var spreads: [GroupMetric: MetricSpread]
    /// Criterion disparities.
    public var disparities: [Disparity]
}

/// Per-group classification metrics, disparities and bootstrap intervals for one or more sensitive
/// attributes — one object, many views (after Fairlearn's `MetricFrame`).
public struct MetricFrame: Sendable {
    /// Options used.
    public let options: MetricFrameOptions
    /// Everyone together.
    public let overall: GroupResult
    /// Each attribute (and intersection) in order.
    public let attributes: [AttributeResult]
    /// Whether a score was given (AUC and calibration present).
    public let hasScore: Bool

    /// Evaluates `outcomes` for each sensitive attribute.
    ///
    /// - Throws: when an attribute has only one group, or lengths disagree.
    public init(_ outcomes: BinaryOutcomes, sensitive: [SensitiveAttribute], options: MetricFrameOptions = MetricFrameOptions()) throws {
        guard !sensitive.isEmpty else { throw CustosError(.usage, "give at least one sensitive attribute") }
        let n = outcomes.labels.count
        for attribute in sensitive {
            guard attribute.values.count == n else {
                throw CustosError(.invalidInput, "sensitive attribute '\(attribute.name)' has \(attribute.values.count) values for \(n) rows")
            }
            let distinct = Set(attribute.values)
            guard distinct.count >= 2 else {
                throw CustosError(
                    .invalidInput,
                    "sensitive column has one group only ('\(distinct.first ?? "")'): disparities need at least two groups",
                    at: SourceLocation(column: attribute.name))
            }
        }
        let all = sensitive + (options.intersections ? SensitiveAttribute.intersections(of: sensitive) : [])
        let plan = FramePlan(outcomes: outcomes, attributes: all)
        let point = plan.evaluate(weights: nil)
        var replicates: [PlanValues] = []
        if options.bootstrapResamples > 0 {
            let seed = options.seed
            replicates = Parallel.map(options.bootstrapResamples) { b in
                var rng = SeededGenerator(seed: seed, stream: UInt64(b))
                var weights = [Double](repeating: 0, count: n)
                for _ in 0..<n { weights[rng.nextIndex(below: n)] += 1 }
                return plan.evaluate(weights: weights)
            }
        }
        let tail = (1 - options.confidenceLevel) / 2
        func interval(_ pick: (PlanValues) -> Double?) -> [Double]? {
            guard !replicates.isEmpty else { return nil }
            let values = replicates.compactMap(pick).sorted()
            guard values.count >= 2 else { return nil }
            return [Statistics.quantile(sorted: values, tail), Statistics.quantile(sorted: values, 1 - tail)]
        }

        let includesAUC = outcomes.scores != nil
        func groupResult(_ a: Int, _ g: Int) -> GroupResult {
            let counts = point.counts[a][g]
            let metrics = MetricValues(counts: counts, auc: point.auc[a][g], includesAUC: includesAUC)
            var ci: [GroupMetric: [Double]] = [:]
            for metric in metrics.metrics where metrics[metric] != nil {
                ci[metric] = interval { $0.metric(metric, a, g) }
            }
            let rows = plan.groupRows[a][g]
            var calibration: [CalibrationBin]?
            if let scores = outcomes.scores {
                calibration = Calibration.table(
                    scores: rows.map { scores[$0] }, labels: rows.map { outcomes.labels[$0] }, bins: options.calibrationBins)
            }
            return GroupResult(
                attribute: plan.names[a], group: plan.groupNames[a][g], count: rows.count, counts: counts,
                metrics: metrics, ci: ci, small: rows.count < options.minimumGroupSize, calibration: calibration)
        }

        overall = groupResult(0, 0)
        var results: [AttributeResult] = []
        for a in 1..<plan.names.count {
            let groups = (0..<plan.groupNames[a].count).map { groupResult(a, $0) }
            var spreads: [GroupMetric: MetricSpread] = [:]
            for metric in overall.metrics.metrics {
                spreads[metric] = MetricSpread(
                    groups: groups.map(\.group), values: groups.map { $0.metrics[metric] }, overall: overall.metrics[metric])
            }
            var disparities: [Disparity] = []
            for criterion in FairnessCriterion.allCases {
                let parts = criterion.metrics.map { spreads[$0] ?? MetricSpread(groups: [], values: [], overall: nil) }
                let (difference, ratio, deciding) = Disparity.combine(criterion, parts)
                let undefined = groups.filter { g in criterion.metrics.contains { g.metrics[$0] == nil } }.map(\.group)
                disparities.append(Disparity(
                    attribute: plan.names[a], metric: criterion, difference: difference, ratio: ratio,
                    differenceToOverall: parts.compactMap(\.differenceToOverall).max(),
                    ratioToOverall: parts.compactMap(\.ratioToOverall).min(),
                    differenceCI: interval { $0.disparity(criterion, a)?.difference },
                    ratioCI: interval { $0.disparity(criterion, a)?.ratio },
                    lowestGroup: parts[deciding].minGroup, highestGroup: parts[deciding].maxGroup,
                    failsFourFifths: criterion == .disparateImpact ? ratio.map { $0 < fourFifthsThreshold } : nil,
                    undefinedGroups: undefined))
            }
            results.append(AttributeResult(
                name: plan.names[a], isIntersection: a > sensitive.count, groups: groups, spreads: spreads,
                disparities: disparities))
        }
        self.options = options
        self.attributes = results
        self.hasScore = includesAUC
    }

    /// The groups of one attribute (empty when unknown).
    public func groups(of attribute: String) -> [GroupResult] {
        attributes.first { $0.name == attribute }?.groups ?? []
    }

    /// One criterion's disparity for one attribute.
    public func disparity(_ criterion: FairnessCriterion, of attribute: String) -> Disparity? {
        attributes.first { $0.name == attribute }?.disparities.first { $0.metric == criterion }
    }

    /// Every disparity, attribute by attribute.
    public var disparities: [Disparity] { attributes.flatMap(\.disparities) }
}

/// Row-to-group assignments shared by the point estimate and every bootstrap replicate.
struct FramePlan: Sendable {
    let outcomes: BinaryOutcomes
    /// Attribute names; index 0 is "overall" (one group).
    let names: [String]
    let groupNames: [[String]]
    /// Group index of each row, per attribute.
    let groupOf: [[Int32]]
    /// Rows of each group, per attribute.
    let groupRows: [[[Int]]]
    /// Confusion cell of each row: 2·label + prediction (0 TN, 1 FP, 2 FN, 3 TP).
    let cells: [UInt8]
    /// Scores ranked once (when scored).
    let ranked: RankedScores?
    /// Group index of each row in rank order, per attribute (when scored).
    let rankedGroupOf: [[Int32]]

    init(outcomes: BinaryOutcomes, attributes: [SensitiveAttribute]) {
        self.outcomes = outcomes
        let n = outcomes.labels.count
        var names = ["overall"]
        var groupNames = [["all"]]
        var groupOf = [[Int32](repeating: 0, count: n)]
        var groupRows = [[Array(0..<n)]]
        for attribute in attributes {
            let sorted = Array(Set(attribute.values)).sorted()
            let index = Dictionary(uniqueKeysWithValues: sorted.enumerated().map { ($1, Int32($0)) })
            let assignment = attribute.values.map { index[$0] ?? -1 }
            var rows = [[Int]](repeating: [], count: sorted.count)
            for (i, g) in assignment.enumerated() { rows[Int(g)].append(i) }
            names.append(attribute.name)
            groupNames.append(sorted)
            groupOf.append(assignment)
            groupRows.append(rows)
        }
        self.names = names
        self.groupNames = groupNames
        self.groupOf = groupOf
        self.groupRows = groupRows
        cells = zip(outcomes.labels, outcomes.predictions).map { (label, prediction) in
            UInt8((label ? 2 : 0) + (prediction ? 1 : 0))
        }
        let ranked = outcomes.scores.map { RankedScores(scores: $0, labels: outcomes.labels) }
        self.ranked = ranked
        self.rankedGroupOf = ranked.map { r in groupOf.map { r.ranked($0) } } ?? []
    }

    /// Counts and AUC of every group under row weights (`nil` = all ones).
    func evaluate(weights: [Double]?) -> PlanValues {
        var counts: [[ConfusionCounts]] = []
        var auc: [[Double?]] = []
        let rankedWeights = weights.flatMap { w in ranked?.ranked(w) }
        for a in names.indices {
            // Tally weights into a flat [group][cell] table; cell = 2·label + prediction.
            let groupCount = groupNames[a].count
            var flat = [Double](repeating: 0, count: groupCount * 4)
            groupOf[a].withUnsafeBufferPointer { assignment in
                cells.withUnsafeBufferPointer { cell in
                    flat.withUnsafeMutableBufferPointer { table in
                        if let weights {
                            weights.withUnsafeBufferPointer { w in
                                for i in 0..<cell.count where w[i] > 0 {
                                    table[Int(assignment[i]) &* 4 &+ Int(cell[i])] += w[i]
                                }
                            }
                        } else {
                            for i in 0..<cell.count { table[Int(assignment[i]) &* 4 &+ Int(cell[i])] += 1 }
                        }
                    }
                }
            }
            let c = (0..<groupCount).map { g in
                ConfusionCounts(tp: flat[g * 4 + 3], fp: flat[g * 4 + 1], tn: flat[g * 4], fn: flat[g * 4 + 2])
            }
            counts.append(c)
            if let ranked {
                auc.append(ranked.aucByGroup(groups: rankedGroupOf[a], groupCount: groupNames[a].count, weights: rankedWeights))
            } else {
                auc.append([Double?](repeating: nil, count: groupNames[a].count))
            }
        }
        return PlanValues(plan: groupNames.map(\.count), counts: counts, auc: auc)
    }
}

/// Counts and AUCs of every group of every attribute, for one (re)sample.
struct PlanValues: Sendable {
    let plan: [Int]
    let counts: [[ConfusionCounts]]
    let auc: [[Double?]]

    func metric(_ metric: GroupMetric, _ a: Int, _ g: Int) -> Double? {
        metric == .auc ? auc[a][g] : counts[a][g].value(metric)
    }

    func disparity(_ criterion: FairnessCriterion, _ a: Int) -> (difference: Double?, ratio: Double?)? {
        let groups = (0..<plan[a]).map { "\($0)" }
        let spreads = criterion.metrics.map { m in
            MetricSpread(groups: groups, values: (0..<plan[a]).map { metric(m, a, $0) }, overall: nil)
        }
        let combined = Disparity.combine(criterion, spreads)
        return (combined.difference, combined.ratio)
    }
}
