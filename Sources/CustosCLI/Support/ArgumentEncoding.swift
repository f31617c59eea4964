import Foundation
import CustosCore

/// Checks of the raw command line that `CommandLine.arguments` hides (it repairs invalid UTF-8 silently).
enum ArgumentEncoding {
    /// Throws when any raw argument is not valid UTF-8, naming its position.
    static func requireValidUTF8() throws {
        for index in 1..<Int(CommandLine.argc) {
            guard let raw = CommandLine.unsafeArgv[index] else { continue }
            let count = strlen(raw)
            let invalid = raw.withMemoryRebound(to: UInt8.self, capacity: count) {
                UTF8Validation.firstInvalidOffset(UnsafeBufferPointer(start: $0, count: count))
            }
            if let invalid {
                throw CustosError(.invalidInput, "command-line argument \(index) is not valid UTF-8", at: SourceLocation(byteOffset: invalid))
            }
        }
    }
}
