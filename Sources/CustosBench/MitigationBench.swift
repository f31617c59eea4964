import ArgumentParser
import CustosCore
import CustosFairness
import CustosML
import Foundation

/// `custos-bench mitigation`: on the same UCI Adult split and preprocessing, Custos' exponentiated gradient
/// (demographic parity) and threshold optimizer (equalized odds) against Fairlearn 0.15.0's
/// (`scripts/peers/mitigation.py`), both timed inside their own process with the design matrix already built.
/// Prints one JSON line per mitigation with the ratio and both sides' test accuracy and targeted disparity.
struct MitigationBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "mitigation")

    @OptionGroup var bench: BenchOptions

    @Option(help: "Runs of the Python peer (its exponentiated gradient takes ~2 minutes a run here); median reported.")
    var peerRuns = 1

    @Option(help: "Custos home with the adult asset.")
    var home: String?

    func run() throws {
        let custosHome = CustosHome(path: home)
        let adultDir = (try custosHome.require(asset: "adult", file: "adult.data") as NSString).deletingLastPathComponent
        let (train, test) = try Datasets.adult(home: custosHome)
        let pipeline = try FeaturePipeline.fit(train, numeric: MitigationDataset.adultNumericFeatures,
                                               categorical: MitigationDataset.adultCategoricalFeatures)
        let x = try pipeline.transform(train)
        let xTest = try pipeline.transform(test)
        let y = try Self.positive(train)
        let yTest = try Self.positive(test)
        let sex = try SensitiveAttribute(table: train, column: "sex").values
        let sexTest = try SensitiveAttribute(table: test, column: "sex").values

        var egTimes: [Double] = []
        var eg: ExponentiatedGradient.Result?
        for _ in 0..<max(1, bench.runs) {
            let start = DispatchTime.now()
            eg = try ExponentiatedGradient(constraint: .demographicParity).fit(x, labels: y, groups: sex)
            egTimes.append(Self.seconds(since: start))
        }
        let base = try LogisticRegression().fit(x, labels: y)
        var toTimes: [Double] = []
        var rules: [String: RandomizedThreshold] = [:]
        for _ in 0..<max(1, bench.runs) {
            let start = DispatchTime.now()
            // As Fairlearn's prefit ThresholdOptimizer: score the training data with the fitted model, then optimize.
            let scores = try base.probabilities(x)
            rules = try ThresholdOptimizer(constraint: .equalizedOdds).fit(scores: scores, labels: y, groups: sex)
            toTimes.append(Self.seconds(since: start))
        }
        let egMetrics = try ExpectedMetrics(labels: yTest, positiveProbabilities: try eg?.positiveProbabilities(xTest) ?? [], groups: sexTest)
        let testScores = try base.probabilities(xTest)
        let toMetrics = try ExpectedMetrics(
            labels: yTest, positiveProbabilities: sexTest.indices.map { rules[sexTest[$0]]?.positiveProbability(testScores[$0]) ?? 0 }, groups: sexTest)

        let (_, stdout) = try ProcessTimer.time(bench.python, ["scripts/peers/mitigation.py", adultDir, "--runs", "\(max(1, peerRuns))"])
        guard let peer = try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any],
              let peerEG = peer["expgrad_dp"] as? [String: Any], let peerTO = peer["threshold_eo"] as? [String: Any],
              let egPeerTimes = peerEG["seconds"] as? [Double], let toPeerTimes = peerTO["seconds"] as? [Double]
        else { throw CustosError(.internal, "unexpected output from scripts/peers/mitigation.py: \(stdout.prefix(300))") }

        for (name, ours, theirs, metrics, peerMetrics, key, note) in [
            ("mitigation-expgrad-dp", egTimes, egPeerTimes, egMetrics, peerEG, "demographic_parity_difference",
             "ExponentiatedGradient(LR lbfgs C=1, DemographicParity, eps 0.01, max_iter 50, eta0 2) fit on Adult train (30,162 rows); in-process, median"),
            ("mitigation-threshold-eo", toTimes, toPeerTimes, toMetrics, peerTO, "equalized_odds_difference",
             "ThresholdOptimizer(prefit LR, equalized_odds, accuracy, grid 1000) fit on Adult train; in-process, median"),
        ] {
            let c = ProcessTimer.median(ours)
            let p = ProcessTimer.median(theirs)
            let disparity = key == "demographic_parity_difference" ? metrics.demographicParityDifference : metrics.equalizedOddsDifference
            try printJSONObjectLine([
                "bench": name, "custos_s": c, "peer": "fairlearn 0.15.0 (scripts/peers/mitigation.py)", "peer_s": p, "ratio": p / c,
                "runs": ours.count, "peer_runs": theirs.count, "input": "UCI Adult (sex)", "note": note,
                "custos_test_accuracy": metrics.accuracy, "peer_test_accuracy": peerMetrics["accuracy"] as? Double ?? Double.nan,
                "custos_test_\(key)": disparity, "peer_test_\(key)": peerMetrics[key] as? Double ?? Double.nan,
            ])
        }
    }

    static func positive(_ table: Table) throws -> [Bool] {
        let income = try table.column(named: "income")
        return (0..<table.rowCount).map { income.string(at: $0) == ">50K" }
    }

    static func seconds(since start: DispatchTime) -> Double { AuditBench.seconds(since: start) }
}
