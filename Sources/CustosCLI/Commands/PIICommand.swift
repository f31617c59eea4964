import ArgumentParser
import CustosCore
import CustosPrivacy
import CustosReport
import Foundation

/// `custos pii`: find personal data, de-identify it, restore it, and measure the analyzer.
struct PIICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pii",
        abstract: "Find, de-identify and restore personal data (PII).",
        subcommands: [PIIScanCommand.self, PIIRedactCommand.self, PIIRestoreCommand.self, PIIEvalCommand.self, PIIKeyCommand.self])
}

/// Where the texts come from: one of TEXT, --file, --jsonl with --field, --csv with --columns.
struct PIIInputOptions: ParsableArguments {
    @Argument(help: "The text (or use --file, --jsonl or --csv).")
    var text: String?

    @Option(help: "A text file, analyzed as one text.")
    var file: String?

    @Option(help: "A JSONL file; --field names the text field of each line (streamed line by line).")
    var jsonl: String?

    @Option(help: "The JSONL field holding the text.")
    var field = "text"

    @Flag(help: "With --jsonl: analyze every string in each line's JSON (nested too), the key names as context.")
    var allFields = false

    @Option(help: "A CSV file (with a header); --columns names the columns to analyze.")
    var csv: String?

    @Option(help: "Comma-separated CSV columns to analyze; the column name counts as context.")
    var columns: String?

    @Flag(help: "Replace invalid UTF-8 with U+FFFD instead of failing.")
    var lossy = false

    func validate() throws {
        let given = [text != nil, file != nil, jsonl != nil, csv != nil].filter { $0 }.count
        guard given == 1 else { throw ValidationError("give exactly one of TEXT, --file, --jsonl or --csv") }
        if csv != nil && columns == nil { throw ValidationError("--csv needs --columns a,b") }
        if allFields && jsonl == nil { throw ValidationError("--all-fields goes with --jsonl") }
    }
}

/// Analyzer settings shared by scan and redact.
struct PIIAnalyzerOptions: ParsableArguments {
    @Option(help: "Comma-separated entity types to report (default: all).")
    var entities: String?

    @Option(help: "Minimum score of a reported span.")
    var minScore = 0.5

    @Option(help: "YAML file of custom recognizers.")
    var recognizers: String?

    @Option(help: "A text never reported (repeatable).")
    var allow: [String] = []

    @Option(help: "TYPE=TERM: a term always reported as TYPE (repeatable).")
    var deny: [String] = []

    @Flag(help: "Skip the PERSON and LOCATION gazetteers (no faker asset needed).")
    var noGazetteer = false

    @OptionGroup var home: HomeOptions

    func analyzer() throws -> (Analyzer, Set<EntityType>?) {
        guard (0...1).contains(minScore) else { throw CustosError(.usage, "--min-score must be in [0, 1]") }
        let gazetteer = noGazetteer ? nil : try Gazetteer.load(home: home.custosHome)
        var all = Analyzer.builtInRecognizers(gazetteer: gazetteer)
        if let recognizers { all += try PatternRecognizer.load(yamlFile: recognizers) as [any Recognizer] }
        var denyList: [EntityType: [String]] = [:]
        for item in deny {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw CustosError(.usage, "--deny takes TYPE=TERM (got '\(item)')")
            }
            denyList[EntityType(parts[0].uppercased()), default: []].append(parts[1])
        }
        let analyzer = Analyzer(recognizers: all, minimumScore: minScore, allowList: Set(allow), denyList: denyList)
        let wanted = entities.map { Set($0.split(separator: ",").map { EntityType(String($0).uppercased().trimmingCharacters(in: .whitespaces)) }) }
        return (analyzer, wanted)
    }
}

/// One analyzed unit of input: its index, the text, and where it came from.
struct PIIUnit {
    var index: Int
    var text: String
    var context: [String]
    var location: SourceLocation
}

