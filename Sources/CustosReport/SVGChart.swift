/// A chart that renders itself as a standalone inline `<svg>` element, so `HTMLReport` can embed it.
public protocol SVGChart: Sendable {
    /// The chart's title, used as the accessible name.
    var title: String { get }
    /// The chart as one `<svg>` element with a `viewBox`, `role="img"` and a `<title>`.
    func svg() -> String
}
