/// One explained instance: the expected output, the output itself, and one attribution per player.
///
/// For Shapley estimators `values` sums to `prediction − baseValue` (efficiency), exactly up to rounding.
public struct Attribution: Sendable, Equatable, Codable {
    /// `v(∅)`: the expected output over the background (tabular) or the output for the empty text.
    public var baseValue: Double
    /// `v(N)`: the model's output for the explained instance.
    public var prediction: Double
    /// One attribution per player (feature, word).
    public var values: [Double]

    /// Creates an attribution.
    public init(baseValue: Double, prediction: Double, values: [Double]) {
        self.baseValue = baseValue
        self.prediction = prediction
        self.values = values
    }

    enum CodingKeys: String, CodingKey { case baseValue = "base_value", prediction, values }

    /// The attribution when at most one player is active (no estimation needed: that player, if any, gets
    /// `v(N) − v(∅)`, every other player 0); nil otherwise.
    static func settled(_ game: some CoalitionGame, players: [Int], base: Double, full: Double) -> Attribution? {
        guard players.count <= 1 else { return nil }
        var phi = [Double](repeating: 0, count: game.playerCount)
        if let only = players.first { phi[only] = full - base }
        return Attribution(baseValue: base, prediction: full, values: phi)
    }
}

/// Binomial coefficient as a double (exact for the sizes used here, n ≤ 62).
func binomial(_ n: Int, _ k: Int) -> Double {
    guard k >= 0, k <= n else { return 0 }
    let k = min(k, n - k)
    var result = 1.0
    if k > 0 {
        for i in 1...k { result = result * Double(n - k + i) / Double(i) }
    }
    return result.rounded()
}
