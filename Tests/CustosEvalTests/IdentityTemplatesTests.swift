import CustosCore
import CustosEval
import CustosFairness
import Testing

@Suite("Identity templates: the built-in set, YAML errors with lines, an audit run end to end")
struct IdentityTemplatesTests {
    @Test("the built-in set fills every template with every term, once")
    func builtIn() throws {
        let set = try IdentityTemplates.builtIn()
        #expect(Set(set.terms.map(\.category)) == ["gender", "sexual_orientation", "religion", "race_ethnicity", "disability", "age"])
        let sentences = set.sentences
        #expect(sentences.count == set.terms.count * (set.toxic.count + set.nonToxic.count))
        #expect(sentences.allSatisfy { !$0.text.contains("{") && $0.text.localizedCaseInsensitiveContains($0.identity) })
        #expect(sentences.contains { $0.text == "Muslim people are disgusting and stupid." && $0.toxic })
    }

    @Test("malformed files are errors naming the line", arguments: [
        ("identities: {a: [x]}\ntemplates:\n  toxic: [\"no slot\"]\n  non_toxic: [\"{identity}\"]\n", 3, "exactly one"),
        ("identities: {a: [x, y], b: [X]}\ntemplates: {toxic: [\"{identity}\"], non_toxic: [\"{identity}\"]}\n", 1, "listed twice"),
        ("identities: {a: [x]}\ntemplates: {toxic: [\"{identity}\"]}\n", 2, "non_toxic"),
        ("identities: {a: [x]}\ntemplate: {}\n", 2, "unknown key"),
        ("identities: [x\n", nil, "not valid YAML"),
    ] as [(String, Int?, String)])
    func malformed(yaml: String, line: Int?, message: String) throws {
        let error = try #require(throws: CustosError.self) { try IdentityTemplates.parse(yaml, file: "t.yaml") }
        #expect(error.message.contains(message), "\(error)")
        #expect(error.location?.file == "t.yaml")
        if let line { #expect(error.location?.line == line, "\(error)") }
    }

    @Test("a scorer that reacts to one term alone is caught: its BPSN AUC drops and a term-aware threshold is recommended")
    func auditRun() throws {
        let set = try IdentityTemplates.parse("""
            identities: {religion: [muslim, christian], orientation: [gay, straight]}
            templates:
              toxic: ["I hate {identity} people.", "{Identity} people are trash."]
              non_toxic: ["I am {identity}.", "My friend is {identity}.", "{Identity} people live here."]
            """)
        // Toxic words score 0.8; the word "gay" adds 0.75 on its own, so its benign texts outscore every other toxic one.
        let outcome = try IdentityTermAudit(templates: set, threshold: 0.5).run { texts in
            texts.map { text in
                let toxic = text.contains("hate") || text.contains("trash") ? 0.8 : 0.1
                return min(1, toxic + (text.lowercased().contains("gay") ? 0.75 : 0))
            }
        }
        #expect(outcome.scored.count == 20)
        let gay = try #require(outcome.bias.subgroups.first { $0.identity == "gay" })
        #expect(gay.falsePositiveRate == 1 && gay.bpsnAUC == 0)
        #expect(outcome.bias.subgroups.filter { $0.identity != "gay" }.allSatisfy { $0.falsePositiveRate == 0 && $0.bpsnAUC == 1 })
        #expect(outcome.bias.recommendations.map(\.identity) == ["gay"])
        #expect(outcome.bias.recommendations.first?.fprAfter == 0)
    }
}
