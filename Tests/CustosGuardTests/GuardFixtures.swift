import CustosCore
import CustosGuard
import CustosML
import Foundation

/// Paths of the guard fixtures (see Tests/Fixtures/README.md).
enum GuardFixtures {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/guard")

    static func path(_ name: String) -> String { root.appendingPathComponent(name).path }

    /// Decodes every line of a JSONL fixture.
    static func lines<T: Decodable>(_ name: String, as type: T.Type) throws -> [T] {
        try JSONLReader.decode(T.self, from: FileInput.readBytes(path(name)), source: name)
    }
}

extension GuardFixtures {
    /// The MiniLM embedder when the `minilm` asset is installed (`scripts/setup`), loaded once.
    static let embedder: Embedder? = try? ScannerEnvironment().embedder()
}
