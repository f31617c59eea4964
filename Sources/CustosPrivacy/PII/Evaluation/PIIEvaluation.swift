import CustosCore
import Foundation

/// One labelled text of an evaluation set (`{"text", "spans": [{"start", "end", "type"}]}`, Unicode-scalar
/// offsets, end exclusive — the format of `pii_dev.jsonl`).
public struct LabelledText: Sendable, Decodable {
    /// A gold span.
    public struct Gold: Sendable, Decodable, Equatable {
        public var start: Int
        public var end: Int
        public var type: EntityType
    }

    public var text: String
    public var spans: [Gold]
}

/// Precision, recall and F1 per entity type, by exact span and by overlap.
public struct PIIEvaluation: Sendable {
    /// Counts for one entity type and one matching rule.
    public struct Counts: Sendable, Equatable, Codable {
        public var truePositives = 0
        public var falsePositives = 0
        public var falseNegatives = 0

        /// Counts.
        public init(truePositives: Int = 0, falsePositives: Int = 0, falseNegatives: Int = 0) {
            self.truePositives = truePositives
            self.falsePositives = falsePositives
            self.falseNegatives = falseNegatives
        }

        public var precision: Double { ratio(truePositives, truePositives + falsePositives) }
        public var recall: Double { ratio(truePositives, truePositives + falseNegatives) }
        public var f1: Double {
            let p = precision, r = recall
            return p + r == 0 ? 0 : 2 * p * r / (p + r)
        }

        func ratio(_ a: Int, _ b: Int) -> Double { b == 0 ? 0 : Double(a) / Double(b) }

        static func + (a: Counts, b: Counts) -> Counts {
            Counts(truePositives: a.truePositives + b.truePositives, falsePositives: a.falsePositives + b.falsePositives,
                   falseNegatives: a.falseNegatives + b.falseNegatives)
        }
    }

    /// Exact-span counts per type (a prediction counts only when start, end and type all match a gold span).
    public private(set) var exact: [EntityType: Counts] = [:]
    /// Overlap counts per type (a prediction is right when it overlaps a gold span of its type; a gold span is
    /// found when some prediction of its type overlaps it).
    public private(set) var overlap: [EntityType: Counts] = [:]
    /// Texts scored.
    public private(set) var texts = 0

    public init() {}

    /// Scores one text's predictions against its gold spans.
    public mutating func add(predicted: [EntitySpan], gold: [LabelledText.Gold]) {
        texts += 1
        let goldSet = Set(gold.map { "\($0.start):\($0.end):\($0.type.rawValue)" })
        let predictedSet = Set(predicted.map { "\($0.start):\($0.end):\($0.type.rawValue)" })
        for p in predicted {
            let key = "\(p.start):\(p.end):\(p.type.rawValue)"
            if goldSet.contains(key) { exact[p.type, default: Counts()].truePositives += 1 } else { exact[p.type, default: Counts()].falsePositives += 1 }
            let hit = gold.contains { $0.type == p.type && $0.start < p.end && p.start < $0.end }
            if hit { overlap[p.type, default: Counts()].truePositives += 1 } else { overlap[p.type, default: Counts()].falsePositives += 1 }
        }
        for g in gold {
            if !predictedSet.contains("\(g.start):\(g.end):\(g.type.rawValue)") { exact[g.type, default: Counts()].falseNegatives += 1 }
            if !predicted.contains(where: { $0.type == g.type && $0.start < g.end && g.start < $0.end }) {
                overlap[g.type, default: Counts()].falseNegatives += 1
            }
        }
    }

    /// Micro-averaged counts over a set of types.
    public func micro(_ types: Set<EntityType>, exactMatch: Bool = true) -> Counts {
        (exactMatch ? exact : overlap).filter { types.contains($0.key) }.values.reduce(Counts(), +)
    }

    /// Every type seen, sorted.
    public var types: [EntityType] { Set(exact.keys).union(overlap.keys).sorted() }

    /// Runs an analyzer over a labelled set.
    public static func run(_ analyzer: Analyzer, on set: [LabelledText]) -> PIIEvaluation {
        var evaluation = PIIEvaluation()
        for item in set { evaluation.add(predicted: analyzer.analyze(item.text), gold: item.spans) }
        return evaluation
    }

    /// Reads a labelled JSONL set.
    public static func load(_ path: String) throws -> [LabelledText] {
        try JSONLReader.decode(LabelledText.self, from: try FileInput.readBytes(path), source: path)
    }
}
