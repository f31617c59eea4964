import CustosCore
import Foundation

/// What the pipeline does when a scanner's score reaches its threshold.
public enum GuardAction: String, Sendable, Codable, CaseIterable, Comparable {
    /// Let the text through.
    case allow
    /// Let it through but mark the decision.
    case flag
    /// Replace the findings' spans with consistent surrogates (same value, same surrogate, under the gateway's
    /// key) and restore them in the answer; without a pseudonym session it falls back to `redact`.
    case pseudonymize
    /// Replace the findings' spans with `[TYPE]` markers.
    case redact
    /// Stop the text.
    case block

    /// Severity order: allow < flag < pseudonymize < redact < block.
    public static func < (lhs: GuardAction, rhs: GuardAction) -> Bool {
        allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
    }
}

/// What a scanner error means for the decision.
public enum FailMode: String, Sendable, Codable {
    /// An erroring scanner counts as not fired (availability first).
    case open
    /// An erroring scanner blocks the text (safety first).
    case closed
}

/// One scanner in a pipeline: which, how sure it must be, and what to do.
public struct ScannerSpec: Sendable, Equatable, Codable {
    /// Registry name of the scanner.
    public var scanner: String
    /// What to do when it fires.
    public var action: GuardAction
    /// Score threshold; nil uses the scanner's default.
    public var threshold: Double?
    /// Scanner-specific options.
    public var options: ScannerOptions

    /// Creates a spec.
    public init(scanner: String, action: GuardAction, threshold: Double? = nil, options: ScannerOptions = ScannerOptions()) {
        self.scanner = scanner
        self.action = action
        self.threshold = threshold
        self.options = options
    }
}

/// A guard policy: input and output pipelines, thresholds, actions, options and the fail mode.
public struct Policy: Sendable, Equatable, Codable {
    /// A label for people.
    public var name: String
    /// What scanner errors mean.
    public var failMode: FailMode
    /// Scanners for prompts.
    public var input: [ScannerSpec]
    /// Scanners for model answers.
    public var output: [ScannerSpec]

    /// Where the scanners run: nil in this process; otherwise in worker processes (`isolation: process`).
    public var isolation: Isolation?

    enum CodingKeys: String, CodingKey {
        case name
        case failMode = "fail_mode"
        case input
        case output
        case isolation
    }

    /// Creates a policy.
    public init(name: String, failMode: FailMode = .closed, input: [ScannerSpec], output: [ScannerSpec] = [],
                isolation: Isolation? = nil) {
        self.name = name
        self.failMode = failMode
        self.input = input
        self.output = output
        self.isolation = isolation
    }

    /// The scanners of one side.
    public func specs(for side: ScanSide) -> [ScannerSpec] { side == .input ? input : output }

    /// SHA-256 of the policy's canonical JSON (sorted keys): formatting and comments do not change it, any
    /// setting does. Recorded in every decision.
    public var versionHash: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(self)) ?? Data()
        return Checksum.sha256(data)
    }
}

/// A policy's `isolation: process` settings: its scanners run in worker processes (`custos guard worker`), so a
/// scanner that crashes or runs past `timeoutSeconds` fails that one text by the fail mode and its worker is
/// replaced, while the process serving requests lives on. Costs a copy of each text to a worker and back.
public struct Isolation: Sendable, Equatable, Codable {
    /// Worker processes (nil: one per core).
    public var workers: Int?
    /// Longest a text's scan may take in a worker (nil: `Pipeline.defaultWorkerTimeoutSeconds`).
    public var timeoutSeconds: Double?

    enum CodingKeys: String, CodingKey {
        case workers
        case timeoutSeconds = "timeout_seconds"
    }

    /// Isolation with the given settings.
    public init(workers: Int? = nil, timeoutSeconds: Double? = nil) {
        self.workers = workers
        self.timeoutSeconds = timeoutSeconds
    }
}
