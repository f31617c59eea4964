import CustosCore
import Foundation

/// Name and place lists for PERSON and LOCATION, built from the locale data of the `faker` package archive
/// (fetched by setup as the `faker-locales` asset): first and last names, cities, regions, street suffixes and
/// prefixes, and the parts faker composes city names from (`North` + first name, last name + `-ville`).
///
/// The provider files are Python source; `Gazetteer.build(fakerRoot:)` reads the string literals of the
/// relevant class attributes (`first_names_female = ("Mary", …)`, `OrderedDict((("Mary", 0.02), …))`) without
/// running Python. Building from the archive's ~150 provider files takes about half a second, so `load(home:)`
/// keeps the result in the Custos home's cache.
public struct Gazetteer: Sendable, Equatable {
    /// Given names, every locale.
    public internal(set) var firstNames: Set<String> = []
    /// Family names, every locale.
    public internal(set) var lastNames: Set<String> = []
    /// City, town, district and region names.
    public internal(set) var places: Set<String> = []
    /// Words composing city names: `North`, `Port`, `Saint` (before) and `ville`, `fort`, `side` (after).
    public internal(set) var cityPrefixes: Set<String> = []
    /// See `cityPrefixes`.
    public internal(set) var citySuffixes: [String] = []
    /// The distinct lengths (in scalars) of `citySuffixes`.
    var citySuffixLengths: [Int] = []
    /// First words of multi-word places (`Santa` of `Santa Cristina Di Borgomanero`).
    var placeFirstWords: Set<String> = []
    /// Single-character place suffixes of Chinese and Japanese (`市`, `县`, `区`).
    public internal(set) var cjkPlaceSuffixes: Set<String> = []
    /// Street-type words after the name (`Street`, `Ridge`, `Motorway`, `straße`, `str.`).
    public internal(set) var streetSuffixes: Set<String> = []
    /// Street-type words before the name (`rue`, `chemin`, `avenue`, `via`).
    public internal(set) var streetPrefixes: Set<String> = []
    /// State and province abbreviations (`CO`, `NJ`).
    public internal(set) var regionCodes: Set<String> = []

    /// The word lists as one hash table, built by `finish()` once the lists are complete.
    private(set) var lexicon = Lexicon([])

    /// Gazetteers are equal when their lists are (the lexicon is derived from them).
    public static func == (a: Gazetteer, b: Gazetteer) -> Bool {
        a.firstNames == b.firstNames && a.lastNames == b.lastNames && a.places == b.places && a.cityPrefixes == b.cityPrefixes
            && a.citySuffixes == b.citySuffixes && a.placeFirstWords == b.placeFirstWords && a.cjkPlaceSuffixes == b.cjkPlaceSuffixes
            && a.streetSuffixes == b.streetSuffixes && a.streetPrefixes == b.streetPrefixes && a.regionCodes == b.regionCodes
    }

    /// Every single-list entry with its kind, for the lexicon.
    func lexiconEntries() -> [(String, WordKinds)] {
        var entries: [(String, WordKinds)] = []
        let lists: [(Set<String>, WordKinds)] = [
            (firstNames, .firstName), (lastNames, .lastName), (places, .place), (cityPrefixes, .cityPrefix),
            (Set(citySuffixes), .citySuffix), (streetSuffixes, .streetSuffix), (streetPrefixes, .streetPrefix),
            (placeFirstWords, .placeFirstWord), (Set(NameWords.particles), .particle),
            (Set(NameWords.secondaryUnits), .secondaryUnit), (Set(NameWords.connectors), .connector),
        ]
        for (list, kind) in lists { for entry in list { entries.append((entry, kind)) } }
        return entries
    }

    /// An empty gazetteer (recognizes nothing).
    public init() {}

    static var attributes: [(prefix: String, keyPath: WritableKeyPath<Gazetteer, Set<String>>)] {
        [
        ("first_names", \.firstNames), ("first_romanized_names", \.firstNames), ("middle_names", \.firstNames),
        ("first_name_female_pairs", \.firstNames), ("first_name_male_pairs", \.firstNames),
        ("last_names", \.lastNames), ("last_romanized_names", \.lastNames), ("last_name_pairs", \.lastNames),
        ("cities", \.places), ("city_names", \.places), ("towns", \.places), ("states", \.places),
        ("provinces", \.places), ("regions", \.places), ("prefectures", \.places), ("wards", \.places),
        ("districts", \.places), ("counties", \.places), ("villages", \.places), ("cantons", \.places),
        ("city_prefixes", \.cityPrefixes),
        ("street_suffixes", \.streetSuffixes), ("street_prefixes", \.streetPrefixes),
        ("states_abbr", \.regionCodes), ("provinces_abbr", \.regionCodes),
        ]
    }

