import CustosCore
import Foundation
import Testing

@Suite("JSONValue's reader and writer (RFC 8259)")
struct JSONTextTests {
    @Test("agrees with JSONSerialization on values, escapes and surrogate pairs")
    func agreesWithFoundation() throws {
        let text = #"{"a":[1,-2.5,3e2,0.001,true,false,null],"s":"tab\tq\"b\\ \u00e9 \ud83d\ude00 \/","n":{"x":{}},"e":[]}"#
        let value = try JSONValue.parse(Array(text.utf8))
        let reference = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        #expect(value["s"]?.stringValue == reference?["s"] as? String)
        #expect(value["a"] == .array([.number(1), .number(-2.5), .number(300), .number(0.001), .bool(true), .bool(false), .null]))
        // Written and read again: the same value.
        #expect(try JSONValue.parse(value.jsonBytes()) == value)
        #expect(String(decoding: try JSONValue.object(["b": .number(100), "a": .string("x/y\n")]).jsonBytes(), as: UTF8.self)
            == #"{"a":"x/y\n","b":100}"#)
    }

    @Test("the writer: integers digit by digit, keys in UTF-8 byte order, control characters escaped")
    func writer() throws {
        func text(_ value: JSONValue) throws -> String { String(decoding: try value.jsonBytes(), as: UTF8.self) }
        #expect(try text(.array([.number(0), .number(-7), .number(9_007_199_254_740_991), .number(-9_007_199_254_740_991),
                                  .number(1e300), .number(-0.5)])) == "[0,-7,9007199254740991,-9007199254740991,1e+300,-0.5]")
        // "Z" (0x5A) < "a" < "ab" < "é" (0xC3 0xA9) < "😀" (0xF0 …): byte order, a prefix first.
        #expect(try text(.object(["é": .null, "ab": .bool(true), "a": .bool(false), "Z": .number(1), "😀": .string("")]))
            == #"{"Z":1,"a":false,"ab":true,"é":null,"😀":""}"#)
        #expect(try text(.string("q\"b\\ \u{01}\u{1F}\u{7F} \t\n\r\u{08}\u{0C} é/"))
            == #""q\"b\\ \u0001\u001f\#u{7F} \t\n\r\b\f é/""#)
    }

    @Test("malformed text is refused with its byte offset")
    func errors() {
        func offset(_ text: String) -> Int? {
            do {
                _ = try JSONValue.parse(Array(text.utf8))
                return nil
            } catch let error as CustosError {
                return error.location?.byteOffset
            } catch {
                return nil
            }
        }
        #expect(offset(#"{"a": 1,}"#) == 8)
        #expect(offset(#"[1, 2"#) == 5)
        #expect(offset(#""\ud800""#) == 7)
        #expect(offset("01") == 1)
        #expect(offset("1e999") == 0)
        #expect(offset("\"a\u{01}\"") == 2)
        #expect(offset(String(repeating: "[", count: 600)) != nil)
        #expect(throws: CustosError.self) { try JSONValue.parse([0x22, 0xFF, 0x22]) }
        #expect(throws: CustosError.self) { try JSONValue.number(.nan).jsonBytes() }
    }

    @Test("timestamps are RFC 3339 in UTC")
    func timestamps() {
        #expect(Timestamp.iso8601(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00Z")
        #expect(Timestamp.iso8601(Date(timeIntervalSince1970: 1_764_644_645.9)) == "2025-12-02T03:04:05Z")
    }
}
