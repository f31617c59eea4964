import CustosCore

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