    /// Builds the gazetteer from an unpacked faker archive (`…/faker/providers`).
    public static func build(fakerProviders root: String) throws -> Gazetteer {
        var g = Gazetteer()
        var suffixes = Set<String>()
        let fm = FileManager.default
        for kind in ["person", "address"] {
            let dir = (root as NSString).appendingPathComponent(kind)
            guard let locales = try? fm.contentsOfDirectory(atPath: dir) else {
                throw CustosError(.missingAsset, "faker's \(kind) providers are missing; run the setup command",
                                  at: SourceLocation(file: dir))
            }
            for locale in locales.sorted() {
                let file = (dir as NSString).appendingPathComponent(locale + "/__init__.py")
                guard fm.fileExists(atPath: file) else { continue }
                let source = try FileInput.readText(file, limit: 16 << 20)
                for (name, literals) in PythonLiterals.classAttributes(source) {
                    if name.hasPrefix("city_suffixes") { suffixes.formUnion(literals); continue }
                    // Names anywhere in the attribute (`male_last_names`, `first_name_female_pairs`); otherwise the
                    // longest matching prefix decides (`states_abbr` is a region code, not a place).
                    let target: WritableKeyPath<Gazetteer, Set<String>>
                    if name.contains("first_name") || name.contains("first_romanized") || name.contains("middle_name") {
                        target = \.firstNames
                    } else if name.contains("last_name") || name.contains("last_romanized") {
                        target = \.lastNames
                    } else if let match = attributes.filter({ name.hasPrefix($0.prefix) }).max(by: { $0.prefix.count < $1.prefix.count }) {
                        target = match.keyPath
                    } else {
                        continue
                    }
                    g[keyPath: target].formUnion(literals.filter { literal in
                        !literal.isEmpty && !literal.unicodeScalars.contains { $0 == "{" || $0 == "#" }
                    })
                }
            }
        }
        // Suffixes of three letters or more (`ton`, `ville`, `chester`): shorter ones make ordinary names look like
        // cities. Places need three letters in scripts with spaces (two in CJK), and not all capitals (codes).
        g.cjkPlaceSuffixes = suffixes.filter { $0.unicodeScalars.count == 1 && $0.unicodeScalars.allSatisfy { Scalars.isCJK($0.value) } }
        g.citySuffixes = suffixes.filter { $0.count >= 3 && $0.unicodeScalars.allSatisfy { Scalars.isLower($0.value) } }
            .sorted { ($0.count, $0) > ($1.count, $1) }
        // Street prefixes are matched as written in text: `rue` and `Rue`.
        g.streetPrefixes.formUnion(g.streetPrefixes.map { $0.prefix(1).uppercased() + $0.dropFirst() })
        g.regionCodes = g.regionCodes.filter { $0.count <= 3 }
        g.places = g.places.filter { place in
            let scalars = place.unicodeScalars.map(\.value)
            if scalars.contains(where: Scalars.isCJK) { return scalars.count >= 2 }
            return scalars.count >= 3 && scalars.contains(where: Scalars.isLower)
        }
        g.placeFirstWords = Set(g.places.compactMap { place in
            place.contains(" ") ? place.split(separator: " ").first.map(String.init) : nil
        })
        g.finish()
        return g
    }

    /// Computes what is derived from the lists: the suffix lengths and the lexicon.
    mutating func finish() {
        citySuffixLengths = Set(citySuffixes.map(\.unicodeScalars.count)).sorted()
        lexicon = Lexicon(lexiconEntries())
    }

