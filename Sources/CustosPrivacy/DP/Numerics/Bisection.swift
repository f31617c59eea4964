/// Root finding by bisection, to the resolution of `Double`.
enum Bisection {
    /// The point in [low, high] where `increasing` changes sign from negative to non-negative
    /// (`increasing(low) < 0 ≤ increasing(high)` is assumed); iterates until the bracket stops shrinking.
    static func root(low: Double, high: Double, _ increasing: (Double) -> Double) -> Double {
        var low = low
        var high = high
        for _ in 0..<2_000 {
            let mid = low + (high - low) / 2
            if mid <= low || mid >= high { break }
            if increasing(mid) < 0 { low = mid } else { high = mid }
        }
        return low + (high - low) / 2
    }

    /// Doubles `high` (from `start`) until `increasing(high) ≥ 0`; nil when it never does below `limit`.
    static func upperBracket(start: Double, limit: Double = 1e300, _ increasing: (Double) -> Double) -> Double? {
        var high = start
        while increasing(high) < 0 {
            high *= 2
            if high > limit || !high.isFinite { return nil }
        }
        return high
    }
}