/// Walks the input and hands every text to `body`; for JSONL and CSV, `rewrite` receives the replaced texts so
/// redact can write the records back.
enum PIIInput {
    static func forEach(_ input: PIIInputOptions, _ body: (PIIUnit) throws -> Void) throws {
        if let text = input.text {
            try body(PIIUnit(index: 0, text: text, context: [], location: SourceLocation()))
        } else if let file = input.file {
            let bytes = try FileInput.readBytes(file, limit: 256 << 20)
            try body(PIIUnit(index: 0, text: try TextDecoding.decode(bytes, lossy: input.lossy, source: file), context: [], location: SourceLocation(file: file)))
        } else if let path = input.jsonl {
            var index = 0
            if input.allFields {
                try forEachJSONLObject(path, lossy: input.lossy) { object, location in
                    _ = try JSONStrings.rewrite(object) { value, keys in
                        var at = location
                        at.jsonPath = "$" + keys.map { ".\($0)" }.joined()
                        try body(PIIUnit(index: index, text: value, context: keys, location: at))
                        index += 1
                        return value
                    }
                }
            } else {
                try forEachJSONL(path, field: input.field, lossy: input.lossy) { _, value, location in
                    try body(PIIUnit(index: index, text: value, context: [input.field], location: location))
                    index += 1
                }
            }
        } else if let path = input.csv {
            var stream = try CSVStream(path: path, lossy: input.lossy)
            let wanted = try CSVColumns.indices(stream.header, input.columns ?? "", path: path)
            var index = 0
            while let fields = try stream.next() {
                for c in wanted {
                    try body(PIIUnit(index: index, text: c < fields.count ? fields[c] : "", context: [stream.header[c]],
                                     location: SourceLocation(file: path, line: stream.recordLine, column: stream.header[c])))
                    index += 1
                }
            }
        }
    }
}

extension PIIInput {
    /// Streams a JSONL file's objects with their locations (blank lines skipped); invalid UTF-8 or a line that is
    /// not an object is an error naming the line.
    static func forEachJSONLObject(_ path: String, lossy: Bool, _ body: ([String: Any], SourceLocation) throws -> Void) throws {
        var lines = try LineStream(path: path)
        while let line = try lines.next() {
            if line.allSatisfy({ $0 == 32 || $0 == 9 }) { continue }
            let location = SourceLocation(file: path, line: lines.lineNumber)
            let text = try TextDecoding.decode(line, lossy: lossy, source: path, line: lines.lineNumber, base: lines.lineStart)
            try body(try JSONRecord.parse(text, at: location), location)
        }
    }

    /// Streams a JSONL file: each object, its text `field` and its location; a missing text field is an error
    /// naming the line.
    static func forEachJSONL(
        _ path: String, field: String, lossy: Bool, _ body: ([String: Any], String, SourceLocation) throws -> Void
    ) throws {
        try forEachJSONLObject(path, lossy: lossy) { object, location in
            guard let value = object[field] as? String else {
                throw CustosError(.invalidInput, "no text field '\(field)'", at: location)
            }
            try body(object, value, location)
        }
    }
}

/// A JSON object line, decoded with Foundation so it can be written back with a field replaced.
enum JSONRecord {
    static func parse(_ text: String, at location: SourceLocation) throws -> [String: Any] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw CustosError(.invalidInput, "not a JSON object", at: location)
        }
        return object
    }

    static func encode(_ object: [String: Any]) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}

/// The columns a CSV command works on.
enum CSVColumns {
    static func indices(_ header: [String], _ columns: String, path: String) throws -> [Int] {
        try columns.split(separator: ",").map { name in
            let n = name.trimmingCharacters(in: .whitespaces)
            guard let k = header.firstIndex(of: n) else {
                throw CustosError(.usage, "no column '\(n)' (columns: \(header.joined(separator: ", ")))", at: SourceLocation(file: path))
            }
            return k
        }
    }
}

struct SpanJSON: Encodable {
    var start: Int
    var end: Int
    var type: String
    var score: Double
    var text: String?
    var recognizer: String?
}