    /// The gazetteer from the `faker-locales` asset under a Custos home. The first load parses faker's files
    /// (about half a second) and writes `cache/gazetteer-<archive sha>.tsv`; later loads read that file.
    public static func load(home: CustosHome) throws -> Gazetteer {
        let marker = try home.require(asset: "faker-locales", file: "faker/providers/person/en_US/__init__.py")
        let providers = ((((marker as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent as NSString)
            .deletingLastPathComponent)
        let archive = try AssetCatalog.archive(containing: "faker-locales")
        let cache = home.cache.appendingPathComponent("gazetteer-v1-\(archive.sha256.prefix(16)).tsv").path
        if FileManager.default.fileExists(atPath: cache), let cached = try? read(cache: cache) { return cached }
        let built = try build(fakerProviders: providers)
        try? FileManager.default.createDirectory(at: home.cache, withIntermediateDirectories: true)
        try? FileInput.writeAtomically(built.cacheText(), to: cache)  // a cache: failing to write it is not an error
        return built
    }

    static var cacheKinds: [(String, WritableKeyPath<Gazetteer, Set<String>>)] {
        [
            ("F", \.firstNames), ("L", \.lastNames), ("P", \.places), ("C", \.cityPrefixes), ("K", \.cjkPlaceSuffixes),
            ("S", \.streetSuffixes), ("T", \.streetPrefixes), ("R", \.regionCodes), ("W", \.placeFirstWords),
        ]
    }

    /// One `kind<TAB>entry` line per entry (`X` lines are city suffixes, in order).
    func cacheText() -> String {
        var lines: [String] = []
        for (kind, keyPath) in Self.cacheKinds { for entry in self[keyPath: keyPath].sorted() { lines.append(kind + "\t" + entry) } }
        for suffix in citySuffixes { lines.append("X\t" + suffix) }
        return lines.joined(separator: "\n") + "\n"
    }

    static func read(cache path: String) throws -> Gazetteer {
        let bytes = try FileInput.readBytes(path, limit: 256 << 20)
        var g = Gazetteer()
        let paths = Dictionary(uniqueKeysWithValues: cacheKinds.map { ($0.0.utf8.first ?? 0, $0.1) })
        for line in bytes.split(separator: UInt8(ascii: "\n")) where line.count > 2 && line[line.startIndex + 1] == 9 {
            let kind = line[line.startIndex]
            let entry = String(decoding: line.dropFirst(2), as: UTF8.self)
            if kind == UInt8(ascii: "X") { g.citySuffixes.append(entry) } else if let keyPath = paths[kind] { g[keyPath: keyPath].insert(entry) }
        }
        guard !g.firstNames.isEmpty, !g.places.isEmpty else { throw CustosError(.invalidInput, "empty gazetteer cache") }
        g.finish()
        return g
    }

    /// Whether a word is composed like a city name: a name followed by a city suffix (`Millerside`, `Wilkinsonfort`,
    /// `Natashaland`), or a gazetteer place.
    func isComposedCity(_ v: [UInt32], _ word: Word) -> Bool {
        if word.isA(.place) { return true }
        let lexicon = lexicon
        let range = word.range
        for length in citySuffixLengths where range.count > length + 1 {
            let cut = range.upperBound - length
            if lexicon.kinds(v, cut..<range.upperBound).contains(.citySuffix),
               !lexicon.kinds(v, range.lowerBound..<cut).isDisjoint(with: .name) { return true }
        }
        return false
    }
}

/// Reads the string literals assigned to class attributes in Python source (no evaluation).
enum PythonLiterals {
    /// `(attribute, literals)` for each `    name = <expression>` at class level (four-space indent).
    static func classAttributes(_ source: String) -> [(String, [String])] {
        let v = Array(source.unicodeScalars)
        var out: [(String, [String])] = []
        var i = 0
        while i < v.count {
            // At the start of a line with exactly four spaces of indent and an identifier.
            let lineStart = i
            var spaces = 0
            while i < v.count && v[i] == " " { spaces += 1; i += 1 }
            let nameStart = i
            while i < v.count && (v[i].properties.isAlphabetic || v[i] == "_" || ("0"..."9").contains(v[i])) { i += 1 }
            let name = String(String.UnicodeScalarView(v[nameStart..<i]))
            var j = i
            while j < v.count && v[j] == " " { j += 1 }
            if j < v.count && v[j] == ":" {  // an annotation: `name: Tuple[str, ...] = (`
                while j < v.count && v[j] != "=" && v[j] != "\n" { j += 1 }
            }
            if spaces == 4, !name.isEmpty, j + 1 < v.count, v[j] == "=", v[j + 1] != "=" {
                let (literals, end) = expression(v, from: j + 1)
                out.append((name, literals))
                i = end
            }
            while i < v.count && v[i] != "\n" { i += 1 }
            i += 1
            if i <= lineStart { i = lineStart + 1 }
        }
        return out
    }

    /// The string literals of the expression starting at `from`, up to the end of its bracketed extent.
    static func expression(_ v: [Unicode.Scalar], from: Int) -> ([String], Int) {
        var literals: [String] = []
        var depth = 0
        var i = from
        while i < v.count {
            let c = v[i]
            if c == "\"" || c == "'" {
                let (literal, end) = string(v, from: i)
                literals.append(literal)
                i = end
                continue
            }
            if c == "#" { while i < v.count && v[i] != "\n" { i += 1 }; continue }
            if c == "(" || c == "[" || c == "{" { depth += 1 }
            if c == ")" || c == "]" || c == "}" { depth -= 1 }
            if c == "\n" && depth <= 0 { return (literals, i) }
            i += 1
        }
        return (literals, i)
    }

    /// A single- or double-quoted literal (no triple quotes in the data files) with simple escapes.
    static func string(_ v: [Unicode.Scalar], from: Int) -> (String, Int) {
        let quote = v[from]
        var out = String.UnicodeScalarView()
        var i = from + 1
        while i < v.count && v[i] != quote && v[i] != "\n" {
            if v[i] == "\\" && i + 1 < v.count {
                i += 1
                switch v[i] {
                case "n": out.append("\n")
                case "t": out.append("\t")
                default: out.append(v[i])
                }
            } else {
                out.append(v[i])
            }
            i += 1
        }
        return (String(out), i + 1)
    }
}
