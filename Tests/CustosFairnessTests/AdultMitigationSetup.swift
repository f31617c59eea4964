import CustosCore
import CustosFairness
import CustosML
import Foundation

/// UCI Adult prepared exactly as the Fairlearn reference (`Tests/Fixtures/fairness/mitigation_reference.json`):
/// fnlwgt dropped, standardized numerics, one-hot categoricals with sex and race as features, y = income > 50K.
struct AdultMitigationSetup: Sendable {
    let pipeline: FeaturePipeline
    let xTrain: DenseMatrix
    let xTest: DenseMatrix
    let yTrain: [Bool]
    let yTest: [Bool]
    let sexTrain: [String]
    let sexTest: [String]
    let base: LinearClassifier

    /// Loaded once for all tests (the fit is the expensive part).
    static let shared = Result { try AdultMitigationSetup() }

    init() throws {
        let (train, test) = try Datasets.adult()
        pipeline = try FeaturePipeline.fit(train, numeric: MitigationDataset.adultNumericFeatures,
                                           categorical: MitigationDataset.adultCategoricalFeatures)
        xTrain = try pipeline.transform(train)
        xTest = try pipeline.transform(test)
        yTrain = try Self.highIncome(train)
        yTest = try Self.highIncome(test)
        sexTrain = try SensitiveAttribute(table: train, column: "sex").values
        sexTest = try SensitiveAttribute(table: test, column: "sex").values
        base = try LogisticRegression().fit(xTrain, labels: yTrain)
    }

    static func highIncome(_ table: Table) throws -> [Bool] {
        let income = try table.column(named: "income")
        return (0..<table.rowCount).map { income.string(at: $0) == ">50K" }
    }

    /// The reference's entry for one method.
    static func reference(_ method: String) throws -> [String: Any] {
        let root = try Fixtures.json("fairness/mitigation_reference.json")
        let methods = (root["mitigation"] as? [String: Any])?["methods"] as? [String: Any]
        return methods?[method] as? [String: Any] ?? [:]
    }

    /// A number inside the reference, by key path.
    static func number(_ object: [String: Any], _ path: String...) -> Double {
        var current: Any? = object
        for key in path { current = (current as? [String: Any])?[key] }
        return (current as? NSNumber)?.doubleValue ?? .nan
    }
}
