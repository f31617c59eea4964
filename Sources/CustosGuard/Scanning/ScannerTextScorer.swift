import CustosExplain

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
