import Foundation

/// An n-point Gauss–Legendre rule on [−1, 1] (exact for polynomials of degree 2n − 1), nodes found by
/// Newton's method on the Legendre polynomial from Chebyshev starting points.
struct GaussLegendre: Sendable {
    /// Nodes in (−1, 1).
    let nodes: [Double]
    /// Weights, summing to 2.
    let weights: [Double]

    /// The 16-point rule used by the RDP integrals.
    static let sixteen = GaussLegendre(points: 16)

    init(points n: Int) {
        var nodes = [Double](repeating: 0, count: n)
        var weights = [Double](repeating: 0, count: n)
        for i in 0..<(n + 1) / 2 {
            var x = cos(Double.pi * (Double(i) + 0.75) / (Double(n) + 0.5))
            var derivative = 0.0
            for _ in 0..<100 {
                var p0 = 1.0
                var p1 = 0.0
                for j in 1...n {
                    let p2 = p1
                    p1 = p0
                    p0 = ((2 * Double(j) - 1) * x * p1 - (Double(j) - 1) * p2) / Double(j)
                }
                derivative = Double(n) * (x * p0 - p1) / (x * x - 1)
                let step = p0 / derivative
                x -= step
                if abs(step) < 1e-16 { break }
            }
            nodes[i] = -x
            nodes[n - 1 - i] = x
            weights[i] = 2 / ((1 - x * x) * derivative * derivative)
            weights[n - 1 - i] = weights[i]
        }
        self.nodes = nodes
        self.weights = weights
    }

    /// ∫ₐᵇ f, composite over `pieces` equal subintervals.
    func integrate(from a: Double, to b: Double, pieces: Int, _ f: (Double) -> Double) -> Double {
        let width = (b - a) / Double(pieces)
        var total = 0.0
        for piece in 0..<pieces {
            let mid = a + (Double(piece) + 0.5) * width
            var sum = 0.0
            for (x, w) in zip(nodes, weights) { sum += w * f(mid + x * width / 2) }
            total += sum * width / 2
        }
        return total
    }
}
