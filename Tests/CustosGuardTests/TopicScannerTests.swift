import CustosGuard
import Testing

@Suite("Topic scanner")
struct TopicScannerTests {
    @Test("a banking assistant's policy lets banking questions through and flags recipes and denied topics")
    func allowedAndDenied() throws {
        try #require(GuardFixtures.embedder != nil, "a model asset or reference fixture is missing: run scripts/setup")
        let embedder = try #require(GuardFixtures.embedder)
        let scanner = try TopicScanner(allowed: ["questions about bank accounts, cards, transfers and loans"],
                                       denied: ["political opinions and elections"], embedder: embedder)
        #expect(try scanner.scan(ScanInput("How do I transfer money from my savings account to my card?")).score == 0)
        let recipe = try scanner.scan(ScanInput("Give me a recipe for lemon cake."))
        #expect(recipe.score == 1)
        #expect(recipe.findings.first?.type == "off_topic")
        #expect(try scanner.scan(ScanInput("Who should I vote for in the next election?")).findings.first?.type == "denied_topic")
    }
}
