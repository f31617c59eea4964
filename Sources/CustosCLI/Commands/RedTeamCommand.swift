import ArgumentParser
import CustosCore
import CustosEval
import CustosGuard
import CustosReport
import Foundation

/// `custos redteam …`: attack a model, a gateway or a policy, and report what held.
struct RedTeamCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redteam",
        abstract: "Red-team a chat endpoint or a guard policy: jailbreaks, harmful requests, encodings, leaks; success rates per family.",
        subcommands: [RedTeamRunCommand.self, RedTeamReportCommand.self, RedTeamDiffCommand.self])
}

/// `custos redteam run`.
struct RedTeamRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Send the probes to a target and keep the judged answers in a run store (resumable).",
        discussion: """
            Families: \(ProbeCatalog.families.map(\.name).joined(separator: ", ")) (docs/redteam.md). The target is an
            OpenAI-compatible endpoint (--target URL: a model, or custos serve in front of one) or a guard policy in
            process (--policy P.yaml: the policy in front of a model that complies with everything). Answers are judged
            as they arrive and kept in --out; rerunning the same command resumes (finished probes are not sent again).
            Calls failing with 429, 5xx or lost connections are retried with backoff; probes still failing are stored
            as failed (not counted) and the command exits 3.
            """)

    @Option(help: "Base URL of the OpenAI-compatible API to attack, e.g. http://127.0.0.1:8080/v1.")
    var target: String?

    @Option(help: "Attack a guard policy in process instead of an endpoint.")
    var policy: String?

    @Option(help: "File with the system prompt to send first (the system-prompt leak family tests it).")
    var systemPrompt: String?

    @Option(help: "Comma-separated probe families (default: all).")
    var probes: String?

    @Option(help: "At most this many probes per family, sampled with --seed.")
    var limit: Int?

    @Option(help: "Seed of the probe sampling.")
    var seed: UInt64 = 0

    @OptionGroup var calls: EndpointRunOptions

    @Option(help: "The run store (SQLite): created, or resumed when it holds this run.")
    var out: String

    @OptionGroup var home: HomeOptions

    func validate() throws {
        guard (target == nil) != (policy == nil) else { throw ValidationError("give exactly one of --target URL or --policy FILE") }
        if let limit, limit < 1 { throw ValidationError("--limit must be positive") }
    }

    /// Attacks are judged on the model's most likely answer.
    static let defaultTemperature = 0.0

    func run() async throws {
        let families = probes.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } ?? []
        let selection = try ProbeCatalog.select(families: families, limit: limit, seed: seed, home: home.custosHome)
        let catalog = selection.probes
        if !selection.excluded.isEmpty {
            printError("redteam: left out, built from prompts the guard's jailbreak detector was trained on: "
                + selection.excluded.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
        let system = try systemPrompt.map { try FileInput.readText($0) }
        let chatTarget: any ChatTarget
        var endpoint: OpenAIChatTarget?
        if let target {
            let client = try OpenAIChatTarget(baseURL: target, model: calls.model, apiKey: calls.apiKey())
            endpoint = client
            chatTarget = client
        } else {
            let loaded = try PolicyLoader.load(path: policy ?? "")
            chatTarget = PolicyTarget(pipeline: try Pipeline(policy: loaded, environment: scannerEnvironment(home: home.custosHome)))
        }
        let byKey = Dictionary(catalog.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let items = catalog.map { probe -> RunItem in
            var messages = probe.messages
            if let system, !messages.contains(where: { $0.role == "system" }) { messages.insert(ChatTurn(role: "system", content: system), at: 0) }
            return RunItem(key: probe.id, messages: messages, labels: [
                "family": probe.family, "goal": probe.goal.rawValue, "source": probe.source, "licence": probe.licence,
                "prompt": String((probe.messages.last { $0.role == "user" }?.content ?? "").prefix(500)),
            ])
        }
        let store = try RunStore(path: out, fingerprint: [
            "kind": "redteam", "target": chatTarget.label, "probes": Checksum.sha256(Array(catalog.map(\.id).joined(separator: "\n").utf8)),
            "system_prompt": system.map { Checksum.sha256(Array($0.utf8)) } ?? "none",
        ].merging(calls.fingerprint(defaultTemperature: Self.defaultTemperature)) { a, _ in a })
        let judge = try RedTeamJudge(systemPrompt: system)
        let runner = calls.runner(defaultTemperature: Self.defaultTemperature)
        let bar = ProgressLine(label: "redteam")
        // The connection pool is closed once, whether the run finishes or throws.
        let summary: EvalRunner.Summary
        do {
            summary = try await runner.run(items, target: chatTarget, store: store, score: { item, answer in
                guard let probe = byKey[item.key] else { throw CustosError(.internal, "no probe for \(item.key)") }
                return try judge.scores(probe, answer)
            }, progress: { bar.show($0) })
        } catch {
            await endpoint?.shutdown()
            throw error
        }
        await endpoint?.shutdown()
        bar.finish("redteam: \(summary.requested) probes sent (\(summary.calls) calls), \(summary.resumed) already done, \(summary.failed) failed; results in \(out)")
        let report = RedTeamReport(target: chatTarget.label, records: try store.records(), detectors: try DetectorEvaluation.bundled(judge: judge))
        print(report.renderText())
        if summary.failed > 0 {
            throw CustosError(.upstream, "\(summary.failed) probes failed after \(calls.attempts) calls each; rerun the same command to retry them")
        }
    }
}

/// `custos redteam report RUN.sqlite`.
struct RedTeamReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Attack success rates per family (Wilson intervals), worst examples, cost: table, JSON or HTML.")

    @Argument(help: "The run store written by `custos redteam run --out`.")
    var store: String

    @OptionGroup var output: OutputOptions

    func run() throws {
        try output.emit(try RedTeamCommandSupport.report(store))
    }
}

/// `custos redteam diff A.sqlite B.sqlite`.
struct RedTeamDiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff", abstract: "What got better or worse between two runs, per family (Fisher's exact test).",
        discussion: "Exit 1 when some family got significantly worse (p < 0.05), so CI can gate a policy change on it.")

    @Argument(help: "The earlier run store.")
    var a: String

    @Argument(help: "The later run store.")
    var b: String

    @OptionGroup var output: OutputOptions

    func run() throws {
        let diff = RedTeamDiff(try RedTeamCommandSupport.report(a), try RedTeamCommandSupport.report(b))
        switch output.format {
        case .table, .html: try output.emit(diff.renderText(a: a, b: b))
        case .json: try output.emit(try JSONOutput.encode(diff))
        }
        if diff.rows.contains(where: { $0.verdict == "worse" }) { throw ExitCode(1) }
    }
}

extension RedTeamReport: RenderableReport {}

enum RedTeamCommandSupport {
    static func report(_ path: String) throws -> RedTeamReport {
        let store = try RunStore(existing: path)
        let meta = try store.metadata()
        guard meta["kind"] == "redteam" else {
            throw CustosError(.invalidInput, "not a red-team run store (kind '\(meta["kind"] ?? "none")')", at: SourceLocation(file: path))
        }
        return RedTeamReport(target: meta["target"] ?? "?", records: try store.records(),
                             detectors: try DetectorEvaluation.bundled(judge: RedTeamJudge(systemPrompt: nil)))
    }
}
