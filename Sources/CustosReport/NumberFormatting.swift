import Foundation

/// Formats numbers for people: fixed decimals, percentages, and a dash for values that are undefined.
public enum NumberFormatting {
    /// The text shown for a missing or undefined value (an em dash).
    public static let missing = "—"

    /// Formats `value` with exactly `decimals` digits after the point (POSIX, `.` separator); nil and NaN give `missing`.
    public static func format(_ value: Double?, decimals: Int) -> String {
        guard let value, !value.isNaN else { return missing }
        if value.isInfinite { return value < 0 ? "−∞" : "∞" }
        let digits = max(0, min(decimals, maximumDecimals))
        let text = String(format: "%.\(digits)f", value)
        // "-0.00" reads as a sign error to a reader; a value that rounds to zero is shown unsigned.
        if text.hasPrefix("-"), text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) {
            return String(text.dropFirst())
        }
        return text
    }

    /// Formats a proportion (0.125) as a percentage ("12.5%") with `decimals` digits; nil and NaN give `missing`.
    public static func percent(_ value: Double?, decimals: Int = 1) -> String {
        guard let value, !value.isNaN else { return missing }
        return format(value * 100, decimals: decimals) + "%"
    }

    /// Formats `value` with an explicit sign ("+0.05", "−0.05"), for differences; nil and NaN give `missing`.
    public static func signed(_ value: Double?, decimals: Int) -> String {
        let text = format(value, decimals: decimals)
        guard text != missing, let value, !value.isInfinite else { return text }
        if text.hasPrefix("-") { return "−" + text.dropFirst() }
        return text.allSatisfy({ $0 == "0" || $0 == "." }) || value == 0 ? text : "+" + text
    }

    /// Formats an integer count with thin grouping ("12 345") so large counts stay readable in any locale.
    public static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { grouped += "\u{202F}" }
            grouped.append(digit)
        }
        return value < 0 ? "−" + grouped : grouped
    }

    /// Formats an SVG coordinate compactly (at most two decimals, no trailing zeros).
    static func coordinate(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let rounded = (value * 100).rounded() / 100
        if rounded.magnitude < 1e15, rounded == rounded.rounded() { return String(Int(rounded)) }
        var text = String(format: "%.2f", rounded)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }

    /// Beyond 17 decimals a Double carries no more information; also keeps the format string bounded.
    private static let maximumDecimals = 17
}
