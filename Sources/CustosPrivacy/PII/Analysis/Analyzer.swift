/// Runs a registry of recognizers over text and returns non-overlapping typed spans.
///
/// The steps, in order, are the same for every recognizer:
/// 1. every recognizer appends candidates with base scores;
/// 2. **context**: when one of the recognizer's context words occurs among the `contextWindow` words before
///    the candidate (or in the caller's extra context, e.g. a CSV column name), the score rises by
///    `contextBoost` and to at least `contextFloor` (Presidio's rule and numbers: 0.35 and 0.4);
/// 3. **allow-list**: candidates whose text is on it are dropped; **deny-list** terms are reported as their type
///    with score 1 wherever they occur as whole words;
/// 4. candidates below `minimumScore` or of types not asked for are dropped;
/// 5. **overlaps** are resolved greedily: candidates are ranked by score (higher first), then length (longer
///    first), then start (earlier first), then type and recognizer name (alphabetical), and each is kept unless
///    it overlaps one kept before it. The result is sorted by start. The rule is deterministic: the same text
///    always yields the same spans, whatever order the recognizers ran in.
public struct Analyzer: Sendable {
    /// The recognizers, in registry order.
    public var recognizers: [any Recognizer] {
        didSet { contextSets = recognizers.map { Set($0.contextWords) } }
    }
    /// Each recognizer's context words as a set (built once, not per text).
    private var contextSets: [Set<String>]
    /// Spans scoring below this are dropped.
    public var minimumScore: Double
    /// Exact texts never reported (e.g. a support address that is public).
    public var allowList: Set<String>
    /// Terms always reported as the given type.
    public var denyList: [EntityType: [String]]
    /// How many words before a candidate are searched for context words.
    public var contextWindow = 5
    /// Score added when a context word is found.
    public var contextBoost = 0.35
    /// Score a candidate has at least when a context word is found.
    public var contextFloor = 0.4

    /// An analyzer with the given recognizers (default: every built-in one).
    public init(
        recognizers: [any Recognizer] = Analyzer.builtInRecognizers(), minimumScore: Double = 0.5,
        allowList: Set<String> = [], denyList: [EntityType: [String]] = [:]
    ) {
        self.recognizers = recognizers
        self.contextSets = recognizers.map { Set($0.contextWords) }
        self.minimumScore = minimumScore
        self.allowList = allowList
        self.denyList = denyList
    }

    /// The built-in recognizers, with the gazetteers for PERSON and LOCATION when given.
    public static func builtInRecognizers(gazetteer: Gazetteer? = nil) -> [any Recognizer] {
        var all: [any Recognizer] = [
            EmailRecognizer(), PhoneRecognizer(), CreditCardRecognizer(), IBANRecognizer(), SSNRecognizer(),
            IPAddressRecognizer(), MACAddressRecognizer(), URLRecognizer(), DateTimeRecognizer(), CryptoRecognizer(),
        ]
        if let gazetteer {
            all.append(PersonRecognizer(gazetteer: gazetteer))
            all.append(LocationRecognizer(gazetteer: gazetteer))
        }
        return all
    }

    /// Analyzes a string. `entities` restricts the types reported (nil: all); `context` adds words that count
    /// as context for every candidate (a field name, a column header).
    public func analyze(_ text: String, entities: Set<EntityType>? = nil, context: [String] = []) -> [EntitySpan] {
        analyze(ScalarText(text), entities: entities, context: context)
    }

    /// Analyzes text already split into scalars.
    public func analyze(_ text: ScalarText, entities: Set<EntityType>? = nil, context: [String] = []) -> [EntitySpan] {
        var candidates: [EntitySpan] = []
        let extraContext = context.isEmpty ? [] : Set(context.flatMap { Self.words(in: ScalarText($0)) })
        for (r, recognizer) in recognizers.enumerated() {
            if let entities, !recognizer.entities.contains(where: entities.contains) { continue }
            let first = candidates.count
            recognizer.recognize(text, into: &candidates)
            let wordSet = contextSets[r]
            guard !wordSet.isEmpty, candidates.count > first else { continue }
            let extraHit = !extraContext.isEmpty && !extraContext.isDisjoint(with: wordSet)
            for k in first..<candidates.count {
                if extraHit || hasContext(wordSet, before: candidates[k].start, in: text) {
                    candidates[k].score = max(contextFloor, min(1, candidates[k].score + contextBoost))
                }
            }
        }
        for (type, terms) in denyList.sorted(by: { $0.key < $1.key }) {
            for term in terms { Self.findWholeWord(term, type: type, in: text, into: &candidates) }
        }
        candidates.removeAll { span in
            span.score < minimumScore || (entities.map { !$0.contains(span.type) } ?? false)
                || (!allowList.isEmpty && allowList.contains(text.string(span.range)))
        }
        return Self.resolveOverlaps(candidates)
    }

    /// The documented overlap rule (see the type's documentation).
    public static func resolveOverlaps(_ candidates: [EntitySpan]) -> [EntitySpan] {
        let ranked = candidates.sorted { a, b in
            if a.score != b.score { return a.score > b.score }
            if a.length != b.length { return a.length > b.length }
            if a.start != b.start { return a.start < b.start }
            if a.type != b.type { return a.type < b.type }
            return a.recognizer < b.recognizer
        }
        var kept: [EntitySpan] = []
        for span in ranked where !kept.contains(where: { $0.overlaps(span) }) { kept.append(span) }
        return kept.sorted { ($0.start, $0.end) < ($1.start, $1.end) }
    }

    func hasContext(_ wordSet: Set<String>, before start: Int, in text: ScalarText) -> Bool {
        let v = text.values
        var i = start
        var seen = 0
        while i > 0 && seen < contextWindow {
            while i > 0 && !Scalars.isWordChar(v[i - 1]) { i -= 1 }
            let end = i
            while i > 0 && Scalars.isWordChar(v[i - 1]) { i -= 1 }
            guard end > i else { break }
            seen += 1
            if wordSet.contains(Self.lowercased(v[i..<end])) { return true }
        }
        return false
    }

    /// Lower-cased words (runs of letters and digits) of a text.
    static func words(in text: ScalarText) -> [String] {
        let v = text.values
        var out: [String] = []
        var i = 0
        while i < v.count {
            guard Scalars.isWordChar(v[i]) else { i += 1; continue }
            let start = i
            while i < v.count && Scalars.isWordChar(v[i]) { i += 1 }
            out.append(lowercased(v[start..<i]))
        }
        return out
    }

    static func lowercased(_ values: ArraySlice<UInt32>) -> String {
        var view = String.UnicodeScalarView()
        for value in values {
            if let s = Unicode.Scalar(Scalars.lowerASCII(value)) { view.append(s) }
        }
        return String(view).lowercased()
    }

    static func findWholeWord(_ term: String, type: EntityType, in text: ScalarText, into spans: inout [EntitySpan]) {
        let needle = Array(term.unicodeScalars.map(\.value))
        let v = text.values
        guard !needle.isEmpty, needle.count <= v.count else { return }
        var i = 0
        while i + needle.count <= v.count {
            if v[i] == needle[0], v[i..<(i + needle.count)].elementsEqual(needle),
               i == 0 || !Scalars.isWordChar(v[i - 1]),
               i + needle.count == v.count || !Scalars.isWordChar(v[i + needle.count]) {
                spans.append(EntitySpan(start: i, end: i + needle.count, type: type, score: 1, recognizer: "deny_list"))
                i += needle.count
            } else {
                i += 1
            }
        }
    }
}
