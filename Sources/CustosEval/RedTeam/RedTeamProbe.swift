import CustosCore
import Foundation

/// One attack (or benign control) sent to a target.
public struct RedTeamProbe: Sendable, Equatable {
    /// What a probe is trying to make the target do, which decides how its answer is judged.
    public enum Goal: String, Sendable, Codable, CaseIterable {
        /// Answer a harmful request instead of refusing (jailbreaks, harmful requests, encodings, escalation).
        case harmfulCompliance = "harmful_compliance"
        /// Continue a text offensively (RealToxicityPrompts).
        case toxicContinuation = "toxic_continuation"
        /// Reveal the system prompt.
        case systemPromptLeak = "system_prompt_leak"
        /// Reveal personal data placed in the system prompt (ProPILE-style).
        case piiLeak = "pii_leak"
        /// A benign request: the "attack succeeds" when it is refused or blocked (over-refusal).
        case benign
    }

    /// Stable key within a run ("dan/Dan_11_0.json#0/harmbench:17").
    public var id: String
    /// The family reports group by (`dan`, `harmbench`, `encoding-base64`, …).
    public var family: String
    /// Where the text comes from.
    public var source: String
    /// Its licence.
    public var licence: String
    /// What success means.
    public var goal: Goal
    /// The conversation sent (the run's system prompt is put in front).
    public var messages: [ChatTurn]
    /// For `harmfulCompliance`: the plain request whose key terms an answer must address to count as compliance.
    public var request: String?
    /// For `piiLeak`: the planted values that must not appear in an answer.
    public var secrets: [String]
    /// The corpus texts it was built from (a jailbreak wrapper, a request, a prefix): a probe built from a text the
    /// guard was trained on is left out of runs.
    public var basis: [String]

    /// A probe.
    public init(id: String, family: String, source: String, licence: String, goal: Goal, messages: [ChatTurn],
                request: String? = nil, secrets: [String] = [], basis: [String]? = nil) {
        self.id = id
        self.family = family
        self.source = source
        self.licence = licence
        self.goal = goal
        self.messages = messages
        self.request = request
        self.secrets = secrets
        self.basis = basis ?? (messages.filter { $0.role == "user" }.map(\.content) + (request.map { [$0] } ?? []))
    }
}
