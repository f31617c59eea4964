import CustosCore
import CustosGuard

/// A model explained over texts: a batch scoring function from texts to one score per text.
public protocol TextScorer: Sendable {
    /// A short name for reports (`offensive`).
    var name: String { get }
    /// One score per text.
    func score(_ texts: [String]) throws -> [Double]
}

/// Any batch text scoring function as a `TextScorer`.
public struct ClosureTextScorer: TextScorer {
    /// A short name for reports.
    public let name: String
    private let body: @Sendable ([String]) throws -> [Double]

    /// Wraps `body`, which must return one score per text.
    public init(name: String, _ body: @escaping @Sendable ([String]) throws -> [Double]) {
        self.name = name
        self.body = body
    }

    /// Calls the wrapped function.
    public func score(_ texts: [String]) throws -> [Double] { try body(texts) }
}

/// A guard scanner's score (`ScanResult.score`) as a `TextScorer`, batched through `scan(batch:)`.
public struct ScannerTextScorer: TextScorer {
    /// The scanner explained.
    public let scanner: any Scanner
    /// The side of the model call the texts are scanned as.
    public let side: ScanSide

    /// Explains `scanner`'s score on texts of `side`.
    public init(_ scanner: any Scanner, side: ScanSide = .input) {
        self.scanner = scanner
        self.side = side
    }

    /// The scanner's name.
    public var name: String { scanner.name }

    /// The scanner's score per text.
    public func score(_ texts: [String]) throws -> [Double] {
        try scanner.scan(batch: texts.map { ScanInput($0, side: side) }).map(\.score)
    }
}
