import CustosCore
import CustosML
import Foundation

/// Paths of the committed fixtures (`Tests/Fixtures`, see its README for provenance) and the installed model.
enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func json(_ relative: String) throws -> [String: Any] {
        let data = try Data(contentsOf: root.appendingPathComponent(relative))
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    /// One reference sentence of `explain/minilm_dev.json`.
    struct Sentence {
        var text: String
        var ids: [Int32]
        var tokens: [String]
        var embedding: [Float]
    }

    /// The MiniLM reference: sentences and the attention of one of them.
    struct MiniLMReference {
        var sentences: [Sentence]
        var attentionIDs: [Int32]
        var attentionText: String
        var attention: [Float]
        var attentionShape: [Int]
        var lastHiddenState: [Float]
    }

    static let minilm: MiniLMReference? = {
        guard let object = try? json("explain/minilm_dev.json"),
              let sentences = object["sentences"] as? [[String: Any]],
              let attention = (object["attention"] as? [[String: Any]])?.first
        else { return nil }
        func floats(_ value: Any?) -> [Float] { (value as? [Any] ?? []).compactMap { ($0 as? NSNumber)?.floatValue } }
        func flatten(_ value: Any?) -> [Float] {
            if let array = value as? [Any] { return array.flatMap { flatten($0) } }
            return (value as? NSNumber).map { [$0.floatValue] } ?? []
        }
        return MiniLMReference(
            sentences: sentences.map { s in
                Sentence(
                    text: s["text"] as? String ?? "", ids: (s["ids"] as? [Int] ?? []).map(Int32.init),
                    tokens: s["tokens"] as? [String] ?? [], embedding: floats(s["embedding"]))
            },
            attentionIDs: (attention["ids"] as? [Int] ?? []).map(Int32.init),
            attentionText: attention["text"] as? String ?? "",
            attention: flatten(attention["probs"]),
            attentionShape: attention["shape"] as? [Int] ?? [],
            lastHiddenState: flatten(attention["last_hidden_state"]))
    }()

    /// The installed all-MiniLM-L6-v2 directory, or nil when the asset is not installed.
    static let modelDirectory: String? = {
        guard let config = try? CustosHome().require(asset: "minilm", file: "model/config.json") else { return nil }
        return (config as NSString).deletingLastPathComponent
    }()

    /// The embedder, loaded once for all tests.
    static let embedder: Embedder? = modelDirectory.flatMap { try? Embedder(directory: $0) }

    /// A fresh temporary directory.
    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "custos-ml-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
