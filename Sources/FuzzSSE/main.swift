import CustosCore
import CustosOpenAI

// libFuzzer entry point for the upstream SSE parser: any byte stream, fed whole or split at any points, must
// give the same events (or the same rejection), never crash, hang or trap, and never hold more than its bound.
// The first byte picks the split points. Build and run with `scripts/fuzz sse`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let seed = Int(data[0])
    func parse(_ pieces: [ArraySlice<UInt8>]) -> Result<[SSEEvent], CustosError> {
        var parser = SSEParser(maximumEventBytes: 4096)
        var events: [SSEEvent] = []
        do {
            for piece in pieces { events += try parser.feed(piece) }
            events += try parser.finish()
            return .success(events)
        } catch let error as CustosError {
            return .failure(error)
        } catch {
            fatalError("unexpected error type: \(error)")
        }
    }
    let whole = parse([bytes[...]])
    var pieces: [ArraySlice<UInt8>] = []
    var start = 0
    var step = seed % 7 + 1
    while start < bytes.count {
        let end = min(bytes.count, start + step)
        pieces.append(bytes[start..<end])
        start = end
        step = (step * 5 + seed) % 13 + 1
    }
    let split = parse(pieces)
    switch (whole, split) {
    case (.success(let a), .success(let b)):
        if a != b { fatalError("events depend on how the stream was split") }
        for event in a where event.data.count > 4096 { fatalError("event over the bound") }
    case (.failure, .failure): break
    default: fatalError("acceptance depends on how the stream was split")
    }
    return 0
}
