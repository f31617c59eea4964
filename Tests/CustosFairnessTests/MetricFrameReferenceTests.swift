import CustosCore
import CustosFairness
import Foundation
import Testing

/// Tolerance for equality with Fairlearn: both compute the same ratios of integer counts in
/// float64, so agreement to 1e-9 is expected (the acceptance bar).
let fairlearnTolerance = 1e-9

func close(_ a: Double?, _ b: Double?, _ tolerance: Double = fairlearnTolerance) -> Bool {
    guard let a, let b else { return a == nil && b == nil }
    return abs(a - b) <= tolerance
}

@Suite("MetricFrame equals Fairlearn on Adult")
struct MetricFrameReferenceTests {
    static let frame: MetricFrame = {
        do {
            let table = try CSVReader.table(contentsOf: Fixtures.path("fairness/adult_test_predictions.csv"))
            let outcomes = try BinaryOutcomes(table: table, label: "y_true", prediction: "y_pred", score: "score")
            let sensitive = try ["sex", "race"].map { try SensitiveAttribute(table: table, column: $0) }
            var options = MetricFrameOptions()
            options.intersections = true
            options.bootstrapResamples = 200
            return try MetricFrame(outcomes, sensitive: sensitive, options: options)
        } catch {
            fatalError("cannot build the Adult frame: \(error)")
        }
    }()

    static func reference(_ key: String) -> [String: Any] {
        let expected = (try? Fixtures.json("fairness/adult_expected.json")) ?? [:]
        return ((expected["sensitive"] as? [String: Any])?[key] as? [String: Any]) ?? [:]
    }

    /// Fairlearn metric names in the reference → ours.
    static let metricNames: [String: GroupMetric] = [
        "accuracy": .accuracy, "selection_rate": .selectionRate, "tpr": .tpr, "fpr": .fpr, "fnr": .fnr,
    ]

    @Test("per-group metrics and counts", arguments: zip(["sex", "race", "sex_x_race"], ["sex", "race", "sex+race"]))
    func perGroup(referenceKey: String, attribute: String) throws {
        let reference = Self.reference(referenceKey)
        let columns = try #require(reference["group_columns"] as? [String])
        let rows = try #require(reference["by_group"] as? [[String: Any]])
        let groups = Self.frame.groups(of: attribute)
        #expect(groups.count == rows.count)
        for row in rows {
            let name = columns.compactMap { row[$0] as? String }.joined(separator: "+")
            let group = try #require(groups.first { $0.group == name }, "missing group \(name)")
            #expect(group.count == row["count"] as? Int)
            for (key, metric) in Self.metricNames {
                let want = try #require(row[key] as? Double)
                #expect(close(group.metrics[metric], want), "\(attribute)=\(name) \(key): \(String(describing: group.metrics[metric])) vs \(want)")
            }
        }
    }

    @Test("overall metrics")
    func overall() throws {
        let reference = try #require(Self.reference("sex")["overall"] as? [String: Any])
        for (key, metric) in Self.metricNames {
            #expect(close(Self.frame.overall.metrics[metric], reference[key] as? Double), "overall \(key)")
        }
        #expect(Self.frame.overall.count == 15_060)
    }

    @Test("between-group differences and ratios", arguments: zip(["sex", "race", "sex_x_race"], ["sex", "race", "sex+race"]))
    func spreads(referenceKey: String, attribute: String) throws {
        let reference = Self.reference(referenceKey)
        let differences = try #require(reference["difference_between_groups"] as? [String: Double])
        let ratios = try #require(reference["ratio_between_groups"] as? [String: Double])
        let result = try #require(Self.frame.attributes.first { $0.name == attribute })
        for (key, metric) in Self.metricNames {
            let spread = try #require(result.spreads[metric])
            #expect(close(spread.difference, differences[key]), "\(attribute) \(key) difference")
            #expect(close(spread.ratio, ratios[key]), "\(attribute) \(key) ratio")
        }
    }

    @Test("demographic parity, equalized odds and equal opportunity", arguments: zip(["sex", "race", "sex_x_race"], ["sex", "race", "sex+race"]))
    func criteria(referenceKey: String, attribute: String) throws {
        let reference = Self.reference(referenceKey)
        let cases: [(FairnessCriterion, String)] = [
            (.demographicParity, "demographic_parity"), (.equalizedOdds, "equalized_odds"),
            (.equalOpportunity, "equal_opportunity"),
        ]
        for (criterion, key) in cases {
            let disparity = try #require(Self.frame.disparity(criterion, of: attribute))
            #expect(close(disparity.difference, reference["\(key)_difference"] as? Double), "\(attribute) \(key) difference")
            #expect(close(disparity.ratio, reference["\(key)_ratio"] as? Double), "\(attribute) \(key) ratio")
        }
        let impact = try #require(Self.frame.disparity(.disparateImpact, of: attribute))
        #expect(close(impact.ratio, reference["demographic_parity_ratio"] as? Double))
        #expect(impact.failsFourFifths == ((reference["demographic_parity_ratio"] as? Double ?? 1) < 0.8))
    }

    @Test("AUC equals an independent Mann–Whitney computation (SciPy)")
    func auc() throws {
        let expected = try Fixtures.json("fairness/adult_auc_scipy.json")
        #expect(close(Self.frame.overall.metrics[.auc], expected["overall"] as? Double, 1e-12))
        for attribute in ["sex", "race"] {
            let groups = try #require(expected[attribute] as? [String: Double])
            for (name, want) in groups {
                let group = try #require(Self.frame.groups(of: attribute).first { $0.group == name })
                #expect(close(group.metrics[.auc], want, 1e-12), "\(attribute)=\(name) AUC")
            }
        }
    }

    @Test("bootstrap intervals bracket the point estimate of large groups")
    func intervals() throws {
        for group in Self.frame.groups(of: "sex") {
            for metric in [GroupMetric.accuracy, .selectionRate, .tpr, .fpr] {
                let ci = try #require(group.ci[metric])
                let value = try #require(group.metrics[metric])
                #expect(ci[0] <= value && value <= ci[1], "\(group.group) \(metric): \(ci) vs \(value)")
                #expect(ci[1] - ci[0] < 0.1)
            }
        }
    }
}
