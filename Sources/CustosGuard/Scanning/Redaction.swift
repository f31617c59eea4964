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
        // Unchanged stretches are copied as whole substrings; `index` is the position of scalar `position`.
        let view = text.unicodeScalars
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var index = view.startIndex
        var position = 0
        func advance(to target: Int) {
            while position < target, index < view.endIndex {
                view.formIndex(after: &index)
                position += 1
            }
        }
        var k = 0
        while k < sorted.count {
            // A cluster: the first finding and every later one starting inside the covered span.
            let finding = sorted[k]
            var end = finding.end
            k += 1
            while k < sorted.count, sorted[k].start < end {
                end = max(end, sorted[k].end)
                k += 1
            }
            let copyFrom = index
            advance(to: finding.start)
            guard position == finding.start, index < view.endIndex else { index = copyFrom; break }
            out.append(contentsOf: Substring(view[copyFrom..<index]))
            let spanStart = index
            advance(to: finding.end)
            out.append(contentsOf: try replacement(finding, String(Substring(view[spanStart..<index]))))
            advance(to: end)
        }
        out.append(contentsOf: Substring(view[index...]))
        return out
    }
}
