import CustosCore
import CustosGuard
import Testing

@Suite("Guard pii scanner")
struct PIIScannerTests {
    @Test("a policy's pii scanner redacts e-mail and phone spans and honours entities and allow options")
    func redacts() throws {
        let yaml = """
            input:
              - scanner: pii
                action: redact
                options:
                  entities: [EMAIL_ADDRESS, PHONE_NUMBER]
                  allow: [help@custos.dev]
                  gazetteer: "false"
            """
        let registry = ScannerRegistry.builtIn
        let pipeline = try Pipeline(policy: PolicyLoader.parse(yaml, registry: registry), registry: registry)
        let text = "Reach 🙂 ana.lopez@example.org or +1 (283) 422-0203, not help@custos.dev; card 4111 1111 1111 1111"
        let decision = try pipeline.scan(text)
        #expect(decision.action == .redact)
        #expect(decision.fired == ["pii"])
        #expect(decision.scanners.first?.findings.map(\.type) == ["EMAIL_ADDRESS", "PHONE_NUMBER"])
        #expect(decision.scanners.first?.findings.first?.start == 8)
        #expect(decision.sanitized == "Reach 🙂 [EMAIL_ADDRESS] or [PHONE_NUMBER], not help@custos.dev; card 4111 1111 1111 1111")
        #expect(try pipeline.scan("nothing personal here").action == .allow)
    }

    @Test("unknown pii options are refused with the policy line")
    func badOptions() throws {
        let yaml = "input:\n  - scanner: pii\n    action: flag\n    options:\n      colour: blue\n"
        #expect(throws: CustosError.self) {
            let registry = ScannerRegistry.builtIn
            _ = try Pipeline(policy: PolicyLoader.parse(yaml, registry: registry), registry: registry)
        }
    }
}
