/// Interpretable jailbreak cues: each feature is 1 when the normalized text contains one of its phrases.
/// Presence, not counts, so long prompts do not score higher for being long.
public enum JailbreakFeatures {
    /// Feature names and their phrases (normalized: lowercase, homoglyphs and leetspeak folded).
    public static let cues: [(name: String, phrases: [String])] = [
        ("ignore_instructions", ["ignore all previous", "ignore previous instructions", "ignore the above", "ignore all prior",
                                 "disregard previous", "disregard all", "forget all previous", "forget your instructions",
                                 "ignore your instructions", "ignore all the instructions", "disregard any"]),
        ("persona_override", ["you are no longer", "from now on you", "from now on, you", "you will now act", "act as a",
                              "you are going to act", "pretend to be", "pretend you are", "stay in character", "roleplay as"]),
        ("unrestricted", ["no restrictions", "without restrictions", "unfiltered", "uncensored", "no ethical", "no moral",
                          "without any filter", "not bound by", "free from", "break free", "no limits", "any restrictions"]),
        ("named_jailbreak", ["dan", "do anything now", "jailbreak", "developer mode", "dev mode", "aim", "stan", "dude",
                             "evil confidant", "antigpt", "betterdan"]),
        ("policy_evasion", ["content policy", "openai policy", "openai's policy", "guidelines", "against the rules",
                            "ethical guidelines", "safety guidelines"]),
        ("dual_response", ["two responses", "two different", "both responses", "[🔓", "🔓", "(normal output)",
                           "classic response", "jailbroken"]),
        ("prompt_extraction", ["system prompt", "your instructions", "repeat the words above", "repeat the text above",
                               "initial prompt", "print your prompt", "reveal your", "what were you told", "above this line"]),
        ("hypothetical_frame", ["hypothetical", "fictional world", "in a story", "for a novel", "imagine a world",
                                "thought experiment", "simulation"]),
        ("compliance_demand", ["never refuse", "must answer", "always answer", "cannot refuse", "will not refuse",
                               "do not refuse", "never say no", "never decline", "without warning", "no disclaimers"]),
        ("token_game", ["tokens", "you will lose", "points", "if you break character"]),
    ]

    /// Feature names in vector order.
    public static var names: [String] { cues.map(\.name) }

    /// Each cue's phrases as UTF-8 bytes; phrases of four characters or fewer must stand as whole words, so they
    /// are searched for with a space on each side.
    private static let encodedCues: [[[UInt8]]] = cues.map { cue in
        cue.phrases.map { Array(($0.count <= 4 ? " \($0) " : $0).utf8) }
    }

    /// The feature vector of a normalized text (a byte search over its UTF-8, padded with a space on each side).
    public static func vector(_ normalizedText: String) -> [Double] {
        var padded: [UInt8] = [0x20]
        padded.append(contentsOf: normalizedText.utf8)
        padded.append(0x20)
        return encodedCues.map { phrases in phrases.contains { ByteSearch.contains(padded[...], $0) } ? 1 : 0 }
    }
}
