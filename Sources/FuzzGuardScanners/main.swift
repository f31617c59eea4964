import CustosCore
import CustosGuard

// libFuzzer entry point for the guard's text path: any byte string, read as UTF-8 (invalid sequences replaced, as
// the gateway never passes invalid UTF-8 on), goes through the TextNormalizer (NFKC, invisible characters,
// confusables, leetspeak, spacing, base64/rot13 payloads) and every scanner that needs no model asset. None may
// crash, hang or trap; scores stay in [0, 1]; findings stay inside the text. Build and run with `scripts/fuzz guard`.
let scanners: [any Scanner] = {
    do {
        return [
            SecretsScanner(), try OffensiveScanner(), try OffensiveScanner(identityTerms: .scored), RefusalScanner(),
            try BannedWordsScanner(words: ["nightingale", "orchid protocol"], patterns: ["pass(word)?\\s*[:=]"]),
            LengthScanner(maxScalars: 4096), ExfiltrationScanner(allowedHosts: ["example.org"]),
            SystemPromptLeakScanner(systemPrompt: "You are the billing assistant. The discount code is ZEBRA-42 and stays secret."),
            try JSONSchemaScanner(schemaText: #"{"type": "object", "required": ["answer"], "properties": {"answer": {"type": "string"}}}"#),
        ]
    } catch {
        fatalError("cannot build the scanners: \(error)")
    }
}()
let normalizer = TextNormalizer()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let scalars = text.unicodeScalars.count
    for side in [ScanSide.input, .output] {
        let input = ScanInput(text, normalized: normalizer.normalize(text), side: side)
        for scanner in scanners {
            let result: ScanResult
            do {
                result = try scanner.scan(input)
            } catch is CustosError {
                continue
            } catch {
                fatalError("\(scanner.name): unexpected error type: \(error)")
            }
            if !(result.score >= 0 && result.score <= 1) { fatalError("\(scanner.name): score \(result.score) outside [0, 1]") }
            for finding in result.findings where finding.start < 0 || finding.end > scalars || finding.start > finding.end {
                fatalError("\(scanner.name): finding \(finding.start)..<\(finding.end) outside a text of \(scalars) scalars")
            }
        }
    }
    return 0
}
