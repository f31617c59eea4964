import CustosCore
import CustosPrivacy
import Foundation
import Testing

/// The Poisson-subsampled Gaussian RDP accountant against the dev vectors (dp_accounting 0.6.0 and the exact
/// fractional-order recomputation; see Tests/Fixtures/README.md).
@Suite("RDP accountant: Poisson-subsampled Gaussian")
struct RDPAccountantTests {
    /// The tolerance for RDP-derived ε (relative).
    static let epsilonTolerance = 1e-6
    /// Integer orders use dp_accounting's own sum; they differ only by the rounding of log-gamma (glibc vs
    /// cephes), amplified when log A_α is close to 0 (measured worst: 2.6e-12).
    static let integerOrderTolerance = 1e-10
    /// Fractional orders by quadrature against the scipy/mpmath recomputation (measured worst: about 5e-11, from cancellation in A_α − 1 when ε(α) ~ 1e-6).
    static let fractionalOrderTolerance = 1e-9

    @Test("the default order grid is dp_accounting's DEFAULT_RDP_ORDERS")
    func orders() throws {
        let data = try Data(contentsOf: DPVectors.url)
        let root = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let meta = root?["meta"] as? [String: Any]
        let expected = (meta?["rdp_default_orders"] as? [Any])?.compactMap(DPVectors.number) ?? []
        #expect(RDPAccountant.defaultOrders == expected)
    }

    @Test("per-order RDP of one step: integer orders equal dp_accounting's, fractional orders the exact values")
    func perOrder() throws {
        let rows = try DPVectors.family("rdp_one_step_vectors")
        #expect(rows.count == 12)
        for row in rows {
            let q = try #require(DPVectors.number(row["q"]))
            let sigma = try #require(DPVectors.number(row["sigma"]))
            let library = (row["rdp_one_step"] as? [Any] ?? []).compactMap(DPVectors.number)
            let exact = (row["rdp_one_step_exact_fractional"] as? [Any] ?? []).compactMap(DPVectors.number)
            let ours = try SubsampledGaussianRDP(samplingRate: q, noiseMultiplier: sigma).rdp(orders: RDPAccountant.defaultOrders)
            for (i, alpha) in RDPAccountant.defaultOrders.enumerated() {
                if alpha.rounded() == alpha {
                    #expect(DPVectors.relativeError(ours[i], library[i]) < Self.integerOrderTolerance, "q=\(q) σ=\(sigma) α=\(alpha)")
                } else {
                    #expect(DPVectors.relativeError(ours[i], exact[i]) < Self.fractionalOrderTolerance, "q=\(q) σ=\(sigma) α=\(alpha): \(ours[i]) vs \(exact[i])")
                    // Never above dp_accounting's (which may be ∞ there) beyond rounding: where its series converges
                    // fast it is exact, and the reference values themselves sit up to ~1e-12 above it.
                    #expect(ours[i] <= library[i] * (1 + Self.fractionalOrderTolerance), "q=\(q) σ=\(sigma) α=\(alpha)")
                }
            }
        }
    }

    @Test("ε(δ) equals epsilon_exact_fractional_rdp to 1e-6 relative at the same order, never above dp_accounting's")
    func epsilon() throws {
        let rows = try DPVectors.family("rdp_subsampled_gaussian")
        #expect(rows.count == 48)
        for row in rows {
            let q = try #require(DPVectors.number(row["q"]))
            let sigma = try #require(DPVectors.number(row["sigma"]))
            let steps = try #require(row["steps"] as? Int)
            var accountant = try RDPAccountant()
            try accountant.compose(SubsampledGaussianRDP(samplingRate: q, noiseMultiplier: sigma), count: steps)
            for (deltaText, value) in row["rdp"] as? [String: Any] ?? [:] {
                let delta = try #require(Double(deltaText))
                let expected = try #require(value as? [String: Any])
                let exact = try #require(DPVectors.number(expected["epsilon_exact_fractional_rdp"]))
                let exactOrder = try #require(DPVectors.number(expected["optimal_order_exact_fractional_rdp"]))
                let library = try #require(DPVectors.number(expected["epsilon"]))
                let libraryOrder = try #require(DPVectors.number(expected["optimal_order"]))
                let result = try accountant.epsilon(delta: delta)
                let label = "q=\(q) σ=\(sigma) T=\(steps) δ=\(delta)"
                #expect(DPVectors.relativeError(result.epsilon, exact) < Self.epsilonTolerance, "\(label): \(result.epsilon) vs \(exact)")
                #expect(result.order == exactOrder, "\(label)")
                #expect(result.epsilon <= library * (1 + 1e-12), "\(label)")
                // Where dp_accounting's optimum sits at an integer order, the two agree there.
                if libraryOrder.rounded() == libraryOrder, exactOrder == libraryOrder {
                    #expect(DPVectors.relativeError(result.epsilon, library) < Self.integerOrderTolerance, "\(label)")
                }
            }
        }
    }
}

@Suite("RDP accountant: Laplace mechanism")
struct LaplaceRDPTests {
    @Test("composed Laplace RDP gives the vectors' rdp_epsilon at the same order; basic composition their pure_epsilon")
    func laplaceComposition() throws {
        let rows = try DPVectors.family("laplace_composition")
        #expect(!rows.isEmpty)
        for row in rows {
            let multiplier = try #require(DPVectors.number(row["noise_multiplier_b_over_sensitivity"]))
            let count = try #require(row["compositions"] as? Int)
            let delta = try #require(DPVectors.number(row["delta"]))
            let expected = try #require(DPVectors.number(row["rdp_epsilon"]))
            let order = try #require(DPVectors.number(row["rdp_optimal_order"]))
            let pure = try #require(DPVectors.number(row["pure_epsilon"]))
            let laplace = try LaplaceRDP(noiseMultiplier: multiplier)
            var accountant = try RDPAccountant()
            try accountant.compose(laplace, count: count)
            let result = try accountant.epsilon(delta: delta)
            #expect(DPVectors.relativeError(result.epsilon, expected) < 1e-9, "b/Δ=\(multiplier) k=\(count) δ=\(delta): \(result.epsilon) vs \(expected)")
            #expect(result.order == order)
            let basic = try Composition.basic(Array(repeating: (laplace.epsilon, 0), count: count))
            #expect(DPVectors.relativeError(basic.epsilon, pure) < 1e-12)
        }
    }

    @Test("Laplace RDP is continuous across the series branch at α = 1.1 and tends to ε")
    func laplaceCurve() throws {
        let laplace = try LaplaceRDP(epsilon: 0.7)
        #expect(abs(laplace.rdp(order: 1.1 - 1e-12) - laplace.rdp(order: 1.1 + 1e-12)) < 1e-9)
        #expect(laplace.rdp(order: 1) < laplace.rdp(order: 2))
        #expect(abs(laplace.rdp(order: 1e6) - 0.7) < 1e-5)
        #expect(throws: CustosError.self) { try LaplaceRDP(noiseMultiplier: 0) }
    }
}
