import CustosCore
import CustosML

/// Applies a model file (with its mitigation) to a table.
public struct FairPredictor: Sendable {
    /// The model.
    public let model: ModelFile

    /// Wraps a loaded model.
    public init(_ model: ModelFile) { self.model = model }

    /// Per row: the base model's probability, the probability that the (randomized) mitigated classifier predicts
    /// positive, and a prediction drawn with the model's seed (or `seed` when given).
    public func predict(_ table: Table, seed: UInt64? = nil) throws -> (scores: [Double], positiveProbabilities: [Double], predictions: [Bool]) {
        let x = try model.pipeline.transform(table)
        let scores = try model.classifier.probabilities(x)
        var probabilities: [Double]
        let mitigation = model.mitigation
        if let ensemble = mitigation?.ensemble {
            probabilities = try EnsembleMember.positiveProbabilities(ensemble, x)
        } else if let rules = mitigation?.groupThresholds {
            guard let sensitive = mitigation?.sensitive else {
                throw CustosError(.invalidInput, "model's threshold mitigation names no sensitive column")
            }
            let column = try table.column(named: sensitive)
            probabilities = try (0..<table.rowCount).map { i in
                let group = column.string(at: i) ?? SensitiveAttribute.missingGroup
                guard let rule = rules[group] else {
                    throw CustosError(.invalidInput, "group '\(group)' was not seen in training (known: \(rules.keys.sorted().joined(separator: ", ")))",
                                      at: table.location(row: i, column: sensitive))
                }
                return rule.positiveProbability(scores[i])
            }
        } else {
            probabilities = scores.map { $0 > 0.5 ? 1 : 0 }
        }
        var generator = SeededGenerator(seed: seed ?? mitigation?.seed ?? 0)
        let deterministic = mitigation?.ensemble == nil && mitigation?.groupThresholds == nil
        let predictions = probabilities.map { p -> Bool in
            if deterministic { return p >= 1 }
            return p >= Double.random(in: 0..<1, using: &generator)
        }
        return (scores, probabilities, predictions)
    }
}
