import CustosGuard
import Foundation
import Testing

/// One line of `secrets_dev.jsonl`.
private struct SecretsLine: Decodable {
    struct Span: Decodable {
        var start: Int
        var end: Int
        var type: String
    }
    var id: String
    var label: Int
    var text: String
    var spans: [Span]
    var detect_secrets_file: [Span]
}

@Suite("Secrets scanner")
struct SecretsScannerTests {
    private static func counts(_ predicted: [[(Int, Int)]], _ truth: [[(Int, Int)]]) -> (tp: Int, fp: Int, fn: Int) {
        var tp = 0, fp = 0, fn = 0
        for (p, t) in zip(predicted, truth) {
            let matched = p.filter { a in t.contains { b in a.0 < b.1 && b.0 < a.1 } }.count
            tp += matched
            fp += p.count - matched
            fn += t.filter { b in !p.contains { a in a.0 < b.1 && b.0 < a.1 } }.count
        }
        return (tp, fp, fn)
    }

    @Test("text- and span-level precision and recall reach detect-secrets' on secrets_dev.jsonl")
    func beatsDetectSecrets() throws {
        let rows = try GuardFixtures.lines("secrets_dev.jsonl", as: SecretsLine.self)
        let ours = rows.map { SecretsScanner.findings(in: $0.text).map { ($0.start, $0.end) } }
        let theirs = rows.map { $0.detect_secrets_file.map { ($0.start, $0.end) } }
        let truth = rows.map { $0.spans.map { ($0.start, $0.end) } }
        func textLevel(_ predicted: [[(Int, Int)]]) -> (p: Double, r: Double) {
            let flagged = predicted.map { !$0.isEmpty }
            let tp = zip(flagged, rows).filter { $0 && $1.label == 1 }.count
            return (Double(tp) / Double(max(1, flagged.filter { $0 }.count)), Double(tp) / Double(rows.filter { $0.label == 1 }.count))
        }
        let (ourP, ourR) = textLevel(ours)
        let (refP, refR) = textLevel(theirs)
        #expect(ourP >= refP && ourR >= refR, "text level: ours P \(ourP) R \(ourR), detect-secrets P \(refP) R \(refR)")
        let o = Self.counts(ours, truth)
        let r = Self.counts(theirs, truth)
        let ourSpanP = Double(o.tp) / Double(o.tp + o.fp), ourSpanR = Double(o.tp) / Double(o.tp + o.fn)
        let refSpanP = Double(r.tp) / Double(r.tp + r.fp), refSpanR = Double(r.tp) / Double(r.tp + r.fn)
        #expect(ourSpanP >= refSpanP && ourSpanR >= refSpanR,
                "span level: ours P \(ourSpanP) R \(ourSpanR), detect-secrets P \(refSpanP) R \(refSpanR)")
    }

    @Test("exact spans and types of provider keys")
    func exactSpans() throws {
        let rows = try GuardFixtures.lines("secrets_dev.jsonl", as: SecretsLine.self)
        var exact = 0, total = 0
        for row in rows {
            let found = SecretsScanner.findings(in: row.text)
            for span in row.spans {
                total += 1
                if found.contains(where: { $0.start == span.start && $0.end == span.end && $0.type == span.type }) { exact += 1 }
            }
        }
        // Every labelled span is found with its exact boundaries and type.
        #expect(exact == total, "\(exact) of \(total) exact")
    }
}
