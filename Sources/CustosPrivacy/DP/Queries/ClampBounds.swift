import CustosCore
import Foundation

/// The range every value is clamped to before a sum or mean, which is what bounds one row's influence.
public struct ClampBounds: Sendable, Hashable, Codable {
    /// The lower bound.
    public let lower: Double
    /// The upper bound (greater than `lower`).
    public let upper: Double

    /// Finite bounds with lower < upper.
    public init(lower: Double, upper: Double) throws {
        guard lower.isFinite, upper.isFinite else { throw CustosError(.invalidInput, "bounds must be finite numbers") }
        guard lower < upper else {
            throw CustosError(.invalidInput, "bounds are reversed or empty: lower \(lower) must be below upper \(upper)")
        }
        self.lower = lower
        self.upper = upper
    }

    /// Parses `lo,hi`.
    public init(parsing text: String) throws {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let lower = Double(parts[0]), let upper = Double(parts[1]) else {
            throw CustosError(.usage, "bounds must be two numbers 'lo,hi', got '\(text)'")
        }
        try self.init(lower: lower, upper: upper)
    }

    /// `value` moved into [lower, upper].
    public func clamp(_ value: Double) -> Double { min(max(value, lower), upper) }

    /// The default grid for sums and means: a power of ten four digits below the largest bound's magnitude,
    /// so the snapping error is about 1e-4 of one row's largest contribution.
    public var defaultGranularity: Granularity {
        let largest = max(abs(lower), abs(upper))
        let exponent = Int(log10(largest).rounded(.down)) - 4
        // A decimal power of ten parses exactly and is positive.
        let step = (try? Rational(parsing: "1e\(exponent)")) ?? .one
        return (try? Granularity(step)) ?? Granularity.unit
    }
}

extension Granularity {
    /// The grid of integers.
    static let unit: Granularity = Granularity(uncheckedStep: .one)
}
