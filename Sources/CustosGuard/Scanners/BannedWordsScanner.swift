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
    /// Banned words and phrases, normalized like the text, as the scalars of each word.
    let phrases: [[[Unicode.Scalar]]]
    /// Phrase indices by the scalar count of their first word.
    /// Phrase indices by the length of their first word (index = length): most words of a text are ruled out by
    /// one array read.
    let phrasesByFirstLength: [[Int]]
    let regexes: [NSRegularExpression]

    /// Bans `words` (whole words or phrases, case-insensitive) and `patterns` (regular expressions over the
    /// normalized, lowercased text).
    public init(words: [String], patterns: [String] = []) throws {
        let normalizer = TextNormalizer(options: .init(payloads: false))
        let phrases = words.map { word in
            let scalars = normalizer.normalize(word).scalars
            return Self.wordRanges(in: scalars).map { Array(scalars[$0]) }
        }.filter { !$0.isEmpty }
        self.phrases = phrases
        var byLength = [[Int]](repeating: [], count: (phrases.map { $0[0].count }.max() ?? 0) + 1)
        for (p, phrase) in phrases.enumerated() { byLength[phrase[0].count].append(p) }
        phrasesByFirstLength = byLength
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
            let scalars = normalized.scalars
            let ranges = Self.wordRanges(in: scalars)
            func equal(_ range: Range<Int>, _ word: [Unicode.Scalar]) -> Bool {
                range.count == word.count && zip(scalars[range], word).allSatisfy { $0 == $1 }
            }
            for (k, range) in ranges.enumerated() where range.count < phrasesByFirstLength.count && !phrasesByFirstLength[range.count].isEmpty {
                for p in phrasesByFirstLength[range.count] {
                    let phrase = phrases[p]
                    guard k + phrase.count <= ranges.count, (0..<phrase.count).allSatisfy({ equal(ranges[k + $0], phrase[$0]) }) else { continue }
                    out.append(Finding(start: range.lowerBound, end: ranges[k + phrase.count - 1].upperBound, type: "banned_word"))
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

    /// Maximal runs of letters and digits.
    static func wordRanges(in scalars: [Unicode.Scalar]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var k = 0
        while k < scalars.count {
            guard isWordScalar(scalars[k]) else { k += 1; continue }
            let start = k
            while k < scalars.count, isWordScalar(scalars[k]) { k += 1 }
            out.append(start..<k)
        }
        return out
    }

    /// Maximal runs of letters and digits, with their text.
    static func words(in scalars: [Unicode.Scalar]) -> [(text: String, start: Int, end: Int)] {
        wordRanges(in: scalars).map { range in
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[range])
            return (String(view), range.lowerBound, range.upperBound)
        }
    }

    private static func isWordScalar(_ s: Unicode.Scalar) -> Bool { ScalarClasses.isLetter(s) || ScalarClasses.isDigit(s) }
}
