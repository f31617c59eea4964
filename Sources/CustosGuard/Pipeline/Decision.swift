/// What one scanner contributed to a decision.
public struct ScannerReport: Sendable, Equatable, Codable {
    /// Scanner name.
    public var scanner: String
    /// Its score (0 when it failed).
    public var score: Double
    /// The threshold it was held to.
    public var threshold: Double
    /// Whether it fired (score ≥ threshold, or failed under fail-closed).
    public var fired: Bool
    /// The action configured for it.
    public var action: GuardAction
    /// Its findings, in Unicode-scalar offsets of the original text.
    public var findings: [Finding]
    /// Why it failed, when it did.
    public var error: String?
    /// Wall time it took.
    public var seconds: Double
}

/// The pipeline's verdict on one text: what to do, which scanners fired, and why.
public struct Decision: Sendable, Equatable, Codable {
    /// The resulting action (the most severe of the fired scanners' actions).
    public var action: GuardAction
    /// Which side was scanned.
    public var side: ScanSide
    /// Names of the scanners that fired.
    public var fired: [String]
    /// Every scanner's report, in policy order.
    public var scanners: [ScannerReport]
    /// Invisible characters removed during normalization (zero-width, tags), in original offsets.
    public var invisible: [Finding]
    /// The redacted text when the action is `redact`.
    public var sanitized: String?
    /// The policy's version hash.
    public var policyVersion: String
    /// Total wall time.
    public var seconds: Double

    enum CodingKeys: String, CodingKey {
        case action, side, fired, scanners, invisible, sanitized
        case policyVersion = "policy_version"
        case seconds
    }
}
