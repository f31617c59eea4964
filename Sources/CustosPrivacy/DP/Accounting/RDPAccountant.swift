import CustosCore
import Foundation

/// Rényi-DP accounting over a grid of orders: compose mechanisms by adding their ε(α), then convert to (ε, δ)
/// with `RDPConversion` (as dp_accounting 0.6 does).
public struct RDPAccountant: Sendable {
    /// dp_accounting 0.6's `DEFAULT_RDP_ORDERS`: 1.1, 1.2, …, 10.9, then 11…63, 128, 256, 512, 1024
    /// (computed as `1 + x/10.0` so the doubles are identical to Python's).
    public static let defaultOrders: [Double] = {
        var orders: [Double] = (1..<100).map { (x: Int) -> Double in 1 + Double(x) / 10.0 }
        orders += (11..<64).map { (x: Int) -> Double in Double(x) }
        orders += [128, 256, 512, 1024]
        return orders
    }()

    /// The orders α tracked.
    public let orders: [Double]
    /// Accumulated ε(α) at each order.
    public private(set) var rdp: [Double]

    /// The largest order accepted: the fractional-order quadrature is sized for orders up to here.
    public static let maximumOrder = 1e6

    /// An accountant with nothing spent; every order must be in (1, 10⁶].
    public init(orders: [Double] = RDPAccountant.defaultOrders) throws {
        guard !orders.isEmpty, orders.allSatisfy({ $0 > 1 && $0 <= Self.maximumOrder }) else {
            throw CustosError(.invalidInput, "RDP orders must be non-empty and each in (1, \(Self.maximumOrder)]")
        }
        self.orders = orders
        rdp = [Double](repeating: 0, count: orders.count)
    }

    /// Adds `count` applications of a mechanism (e.g. DP-SGD steps of a Poisson-subsampled Gaussian).
    public mutating func compose(_ mechanism: some RenyiDPCurve, count: Int = 1) throws {
        guard count >= 0 else { throw CustosError(.invalidInput, "the number of steps must be non-negative, got \(count)") }
        let perStep = mechanism.rdp(orders: orders)
        for i in rdp.indices { rdp[i] += perStep[i] * Double(count) }
    }

    /// The smallest ε over the orders for which the composition is (ε, δ)-DP, and that order.
    public func epsilon(delta: Double) throws -> RDPEpsilon {
        try RDPConversion.epsilon(orders: orders, rdp: rdp, delta: delta)
    }
}
