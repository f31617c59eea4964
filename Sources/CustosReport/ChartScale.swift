import Foundation

/// A linear map from a data domain to a pixel range, with "nice" tick values; shared by every chart.
struct ChartScale: Sendable {
    /// The data interval shown.
    let domain: ClosedRange<Double>
    /// The pixel interval it maps to (may be decreasing, as for a y axis).
    let lower: Double
    /// The pixel position of `domain.upperBound`.
    let upper: Double

    init(domain: ClosedRange<Double>, from lower: Double, to upper: Double) {
        self.domain = ChartScale.usable(domain)
        self.lower = lower
        self.upper = upper
    }

    /// The pixel position of `value`, clamped to the domain so nothing is drawn outside the plot.
    func position(_ value: Double) -> Double {
        let span = domain.upperBound - domain.lowerBound
        let clamped = min(max(value, domain.lowerBound), domain.upperBound)
        return lower + (clamped - domain.lowerBound) / span * (upper - lower)
    }

    /// Whether `value` lies in the domain (with a little tolerance for rounding).
    func contains(_ value: Double) -> Bool {
        let slack = (domain.upperBound - domain.lowerBound) * 1e-9
        return value >= domain.lowerBound - slack && value <= domain.upperBound + slack
    }

    /// About `count` round tick values (steps of 1, 2 or 5 × 10ⁿ) inside the domain.
    func ticks(count: Int = 5) -> [Double] {
        let step = ChartScale.niceStep(span: domain.upperBound - domain.lowerBound, count: count)
        let first = (domain.lowerBound / step).rounded(.up)
        let last = (domain.upperBound / step).rounded(.down)
        guard first <= last, last - first < 1000 else { return [domain.lowerBound, domain.upperBound] }
        return stride(from: first, through: last, by: 1).map { index in
            let value = index * step
            return value.magnitude < step * 1e-9 ? 0 : value // avoid "-0" and 1e-17 ticks
        }
    }

    /// Decimals needed to print ticks of this scale distinctly.
    func tickDecimals(count: Int = 5) -> Int {
        let step = ChartScale.niceStep(span: domain.upperBound - domain.lowerBound, count: count)
        return max(0, Int((-log10(step)).rounded(.up)))
    }

    /// A domain covering `values` expanded outward to round tick values; `fallback` when there are none.
    static func niceDomain(covering values: [Double], fallback: ClosedRange<Double> = 0...1) -> ClosedRange<Double> {
        let finite = values.filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max() else { return fallback }
        let raw = usable(low...high)
        let step = niceStep(span: raw.upperBound - raw.lowerBound, count: 5)
        return (raw.lowerBound / step).rounded(.down) * step ... (raw.upperBound / step).rounded(.up) * step
    }

    /// A domain with positive, finite width (a degenerate or non-finite one is widened around its centre).
    static func usable(_ domain: ClosedRange<Double>) -> ClosedRange<Double> {
        guard domain.lowerBound.isFinite, domain.upperBound.isFinite else { return 0...1 }
        if domain.upperBound > domain.lowerBound { return domain }
        let half = max(domain.lowerBound.magnitude * 0.1, 0.5)
        return (domain.lowerBound - half)...(domain.upperBound + half)
    }

    private static func niceStep(span: Double, count: Int) -> Double {
        let raw = span / Double(max(1, count))
        guard raw > 0, raw.isFinite else { return 1 }
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let fraction = raw / magnitude
        let nice: Double = fraction < 1.5 ? 1 : fraction < 3.5 ? 2 : fraction < 7.5 ? 5 : 10
        return nice * magnitude
    }
}
