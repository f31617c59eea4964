import CustosCore
import CustosGuard
import Foundation

/// Screens one choice of a streamed answer incrementally. New text is held back until it has been scanned in
/// context: each check scans a sliding window (the last `window` scalars already released plus everything held),
/// and releases all but the last `holdback` scalars, never cutting through a finding. A finding to redact or a
/// pseudonym to restore is therefore always complete before it is released, and text that makes the policy block
/// is never sent. The caller sees text `holdback` scalars late, in pieces of at least `step` scalars.
struct StreamGuard {
    enum Step {
        /// Text to send now (possibly empty).
        case release(String)
        /// The policy blocks: end the stream.
        case block(Decision)
    }

    let pipeline: Pipeline
    let pseudonyms: PseudonymSession
    let window: Int
    let step: Int
    private var sent: [Unicode.Scalar] = []
    private var held: [Unicode.Scalar] = []
    private(set) var screening = Screening()
    /// Everything released to the caller (restored form).
    private(set) var delivered = ""

    init(pipeline: Pipeline, pseudonyms: PseudonymSession, window: Int = 1024, step: Int = 32) {
        self.pipeline = pipeline
        self.pseudonyms = pseudonyms
        self.window = window
        self.step = step
    }

    var holdback: Int { max(64, pseudonyms.longestSurrogate + 1) }

    /// Adds upstream text; returns what may be released.
    mutating func add(_ text: String) throws -> Step {
        held.append(contentsOf: text.unicodeScalars)
        guard held.count >= holdback + step else { return .release("") }
        return try check(final: false)
    }

    /// The answer ended: check and release everything held.
    mutating func finish() throws -> Step {
        guard !held.isEmpty else { return .release("") }
        return try check(final: true)
    }

    private mutating func check(final: Bool) throws -> Step {
        let context = Array(sent.suffix(max(0, window - held.count)))
        var windowText = String.UnicodeScalarView()
        windowText.append(contentsOf: context)
        windowText.append(contentsOf: held)
        let decision = try pipeline.scan(String(windowText), side: .output)
        screening.add(decision)
        if decision.action == .block { return .block(decision) }
        // Findings in held coordinates; only rewriting actions change the text.
        let offset = context.count
        let rewriting = decision.scanners.filter { $0.fired && ($0.action == .redact || $0.action == .pseudonymize) }
        let findings = rewriting.flatMap(\.findings).compactMap { f -> Finding? in
            let start = f.start - offset, end = f.end - offset
            guard end > 0 else { return nil }  // entirely in released text: too late to change
            return Finding(start: max(0, start), end: end, type: f.type, score: f.score)
        }
        var release = final ? held.count : held.count - holdback
        for f in findings where f.start < release && f.end > release { release = min(release, f.start) }
        // Never cut through a surrogate either: it is restored only when whole.
        for surrogate in pseudonyms.surrogates {
            let needle = Array(surrogate.unicodeScalars)
            guard !needle.isEmpty, needle.count <= held.count else { continue }
            var start = max(0, release - needle.count + 1)
            while start < release, start + needle.count <= held.count {
                if held[start..<(start + needle.count)].elementsEqual(needle), start + needle.count > release {
                    release = start
                    break
                }
                start += 1
            }
        }
        guard release > 0 else { return .release("") }
        let inside = findings.filter { $0.end <= release }
        var part = String.UnicodeScalarView()
        part.append(contentsOf: held[..<release])
        let sanitized = Redaction.apply(inside, to: String(part))
        let restored = try pseudonyms.restore(sanitized)
        sent.append(contentsOf: held[..<release])
        if sent.count > 4 * window { sent.removeFirst(sent.count - window) }
        held.removeFirst(release)
        delivered += restored
        return .release(restored)
    }
}