struct PIIScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Find personal data; spans in Unicode-scalar offsets (end exclusive).",
        discussion: """
            --format json prints one line per input text: {"index": i, "spans": [{"start", "end", "type", "score"}]} \
            (with --csv, also "line" and "column"; with --all-fields, "line" and the JSON "path"). Files are streamed \
            (memory bounded by the longest line or record). Throughput goes to stderr for files. Exit 2 on bad input.
            """)

    @OptionGroup var input: PIIInputOptions
    @OptionGroup var analyzerOptions: PIIAnalyzerOptions
    @OptionGroup var output: OutputOptions

    @Flag(help: "Include each span's text and recognizer in the output.")
    var showText = false

    func run() throws {
        try ArgumentEncoding.requireValidUTF8()
        guard output.format != .html else { throw ValidationError("--format html is not available for pii scan") }
        let (analyzer, wanted) = try analyzerOptions.analyzer()
        // JSON lines stream out (stdout, or a file that appears only when every line is written).
        let sink = output.format == .json ? try LineSink(path: output.out) : nil
        var rows: [[String]] = []
        var texts = 0
        var bytes = 0
        let started = ContinuousClock.now
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
        try PIIInput.forEach(input) { unit in
            let scalars = ScalarText(unit.text)
            let spans = analyzer.analyze(scalars, entities: wanted, context: unit.context)
            texts += 1
            bytes += unit.text.utf8.count
            if output.format == .json {
                struct Line: Encodable { var index: Int; var line: Int?; var column: String?; var path: String?; var spans: [SpanJSON] }
                let items = spans.map {
                    SpanJSON(start: $0.start, end: $0.end, type: $0.type.rawValue, score: ($0.score * 1e6).rounded() / 1e6,
                             text: showText ? scalars.string($0.range) : nil, recognizer: showText ? $0.recognizer : nil)
                }
                let line = Line(index: unit.index, line: input.csv != nil || input.allFields ? unit.location.line : nil,
                                column: input.csv != nil ? unit.location.column : nil,
                                path: input.allFields ? unit.location.jsonPath : nil, spans: items)
                try sink?.write(String(decoding: try encoder.encode(line), as: UTF8.self))
            } else {
                for s in spans {
                    rows.append(["\(unit.index)", "\(s.start)", "\(s.end)", s.type.rawValue, String(format: "%.2f", s.score),
                                 Self.clip(scalars.string(s.range))])
                }
            }
        }
            try sink?.commit()
        } catch {
            sink?.abandon()
            throw error
        }
        if output.format != .json {
            let columns: [TerminalTable.Column] = [
                .init("text", alignment: .right), .init("start", alignment: .right), .init("end", alignment: .right), .init("type"),
                .init("score", alignment: .right), .init("value"),
            ]
            try output.emit(TerminalTable(title: "\(rows.count) spans in \(texts) texts", columns: columns, rows: rows).render())
        }
        if input.text == nil {
            let d = ContinuousClock.now - started
            let seconds = max(Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18, 1e-9)
            printError(String(format: "analyzed %d texts (%.2f MB) in %.3f s: %.0f texts/s, %.2f MB/s", texts, Double(bytes) / 1e6, seconds,
                              Double(texts) / seconds, Double(bytes) / 1e6 / seconds))
        }
    }

    static func clip(_ s: String) -> String {
        let flat = s.replacingOccurrences(of: "\n", with: "⏎")
        return flat.count > 60 ? String(flat.prefix(57)) + "…" : flat
    }
}

/// `--operator TYPE=op,…` and the key and vault files.
struct PIIOperatorOptions: ParsableArguments {
    @Option(help: "TYPE=OP pairs, comma-separated (ops: keep, redact, replace[:TEXT], mask[:N[:C]], hash, encrypt, pseudonymize); DEFAULT=OP for the rest.")
    var `operator`: [String] = []

    @Option(help: "Key file (64 hex digits or base64 of 32 bytes; `custos pii key` makes one) for hash, encrypt and pseudonymize.")
    var keyFile: String?

    @Option(help: "Vault file for pseudonymize: read if it exists, then written back (sealed with the key).")
    var vault: String?

