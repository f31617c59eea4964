import CustosCore
import Dispatch
import Foundation

/// What a policy's scanners found in one text, before its actions are applied: a report per stage and the
/// invisible characters the normalizer removed.
public struct Screening: Sendable, Equatable, Codable {
    /// One report per stage of the side, in policy order.
    public var reports: [ScannerReport]
    /// Invisible characters removed by normalization (original offsets).
    public var invisible: [Finding]
}

/// Runs a policy's scanners on a text (concurrently: scanners are independent) and decides what to do.
///
/// With the policy's `isolation: process`, the scanners run in worker processes (`ScannerWorkers`): a scanner
/// that crashes or runs past the time limit fails that text by the fail mode, and the process lives on.
public struct Pipeline: Sendable {
    /// Largest text accepted, in UTF-8 bytes: every scanner is linear in the text, so this bounds the work of
    /// one call (~1 s for the default policy on one core).
    public static let maximumTextBytes = 8 << 20
    /// Texts from this size up are scanned by all scanners concurrently.
    static let parallelFromBytes = 16 << 10
    /// A worker's time limit per text when the policy gives none.
    public static let defaultWorkerTimeoutSeconds = 10.0

    /// A scanner with its policy settings.
    struct Stage: Sendable {
        let spec: ScannerSpec
        let scanner: (any Scanner)?
        let loadError: String?
        var threshold: Double { spec.threshold ?? scanner?.defaultThreshold ?? 0.5 }
    }

    /// The policy this pipeline applies.
    public let policy: Policy
    /// Its version hash, recorded in every decision.
    public let policyVersion: String
    let stages: [ScanSide: [Stage]]
    let normalizer: TextNormalizer
    /// The worker processes, when the policy isolates its scanners (then `stages` is empty here).
    let workers: ScannerWorkers?
    /// Whether every scan runs here without a neural model (no scanner `runsModel`, no worker processes): a short
    /// text then takes tens of microseconds, little enough to scan on a server's event loop.
    public let isLight: Bool

    /// Builds every scanner of `policy` (or, with `isolation: process`, starts a worker that builds them). A
    /// scanner that cannot be built (missing model) fails its stage at scan time according to the fail mode,
    /// unless `strict` is set, in which case the error is thrown here.
    public init(policy: Policy, registry: ScannerRegistry = .builtIn, environment: ScannerEnvironment = ScannerEnvironment(),
                strict: Bool = true) throws {
        self.policy = policy
        policyVersion = policy.versionHash
        normalizer = TextNormalizer()
        if let isolation = policy.isolation {
            guard let command = environment.workerCommand else {
                throw CustosError(.invalidInput, """
                    policy '\(policy.name)' runs its scanners in worker processes (isolation: process) but no worker \
                    command is set: run it with the custos executable, or set ScannerEnvironment.workerCommand
                    """)
            }
            workers = try ScannerWorkers(
                command: command, policy: policy, strict: strict, count: isolation.workers ?? Parallel.threadCount,
                timeout: .milliseconds(Int64((isolation.timeoutSeconds ?? Self.defaultWorkerTimeoutSeconds) * 1000)))
            stages = [:]
            isLight = false
            return
        }
        workers = nil
        var stages: [ScanSide: [Stage]] = [:]
        for side in ScanSide.allCases {
            stages[side] = try policy.specs(for: side).map { spec in
                do {
                    return Stage(spec: spec, scanner: try registry.make(spec.scanner, options: spec.options, environment: environment),
                                 loadError: nil)
                } catch let error as CustosError {
                    if strict { throw error }
                    return Stage(spec: spec, scanner: nil, loadError: error.description)
                }
            }
        }
        self.stages = stages
        isLight = !stages.values.joined().contains { $0.scanner?.runsModel ?? false }
    }

    /// The process ids of the running scanner workers (empty without isolation).
    public var workerProcessIDs: [Int32] { workers?.runningPIDs ?? [] }

    /// Each stage's threshold on `side`, in policy order.
    public func thresholds(_ side: ScanSide) -> [Double] {
        if let workers { return workers.thresholds[side] ?? [] }
        return (stages[side] ?? []).map(\.threshold)
    }

