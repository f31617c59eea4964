/// Small statistical helpers.
public enum Statistics {
    /// The `q`-quantile of sorted values with linear interpolation between order statistics
    /// (numpy's default, "type 7").
    public static func quantile(sorted values: [Double], _ q: Double) -> Double {
        precondition(!values.isEmpty, "quantile of an empty sample")
        let position = q * Double(values.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, values.count - 1)
        let fraction = position - Double(lower)
        return values[lower] + (values[upper] - values[lower]) * fraction
    }
}
