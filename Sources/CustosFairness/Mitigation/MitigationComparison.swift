import CustosCore
import CustosML
import Foundation

/// One row of `custos fairness compare`: a mitigation's test-split accuracy and disparities and its training time.
public struct MitigationOutcome: Sendable, Equatable, Codable {
    /// The mitigation (`none`, `reweighing`, `expgrad-dp`, …).
    public var mitigation: String
    /// Test accuracy (expected accuracy for randomized classifiers).
    public var accuracy: Double
    /// Largest minus smallest group selection rate on the test split.
    public var demographicParityDifference: Double
    /// max(TPR difference, FPR difference) on the test split.
    public var equalizedOddsDifference: Double
    /// Wall-clock seconds to train (preprocessing, model and mitigation) and predict.
    public var seconds: Double

    enum CodingKeys: String, CodingKey {
        case mitigation, accuracy, seconds
        case demographicParityDifference = "demographic_parity_difference"
        case equalizedOddsDifference = "equalized_odds_difference"
    }
}

/// Trains every mitigation on a training split and evaluates it on a test split.
public enum MitigationComparison {
    /// Runs `methods` in order; `progress` gets one line per stage. Randomized classifiers are scored by their
    /// expected predictions (Fairlearn's `_pmf_predict`), so the figures do not depend on a seed.
    public static func run(train: Table, test: Table, options: FairTrainingOptions, methods: [MitigationMethod] = MitigationMethod.compared,
                           progress: (@Sendable (String) -> Void)? = nil) throws -> [MitigationOutcome] {
        let labels = try BinaryOutcomes.binary(test, column: options.label, positiveLabel: options.positiveLabel)
        let groups = try SensitiveAttribute(table: test, column: options.sensitive).values
        return try methods.enumerated().map { k, method in
            progress?("[\(k + 1)/\(methods.count)] \(method.rawValue)")
            var methodOptions = options
            methodOptions.method = method
            let start = DispatchTime.now().uptimeNanoseconds
            let model = try FairTrainer.train(train, options: methodOptions) { progress?("[\(k + 1)/\(methods.count)] \(method.rawValue): \($0)") }
            let predicted = try FairPredictor(model).predict(test)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            let metrics = try ExpectedMetrics(labels: labels, positiveProbabilities: predicted.positiveProbabilities, groups: groups)
            return MitigationOutcome(mitigation: method.rawValue, accuracy: metrics.accuracy,
                                     demographicParityDifference: metrics.demographicParityDifference,
                                     equalizedOddsDifference: metrics.equalizedOddsDifference, seconds: seconds)
        }
    }
}

/// The bundled data sets `custos fairness compare --dataset` trains on, with their label, split and features.
public enum MitigationDataset: String, Sendable, CaseIterable, Codable {
    /// UCI Adult: its own train/test files, income > 50K, fnlwgt dropped (as the Fairlearn reference).
    case adult
    /// ProPublica COMPAS: two_year_recid from demographics, charge degree and prior counts; seeded 70/30 split.
    case compas
    /// German credit: credit = good from every attribute; seeded 70/30 split.
    case german

    /// Adult's numeric features in the Fairlearn reference's order (standardized; fnlwgt is not used).
    public static let adultNumericFeatures = ["age", "education-num", "capital-gain", "capital-loss", "hours-per-week"]
    /// Adult's categorical features in the reference's order (one-hot; sex and race included).
    public static let adultCategoricalFeatures = ["workclass", "education", "marital-status", "occupation", "relationship", "race", "sex",
                                                  "native-country"]

    /// Share of rows in the training split of data sets without their own split.
    public static let trainShare = 0.7

    /// The training and test tables and the training options (label, positive value, sensitive column, exclusions).
    public func load(sensitive: String?, seed: UInt64 = 0, home: CustosHome = CustosHome()) throws -> (train: Table, test: Table, options: FairTrainingOptions) {
        switch self {
        case .adult:
            let (train, test) = try Datasets.adult(home: home)
            var options = FairTrainingOptions(label: "income", positiveLabel: ">50K", sensitive: sensitive ?? "sex")
            options.excluded = ["fnlwgt"]
            return (train, test, options)
        case .compas:
            let features = ["sex", "age", "race", "juv_fel_count", "juv_misd_count", "juv_other_count", "priors_count", "c_charge_degree"]
            let table = try Datasets.compas(home: home).selecting(features + ["two_year_recid"])
            let (train, test) = try Self.split(table, seed: seed)
            return (train, test, FairTrainingOptions(label: "two_year_recid", sensitive: sensitive ?? "race"))
        case .german:
            let table = try Datasets.german(home: home)
            let (train, test) = try Self.split(table, seed: seed)
            return (train, test, FairTrainingOptions(label: "credit", positiveLabel: "good", sensitive: sensitive ?? "sex"))
        }
    }

    /// A seeded random split: `trainShare` of the rows for training, the rest for testing.
    static func split(_ table: Table, seed: UInt64) throws -> (Table, Table) {
        var generator = SeededGenerator(seed: seed)
        var order = Array(0..<table.rowCount)
        order.shuffle(using: &generator)
        var inTrain = [Bool](repeating: false, count: table.rowCount)
        for i in order.prefix(Int((Double(table.rowCount) * trainShare).rounded())) { inTrain[i] = true }
        return (try table.filtered(inTrain), try table.filtered(inTrain.map { !$0 }))
    }
}
