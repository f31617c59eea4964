import CustosCore

/// Deletion and insertion curves of an attribution, and their areas (AOPC, Samek et al. 2017).
///
/// Players are ranked by attribution, most positive first. The deletion curve removes them in that order from the
/// full coalition (`v(N)`, `v(N ∖ {top 1})`, …, `v(∅)`); the insertion curve adds them to the empty one. A faithful
/// attribution makes the deletion curve fall and the insertion curve rise fast:
/// `AOPC_deletion = mean_k (v(N) − v(N ∖ top_k))` and `AOPC_insertion = mean_k (v(top_k) − v(∅))`, k = 0…n.
public struct FaithfulnessCurves: Sendable, Equatable, Codable {
    /// Players in removal/insertion order.
    public var order: [Int]
    /// `v` after removing the first k players of `order`, k = 0…n.
    public var deletion: [Double]
    /// `v` after inserting the first k players of `order`, k = 0…n.
    public var insertion: [Double]
    /// Area over the deletion curve.
    public var aopcDeletion: Double
    /// Area under the insertion curve above `v(∅)`.
    public var aopcInsertion: Double

    enum CodingKeys: String, CodingKey {
        case order, deletion, insertion, aopcDeletion = "aopc_deletion", aopcInsertion = "aopc_insertion"
    }

    /// Measures both curves on `game` for `attributions` (one per player): `2(n + 1)` coalition values.
    public static func measure(_ game: some CoalitionGame, attributions: [Double]) throws -> FaithfulnessCurves {
        let m = game.playerCount
        guard attributions.count == m else {
            throw CustosError(.invalidInput, "\(attributions.count) attributions for \(m) players")
        }
        let order = (0..<m).sorted { attributions[$0] != attributions[$1] ? attributions[$0] > attributions[$1] : $0 < $1 }
        return try measure(game, order: order)
    }

    /// Measures both curves for a given order of the players.
    public static func measure(_ game: some CoalitionGame, order: [Int]) throws -> FaithfulnessCurves {
        let m = game.playerCount
        var masks = [Bool](repeating: false, count: 2 * (m + 1) * m)
        for k in 0...m {
            for j in 0..<m { masks[k * m + j] = true }
            for t in 0..<k { masks[k * m + order[t]] = false }
            for t in 0..<k { masks[(m + 1 + k) * m + order[t]] = true }
        }
        let values = try game.values(masks)
        let deletion = Array(values[0...m])
        let insertion = Array(values[(m + 1)...])
        let points = Double(m + 1)
        return FaithfulnessCurves(
            order: order, deletion: deletion, insertion: insertion,
            aopcDeletion: deletion.reduce(0) { $0 + (deletion[0] - $1) } / points,
            aopcInsertion: insertion.reduce(0) { $0 + ($1 - insertion[0]) } / points)
    }
}
