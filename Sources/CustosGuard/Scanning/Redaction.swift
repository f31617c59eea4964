/// Replaces spans of a text with `[TYPE]` markers.
public enum Redaction {
    /// `text` with every finding's span (Unicode-scalar offsets) replaced by `[type]`; overlapping spans merge.
    public static func apply(_ findings: [Finding], to text: String) -> String {
        // The replacement cannot fail, so neither can the call.
        (try? apply(findings, to: text) { finding, _ in "[\(finding.type.uppercased())]" }) ?? text
    }

    /// `text` with every finding's span replaced by `replacement(finding, original span text)`; where spans overlap,
    /// the earliest starting one covers the union.
    public static func apply(_ findings: [Finding], to text: String,
                             replacement: (Finding, String) throws -> String) throws -> String {
        let sorted = findings.filter { $0.end > $0.start }.sorted { $0.start < $1.start }
        guard !sorted.isEmpty else { return text }
        var out = String.UnicodeScalarView()
        var index = 0
        var next = 0
        var skipUntil = -1
        let scalars = Array(text.unicodeScalars)
        for scalar in scalars {
            while next < sorted.count, sorted[next].start <= index {
                if sorted[next].end > skipUntil {
                    if index >= skipUntil {
                        let finding = sorted[next]
                        var original = String.UnicodeScalarView()
                        original.append(contentsOf: scalars[finding.start..<min(finding.end, scalars.count)])
                        out.append(contentsOf: try replacement(finding, String(original)).unicodeScalars)
                    }
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
