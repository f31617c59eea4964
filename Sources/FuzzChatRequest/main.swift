import CustosCore
import CustosOpenAI

// libFuzzer entry point for the gateway's chat-request decoder: any byte string must either decode into a
// request or be rejected with a CustosError naming where — never crash, hang or trap. A decoded request must
// survive the trip upstream: the body the gateway would forward decodes again to the same texts and model.
// Build and run with `scripts/fuzz chat-request`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    do {
        let request = try ChatRequest(body: bytes)
        let replaced = request.texts.map { text -> MessageText in
            var copy = text
            copy.text = String(text.text.reversed())
            return copy
        }
        let forwarded = try ChatRequest(body: try request.upstreamBody(replacing: replaced))
        if forwarded.model != request.model { fatalError("model changed on the way upstream") }
        if forwarded.texts.map(\.text) != replaced.map(\.text) { fatalError("texts changed on the way upstream") }
        if forwarded.stream != request.stream { fatalError("stream flag changed on the way upstream") }
    } catch is CustosError {
        return 0
    } catch {
        fatalError("unexpected error type: \(error)")
    }
    return 0
}