    func anonymizer() throws -> Anonymizer {
        var operators: [EntityType: AnonymizationOperator] = [:]
        var fallback = AnonymizationOperator.replace(with: nil)
        for item in `operator`.flatMap({ $0.split(separator: ",").map(String.init) }) {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw CustosError(.usage, "--operator takes TYPE=OP (got '\(item)')") }
            let op = try AnonymizationOperator(parsing: parts[1])
            if parts[0].uppercased() == "DEFAULT" { fallback = op } else { operators[EntityType(parts[0].uppercased())] = op }
        }
        let key = try keyFile.map { try AnonymizerKey.read(file: $0) }
        let anonymizer = try Anonymizer(operators: operators, defaultOperator: fallback, key: key)
        if vault != nil && key == nil { throw CustosError(.usage, "--vault needs --key-file (the vault is sealed with the key)") }
        return anonymizer
    }
}

struct PIIRedactCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redact",
        abstract: "De-identify personal data with an operator per entity type.",
        discussion: """
            Prints the de-identified text (TEXT or --file), or the JSONL/CSV with the analyzed fields replaced. \
            Default operator: replace with <TYPE>. Output is written atomically with --out; on any error nothing is written.
            """)

    @OptionGroup var input: PIIInputOptions
    @OptionGroup var analyzerOptions: PIIAnalyzerOptions
    @OptionGroup var operators: PIIOperatorOptions

    @Option(help: "Write the result to this file (atomically) instead of stdout.")
    var out: String?

    func run() throws {
        try ArgumentEncoding.requireValidUTF8()
        let (analyzer, wanted) = try analyzerOptions.analyzer()
        let anonymizer = try operators.anonymizer()
        var vault = Vault()
        if let path = operators.vault, FileManager.default.fileExists(atPath: path), let key = anonymizer.key {
            vault = try Vault.load(from: path, key: key)
        }
        // Lines go out as they are made: to stdout, or to a temporary file renamed over --out only at the end,
        // so memory stays bounded and a failure leaves no output file (and no vault update) behind.
        let sink = try LineSink(path: out)
        do {
            if let csv = input.csv {
                var stream = try CSVStream(path: csv, lossy: input.lossy)
                let columns = try CSVColumns.indices(stream.header, input.columns ?? "", path: csv)
                try sink.write(CSVStream.encode(stream.header))
                while var fields = try stream.next() {
                    for c in columns where c < fields.count {
                        let spans = analyzer.analyze(fields[c], entities: wanted, context: [stream.header[c]])
                        fields[c] = try anonymizer.anonymize(fields[c], spans: spans, vault: &vault).text
                    }
                    try sink.write(CSVStream.encode(fields))
                }
            } else if let path = input.jsonl {
                try PIIInput.forEachJSONLObject(path, lossy: input.lossy) { object, location in
                    var object = object
                    if input.allFields {
                        object = try JSONStrings.rewrite(object) { value, keys in
                            let spans = analyzer.analyze(value, entities: wanted, context: keys)
                            return try anonymizer.anonymize(value, spans: spans, vault: &vault).text
                        } as? [String: Any] ?? object
                    } else {
                        guard let value = object[input.field] as? String else {
                            throw CustosError(.invalidInput, "no text field '\(input.field)'", at: location)
                        }
                        let spans = analyzer.analyze(value, entities: wanted, context: [input.field])
                        object[input.field] = try anonymizer.anonymize(value, spans: spans, vault: &vault).text
                    }
                    try sink.write(try JSONRecord.encode(object))
                }
            } else {
                try PIIInput.forEach(input) { unit in
                    let spans = analyzer.analyze(unit.text, entities: wanted)
                    try sink.write(try anonymizer.anonymize(unit.text, spans: spans, vault: &vault).text)
                }
            }
            if let path = operators.vault, let key = anonymizer.key { try vault.save(to: path, key: key) }
            try sink.commit()
        } catch {
            sink.abandon()
            throw error
        }
    }
}

/// Where redact's lines go: stdout as they come, or a file that appears only on `commit()`.
final class LineSink {
    private let file: AtomicFileWriter?

    init(path: String?) throws { file = try path.map { try AtomicFileWriter(path: $0) } }

    func write(_ line: String) throws {
        if let file { try file.write(line + "\n") } else { print(line) }
    }

    func commit() throws { try file?.commit() }

    func abandon() { file?.abandon() }
}

