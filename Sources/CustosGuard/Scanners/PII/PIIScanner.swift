import CustosCore
import CustosPrivacy
import Foundation

/// The guard's `pii` scanner: the CustosPrivacy analyzer behind the `Scanner` protocol. Its score is the highest
/// span score (0 when nothing is found), its findings are the analyzer's spans (Unicode-scalar offsets into the
/// original text, type = entity name) and its sanitized text replaces each span with `<TYPE>`.
///
/// Policy options: `entities` (list of types; default all), `min_score` (0…1, default 0.5), `allow` (texts
/// never reported), `gazetteer` (true/false, default true: PERSON and LOCATION need the `faker-locales` asset).
public struct PIIScanner: Scanner {
    public let name = "pii"
    public let defaultThreshold = 0.5
    /// The analyzer.
    public let analyzer: Analyzer
    /// Types reported (nil: all).
    public let entities: Set<EntityType>?

    /// Wraps an analyzer.
    public init(analyzer: Analyzer, entities: Set<EntityType>? = nil) {
        self.analyzer = analyzer
        self.entities = entities
    }

    public func scan(_ input: ScanInput) throws -> ScanResult {
        let text = ScalarText(input.text)
        let spans = analyzer.analyze(text, entities: entities)
        guard !spans.isEmpty else { return ScanResult(score: 0) }
        let findings = spans.map { Finding(start: $0.start, end: $0.end, type: $0.type.rawValue, score: $0.score) }
        var vault = Vault()
        let sanitized = try Anonymizer().anonymize(text, spans: spans, vault: &vault).text
        return ScanResult(score: spans.map(\.score).max() ?? 0, findings: findings, sanitized: sanitized)
    }

    /// Options this scanner accepts.
    public static let optionKeys: Set<String> = ["entities", "min_score", "allow", "gazetteer"]

    /// Builds the scanner from policy options.
    public static func make(_ options: ScannerOptions, _ environment: ScannerEnvironment) throws -> any Scanner {
        try options.allowOnly(optionKeys, scanner: "pii")
        let useGazetteer = try options.string("gazetteer").map { $0.lowercased() != "false" } ?? true
        let gazetteer = useGazetteer ? try GazetteerCache.shared.gazetteer(home: environment.home) : nil
        let analyzer = Analyzer(
            recognizers: Analyzer.builtInRecognizers(gazetteer: gazetteer),
            minimumScore: try options.number("min_score", in: 0...1) ?? 0.5,
            allowList: Set(try options.strings("allow")))
        let entities = try options.strings("entities")
        return PIIScanner(analyzer: analyzer, entities: entities.isEmpty ? nil : Set(entities.map { EntityType($0.uppercased()) }))
    }
}

/// The gazetteer is built once per process and Custos home (it takes tens of milliseconds).
final class GazetteerCache: @unchecked Sendable {
    // @unchecked: `cache` is only touched under `lock`.
    static let shared = GazetteerCache()
    private let lock = NSLock()
    private var cache: [String: Gazetteer] = [:]

    func gazetteer(home: CustosHome) throws -> Gazetteer {
        lock.lock()
        defer { lock.unlock() }
        if let cached = cache[home.root.path] { return cached }
        let built = try Gazetteer.load(home: home)
        cache[home.root.path] = built
        return built
    }
}
