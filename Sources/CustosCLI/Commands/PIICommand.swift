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
            var lines = try LineStream(path: path)
            var index = 0
            while let line = try lines.next() {
                if line.allSatisfy({ $0 == 32 || $0 == 9 }) { continue }
                let where_ = SourceLocation(file: path, line: lines.lineNumber)
                let text = try TextDecoding.decode(line, lossy: input.lossy, source: path, line: lines.lineNumber, base: lines.lineStart)
                let object = try JSONRecord.parse(text, at: where_)
                guard let value = object[input.field] as? String else {
                    throw CustosError(.invalidInput, "no text field '\(input.field)'", at: where_)
                }
                try body(PIIUnit(index: index, text: value, context: [input.field], location: where_))
                index += 1
            }
        } else if let path = input.csv {
            let table = try CSVRecords.read(path, lossy: input.lossy)
            let wanted = try CSVRecords.columnIndices(table.header, input.columns ?? "", path: path)
            var index = 0
            for record in table.records {
                for c in wanted {
                    try body(PIIUnit(index: index, text: c < record.fields.count ? record.fields[c] : "", context: [table.header[c]],
                                     location: SourceLocation(file: path, line: record.line, column: table.header[c])))
                    index += 1
                }
            }
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

/// CSV with a header, validated as UTF-8.
enum CSVRecords {
    static func read(_ path: String, lossy: Bool) throws -> (header: [String], records: [CSVRecord]) {
        var bytes = try FileInput.readBytes(path)
        if UTF8Validation.firstInvalidOffset(bytes) != nil {
            _ = try TextDecoding.decode(bytes, lossy: lossy, source: path)
            bytes = Array(String(decoding: bytes, as: UTF8.self).utf8)
        }
        var options = CSVOptions()
        options.hasHeader = false
        var records = try CSVReader.records(bytes, options: options)
        guard !records.isEmpty else { throw CustosError(.invalidInput, "empty CSV (no header)", at: SourceLocation(file: path)) }
        let header = records.removeFirst().fields
        return (header, records)
    }

    static func columnIndices(_ header: [String], _ columns: String, path: String) throws -> [Int] {
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
            (with --csv, also "line" and "column"). Throughput goes to stderr for files. Exit 2 on bad input.
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
        var lines: [String] = []
        var rows: [[String]] = []
        var texts = 0
        var bytes = 0
        let started = ContinuousClock.now
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        try PIIInput.forEach(input) { unit in
            let scalars = ScalarText(unit.text)
            let spans = analyzer.analyze(scalars, entities: wanted, context: unit.context)
            texts += 1
            bytes += unit.text.utf8.count
            if output.format == .json {
                struct Line: Encodable { var index: Int; var line: Int?; var column: String?; var spans: [SpanJSON] }
                let items = spans.map {
                    SpanJSON(start: $0.start, end: $0.end, type: $0.type.rawValue, score: ($0.score * 1e6).rounded() / 1e6,
                             text: showText ? scalars.string($0.range) : nil, recognizer: showText ? $0.recognizer : nil)
                }
                let line = Line(index: unit.index, line: input.csv != nil ? unit.location.line : nil,
                                column: input.csv != nil ? unit.location.column : nil, spans: items)
                lines.append(String(decoding: try encoder.encode(line), as: UTF8.self))
            } else {
                for s in spans {
                    rows.append(["\(unit.index)", "\(s.start)", "\(s.end)", s.type.rawValue, String(format: "%.2f", s.score),
                                 Self.clip(scalars.string(s.range))])
                }
            }
        }
        if output.format == .json {
            try output.emit(lines.joined(separator: "\n"))
        } else {
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
        var output: [String] = []
        if let csv = input.csv {
            let table = try CSVRecords.read(csv, lossy: input.lossy)
            let wantedColumns = try CSVRecords.columnIndices(table.header, input.columns ?? "", path: csv)
            output.append(CSVLine.encode(table.header))
            for record in table.records {
                var fields = record.fields
                for c in wantedColumns where c < fields.count {
                    let spans = analyzer.analyze(fields[c], entities: wanted, context: [table.header[c]])
                    fields[c] = try anonymizer.anonymize(fields[c], spans: spans, vault: &vault).text
                }
                output.append(CSVLine.encode(fields))
            }
        } else if let path = input.jsonl {
            var lines = try LineStream(path: path)
            while let line = try lines.next() {
                if line.allSatisfy({ $0 == 32 || $0 == 9 }) { continue }
                let location = SourceLocation(file: path, line: lines.lineNumber)
                let text = try TextDecoding.decode(line, lossy: input.lossy, source: path, line: lines.lineNumber, base: lines.lineStart)
                var object = try JSONRecord.parse(text, at: location)
                guard let value = object[input.field] as? String else {
                    throw CustosError(.invalidInput, "no text field '\(input.field)'", at: location)
                }
                let spans = analyzer.analyze(value, entities: wanted, context: [input.field])
                object[input.field] = try anonymizer.anonymize(value, spans: spans, vault: &vault).text
                output.append(try JSONRecord.encode(object))
            }
        } else {
            try PIIInput.forEach(input) { unit in
                let spans = analyzer.analyze(unit.text, entities: wanted)
                output.append(try anonymizer.anonymize(unit.text, spans: spans, vault: &vault).text)
            }
        }
        let result = output.joined(separator: "\n")
        if let path = operators.vault, let key = anonymizer.key { try vault.save(to: path, key: key) }
        if let out {
            try FileInput.writeAtomically(result + "\n", to: out)
        } else {
            print(result)
        }
    }
}

/// RFC 4180 quoting for one CSV line.
enum CSVLine {
    static func encode(_ fields: [String]) -> String {
        fields.map { f in
            f.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : f
        }.joined(separator: ",")
    }
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
