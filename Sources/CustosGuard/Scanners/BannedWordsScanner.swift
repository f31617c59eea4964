import CustosCore
import Foundation

/// Banned words, phrases and regular expressions, matched on the normalized text (so "b4nn3d", "bаnned" with a
/// Cyrillic 'а', "b a n n e d" and zero-width splits all match "banned") and on decoded payloads.
public struct BannedWordsScanner: Scanner, @unchecked Sendable {
    // @unchecked: NSRegularExpression is immutable after creation.
    /// Registry name.
    public let name = "banned_words"
    /// Any match is a positive.
    public let defaultThreshold = 0.5
    /// Banned words and phrases, normalized like the text (whitespace-separated words).
    let phrases: [[String]]
    let regexes: [NSRegularExpression]

    /// Bans `words` (whole words or phrases, case-insensitive) and `patterns` (regular expressions over the
    /// normalized, lowercased text).
    public init(words: [String], patterns: [String] = []) throws {
        let normalizer = TextNormalizer(options: .init(payloads: false))
        phrases = words.map { Self.words(in: normalizer.normalize($0).scalars).map(\.text) }.filter { !$0.isEmpty }
        regexes = try patterns.enumerated().map { k, pattern in
            do {
                return try NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
            } catch {
                throw CustosError(.invalidInput, "banned_words pattern \(k + 1) is not a valid regular expression: \(pattern)")
            }
        }
    }

    /// Finds banned phrases and patterns in the normalized text and decoded payloads.
    public func scan(_ input: ScanInput) throws -> ScanResult {
        var findings = matches(in: input.normalized).map { input.normalized.mapToOriginal($0) }
        for payload in input.normalized.payloads where !matches(in: payload.normalized).isEmpty {
            findings.append(Finding(start: payload.span.lowerBound, end: payload.span.upperBound, type: "banned_word"))
        }
        return ScanResult(score: findings.isEmpty ? 0 : 1, findings: findings,
                          sanitized: findings.isEmpty ? nil : Redaction.apply(findings, to: input.text))
    }

    /// Matches in `normalized`, in its own (folded) offsets.
    func matches(in normalized: NormalizedText) -> [Finding] {
        var out: [Finding] = []
        if !phrases.isEmpty {
            let tokens = Self.words(in: normalized.scalars)
            let first = Dictionary(grouping: phrases.indices, by: { phrases[$0][0] })
            for (k, token) in tokens.enumerated() {
                for p in first[token.text] ?? [] {
                    let phrase = phrases[p]
                    guard k + phrase.count <= tokens.count,
                          (0..<phrase.count).allSatisfy({ tokens[k + $0].text == phrase[$0] }) else { continue }
                    out.append(Finding(start: token.start, end: tokens[k + phrase.count - 1].end, type: "banned_word"))
                }
            }
        }
        if !regexes.isEmpty {
            let text = normalized.text
            for regex in regexes {
                for match in regex.matches(in: text, range: NSRange(location: 0, length: (text as NSString).length)) {
                    guard let range = Range(match.range, in: text) else { continue }
                    let start = text.unicodeScalars.distance(from: text.startIndex, to: range.lowerBound)
                    let end = text.unicodeScalars.distance(from: text.startIndex, to: range.upperBound)
                    if end > start { out.append(Finding(start: start, end: end, type: "banned_pattern")) }
                }
            }
        }
        return out
    }

    /// Maximal runs of letters and digits, with spans.
    static func words(in scalars: [Unicode.Scalar]) -> [(text: String, start: Int, end: Int)] {
        var out: [(text: String, start: Int, end: Int)] = []
        var k = 0
        while k < scalars.count {
            guard isWordScalar(scalars[k]) else { k += 1; continue }
            var view = String.UnicodeScalarView()
            let start = k
            while k < scalars.count, isWordScalar(scalars[k]) { view.append(scalars[k]); k += 1 }
            out.append((String(view), start, k))
        }
        return out
    }

    private static func isWordScalar(_ s: Unicode.Scalar) -> Bool {
        if s.isASCII {
            let v = s.value
            return (v >= 0x30 && v <= 0x39) || (v >= 0x61 && v <= 0x7A) || (v >= 0x41 && v <= 0x5A)
        }
        return s.properties.isAlphabetic
    }
}
