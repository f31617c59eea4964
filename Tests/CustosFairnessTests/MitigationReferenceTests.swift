import CustosCore
import CustosFairness
import CustosML
import Foundation
import Testing

/// Mitigation on UCI Adult (sex) against Fairlearn 0.15.0 / scikit-learn 1.9.1 / aif360 0.6.1
/// (`Tests/Fixtures/fairness/mitigation_reference.json`) and scikit-learn's converged fit (`adult_lr_tight.json`).
/// Needs the `adult` asset (`scripts/setup`).
@Suite("Mitigation matches Fairlearn on Adult")
struct MitigationReferenceTests {
    /// Test accuracy may differ by half a percentage point (the acceptance bound).
    static let accuracyTolerance = 0.005
    /// The targeted disparity may differ by 0.01 (the acceptance bound).
    static let disparityTolerance = 0.01

    func setup() throws -> AdultMitigationSetup { try AdultMitigationSetup.shared.get() }

    @Test("logistic regression reaches scikit-learn's optimum: coefficients within 1e-4")
    func coefficients() throws {
        let adult = try setup()
        let reference = try Fixtures.json("fairness/adult_lr_tight.json")
        let names = reference["feature_names"] as? [String] ?? []
        #expect(names.count == adult.pipeline.featureNames.count)
        for (variant, weights) in [("plain", nil as [Double]?), ("reweighed", try Reweighing.weights(labels: adult.yTrain, groups: adult.sexTrain).weights)] {
            let fit = variant == "plain" ? adult.base : try LogisticRegression().fit(adult.xTrain, labels: adult.yTrain, weights: weights)
            let expected = reference[variant] as? [String: Any] ?? [:]
            let coef = (expected["coef"] as? [NSNumber] ?? []).map(\.doubleValue)
            #expect(coef.count == fit.coefficients.count)
            let worst = zip(coef, fit.coefficients).map { abs($0 - $1) }.max() ?? .infinity
            #expect(worst < 1e-4, "\(variant): largest coefficient difference \(worst)")
            #expect(abs(AdultMitigationSetup.number(expected, "intercept") - fit.intercept) < 1e-4)
            let accuracy = zip(try fit.predict(adult.xTest), adult.yTest).filter { $0 == $1 }.count
            #expect(abs(Double(accuracy) / Double(adult.yTest.count) - AdultMitigationSetup.number(expected, "test_accuracy")) < 1e-3)
        }
    }

    @Test("plain logistic regression: test accuracy as Fairlearn's baseline")
    func baseline() throws {
        let adult = try setup()
        let reference = try AdultMitigationSetup.reference("baseline_lr")
        let metrics = try ExpectedMetrics(labels: adult.yTest, positiveProbabilities: try adult.base.predict(adult.xTest).map { $0 ? 1 : 0 }, groups: adult.sexTest)
        #expect(abs(metrics.accuracy - AdultMitigationSetup.number(reference, "test", "accuracy")) < Self.accuracyTolerance)
        #expect(abs(metrics.demographicParityDifference - AdultMitigationSetup.number(reference, "test", "demographic_parity_difference")) < Self.disparityTolerance)
    }

    @Test("reweighing: aif360's weights, then accuracy and demographic parity as the reference")
    func reweighing() throws {
        let adult = try setup()
        let reference = try AdultMitigationSetup.reference("reweighing_lr")
        let (weights, cells) = try Reweighing.weights(labels: adult.yTrain, groups: adult.sexTrain)
        for cell in cells {
            let key = "\(cell.group)|y=\(cell.label ? 1 : 0)"
            #expect(abs(cell.weight - AdultMitigationSetup.number(reference, "weights", key, "weight")) < 1e-12, "\(key)")
            #expect(Double(cell.count) == AdultMitigationSetup.number(reference, "weights", key, "count"))
        }
        let model = try LogisticRegression().fit(adult.xTrain, labels: adult.yTrain, weights: weights)
        let predictions = try model.predict(adult.xTest).map { $0 ? 1.0 : 0 }
        let metrics = try ExpectedMetrics(labels: adult.yTest, positiveProbabilities: predictions, groups: adult.sexTest)
        #expect(abs(metrics.accuracy - AdultMitigationSetup.number(reference, "test", "accuracy")) < Self.accuracyTolerance)
        #expect(abs(metrics.demographicParityDifference - AdultMitigationSetup.number(reference, "test", "demographic_parity_difference")) < Self.disparityTolerance)
    }

    @Test("threshold optimizer, demographic parity and equalized odds", arguments: [ThresholdOptimizer.Constraint.demographicParity, .equalizedOdds])
    func thresholdOptimizer(_ constraint: ThresholdOptimizer.Constraint) throws {
        let adult = try setup()
        let reference = try AdultMitigationSetup.reference(constraint == .demographicParity ? "to_demographic_parity" : "to_equalized_odds")
        let rules = try ThresholdOptimizer(constraint: constraint).fit(scores: try adult.base.probabilities(adult.xTrain), labels: adult.yTrain, groups: adult.sexTrain)
        let scores = try adult.base.probabilities(adult.xTest)
        let p = try adult.sexTest.indices.map { i -> Double in
            guard let rule = rules[adult.sexTest[i]] else { throw CustosError(.internal, "no rule for \(adult.sexTest[i])") }
            return rule.positiveProbability(scores[i])
        }
        let metrics = try ExpectedMetrics(labels: adult.yTest, positiveProbabilities: p, groups: adult.sexTest)
        try expectMatches(metrics, reference, targeting: constraint == .demographicParity ? "demographic_parity_difference" : "equalized_odds_difference")
    }

    @Test("exponentiated gradient, demographic parity and equalized odds", arguments: [ParityConstraint.Kind.demographicParity, .equalizedOdds])
    func exponentiatedGradient(_ constraint: ParityConstraint.Kind) throws {
        let adult = try setup()
        let reference = try AdultMitigationSetup.reference(constraint == .demographicParity ? "eg_demographic_parity" : "eg_equalized_odds")
        let result = try ExponentiatedGradient(constraint: constraint).fit(adult.xTrain, labels: adult.yTrain, groups: adult.sexTrain)
        #expect(abs(result.ensemble.map(\.weight).reduce(0, +) - 1) < 1e-6)
        let metrics = try ExpectedMetrics(labels: adult.yTest, positiveProbabilities: try result.positiveProbabilities(adult.xTest), groups: adult.sexTest)
        try expectMatches(metrics, reference, targeting: constraint == .demographicParity ? "demographic_parity_difference" : "equalized_odds_difference")
    }

    func expectMatches(_ metrics: ExpectedMetrics, _ reference: [String: Any], targeting key: String) throws {
        let accuracy = AdultMitigationSetup.number(reference, "test_expected", "accuracy")
        let disparity = AdultMitigationSetup.number(reference, "test_expected", key)
        let ours = key == "demographic_parity_difference" ? metrics.demographicParityDifference : metrics.equalizedOddsDifference
        #expect(abs(metrics.accuracy - accuracy) < Self.accuracyTolerance, "accuracy \(metrics.accuracy) vs \(accuracy)")
        #expect(abs(ours - disparity) < Self.disparityTolerance, "\(key) \(ours) vs \(disparity)")
    }
}
