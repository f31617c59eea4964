import CustosCore
import CustosML

/// The factories of the built-in scanners and the options each accepts.
enum BuiltInScanners {
    /// Options each built-in scanner accepts.
    static let optionKeys: [String: Set<String>] = [
        "offensive": ["identity_terms"],
        "secrets": [],
        "banned_words": ["words", "patterns"],
        "length": ["max_scalars"],
        "topic": ["allowed", "denied", "min_similarity", "precision"],
        "jailbreak": ["precision"],
        "system_prompt_leak": ["system_prompt", "min_words"],
        "json_schema": ["schema"],
        "exfiltration": ["allowed_hosts"],
        "refusal": [],
        "pii": PIIScanner.optionKeys,
    ]

    static let factories: [String: ScannerRegistry.Factory] = [
        "offensive": { options, _ in
            guard let value = try options.string("identity_terms") else { return try OffensiveScanner() }
            guard let mode = OffensiveScanner.IdentityTerms(rawValue: value) else {
                throw CustosError(.invalidInput, "identity_terms must be one of \(OffensiveScanner.IdentityTerms.allCases.map(\.rawValue).joined(separator: ", ")), not '\(value)'",
                                  at: options.location("identity_terms"))
            }
            return try OffensiveScanner(identityTerms: mode)
        },
        "secrets": { _, _ in SecretsScanner() },
        "banned_words": { options, _ in try BannedWordsScanner(words: options.strings("words"), patterns: options.strings("patterns")) },
        "length": { options, _ in LengthScanner(maxScalars: try options.positiveInt("max_scalars") ?? LengthScanner.defaultMaxScalars) },
        "topic": { options, environment in
            try TopicScanner(allowed: options.strings("allowed"), denied: options.strings("denied"),
                             minSimilarity: options.number("min_similarity", in: -1...1) ?? TopicScanner.defaultMinSimilarity,
                             embedder: environment.embedder(precision: precision(options)))
        },
        "jailbreak": { options, environment in
            try JailbreakScanner(embedder: environment.embedder(precision: precision(options)))
        },
        "system_prompt_leak": { options, _ in
            try SystemPromptLeakScanner(systemPrompt: options.string("system_prompt") ?? "",
                                        minWords: options.positiveInt("min_words") ?? SystemPromptLeakScanner.defaultMinWords)
        },
        "json_schema": { options, _ in try JSONSchemaScanner(schemaText: options.string("schema") ?? "{}", location: options.location("schema")) },
        "exfiltration": { options, _ in ExfiltrationScanner(allowedHosts: try options.strings("allowed_hosts")) },
        "refusal": { _, _ in RefusalScanner() },
        "pii": { options, environment in try PIIScanner.make(options, environment) },
    ]

    /// The MiniLM precision a model-backed scanner asks for: `precision: bfloat16` (the default: linear layers on
    /// AMX tiles where the CPU has them) or `float32` (the reference numbers).
    static func precision(_ options: ScannerOptions) throws -> BertEncoder.Precision {
        guard let value = try options.string("precision") else { return ScannerEnvironment.defaultScannerPrecision }
        guard let precision = BertEncoder.Precision(rawValue: value) else {
            throw CustosError(
                .invalidInput,
                "precision must be one of \(BertEncoder.Precision.allCases.map(\.rawValue).joined(separator: ", ")), not '\(value)'",
                at: options.location("precision"))
        }
        return precision
    }

    /// Checks a spec's options (names and types) without building model-backed scanners.
    static func validateOptions(_ spec: ScannerSpec) throws {
        if let keys = optionKeys[spec.scanner] { try spec.options.allowOnly(keys, scanner: spec.scanner) }
        switch spec.scanner {
        case "banned_words": _ = try BannedWordsScanner(words: spec.options.strings("words"), patterns: spec.options.strings("patterns"))
        case "length": _ = try spec.options.positiveInt("max_scalars")
        case "jailbreak": _ = try precision(spec.options)
        case "topic":
            _ = try precision(spec.options)
            _ = try spec.options.strings("allowed")
            _ = try spec.options.strings("denied")
            _ = try spec.options.number("min_similarity", in: -1...1)
        case "system_prompt_leak":
            _ = try spec.options.string("system_prompt")
            _ = try spec.options.positiveInt("min_words")
        case "json_schema": _ = try JSONSchemaScanner(schemaText: spec.options.string("schema") ?? "{}", location: spec.options.location("schema"))
        case "exfiltration": _ = try spec.options.strings("allowed_hosts")
        default: break
        }
    }
}
