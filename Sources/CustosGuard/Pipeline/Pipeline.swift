import CustosCore
import Dispatch
import Foundation

/// Runs a policy's scanners on a text (concurrently: scanners are independent) and decides what to do.
public struct Pipeline: Sendable {
    /// Largest text accepted, in UTF-8 bytes: every scanner is linear in the text, so this bounds the work of
    /// one call (~1 s for the default policy on one core).
    public static let maximumTextBytes = 8 << 20
    /// Texts from this size up are scanned by all scanners concurrently.
    static let parallelFromBytes = 16 << 10

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

    /// Builds every scanner of `policy`. A scanner that cannot be built (missing model) fails its stage at scan
    /// time according to the fail mode, unless `strict` is set, in which case the error is thrown here.
    public init(policy: Policy, registry: ScannerRegistry = .builtIn, environment: ScannerEnvironment = ScannerEnvironment(),
                strict: Bool = true) throws {
        self.policy = policy
        policyVersion = policy.versionHash
        normalizer = TextNormalizer()
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
    }

    /// Scans `text` on `side` and decides. Throws only for input the pipeline refuses (too large) or a
    /// pseudonym that cannot be made. With `pseudonyms`, findings of `pseudonymize` scanners get consistent
    /// surrogates in `sanitized`; without it they are redacted like `redact` findings.
    public func scan(_ text: String, side: ScanSide = .input, pseudonyms: PseudonymSession? = nil) throws -> Decision {
        let bytes = text.utf8.count
        guard bytes <= Self.maximumTextBytes else {
            throw CustosError(.invalidInput, "text of \(bytes) bytes is over the guard's limit of \(Self.maximumTextBytes) bytes")
        }
        let clock = ContinuousClock()
        let started = clock.now
        let input = ScanInput(text, normalized: normalizer.normalize(text), side: side)
        let sideStages = stages[side] ?? []
        let failMode = policy.failMode
        // Scanners run on all cores for long texts; a short text is scanned on this thread, where handing work to
        // other threads costs more than it saves (and a server is already busy on every core).
        let reports = bytes < Self.parallelFromBytes
            ? sideStages.map { Self.run($0, on: input, failMode: failMode) }
            : Parallel.map(sideStages.count) { k in Self.run(sideStages[k], on: input, failMode: failMode) }
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
                        invisible: input.normalized.removed, sanitized: sanitized, policyVersion: policyVersion,
                        seconds: Self.seconds(clock.now - started))
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
            report.error = (error as? CustosError)?.description ?? "\(error)"
            if failMode == .closed {
                report.fired = true
                report.action = .block
            }
        }
        report.seconds = seconds(clock.now - started)
        return report
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }
}
