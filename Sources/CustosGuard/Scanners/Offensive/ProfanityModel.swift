import CustosCore
import Foundation

/// The alt-profanity-check 1.9.1 model (MIT licence): TF-IDF over words and a 5-fold sigmoid-calibrated linear
/// SVM, read from its JSON export (`Resources/profanity_model.json`, see `scripts/guard/README.md`).
///
/// `probability` follows the export's `pipeline_spec` step by step and equals `profanity_check.predict_prob`
/// to ~1e-15 on the golden set.
public struct ProfanityModel: Sendable {
    /// One calibrated fold: p = 1 / (1 + exp(a·(w·x + intercept) + b)).
    struct Fold: Sendable {
        var coef: [Double]
        var intercept: Double
        var a: Double
        var b: Double
    }

    let tokenizer: PythonWordTokenizer
    let vocabulary: [String: Int]
    let table: VocabularyTable
    let idf: [Double]
    let folds: [Fold]
    /// Mean coefficient over the folds, per term: how offensive the word itself is.
    let meanCoefficient: [Double]

    /// The bundled model, loaded once.
    public static func bundled() throws -> ProfanityModel { try cached.get() }

    private static let cached: Result<ProfanityModel, CustosError> = Result {
        guard let url = Bundle.module.url(forResource: "profanity_model", withExtension: "json") else {
            throw CustosError(.missingAsset, "profanity_model.json is missing from the CustosGuard bundle")
        }
        do {
            return try ProfanityModel(json: Data(contentsOf: url))
        } catch let error as CustosError {
            throw error
        } catch {
            throw CustosError(.missingAsset, "cannot read \(url.path): \(error)")
        }
    }.mapError { $0 as? CustosError ?? CustosError(.internal, "\($0)") }

    private struct Export: Decodable {
        struct Vectorizer: Decodable {
            var vocabulary: [String: Int]
            var idf: [Double]
        }
        struct Classifier: Decodable {
            struct Fold: Decodable {
                struct Calibrator: Decodable { var a: Double; var b: Double }
                var intercept: Double
                var coef: [Double]
                var calibrator: Calibrator
            }
            var folds: [Fold]
        }
        struct UnicodeTables: Decodable {
            var word_char_ranges: [[UInt32]]
            var lowercase_map: [String: [UInt32]]
        }
        var format: String
        var vectorizer: Vectorizer
        var classifier: Classifier
        var unicode: UnicodeTables
    }

    /// Parses the JSON export.
    public init(json: Data) throws {
        let export: Export
        do {
            export = try JSONDecoder().decode(Export.self, from: json)
        } catch {
            throw CustosError(.invalidInput, "not a profanity model export: \(error)")
        }
        guard export.format == "profanity-check-tfidf-linearsvc-sigmoid-ensemble/1" else {
            throw CustosError(.invalidInput, "unknown profanity model format '\(export.format)'")
        }
        let terms = export.vectorizer.idf.count
        guard !export.classifier.folds.isEmpty, export.classifier.folds.allSatisfy({ $0.coef.count == terms }),
              export.vectorizer.vocabulary.values.allSatisfy({ $0 >= 0 && $0 < terms }) else {
            throw CustosError(.invalidInput, "profanity model export: vocabulary, idf and coefficients disagree in size")
        }
        var lowercase: [UInt32: [UInt32]] = [:]
        for (key, value) in export.unicode.lowercase_map {
            guard let code = UInt32(key) else { throw CustosError(.invalidInput, "bad lowercase_map key '\(key)'") }
            lowercase[code] = value
        }
        tokenizer = PythonWordTokenizer(wordRanges: export.unicode.word_char_ranges, lowercase: lowercase)
        vocabulary = export.vectorizer.vocabulary
        table = VocabularyTable(export.vectorizer.vocabulary)
        idf = export.vectorizer.idf
        let folds = export.classifier.folds.map {
            Fold(coef: $0.coef, intercept: $0.intercept, a: $0.calibrator.a, b: $0.calibrator.b)
        }
        self.folds = folds
        meanCoefficient = (0..<terms).map { j in folds.reduce(0) { $0 + $1.coef[j] } / Double(folds.count) }
    }

    /// The tokens of `scalars` that are in the vocabulary, with their term index and span (scalar offsets).
    func vocabularyTokens<S: Collection>(_ scalars: S) -> [(term: Int, start: Int, end: Int)] where S.Element == Unicode.Scalar {
        if scalars.allSatisfy(\.isASCII) { return scalars.map { UInt8($0.value) }.withUnsafeBufferPointer { asciiVocabularyTokens($0) } }
        return tokenizer.tokens(scalars).compactMap { token in
            vocabulary[token.text].map { (term: $0, start: token.start, end: token.end) }
        }
    }

    /// The same for a string; ASCII text is tokenized straight from its UTF-8 bytes (byte = scalar offset).
    func vocabularyTokens(_ text: String) -> [(term: Int, start: Int, end: Int)] {
        let ascii = text.utf8.withContiguousStorageIfAvailable { bytes in
            bytes.allSatisfy { $0 < 0x80 } ? asciiVocabularyTokens(bytes) : nil
        }
        if let ascii, let tokens = ascii { return tokens }
        return vocabularyTokens(text.unicodeScalars)
    }

    private func asciiVocabularyTokens(_ codes: UnsafeBufferPointer<UInt8>) -> [(term: Int, start: Int, end: Int)] {
        var out: [(term: Int, start: Int, end: Int)] = []
        tokenizer.forEachASCIIToken(codes) { token, hash, start, end in
            if let term = table.column(of: token, hash: hash) { out.append((term, start, end)) }
        }
        return out
    }

    /// Per-fold decision values w·x + b for the vocabulary tokens `terms`.
    func decisionValues(terms: [Int]) -> [Double] {
        // Term counts by sorting (columns ascending, as the sparse row's dot product runs).
        let sorted = terms.sorted()
        var columns: [Int] = []
        var weights: [Double] = []
        var k = 0
        while k < sorted.count {
            let column = sorted[k]
            var count = 0
            while k < sorted.count && sorted[k] == column { count += 1; k += 1 }
            columns.append(column)
            weights.append(Double(count) * idf[column])
        }
        let norm = weights.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return folds.map { fold in
            var d = 0.0
            if norm > 0 {
                for (k, column) in columns.enumerated() { d += weights[k] / norm * fold.coef[column] }
            }
            return d + fold.intercept
        }
    }

    /// Probability that `scalars` is offensive (`profanity_check.predict_prob`).
    public func probability<S: Collection>(_ scalars: S) -> Double where S.Element == Unicode.Scalar {
        probability(terms: vocabularyTokens(scalars).map(\.term))
    }

    /// Probability that `text` is offensive (`profanity_check.predict_prob`).
    public func probability(_ text: String) -> Double { probability(terms: vocabularyTokens(text).map(\.term)) }

    func probability(terms: [Int]) -> Double {
        let decisions = decisionValues(terms: terms)
        var sum = 0.0
        for (fold, d) in zip(folds, decisions) { sum += 1 / (1 + exp(fold.a * d + fold.b)) }
        return sum / Double(folds.count)
    }
}
