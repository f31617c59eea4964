import BigInt

/// Uniform integers in `0..<bound`, exactly (rejection sampling, no modulo bias).
enum UniformInteger {
    /// A uniform draw from `0..<bound`; `bound` must be positive.
    static func below<G: RandomNumberGenerator>(_ bound: BigUInt, using generator: inout G) -> BigUInt {
        if let small = UInt64(exactly: bound) {
            return BigUInt(UInt64.random(in: 0..<small, using: &generator))
        }
        return BigUInt.randomInteger(lessThan: bound, using: &generator)
    }
}