    /// Scans `text` on `side` and decides. Throws only for input the pipeline refuses (too large) or a
    /// pseudonym that cannot be made. With `pseudonyms`, findings of `pseudonymize` scanners get consistent
    /// surrogates in `sanitized`; without it they are redacted like `redact` findings.
    public func scan(_ text: String, side: ScanSide = .input, pseudonyms: PseudonymSession? = nil) throws -> Decision {
        let clock = ContinuousClock()
        let started = clock.now
        let screening: Screening
        if let workers {
            try Self.checkSize(text)
            switch workers.screen(text, side: side) {
            case .success(let screened): screening = screened
            case .failure(let failure): screening = failed(side, failure.message, seconds: Self.seconds(clock.now - started))
            }
        } else {
            screening = try screenInProcess(text, side: side)
        }
        return try decide(screening, text: text, side: side, pseudonyms: pseudonyms, seconds: Self.seconds(clock.now - started))
    }

    /// Normalizes `text` and runs this process's scanners for `side`.
    func screenInProcess(_ text: String, side: ScanSide) throws -> Screening {
        try Self.checkSize(text)
        let input = ScanInput(text, normalized: normalizer.normalize(text), side: side)
        let sideStages = stages[side] ?? []
        let failMode = policy.failMode
        // Scanners run on all cores for long texts; a short text is scanned on this thread, where handing work to
        // other threads costs more than it saves (and a server is already busy on every core).
        let reports = text.utf8.count < Self.parallelFromBytes
            ? sideStages.map { Self.run($0, on: input, failMode: failMode) }
            : Parallel.map(sideStages.count) { k in Self.run(sideStages[k], on: input, failMode: failMode) }
        return Screening(reports: reports, invisible: input.normalized.removed)
    }

    /// Applies the policy's actions to a screening: the most severe fired action wins; redact and pseudonymize
    /// rewrite the text.
    func decide(_ screening: Screening, text: String, side: ScanSide, pseudonyms: PseudonymSession?, seconds: Double) throws -> Decision {
        let reports = screening.reports
        let fired = reports.filter(\.fired)
        let action = fired.map(\.action).max() ?? .allow
        var sanitized: String?
        if action == .redact || action == .pseudonymize {
            let rewrite = fired.filter { $0.action == .redact || $0.action == .pseudonymize }
            let pseudonymized = Set(rewrite.filter { $0.action == .pseudonymize }.flatMap(\.findings).map { [$0.start, $0.end] })
            sanitized = try Redaction.apply(rewrite.flatMap(\.findings), to: text) { finding, original in
                if let pseudonyms, pseudonymized.contains([finding.start, finding.end]) {
                    return try pseudonyms.surrogate(for: original, type: finding.type)
                }
                return "[\(finding.type.uppercased())]"
            }
        }
        return Decision(action: action, side: side, fired: fired.map(\.scanner), scanners: reports,
                        invisible: screening.invisible, sanitized: sanitized, policyVersion: policyVersion, seconds: seconds)
    }

    /// Every stage of `side` failed with `message` (the worker crashed or ran out of time).
    func failed(_ side: ScanSide, _ message: String, seconds: Double) -> Screening {
        let thresholds = thresholds(side)
        let reports = policy.specs(for: side).enumerated().map { k, spec in
            var report = ScannerReport(scanner: spec.scanner, score: 0, threshold: k < thresholds.count ? thresholds[k] : 0.5,
                                       fired: false, action: spec.action, findings: [], error: nil, seconds: seconds)
            Self.fail(&report, message, failMode: policy.failMode)
            return report
        }
        return Screening(reports: reports, invisible: [])
    }

    private static func checkSize(_ text: String) throws {
        let bytes = text.utf8.count
        guard bytes <= maximumTextBytes else {
            throw CustosError(.invalidInput, "text of \(bytes) bytes is over the guard's limit of \(maximumTextBytes) bytes")
        }
    }

    private static func run(_ stage: Stage, on input: ScanInput, failMode: FailMode) -> ScannerReport {
        let clock = ContinuousClock()
        let started = clock.now
        var report = ScannerReport(scanner: stage.spec.scanner, score: 0, threshold: stage.threshold, fired: false,
                                   action: stage.spec.action, findings: [], error: nil, seconds: 0)
        do {
            guard let scanner = stage.scanner else {
                throw CustosError(.missingAsset, stage.loadError ?? "scanner unavailable")
            }
            let result = try scanner.scan(input)
            report.score = result.score
            report.findings = result.findings
            report.fired = result.score >= stage.threshold && stage.spec.action != .allow
        } catch {
            fail(&report, (error as? CustosError)?.description ?? "\(error)", failMode: failMode)
        }
        report.seconds = seconds(clock.now - started)
        return report
    }

    /// Records a stage's failure: fail closed blocks the text, fail open lets the stage pass.
    private static func fail(_ report: inout ScannerReport, _ message: String, failMode: FailMode) {
        report.error = message
        if failMode == .closed {
            report.fired = true
            report.action = .block
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }
}
