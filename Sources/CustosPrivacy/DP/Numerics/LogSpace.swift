import Foundation

/// Arithmetic on numbers stored as their logarithms.
enum LogSpace {
    /// log(e^x + e^y), written as dp_accounting's `_log_add` so sums agree with it term by term.
    static func add(_ x: Double, _ y: Double) -> Double {
        let low = min(x, y)
        let high = max(x, y)
        if low == -.infinity { return high }
        return log1p(exp(low - high)) + high
    }

    /// log C(n, k) through log-gamma.
    static func binomial(_ n: Double, _ k: Double) -> Double {
        lgamma(n + 1) - lgamma(k + 1) - lgamma(n - k + 1)
    }
}
