import CustosCore
import Foundation

/// The Sentence Encoder Association Test (May et al. 2019): WEAT on sentence embeddings. Each word of a test's sets
/// is put into semantically bleached templates ("This is {word}.") and every sentence becomes one member of its set,
/// so a set of n words holds n × templates sentences; the permutation test then samples (the exact enumeration
/// is out of reach at these sizes).
public enum SEAT {
    /// Bleached templates in the manner of May et al. 2019: they say nothing beyond naming the word, so any
    /// association the encoder shows comes from the word itself. One `{word}` slot each.
    public static let bleachedTemplates = [
        "This is {word}.", "That is {word}.", "There is {word}.", "Here is {word}.",
        "{word} is here.", "{word} is there.", "It is {word}.",
    ]

    /// The sentences of one word list, template by template.
    public static func sentences(for words: [String], templates: [String]) -> [String] {
        words.flatMap { word in
            templates.map { template in
                // A sentence-initial slot is capitalized ("Instruments is here." reads as a sentence start).
                let filled = template.hasPrefix("{word}") ? capitalizedFirst(word) : word
                return template.replacingOccurrences(of: "{word}", with: filled)
            }
        }
    }

    /// Checks templates: each needs exactly one `{word}` slot.
    public static func validate(templates: [String]) throws {
        guard !templates.isEmpty else { throw CustosError(.invalidInput, "SEAT needs at least one template") }
        for (k, template) in templates.enumerated() where template.components(separatedBy: "{word}").count != 2 {
            throw CustosError(.invalidInput, "template \(k + 1) ('\(template)') must hold exactly one {word} slot")
        }
    }

    /// Runs SEAT for each definition; `embed` turns sentences into vectors (e.g. MiniLM's mean-pooled embeddings).
    public static func run(
        _ definitions: [AssociationTestDefinition], templates: [String] = bleachedTemplates, embeddings: String,
        permutations: Int = 100_000, seed: UInt64 = 0, embed: ([String]) throws -> [[Float]]
    ) throws -> AssociationTestReport {
        try validate(templates: templates)
        let outcomes = try definitions.map { definition -> AssociationTestOutcome in
            var vectors: [AssociationTestDefinition.Role: [[Float]]] = [:]
            var sizes: [String: Int] = [:]
            for role in AssociationTestDefinition.Role.allCases {
                let sentences = Self.sentences(for: definition.set(role).words, templates: templates)
                let embedded = try embed(sentences)
                guard embedded.count == sentences.count else {
                    throw CustosError(.internal, "the encoder returned \(embedded.count) vectors for \(sentences.count) sentences")
                }
                vectors[role] = embedded
                sizes[role.rawValue] = sentences.count
            }
            var outcome = AssociationTestOutcome(
                index: definition.index, name: definition.name, sizesUsed: sizes,
                dropped: Dictionary(uniqueKeysWithValues: AssociationTestDefinition.Role.allCases.map { ($0.rawValue, [String]()) }))
            outcome.result = try WEAT.test(
                firstTarget: vectors[.firstTarget] ?? [], secondTarget: vectors[.secondTarget] ?? [],
                firstAttribute: vectors[.firstAttribute] ?? [], secondAttribute: vectors[.secondAttribute] ?? [],
                permutations: permutations, seed: seed)
            return outcome
        }
        return AssociationTestReport(kind: "SEAT", embeddings: embeddings, tests: outcomes)
    }

    private static func capitalizedFirst(_ word: String) -> String {
        guard let first = word.first else { return word }
        return first.uppercased() + word.dropFirst()
    }
}