struct PIIRestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Put back what pseudonymize and encrypt replaced (needs the vault and/or the key).")

    @Argument(help: "The de-identified text (or --file).")
    var text: String?

    @Option(help: "A file to restore as a whole.")
    var file: String?

    @Option(help: "Key file used when redacting.")
    var keyFile: String

    @Option(help: "Vault file written by redact (for pseudonymize).")
    var vault: String?

    @Option(help: "Write the result to this file (atomically) instead of stdout.")
    var out: String?

    func validate() throws {
        guard (text == nil) != (file == nil) else { throw ValidationError("give exactly one of TEXT or --file") }
    }

    func run() throws {
        try ArgumentEncoding.requireValidUTF8()
        let key = try AnonymizerKey.read(file: keyFile)
        let restorer = Restorer(vault: try vault.map { try Vault.load(from: $0, key: key) } ?? Vault(), key: key)
        let input = try text ?? TextDecoding.decode(try FileInput.readBytes(file ?? ""), lossy: false, source: file)
        let result = try restorer.restore(input)
        if let out { try FileInput.writeAtomically(result, to: out) } else { print(result, terminator: text == nil ? "" : "\n") }
    }
}

struct PIIKeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "key", abstract: "Write a new random anonymizer key file.")

    @Option(help: "Where to write the key (refuses to overwrite).")
    var out: String

    func run() throws {
        guard !FileManager.default.fileExists(atPath: out) else {
            throw CustosError(.usage, "\(out) exists; a key is never overwritten (data sealed with it would be lost)")
        }
        try FileInput.writeAtomically(AnonymizerKey.generate().hex + "\n", to: out)
        chmod(out, 0o600)
    }
}

struct PIIEvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Per-entity precision, recall and F1 on a labelled JSONL set (exact span and overlap).")

    @Option(help: "Labelled JSONL: {\"text\", \"spans\": [{\"start\", \"end\", \"type\"}]} in Unicode-scalar offsets.")
    var set: String

    @OptionGroup var analyzerOptions: PIIAnalyzerOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let (analyzer, _) = try analyzerOptions.analyzer()
        let items = try PIIEvaluation.load(set)
        let evaluation = PIIEvaluation.run(analyzer, on: items)
        struct Row: Encodable { var type: String; var exact: Scores; var overlap: Scores }
        struct Scores: Encodable {
            var precision: Double; var recall: Double; var f1: Double; var tp: Int; var fp: Int; var fn: Int
            init(_ c: PIIEvaluation.Counts) {
                precision = c.precision; recall = c.recall; f1 = c.f1; tp = c.truePositives; fp = c.falsePositives; fn = c.falseNegatives
            }
        }
        let zero = PIIEvaluation.Counts()
        var rows = evaluation.types.map { Row(type: $0.rawValue, exact: Scores(evaluation.exact[$0] ?? zero), overlap: Scores(evaluation.overlap[$0] ?? zero)) }
        rows.append(Row(type: "MICRO (pattern types)", exact: Scores(evaluation.micro(EntityType.patternTypes)),
                        overlap: Scores(evaluation.micro(EntityType.patternTypes, exactMatch: false))))
        rows.append(Row(type: "MICRO (all)", exact: Scores(evaluation.micro(Set(evaluation.types))),
                        overlap: Scores(evaluation.micro(Set(evaluation.types), exactMatch: false))))
        if output.format == .json {
            struct Report: Encodable { var texts: Int; var entities: [Row] }
            try output.emit(try JSONOutput.encode(Report(texts: evaluation.texts, entities: rows)))
            return
        }
        let f = { (x: Double) in String(format: "%.3f", x) }
        let table = TerminalTable(
            title: "\(evaluation.texts) texts: \(set)",
            columns: ["type", "P exact", "R exact", "F1 exact", "F1 overlap", "tp", "fp", "fn"].enumerated().map { k, n in
                TerminalTable.Column(n, alignment: k == 0 ? .left : .right)
            },
            rows: rows.map { [$0.type, f($0.exact.precision), f($0.exact.recall), f($0.exact.f1), f($0.overlap.f1), "\($0.exact.tp)", "\($0.exact.fp)", "\($0.exact.fn)"] })
        try output.emit(table.render())
    }
}
