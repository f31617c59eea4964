import CustosCore

// libFuzzer entry point: any byte string must either parse into a table or be rejected with a
// CustosError — never crash, hang or trap. Build and run with `scripts/fuzz-csv`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    for delimiter in [UInt8(ascii: ","), UInt8(ascii: ";")] {
        var options = CSVOptions()
        options.delimiter = delimiter
        do {
            let table = try CSVReader.table(bytes, options: options, source: "fuzz")
            // Round trip: what we write must read back to the same cells.
            let text = CSVWriter().encode(table)
            var plain = CSVOptions()
            plain.inferTypes = false
            plain.missingValues = []
            let again = try CSVReader.records(Array(text.utf8), options: plain)
            if again.count != table.rowCount + 1 { fatalError("round trip changed the row count") }
        } catch is CustosError {
            continue
        } catch {
            fatalError("unexpected error type: \(error)")
        }
    }
    return 0
}
