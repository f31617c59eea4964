import Foundation
import Testing

@testable import CustosPrivacy

/// The fractional-order quadrature checked where an exact answer exists: at integer orders A_α is the finite
/// binomial sum, so the integral must reproduce it — on (q, σ) pairs outside the dev vectors too.
@Suite("RDP quadrature: reproduces the binomial sum at integer orders")
struct RDPQuadratureTests {
    @Test("quadrature equals the binomial expansion to 1e-9 relative", arguments: [
        (0.001, 0.3), (0.02, 0.7), (0.05, 1.5), (0.2, 0.9), (0.5, 3.0), (0.003, 8.0), (0.9, 0.6),
    ])
    func integerOrders(q: Double, sigma: Double) {
        for alpha in [2, 3, 5, 8, 11] {
            let sum = SubsampledGaussianRDP.logAInteger(q: q, sigma: sigma, alpha: alpha)
            let integral = SubsampledGaussianRDP.logAFractional(q: q, sigma: sigma, alpha: Double(alpha))
            #expect(abs(integral - sum) <= 1e-9 * abs(sum), "q=\(q) σ=\(sigma) α=\(alpha): \(integral) vs \(sum)")
        }
    }
}
