import ArgumentParser
import CustosCore
import CustosML
import Foundation

/// Output formats of `custos embed`.
enum EmbedFormat: String, ExpressibleByArgument, CaseIterable {
    /// One JSON object per input line.
    case jsonl
}

/// `custos embed`: sentence embeddings with all-MiniLM-L6-v2.
struct EmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Sentence embeddings (all-MiniLM-L6-v2, 384 floats, L2-normalized).",
        discussion: """
            Prints one JSON line per text: {"index": i, "tokens": [ids], "embedding": [384 floats], "truncated": bool}
            (with --attention also "attention": [layer][head][query][key]). Texts longer than 256 tokens are truncated,
            marked "truncated": true and reported on stderr. An empty text is an error unless --allow-empty.
            """)

    @Argument(help: "The text to embed (or use --file).")
    var text: String?

    @Option(help: "File with one text per line (UTF-8).")
    var file: String?

    @Option(help: "Output format (jsonl).")
    var format: EmbedFormat = .jsonl

    @Option(help: "Write to this file (atomically) instead of stdout.")
    var out: String?

    @Flag(help: "Add every layer's attention probabilities.")
    var attention = false

    @Flag(help: "Embed empty lines as [CLS] [SEP] instead of failing.")
    var allowEmpty = false

    @Option(help: "Texts embedded per batch (memory stays bounded by the batch).")
    var batchSize = 64

    @OptionGroup var model: ModelOptions

    func validate() throws {
        guard (text == nil) != (file == nil) else { throw ValidationError("give exactly one of TEXT or --file FILE") }
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1") }
    }

    func run() throws {
        try ArgumentEncoding.requireValidUTF8()
        let texts: [String]
        let source: String?
        if let file {
            texts = try Self.lines(of: file)
            source = file
        } else {
            texts = [text ?? ""]
            source = nil
        }
        let embedder = try model.embedder()
        let output = try StreamingOutput(path: out)
        do {
            var truncated = 0
            var start = 0
            while start < texts.count {
                let end = min(start + batchSize, texts.count)
                let batch: [Embedding]
                do {
                    batch = try embedder.embed(Array(texts[start..<end]), options: .init(attention: attention, allowEmpty: allowEmpty))
                } catch let error as CustosError {
                    throw Self.locate(error, offset: start, source: source)
                }
                for (offset, embedding) in batch.enumerated() {
                    if embedding.truncated { truncated += 1 }
                    try output.write(line: Self.jsonLine(index: start + offset, embedding))
                }
                start = end
            }
            try output.finish()
            if truncated > 0 {
                printError("custos: note: \(truncated) text(s) longer than \(embedder.tokenizer.maxLength) tokens were truncated (\"truncated\": true)")
            }
        } catch {
            output.abandon()
            throw error
        }
    }

    /// Lines of a UTF-8 file (LF or CRLF); a final newline does not add an empty line.
    static func lines(of path: String) throws -> [String] {
        let text = try FileInput.readText(path)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
        }
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// Turns the embedder's batch-relative row into the file's line number.
    private static func locate(_ error: CustosError, offset: Int, source: String?) -> CustosError {
        guard let row = error.location?.row else { return error }
        var copy = error
        guard let source else {
            copy.location = nil
            return copy
        }
        copy.message = error.message.replacingOccurrences(of: "text \(row - 1) is empty", with: "the line is empty")
            + " (use --allow-empty to embed it anyway)"
        copy.location = SourceLocation(file: source, line: offset + row)
        return copy
    }

    /// `{"index": i, "tokens": [...], "embedding": [...], "truncated": b}` on one line.
    static func jsonLine(index: Int, _ embedding: Embedding) -> String {
        var line = "{\"index\":\(index),\"tokens\":["
        line += embedding.tokenIDs.map { String($0) }.joined(separator: ",")
        line += "],\"embedding\":["
        line += embedding.vector.map { "\($0)" }.joined(separator: ",")
        line += "],\"truncated\":\(embedding.truncated)"
        if let maps = embedding.attention {
            line += ",\"attention\":["
            let n = maps.tokens
            for layer in 0..<maps.layers {
                line += layer == 0 ? "[" : ",["
                for head in 0..<maps.heads {
                    line += head == 0 ? "[" : ",["
                    let base = (layer * maps.heads + head) * n * n
                    for q in 0..<n {
                        line += q == 0 ? "[" : ",["
                        line += maps.probabilities[(base + q * n)..<(base + (q + 1) * n)].map { "\($0)" }.joined(separator: ",")
                        line += "]"
                    }
                    line += "]"
                }
                line += "]"
            }
            line += "]"
        }
        return line + "}"
    }
}
