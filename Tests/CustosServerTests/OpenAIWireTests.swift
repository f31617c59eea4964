import CustosCore
import CustosOpenAI
import Testing

@Suite("OpenAI wire format: chat requests and server-sent events")
struct OpenAIWireTests {
    @Test("the event-stream parser follows the WHATWG rules whatever the split")
    func sseParser() throws {
        let stream = Array(": hello\r\nevent: delta\r\ndata: {\"a\":1}\r\n\r\ndata: one\ndata:two\nid: 9\n\ndata: x\r\rdata: [DONE]\n\n".utf8)
        var whole = SSEParser()
        let expected = try whole.feed(stream) + whole.finish()
        #expect(expected.count == 4)
        #expect(expected[0].event == "delta")
        #expect(expected[0].data == Array(#"{"a":1}"#.utf8))
        #expect(expected[1].data == Array("one\ntwo".utf8))
        #expect(expected[1].id == "9")
        #expect(expected[2].data == Array("x".utf8))
        #expect(expected[3].isDone)
        for size in 1...7 {
            var parser = SSEParser()
            var events: [SSEEvent] = []
            var start = 0
            while start < stream.count {
                events += try parser.feed(stream[start..<min(stream.count, start + size)])
                start += size
            }
            events += try parser.finish()
            #expect(events == expected, "split every \(size) bytes")
        }
    }

    @Test("an endless line is refused, not buffered")
    func sseBound() {
        var parser = SSEParser(maximumEventBytes: 1024)
        #expect(throws: CustosError.self) { _ = try parser.feed([UInt8](repeating: UInt8(ascii: "a"), count: 2000)) }
    }

    @Test("a chat request keeps unknown fields and rewrites only the screened texts")
    func chatRequestRoundTrip() throws {
        let body = #"{"model":"m","temperature":0.5,"max_tokens":100,"messages":[{"role":"system","content":"sys"},{"role":"user","content":[{"type":"text","text":"hi"},{"type":"image_url","image_url":{"url":"http://x/y.png"}}]}],"tools":[{"type":"function","function":{"name":"f"}}]}"#
        let request = try ChatRequest(body: Array(body.utf8))
        #expect(request.texts.map(\.text) == ["sys", "hi"])
        #expect(request.texts.map(\.jsonPath) == ["$.messages[0].content", "$.messages[1].content[0].text"])
        var replaced = request.texts[1]
        replaced.text = "[EMAIL]"
        let forwarded = try JSONValue.parse(request.upstreamBody(replacing: [replaced]))
        #expect(forwarded["max_tokens"] == .number(100))
        #expect(forwarded["temperature"] == .number(0.5))
        #expect(forwarded["tools"] != nil)
        let text = String(decoding: try request.upstreamBody(replacing: [replaced]), as: UTF8.self)
        #expect(text.contains(#""max_tokens":100"#))
        #expect(text.contains(#""url":"http://x/y.png""#))
        #expect(try ChatRequest(body: try request.upstreamBody(replacing: [replaced])).texts.map(\.text) == ["sys", "[EMAIL]"])
    }

    @Test("errors name the JSON path")
    func chatErrors() {
        func path(_ body: String) -> String? {
            do {
                _ = try ChatRequest(body: Array(body.utf8))
                return nil
            } catch let error as CustosError {
                return error.location?.jsonPath
            } catch {
                return "other"
            }
        }
        #expect(path(#"{"model":"m","messages":[]}"#) == "$.messages")
        #expect(path(#"{"model":"m","messages":[{"role":"user","content":[{"type":"text"}]}]}"#) == "$.messages[0].content[0].text")
        #expect(path(#"{"model":"m","messages":[{"role":"user","content":{"a":1}}]}"#) == "$.messages[0].content")
        #expect(path(#"{"model":1,"messages":[]}"#) == "$.model")
        #expect(path("[1,2]") == "$")
        #expect(path("") == nil || path("") == "$" || path("") != "other")
    }
}
