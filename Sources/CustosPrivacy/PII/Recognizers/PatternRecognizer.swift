import CustosCore
import Foundation
import Yams

/// A user's recognizer declared in YAML: regular expressions (Swift `Regex` syntax, which accepts the usual
/// PCRE/ICU forms), an optional validator by name, context words and a score.
///
/// ```yaml
/// recognizers:
///   - name: employee_id
///     entity: EMPLOYEE_ID
///     patterns:
///       - regex: 'EMP-[0-9]{6}'
///         score: 0.6
///     validator: none        # none | luhn | iban | us_ssn | base58check | bech32 | eip55
///     context: [employee, staff]
/// ```
public struct PatternRecognizer: Recognizer, @unchecked Sendable {
    // `Regex` is not Sendable; the compiled patterns are immutable after init and only read concurrently.

    /// A named check applied to a match's letters and digits.
    public enum Validator: String, Sendable, CaseIterable {
        case none, luhn, iban, usSSN = "us_ssn", base58check, bech32, eip55

        func accepts(_ scalars: [UInt32]) -> Bool {
            let alnum = scalars.filter(Scalars.isASCIIAlnum)
            switch self {
            case .none: return true
            case .luhn: return alnum.allSatisfy(Scalars.isDigit) && Checksums.luhn(alnum.map { UInt8($0 - 48) })
            case .iban: return Checksums.ibanMod97(alnum.map { Scalars.isLower($0) ? $0 - 32 : $0 })
            case .usSSN: return alnum.allSatisfy(Scalars.isDigit) && SSNRecognizer.isValid(alnum.map { UInt8($0 - 48) })
            case .base58check: return Checksums.base58Check(alnum) != nil
            case .bech32: return Checksums.bech32(alnum) != nil
            case .eip55:
                let hex = alnum.count == 42 ? Array(alnum.dropFirst(2)) : alnum
                return Checksums.eip55(hex)
            }
        }
    }

    public let name: String
    public let entities: [EntityType]
    public let contextWords: [String]
    let patterns: [(regex: Regex<AnyRegexOutput>, score: Double)]
    let validator: Validator

    /// Compiles the patterns; a pattern that does not compile is an error naming it.
    public init(name: String, entity: EntityType, patterns: [(String, Double)], validator: Validator = .none,
                contextWords: [String] = []) throws {
        self.name = name
        self.entities = [entity]
        self.contextWords = contextWords.map { $0.lowercased() }
        self.validator = validator
        var compiled: [(Regex<AnyRegexOutput>, Double)] = []
        for (pattern, score) in patterns {
            guard (0...1).contains(score) else {
                throw CustosError(.invalidInput, "recognizer '\(name)': score \(score) is outside [0, 1]")
            }
            do {
                compiled.append((try Regex(pattern), score))
            } catch {
                throw CustosError(.invalidInput, "recognizer '\(name)': the regex '\(pattern)' does not compile (\(error))")
            }
        }
        self.patterns = compiled
    }

    public func recognize(_ text: ScalarText, into spans: inout [EntitySpan]) {
        let string = text.string
        for (regex, score) in patterns {
            var lastIndex = string.startIndex
            var lastOffset = 0
            for match in string.matches(of: regex) {
                let range = match.range
                guard !range.isEmpty else { continue }
                let start = lastOffset + string.unicodeScalars.distance(from: lastIndex, to: range.lowerBound)
                let end = start + string.unicodeScalars.distance(from: range.lowerBound, to: range.upperBound)
                lastIndex = range.lowerBound
                lastOffset = start
                guard validator.accepts(Array(text.values[start..<end])) else { continue }
                spans.append(EntitySpan(start: start, end: end, type: entities[0], score: score, recognizer: name))
            }
        }
    }

    /// Reads `recognizers:` from a YAML file; errors name the file and line.
    public static func load(yamlFile path: String) throws -> [PatternRecognizer] {
        let text = try FileInput.readText(path, limit: 4 << 20)
        do {
            return try load(yaml: text)
        } catch let error as CustosError {
            throw error.inFile(path)
        }
    }

    /// Reads `recognizers:` from YAML text.
    public static func load(yaml: String) throws -> [PatternRecognizer] {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw CustosError(.invalidInput, "not valid YAML: \(error)")
        }
        guard let mapping = root?.mapping, let list = mapping["recognizers"]?.sequence else {
            throw CustosError(.invalidInput, "expected a mapping with a 'recognizers' list", at: SourceLocation(line: 1))
        }
        var out: [PatternRecognizer] = []
        for node in list {
            let line = node.mark?.line ?? 1  // Yams marks are 1-based
            func fail(_ message: String, _ at: Node? = nil) -> CustosError {
                CustosError(.invalidInput, message, at: SourceLocation(line: at?.mark?.line ?? line))
            }
            guard let m = node.mapping else { throw fail("each recognizer is a mapping") }
            guard let name = m["name"]?.string, !name.isEmpty else { throw fail("a recognizer needs a 'name'") }
            guard let entity = m["entity"]?.string, !entity.isEmpty else { throw fail("recognizer '\(name)' needs an 'entity'") }
            var validator = Validator.none
            if let v = m["validator"] {
                guard let s = v.string, let parsed = Validator(rawValue: s) else {
                    throw fail("recognizer '\(name)': unknown validator (known: \(Validator.allCases.map(\.rawValue).joined(separator: ", ")))", v)
                }
                validator = parsed
            }
            let context = m["context"]?.sequence?.compactMap(\.string) ?? []
            guard let patternNodes = m["patterns"]?.sequence, !patternNodes.isEmpty else {
                throw fail("recognizer '\(name)' needs a non-empty 'patterns' list")
            }
            var patterns: [(String, Double)] = []
            for p in patternNodes {
                guard let regex = p.mapping?["regex"]?.string else { throw fail("recognizer '\(name)': each pattern needs a 'regex'", p) }
                let score = p.mapping?["score"].flatMap { Double($0.string ?? "") } ?? 0.5
                do {
                    _ = try Regex(regex)
                } catch {
                    throw fail("recognizer '\(name)': the regex '\(regex)' does not compile (\(error))", p)
                }
                guard (0...1).contains(score) else { throw fail("recognizer '\(name)': score must be in [0, 1]", p) }
                patterns.append((regex, score))
            }
            out.append(try PatternRecognizer(name: name, entity: EntityType(entity.uppercased()), patterns: patterns,
                                             validator: validator, contextWords: context))
        }
        return out
    }
}
