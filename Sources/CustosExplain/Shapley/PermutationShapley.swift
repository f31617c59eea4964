import CustosCore

/// Permutation sampling of Shapley values with antithetic pairs (each permutation and its reverse).
///
/// Each permutation adds the active players one by one; a player's marginal contribution is the change in `v`
/// when it joins. A permutation's contributions telescope to `v(N) − v(∅)`, so efficiency holds exactly for any
/// budget. Reversed permutations pair a player joining early with it joining late, which cancels much of the
/// variance from coalition size (Mitchell et al. 2022).
public struct PermutationShapley: Sendable {
    /// Coalition evaluations to spend per explained instance (besides `v(∅)` and `v(N)`); each antithetic pair costs
    /// `2(n − 1)`, and at least one pair is drawn.
    public var samples: Int

    /// A sampler with a budget of `samples` coalition evaluations.
    public init(samples: Int) throws {
        guard samples > 0 else { throw CustosError(.usage, "the permutation sample budget must be positive (got \(samples))") }
        self.samples = samples
    }

    /// Antithetic pairs drawn for `n` active players.
    public func pairs(players n: Int) -> Int { max(1, samples / max(1, 2 * (n - 1))) }

    /// Estimated Shapley values of `game`, drawing permutations from `generator`.
    public func attribute(_ game: some CoalitionGame, generator: inout SeededGenerator) throws -> Attribution {
        let (players, base, full) = try game.endpoints()
        if let settled = Attribution.settled(game, players: players, base: base, full: full) { return settled }
        let m = game.playerCount
        let n = players.count
        var phi = [Double](repeating: 0, count: m)
        var orders: [[Int]] = []
        for _ in 0..<pairs(players: n) {
            var order = players
            order.shuffle(using: &generator)
            orders.append(order)
            orders.append(order.reversed())
        }
        // Prefixes of length 1…n−1 of every order, as one batch.
        var masks = [Bool](repeating: false, count: orders.count * (n - 1) * m)
        for (p, order) in orders.enumerated() {
            for length in 1..<n {
                let row = (p * (n - 1) + length - 1) * m
                for t in 0..<length { masks[row + order[t]] = true }
            }
        }
        let values = try game.values(masks)
        for (p, order) in orders.enumerated() {
            var previous = base
            for t in 0..<n {
                let current = t == n - 1 ? full : values[p * (n - 1) + t]
                phi[order[t]] += current - previous
                previous = current
            }
        }
        let scale = 1 / Double(orders.count)
        return Attribution(baseValue: base, prediction: full, values: phi.map { $0 * scale })
    }
}
