import Foundation

/// The standard normal distribution.
enum NormalDistribution {
    /// Φ(x) through erfc, accurate in both tails.
    static func cdf(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }
}
