/// A mechanism described by its Rényi-DP curve: ε(α) for one application at each order α > 1.
public protocol RenyiDPCurve: Sendable {
    /// ε(α) of one application.
    func rdp(order alpha: Double) -> Double
}

extension RenyiDPCurve {
    /// ε(α) at each order.
    public func rdp(orders: [Double]) -> [Double] { orders.map { rdp(order: $0) } }
}
