import CustosCore
import CustosML
import Foundation

/// KernelSHAP (Lundberg & Lee 2017): Shapley values as the weighted least-squares fit of an additive model to
/// coalition values, with the Shapley kernel `π(S) = (n−1) / (C(n,|S|) · |S| · (n−|S|))`.
///
/// Coalitions are chosen as SHAP's `KernelExplainer` chooses them: coalition sizes are taken in pairs
/// (`s` and `n−s`, smallest first) and enumerated completely while the budget covers a size's share of the kernel
/// weight; the rest of the budget is drawn at random from the remaining sizes in complementary pairs (a coalition
/// and its complement), duplicates adding weight. When the budget covers all `2ⁿ − 2` coalitions they are all
/// enumerated and the result is the exact Shapley value. Efficiency (`Σφ = v(N) − v(∅)`) is a constraint, enforced
/// exactly by eliminating the last player's coefficient; the remaining `n−1` come from the normal equations
/// (Cholesky).
public struct KernelSHAP: Sendable {
    /// Coalition evaluations per explained instance (besides `v(∅)` and `v(N)`), SHAP's `nsamples`.
    public var samples: Int

    /// A KernelSHAP estimator with a budget of `samples` coalition evaluations.
    public init(samples: Int) throws {
        guard samples >= 2 else { throw CustosError(.usage, "the KernelSHAP sample budget must be at least 2 (got \(samples))") }
        self.samples = samples
    }

    /// The coalitions (over `n` players, flat `count × n` flags) and their kernel weights.
    public func coalitions(players n: Int, generator: inout SeededGenerator) -> (masks: [Bool], weights: [Double]) {
        let budget = n <= 30 ? min(samples, (1 << n) - 2) : samples
        let sizes = n / 2                // ⌈(n−1)/2⌉ distinct sizes up to complements
        let pairedSizes = (n - 1) / 2    // sizes whose complement has a different size
        var sizeWeights = (1...max(sizes, 1)).map { s in Double(n - 1) / Double(s * (n - s)) }
        for s in 0..<pairedSizes { sizeWeights[s] *= 2 }
        let total = sizeWeights.reduce(0, +)
        sizeWeights = sizeWeights.map { $0 / total }

        var masks: [Bool] = []
        var weights: [Double] = []
        var left = budget
        var fullSizes = 0
        var remaining = sizeWeights
        for s in 1...max(sizes, 1) where sizes > 0 {
            let isPaired = s <= pairedSizes
            let count = binomial(n, s) * (isPaired ? 2 : 1)
            guard Double(left) * remaining[s - 1] / count >= 1 - 1e-8 else { break }
            fullSizes += 1
            left -= Int(count)
            if remaining[s - 1] < 1 { remaining = remaining.map { $0 / (1 - remaining[s - 1]) } }
            let weight = sizeWeights[s - 1] / binomial(n, s) / (isPaired ? 2 : 1)
            forEachSubset(of: n, size: s) { subset in
                masks += subset
                weights.append(weight)
                if isPaired {
                    masks += subset.map { !$0 }
                    weights.append(weight)
                }
            }
        }
        guard fullSizes < sizes, left > 0 else { return (masks, weights) }

        // Sample the remaining sizes in proportion to their kernel weight (halved for paired sizes: each draw
        // adds two coalitions).
        var sampleWeights = sizeWeights
        for s in 0..<pairedSizes { sampleWeights[s] /= 2 }
        sampleWeights = Array(sampleWeights[fullSizes...])
        let sampleTotal = sampleWeights.reduce(0, +)
        let fixed = weights.count
        // Each drawn coalition's position, and its complement's when that was added too.
        var seen: [[UInt64]: (position: Int, complement: Int?)] = [:]
        var attempts = 0
        var order = Array(0..<n)
        var drawnSizes: [Int] = []  // per sampled coalition, the size index it was drawn with
        while left > 0, attempts < 4 * budget {
            attempts += 1
            var u = Double(generator.next() >> 11) * 0x1p-53 * sampleTotal
            var index = 0
            while index < sampleWeights.count - 1, u >= sampleWeights[index] {
                u -= sampleWeights[index]
                index += 1
            }
            let size = index + fullSizes + 1
            // A uniform subset of `size` players: the first `size` steps of a Fisher–Yates shuffle.
            for t in 0..<size { order.swapAt(t, t + generator.nextIndex(below: n - t)) }
            var subset = [Bool](repeating: false, count: n)
            for t in 0..<size { subset[order[t]] = true }
            let paired = size <= pairedSizes
            var key = [UInt64](repeating: 0, count: (n + 63) / 64)
            for t in 0..<size { key[order[t] / 64] |= 1 << UInt64(order[t] % 64) }
            if let earlier = seen[key] {
                weights[earlier.position] += 1
                if let complement = earlier.complement { weights[complement] += 1 }
                continue
            }
            let position = weights.count
            masks += subset
            weights.append(1)
            drawnSizes.append(index)
            left -= 1
            var complement: Int?
            if paired, left > 0 {
                complement = weights.count
                masks += subset.map { !$0 }
                weights.append(1)
                drawnSizes.append(index)
                left -= 1
            }
            seen[key] = (position, complement)
        }
        // Horvitz–Thompson weights instead of draw counts (Olsen & Jullum 2024, "c-kernel"): a sampled coalition of
        // size s carries its Shapley kernel weight divided by the probability that `attempts` draws include it,
        // 1 − (1 − pₛ)^attempts with pₛ = P(size s) / C(n, s). Counts are the same estimator's noisy version; these
        // weights lower KernelSHAP's error at small budgets (see docs/explain.md).
        for k in fixed..<weights.count {
            let sizeIndex = drawnSizes[k - fixed]
            let size = sizeIndex + fullSizes + 1
            let draw = sampleWeights[sizeIndex] / sampleTotal / binomial(n, size)
            let included = -Foundation.expm1(Double(attempts) * Foundation.log1p(-draw))
            weights[k] = sizeWeights[size - 1] / binomial(n, size) / included
        }
        let leftWeight = sizeWeights[fullSizes...].reduce(0, +)
        let sampled = weights[fixed...].reduce(0, +)
        if sampled > 0 { for k in fixed..<weights.count { weights[k] *= leftWeight / sampled } }
        return (masks, weights)
    }

