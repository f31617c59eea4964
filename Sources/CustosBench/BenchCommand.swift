import ArgumentParser
import CustosCore
import CustosFairness
import Foundation

/// `custos-bench`: Custos against its Python peers on the same input, one JSON line per benchmark.
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "custos-bench",
        abstract: "Benchmarks against the Python peers (run `scripts/bench-setup` first; build with -c release).",
        subcommands: [
            FairnessAuditBench.self, EncoderBench.self, AuditBench.self, DPBench.self, DPSGDBench.self, MitigationBench.self,
            GuardBench.self, PIIBench.self, ExplainBench.self, GatewayBench.self, BiasBench.self, RedTeamBench.self,
        ])
}

/// Shared benchmark flags.
struct BenchOptions: ParsableArguments {
    @Option(help: "Python with the peers installed.")
    var python = ".venv-bench/bin/python"

    @Option(help: "Runs of each side; the median is reported.")
    var runs = 5
}

/// Wall-clock timing of whole processes.
enum ProcessTimer {
    /// Runs a command, returning wall seconds and stdout; a failure is an error with its stderr.
    static func time(_ executable: String, _ arguments: [String]) throws -> (seconds: Double, stdout: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let start = DispatchTime.now()
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        guard process.terminationStatus == 0 else {
            throw CustosError(.internal, "\(executable) \(arguments.joined(separator: " ")) failed: \(String(decoding: stderr, as: UTF8.self).suffix(600))")
        }
        return (seconds, String(decoding: stdout, as: UTF8.self))
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
}

/// Prints one benchmark result as a single sorted-key JSON line (the format every bench uses).
func printJSONLine<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

/// Prints one benchmark result given as a JSON object, as a single sorted-key line.
func printJSONObjectLine(_ object: [String: Any]) throws {
    let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    print(String(decoding: data, as: UTF8.self))
}

/// One machine-readable result line.
struct BenchLine: Encodable {
    var bench: String
    var custos_s: Double
    var peer: String
    var peer_s: Double
    var ratio: Double
    var custos_inprocess_s: Double?
    var peer_inprocess_s: Double?
    var inprocess_ratio: Double?
    var input: String
    var runs: Int
    var note: String

    func print() throws { try printJSONLine(self) }
}

/// `custos-bench fairness-audit`: the full audit (sex, race, sex+race; every metric and disparity;
/// bootstrap intervals) as a whole process, the Custos CLI against Fairlearn's MetricFrame on the same
/// CSV, once per bootstrap setting. Fairlearn's bootstrap costs about 2 s per resample on Adult (36 min
/// for 1,000), so the default compares 0 and 20 resamples on both sides; the work per resample is the same.
struct FairnessAuditBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "fairness-audit")

    @OptionGroup var bench: BenchOptions

    @Option(help: "Predictions CSV with y_true,y_pred,score,sex,race.")
    var data = "Tests/Fixtures/fairness/adult_test_predictions.csv"

    @Option(help: "The custos executable to time.")
    var custos = ".build/release/custos"

    @Option(help: "Comma-separated bootstrap resample counts; each is one benchmark line (same count on both sides).")
    var bootstrap = "0,20"

    @Option(help: "Runs of the Python peer per setting (it is slow); the median is reported.")
    var peerRuns = 1

    func run() throws {
        let settings = bootstrap.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !settings.isEmpty, settings.allSatisfy({ $0 >= 0 }) else {
            throw ValidationError("--bootstrap takes comma-separated non-negative counts")
        }
        for resamples in settings { try measure(resamples: resamples) }
    }

    func measure(resamples: Int) throws {
        let custosArgs = ["fairness", "audit", "--data", data, "--label", "y_true", "--prediction", "y_pred",
                          "--score", "score", "--sensitive", "sex,race", "--intersections", "--format", "json",
                          "--bootstrap", "\(resamples)"]
        let peerArgs = ["scripts/peers/fairness_audit.py", data, "--n-boot", "\(resamples)"]
        _ = try ProcessTimer.time(custos, custosArgs)  // warm the file cache
        var custosTimes: [Double] = []
        for _ in 0..<bench.runs { custosTimes.append(try ProcessTimer.time(custos, custosArgs).seconds) }
        var peerTimes: [Double] = []
        var peerInside: [Double] = []
        for _ in 0..<max(1, peerRuns) {
            let (seconds, stdout) = try ProcessTimer.time(bench.python, peerArgs)
            peerTimes.append(seconds)
            if let object = try? JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any],
               let inside = object["seconds"] as? Double {
                peerInside.append(inside)
            }
        }
        // In-process: the same audit through the library, without process start or printing.
        let table = try CSVReader.table(contentsOf: data)
        var options = MetricFrameOptions()
        options.intersections = true
        options.bootstrapResamples = resamples
        var inside: [Double] = []
        for _ in 0..<bench.runs {
            let start = DispatchTime.now()
            _ = try FairnessAudit.run(.init(table: table, source: data, label: "y_true", prediction: "y_pred", score: "score",
                                            sensitive: ["sex", "race"], positiveLabel: nil), options: options)
            inside.append(Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9)
        }
        let c = ProcessTimer.median(custosTimes)
        let p = ProcessTimer.median(peerTimes)
        let ci = ProcessTimer.median(inside)
        let pi = peerInside.isEmpty ? nil : ProcessTimer.median(peerInside)
        try BenchLine(
            bench: "fairness-audit-bootstrap-\(resamples)", custos_s: c,
            peer: "fairlearn 0.15 MetricFrame (scripts/peers/fairness_audit.py)", peer_s: p,
            ratio: p / c, custos_inprocess_s: ci, peer_inprocess_s: pi, inprocess_ratio: pi.map { $0 / ci },
            input: data, runs: bench.runs,
            note: "whole process, median; sex, race, sex+race; 12 metrics + disparities; \(resamples) bootstrap resamples"
        ).print()
    }
}
