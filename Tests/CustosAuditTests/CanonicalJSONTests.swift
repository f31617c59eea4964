@testable import CustosAudit
import CustosCore
import Testing

@Suite("RFC 8785 canonical JSON")
struct CanonicalJSONTests {
    func canonical(_ text: String) throws -> String {
        String(decoding: try CanonicalJSON.encode(JSONValue.parse(Array(text.utf8))), as: UTF8.self)
    }

    @Test("numbers follow ECMAScript's shortest form (RFC 8785 appendix B examples)")
    func numbers() throws {
        let cases: [(Double, String)] = [
            (0, "0"), (-0.0, "0"), (1, "1"), (-1, "-1"), (1e21, "1e+21"), (1e20, "100000000000000000000"),
            (1e-7, "1e-7"), (1e-6, "0.000001"), (0.1, "0.1"), (123.456, "123.456"),
            (Double.leastNonzeroMagnitude, "5e-324"), (1.7976931348623157e308, "1.7976931348623157e+308"),
            (9007199254740992, "9007199254740992"), (333333333.3333333, "333333333.3333333"),
            (1e23, "1e+23"), (Double("295147905179352830000") ?? 0, "295147905179352830000"), (4.50, "4.5"), (2e-3, "0.002"),
        ]
        for (value, want) in cases { #expect(try CanonicalJSON.number(value) == want, "\(value)") }
    }

    @Test("members are sorted by UTF-16 code units and strings minimally escaped (RFC 8785 §3.2.3 example)")
    func sorting() throws {
        let input = #"{"\u20ac": "Euro Sign", "\r": "Carriage Return", "\ufb33": "Hebrew Letter Dalet With Dagesh", "1": "One", "\ud83d\ude00": "Emoji: Grinning Face", "\u0080": "Control", "\u00f6": "Latin Small Letter O With Diaeresis"}"#
        let want = "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u{80}\":\"Control\",\"ö\":\"Latin Small Letter O With Diaeresis\",\"€\":\"Euro Sign\",\"😀\":\"Emoji: Grinning Face\",\"דּ\":\"Hebrew Letter Dalet With Dagesh\"}"
        #expect(try canonical(input) == want)
    }

    @Test("whitespace and key order do not change the bytes")
    func stable() throws {
        #expect(try canonical(#"{ "b": [1, 2.50, true, null], "a": {"y": "\u0001", "x": "q\"t"} }"#)
                == #"{"a":{"x":"q\"t","y":"\u0001"},"b":[1,2.5,true,null]}"#)
    }
}
