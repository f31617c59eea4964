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

    enum CodingKeys: String, CodingKey {
        case name
        case failMode = "fail_mode"
        case input
        case output
    }

    /// Creates a policy.
    public init(name: String, failMode: FailMode = .closed, input: [ScannerSpec], output: [ScannerSpec] = []) {
        self.name = name
        self.failMode = failMode
        self.input = input
        self.output = output
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