    /// Estimated (or, when the budget covers every coalition, exact) Shapley values of `game`.
    public func attribute(_ game: some CoalitionGame, generator: inout SeededGenerator) throws -> Attribution {
        let (players, base, full) = try game.endpoints()
        if let settled = Attribution.settled(game, players: players, base: base, full: full) { return settled }
        let m = game.playerCount
        let n = players.count
        var phi = [Double](repeating: 0, count: m)
        let (local, weights) = coalitions(players: n, generator: &generator)
        let count = weights.count
        // Coalitions over the active players, as masks over all players (the same array when all are active).
        var masks = local
        if n < m {
            masks = [Bool](repeating: false, count: count * m)
            for k in 0..<count {
                for (j, player) in players.enumerated() where local[k * n + j] { masks[k * m + player] = true }
            }
        }
        let values = try game.values(masks)
        let totalEffect = full - base
        // Eliminate the last player: φ_last = total − Σ others, so the fit is over n−1 free coefficients with
        // xⱼ = zⱼ − z_last and y = v(S) − v(∅) − z_last · total.
        let p = n - 1
        var design = DenseMatrix(zeros: count, p)
        var weightedTarget = [Double](repeating: 0, count: count)
        design.values.withUnsafeMutableBufferPointer { x in
            for k in 0..<count {
                let last: Double = local[k * n + p] ? 1 : 0
                for j in 0..<p { x[k * p + j] = (local[k * n + j] ? 1 : 0) - last }
                weightedTarget[k] = weights[k] * (values[k] - base - last * totalEffect)
            }
        }
        // Normal equations XᵀWX·β = XᵀW·y (BLAS: dsyrk and dgemv). One BLAS thread, as LogisticRegression.fit
        // does: these products are small, rows are explained in parallel, and OpenBLAS' spinning workers took 10 %
        // of a single-threaded run (perf). The setting is process-wide; the encoder sets its own before each use.
        BLASThreads.set(1)
        let gram = try BLASKernels.weightedGram(design, weights: weights)
        let rhs = try BLASKernels.gemv(design, weightedTarget, transposed: true)
        guard let factor = Cholesky(gram) else {
            throw CustosError(.usage, "KernelSHAP with \(samples) samples does not determine all \(n) Shapley values "
                + "(the sampled coalitions are degenerate); raise the sample budget")
        }
        let beta = factor.solve(rhs)
        for j in 0..<p { phi[players[j]] = beta[j] }
        phi[players[p]] = totalEffect - beta.reduce(0, +)
        return Attribution(baseValue: base, prediction: full, values: phi)
    }
}

/// Calls `body` with each subset of `n` items of the given size, as flags, in lexicographic order of indices.
func forEachSubset(of n: Int, size: Int, _ body: ([Bool]) -> Void) {
    guard size <= n else { return }
    var indices = Array(0..<size)
    while true {
        var flags = [Bool](repeating: false, count: n)
        for i in indices { flags[i] = true }
        body(flags)
        var i = size - 1
        while i >= 0, indices[i] == n - size + i { i -= 1 }
        guard i >= 0 else { return }
        indices[i] += 1
        for j in (i + 1)..<max(size, i + 1) { indices[j] = indices[j - 1] + 1 }
    }
}
