import Foundation
import Testing
@testable import CustosReport

@Suite("JSON output")
struct JSONOutputTests {
    private struct Sample: Encodable {
        let zeta: Int
        let alpha: String
    }

    @Test("keys are sorted and slashes are not escaped")
    func sortedKeys() throws {
        let text = try JSONOutput.encode(Sample(zeta: 1, alpha: "a/b"), pretty: false)
        #expect(text == #"{"alpha":"a/b","zeta":1}"#)
    }

    @Test("pretty output spans several lines and compact output one")
    func prettyAndCompact() throws {
        let pretty = try JSONOutput.encode(Sample(zeta: 1, alpha: "a"))
        let compact = try JSONOutput.encode(Sample(zeta: 1, alpha: "a"), pretty: false)
        #expect(pretty.contains("\n"))
        #expect(!compact.contains("\n"))
    }

    @Test("dates are ISO 8601")
    func dates() throws {
        let text = try JSONOutput.encode([Date(timeIntervalSince1970: 0)], pretty: false)
        #expect(text == #"["1970-01-01T00:00:00Z"]"#)
    }
}
