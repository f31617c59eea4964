/// The colours every chart and report uses, in one place; the defaults are the Okabe–Ito colour-blind-safe set.
public struct Palette: Sendable, Hashable {
    /// Page background.
    public var background: String
    /// Raised surfaces: cards, table headers, code blocks.
    public var surface: String
    /// Body text and axis labels.
    public var foreground: String
    /// Secondary text: captions, ticks, "undefined" labels.
    public var muted: String
    /// Grid lines and borders.
    public var grid: String
    /// Ordinary bars and links.
    public var accent: String
    /// Bars and callouts that need attention (a flagged group).
    public var warning: String
    /// Callouts for failures.
    public var danger: String
    /// Callouts for passes and good news.
    public var good: String
    /// Reference lines (overall value, four-fifths threshold).
    public var reference: String
    /// Line-chart series colours, used in order and cycled.
    public var series: [String]

    /// Creates a palette from CSS colour strings.
    public init(
        background: String, surface: String, foreground: String, muted: String, grid: String,
        accent: String, warning: String, danger: String, good: String, reference: String, series: [String]
    ) {
        self.background = background
        self.surface = surface
        self.foreground = foreground
        self.muted = muted
        self.grid = grid
        self.accent = accent
        self.warning = warning
        self.danger = danger
        self.good = good
        self.reference = reference
        self.series = series
    }

    /// The colour of series `index`, cycling through `series` (accent when `series` is empty).
    public func seriesColor(_ index: Int) -> String {
        guard !series.isEmpty else { return accent }
        return series[((index % series.count) + series.count) % series.count]
    }

    /// How many series colours get their own CSS class for dark-mode overrides.
    static let styledSeriesCount = 8

    /// Colours for light backgrounds and print.
    public static let light = Palette(
        background: "#ffffff", surface: "#f6f8fa", foreground: "#1f2328", muted: "#656d76", grid: "#d0d7de",
        accent: "#0072B2", warning: "#D55E00", danger: "#b42318", good: "#027a48", reference: "#4b5563",
        // Okabe & Ito (2008), "Color Universal Design", minus yellow which vanishes on white.
        series: ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#999999"])

    /// Colours for `prefers-color-scheme: dark`.
    public static let dark = Palette(
        background: "#0d1117", surface: "#161b22", foreground: "#e6edf3", muted: "#9198a1", grid: "#30363d",
        accent: "#56B4E9", warning: "#FF8C42", danger: "#f97066", good: "#32d583", reference: "#c9d1d9",
        series: ["#56B4E9", "#E69F00", "#009E73", "#CC79A7", "#F0E442", "#FF8C42", "#ffffff", "#aaaaaa"])
}
