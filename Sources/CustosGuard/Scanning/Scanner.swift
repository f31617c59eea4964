import CustosCore

/// Which side of a model call a scanner looks at.
public enum ScanSide: String, Sendable, Codable, CaseIterable {
    /// The prompt sent to the model.
    case input
    /// The model's answer.
    case output
}

/// The text handed to a scanner: the original and its normalized form (computed once per text by the pipeline).
public struct ScanInput: Sendable {
    /// The text as received.
    public let text: String
    /// The text after evasion folding, with a map back to `text`.
    public let normalized: NormalizedText
    /// Which side of the model call this text comes from.
    public let side: ScanSide

    /// Normalizes `text` with `normalizer`.
    public init(_ text: String, side: ScanSide = .input, normalizer: TextNormalizer = TextNormalizer()) {
        self.text = text
        self.normalized = normalizer.normalize(text)
        self.side = side
    }

    /// Uses an already computed normalization of `text`.
    public init(_ text: String, normalized: NormalizedText, side: ScanSide) {
        self.text = text
        self.normalized = normalized
        self.side = side
    }
}

/// A detector: looks at one text and returns a score with the spans behind it.
///
/// Scanners are CPU-bound and synchronous; the `Pipeline` runs a policy's scanners concurrently. A scanner that
/// wraps another module (the `CustosPrivacy` PII analyzer) only has to map its spans to `Finding`s
/// (Unicode-scalar offsets into `input.text`) and register a factory in `ScannerRegistry`.
public protocol Scanner: Sendable {
    /// The name policies and the CLI use (`offensive`, `secrets`, ...).
    var name: String { get }
    /// Score at or above which the scanner's verdict is positive, unless the policy overrides it.
    var defaultThreshold: Double { get }
    /// Scans one text.
    func scan(_ input: ScanInput) throws -> ScanResult
    /// Scans many texts (evaluation, batch scoring); model-backed scanners batch their model calls.
    func scan(batch inputs: [ScanInput]) throws -> [ScanResult]
    /// Whether a scan runs a neural model (milliseconds per text, against microseconds for pattern and lexicon
    /// scanners). Servers use it to keep such work off their event loops. False unless a scanner says otherwise.
    var runsModel: Bool { get }
}

extension Scanner {
    /// Pattern, lexicon and linear-model scanners: no neural model.
    public var runsModel: Bool { false }

    /// Scans the texts one by one on all cores; the first error (in input order) is thrown, naming the row.
    public func scan(batch inputs: [ScanInput]) throws -> [ScanResult] {
        let outcomes = Parallel.map(inputs.count) { k in Result { try scan(inputs[k]) } }
        return try outcomes.enumerated().map { k, outcome in
            do {
                return try outcome.get()
            } catch let error as CustosError {
                var located = error
                located.location = located.location ?? SourceLocation(row: k + 1)
                throw located
            }
        }
    }
}
