import ArgumentParser
import CustosCore
import CustosGuard
import CustosReport
import Foundation

/// `custos guard train jailbreak`: fits the jailbreak head and reports its cross-validated figures.
struct GuardTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a guard model (jailbreak).",
        discussion: """
            custos guard train jailbreak --set DEV.jsonl [--set EXTRA.jsonl ...] --out jailbreak_head.json
            Embeds every prompt with MiniLM, runs 5-fold group-aware cross-validation (the `group` field keeps \
            near-duplicates in one fold), picks the threshold with the best F1 whose false-positive rate on \
            plain harmful requests is at most 5%, fits the head on everything and writes it with the SHA-256 of \
            each training file. Prints the cross-validated figures (AUC also for 200-1500 and <200 characters).
            """)

    @Argument(help: "What to train: jailbreak.")
    var model: String

    @Option(help: "Training JSONL (text, label, optional group and family); repeat for several files.")
    var set: [String]

    @Option(help: "Where to write the trained head (JSON).")
    var out: String

    @Option(help: "Seed of the fold assignment.")
    var seed: UInt64 = 9

    @Option(help: "Output format of the report: table or json.")
    var format: OutputFormat = .table

    @OptionGroup var modelOptions: ModelOptions

    func validate() throws {
        guard model == "jailbreak" else { throw ValidationError("only 'jailbreak' can be trained") }
        guard !set.isEmpty else { throw ValidationError("give at least one --set FILE") }
    }

    static func number(_ value: Double?) -> String { value.map { String(format: "%.4f", $0) } ?? "-" }

    func run() throws {
        var examples: [JailbreakTraining.Example] = []
        var files: [JailbreakHead.TrainingFile] = []
        for path in set {
            let (rows, file) = try JailbreakTraining.read(path)
            examples += rows
            files.append(file)
        }
        let embedder = try modelOptions.embedder()
        let (head, report) = try JailbreakTraining.train(examples, files: files, embedder: embedder, seed: seed, progress: { printError($0) })
        try FileInput.writeAtomically(try JSONOutput.encode(head) + "\n", to: out)
        if format == .json {
            print(try JSONOutput.encode(report))
        } else {
            var rows: [[String]] = [
                ["texts (positives)", "\(report.n) (\(report.positives))"],
                ["F1 / precision / recall", String(format: "%.4f / %.4f / %.4f", report.f1, report.precision, report.recall)],
                ["ROC AUC", String(format: "%.4f", report.auc)],
                ["ROC AUC 200-1500 chars (n)", Self.number(report.aucMedium) + " (\(report.nMedium))"],
                ["ROC AUC < 200 chars (n)", Self.number(report.aucShort) + " (\(report.nShort))"],
                ["FPR on plain harmful requests (n)", String(format: "%.4f", report.harmfulFPR) + " (\(report.nHarmful))"],
                ["threshold", String(format: "%.2f", report.threshold)],
            ]
            for f in report.perFile {
                let figures = "\(f.n) (\(f.positives)), " + String(format: "%.4f", f.f1) + ", " + Self.number(f.auc) + ", " + String(format: "%.4f", f.fpr)
                rows.append(["\(f.file): n (pos), F1, AUC, FPR", figures])
            }
            print(TerminalTable(title: "jailbreak head, 5-fold group-aware cross-validation", headers: ["figure", "value"], rows: rows).render())
        }
    }
}
