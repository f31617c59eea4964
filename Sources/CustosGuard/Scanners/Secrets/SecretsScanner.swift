import Foundation

/// Finds credentials: provider-specific formats (AWS, GitHub, Slack, Stripe, Google, PEM private keys, JWTs,
/// database URLs with passwords) and high-entropy values after password/secret/token keywords.
///
/// Works on the original text (normalization would damage keys). Rules only run on lines containing one of
/// their literal anchors, so ordinary prose costs one byte scan per anchor.
public struct SecretsScanner: Scanner {
    /// Registry name.
    public let name = "secrets"
    /// Any finding is a positive.
    public let defaultThreshold = 0.5

    /// Creates the scanner.
    public init() {}

    /// Scans `input.text`.
    public func scan(_ input: ScanInput) throws -> ScanResult {
        let findings = Self.findings(in: input.text)
        return ScanResult(score: findings.isEmpty ? 0 : 1, findings: findings,
                          sanitized: findings.isEmpty ? nil : Redaction.apply(findings, to: input.text))
    }

    /// The secrets in `text`, in Unicode-scalar offsets, sorted by start.
    public static func findings(in text: String) -> [Finding] {
        let bytes = Array(text.utf8)
        let lowered = bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
        var matches: [(range: Range<Int>, type: String)] = []
        // PEM blocks span lines: their rule runs on the whole text.
        // One pass over the whole text finds the rules whose anchors occur; only those look at lines.
        let present = SecretRules.anchorIndex.rulesPresent(bytes, lowered: lowered)
        for (r, rule) in SecretRules.all.enumerated() where present[r] {
            if rule.type == "private_key" {
                matches += run(rule, on: bytes[...], offset: 0)
                continue
            }
            var start = 0
            while start < bytes.count {
                var end = start
                while end < bytes.count, bytes[end] != 0x0A { end += 1 }
                if end > start, rule.mayMatch(bytes[start..<end], lowered: lowered[start..<end]) {
                    matches += run(rule, on: bytes[start..<end], offset: start)
                }
                start = end + 1
            }
        }
        // Earlier (more specific) rules win over overlapping later ones.
        var kept: [(range: Range<Int>, type: String)] = []
        for match in matches where !kept.contains(where: { $0.range.overlaps(match.range) }) { kept.append(match) }
        guard !kept.isEmpty else { return [] }
        let offsets = ScalarOffsets(bytes)
        return kept.map { offsets.finding($0.range, type: $0.type, score: 1) }.sorted { $0.start < $1.start }
    }

    private static func run(_ rule: SecretRule, on line: ArraySlice<UInt8>, offset: Int) -> [(range: Range<Int>, type: String)] {
        guard let regex = rule.regex else { return [] }
        let text = String(decoding: line, as: UTF8.self)
        let ns = text as NSString
        var out: [(range: Range<Int>, type: String)] = []
        for match in regex.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            let r = match.range(at: rule.group)
            guard r.location != NSNotFound, let swiftRange = Range(r, in: text) else { continue }
            let value = String(text[swiftRange])
            guard rule.accept(value) else { continue }
            let lower = text.utf8.distance(from: text.startIndex, to: swiftRange.lowerBound)
            let upper = text.utf8.distance(from: text.startIndex, to: swiftRange.upperBound)
            out.append(((offset + lower)..<(offset + upper), rule.type))
        }
        return out
    }
}
