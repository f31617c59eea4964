/// Replaces spans of a text with `[TYPE]` markers.
public enum Redaction {
    /// `text` with every finding's span (Unicode-scalar offsets) replaced by `[type]`; overlapping spans merge.
    public static func apply(_ findings: [Finding], to text: String) -> String {
        let sorted = findings.filter { $0.end > $0.start }.sorted { $0.start < $1.start }
        guard !sorted.isEmpty else { return text }
        var out = String.UnicodeScalarView()
        var index = 0
        var next = 0
        var skipUntil = -1
        for scalar in text.unicodeScalars {
            while next < sorted.count, sorted[next].start <= index {
                if sorted[next].end > skipUntil {
                    if index >= skipUntil { out.append(contentsOf: "[\(sorted[next].type.uppercased())]".unicodeScalars) }
                    skipUntil = max(skipUntil, sorted[next].end)
                }
                next += 1
            }
            if index >= skipUntil { out.append(scalar) }
            index += 1
        }
        return String(out)
    }
}
