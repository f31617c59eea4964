import CustosCore

/// Exact Shapley values by enumerating every coalition.
///
/// `φᵢ = Σ_{S ⊆ N∖{i}} |S|!(n−|S|−1)!/n! · (v(S ∪ {i}) − v(S))` over the `n` active players. Cost: `2ⁿ` coalition
/// values (each one model output per background row for a tabular game) plus `n·2ⁿ` additions, which is why it
/// is limited to `maximumPlayers`.
public enum ExactShapley {
    /// The most players enumerated: 2¹⁶ = 65,536 coalitions, each one model output per background row (3.3 million
    /// outputs per explained row with 50 background rows). Beyond it KernelSHAP or permutation sampling is the tool.
    public static let maximumPlayers = 16

    /// Exact Shapley values of `game`.
    public static func attribute(_ game: some CoalitionGame) throws -> Attribution {
        guard game.playerCount <= maximumPlayers else {
            throw CustosError(.usage, "exact Shapley values enumerate all 2^M coalitions; \(game.playerCount) features exceed "
                + "the limit of \(maximumPlayers) — use the kernel (KernelSHAP) or permutation method with a sample budget")
        }
        let players = game.activePlayers
        let n = players.count
        let values = try game.allSubsetValues(of: players)
        var phi = [Double](repeating: 0, count: game.playerCount)
        if n > 0 {
            // weight[s] = s!(n−s−1)!/n! = 1 / (n · C(n−1, s)).
            let weights = (0..<n).map { 1 / (Double(n) * binomial(n - 1, $0)) }
            var local = [Double](repeating: 0, count: n)
            for subset in 0..<(1 << n) {
                let size = subset.nonzeroBitCount
                guard size < n else { continue }
                let weight = weights[size]
                let base = values[subset]
                for j in 0..<n where subset & (1 << j) == 0 {
                    local[j] += weight * (values[subset | (1 << j)] - base)
                }
            }
            for (j, player) in players.enumerated() { phi[player] = local[j] }
        }
        return Attribution(baseValue: values[0], prediction: values[(1 << n) - 1], values: phi)
    }
}
