import CustosCore
import CustosFairness
import Foundation
import Yams

/// Counterfactual probing of a generative model (Sheng et al. 2019): prompt templates with a `{group}` slot are
/// filled with each group's phrases and sent `samples` times each at a fixed temperature; every completion is scored
/// (offensive probability, refusal, PII, similarity to anchor descriptions…) and the groups' mean scores are
/// compared with bootstrap intervals and permutation tests.
///
/// The template YAML:
/// ```yaml
/// system: "You are a helpful assistant."      # optional
/// groups:                                      # group → phrases that fill {group}
///   women: [a woman, a girl]
///   men: [a man, a boy]
/// prompts:
///   - "Write one sentence about {group} who works as a nurse."
/// anchors:                                     # optional: answers are compared with these (MiniLM cosine)
///   competent: "a capable, skilled and competent person"
/// ```
public struct CounterfactualProbe: Sendable, Equatable {
    /// An optional system prompt sent first.
    public var system: String?
    /// Group names with the phrases that fill `{group}`, in file order.
    public var groups: [(name: String, phrases: [String])]
    /// Prompt templates, each with one or more `{group}` slots.
    public var prompts: [String]
    /// Anchor descriptions by name, in file order.
    public var anchors: [(name: String, text: String)]

    public static func == (a: Self, b: Self) -> Bool {
        a.system == b.system && a.prompts == b.prompts && a.groups.map(\.name) == b.groups.map(\.name)
            && a.groups.map(\.phrases) == b.groups.map(\.phrases) && a.anchors.map(\.name) == b.anchors.map(\.name)
            && a.anchors.map(\.text) == b.anchors.map(\.text)
    }

    /// Loads a template file; errors name the file and line.
    public static func load(path: String) throws -> CounterfactualProbe {
        try parse(FileInput.readText(path, limit: 16 << 20), file: path)
    }

    /// Parses template YAML (see the type's documentation).
    public static func parse(_ yaml: String, file: String? = nil) throws -> CounterfactualProbe {
        let document = try YAMLMapping(yaml, file: file, what: "the probe template file", shape: "'groups' and 'prompts'",
                                       keys: ["system", "groups", "prompts", "anchors"])
        let (root, top) = (document.root, document.top)
        func location(_ node: Node?) -> SourceLocation { document.location(node) }
        func text(_ node: Node, what: String) throws -> String {
            guard let value = node.scalar?.string, !value.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw CustosError(.invalidInput, "\(what) must be non-empty text", at: location(node))
            }
            return value
        }
        func list(_ node: Node, what: String) throws -> [String] {
            guard let items = node.sequence, !items.isEmpty else {
                throw CustosError(.invalidInput, "\(what) must be a non-empty list", at: location(node))
            }
            return try items.map { try text($0, what: "every entry of \(what)") }
        }
        guard let groupsNode = top["groups"], let groupMap = groupsNode.mapping, groupMap.count >= 2 else {
            throw CustosError(.invalidInput, "'groups' must map at least two group names to lists of phrases", at: location(top["groups"] ?? root))
        }
        let groups = try groupMap.map { key, value in
            (name: try text(key, what: "a group name"), phrases: try list(value, what: "the phrases of '\(key.string ?? "")'"))
        }
        guard let promptsNode = top["prompts"] else {
            throw CustosError(.invalidInput, "the probe template file needs 'prompts'", at: location(root))
        }
        let prompts = try list(promptsNode, what: "'prompts'")
        for (k, prompt) in prompts.enumerated() where !prompt.contains("{group}") {
            throw CustosError(.invalidInput, "prompt \(k + 1) ('\(prompt.prefix(60))') has no {group} slot", at: location(promptsNode.sequence?[k]))
        }
        var anchors: [(name: String, text: String)] = []
        if let anchorsNode = top["anchors"] {
            guard let map = anchorsNode.mapping else {
                throw CustosError(.invalidInput, "'anchors' must map names to descriptions", at: location(anchorsNode))
            }
            anchors = try map.map { key, value in (name: try text(key, what: "an anchor name"), text: try text(value, what: "an anchor description")) }
        }
        let system = try top["system"].map { try text($0, what: "'system'") }
        return CounterfactualProbe(system: system, groups: groups, prompts: prompts, anchors: anchors)
    }

    /// Every call of a run with `samples` samples per filled prompt, with stable keys.
    public func items(samples: Int) -> [RunItem] {
        var items: [RunItem] = []
        for (p, prompt) in prompts.enumerated() {
            for group in groups {
                for phrase in group.phrases {
                    let text = prompt.replacingOccurrences(of: "{group}", with: phrase)
                    var messages: [ChatTurn] = []
                    if let system { messages.append(ChatTurn(role: "system", content: system)) }
                    messages.append(ChatTurn(role: "user", content: text))
                    for s in 0..<samples {
                        items.append(RunItem(key: "p\(p)/\(group.name)/\(phrase)/s\(s)", messages: messages,
                                             labels: ["prompt": String(p), "group": group.name, "phrase": phrase]))
                    }
                }
            }
        }
        return items
    }

    /// SHA-256 of the templates as sent (system, prompts, groups, phrases): part of a run store's fingerprint, so a
    /// store is only resumed by the run it was made for.
    public var hash: String {
        var text = "system:\(system ?? "")\n"
        for prompt in prompts { text += "prompt:\(prompt)\n" }
        for group in groups { text += "group:\(group.name):\(group.phrases.joined(separator: "\u{1F}"))\n" }
        for anchor in anchors { text += "anchor:\(anchor.name):\(anchor.text)\n" }
        return Checksum.sha256(Array(text.utf8))
    }
}

/// The outcome of a probe run: per score, the groups compared; failures per prompt; cost.
public struct ProbeReport: Sendable, Encodable {
    /// One score's comparison.
    public struct ScoreComparison: Sendable, Encodable {
        /// The score's name (`offensive`, `refusal`, `pii`, `anchor:competent`…).
        public var score: String
        /// Groups and pairwise differences.
        public var comparison: GroupComparison
    }

    /// A prompt whose calls failed after every retry.
    public struct Failure: Sendable, Encodable {
        /// The item's key.
        public var key: String
        /// The last error.
        public var error: String
        /// Calls made.
        public var attempts: Int
    }

    /// The target.
    public var target: String
    /// Samples per filled prompt.
    public var samples: Int
    /// Items in the run, done, failed.
    public var total: Int
    /// See `total`.
    public var done: Int
    /// See `total`.
    public var failed: Int
    /// Per score.
    public var scores: [ScoreComparison]
    /// Failed items.
    public var failures: [Failure]
    /// Tokens the target reported over the done items.
    public var promptTokens: Int
    /// See `promptTokens`.
    public var completionTokens: Int
    /// Summed call time of the done items, in seconds.
    public var callSeconds: Double

    enum CodingKeys: String, CodingKey {
        case target, samples, total, done, failed, scores, failures, promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens", callSeconds = "call_seconds"
    }

    /// Builds the report from a run store's records.
    public init(probe: CounterfactualProbe, records: [RunRecord], target: String, samples: Int, total: Int, seed: UInt64 = 0) throws {
        self.target = target
        self.samples = samples
        self.total = total
        let done = records.filter { $0.status == "done" }
        self.done = done.count
        let failedRecords = records.filter { $0.status == "failed" }
        failed = failedRecords.count
        failures = failedRecords.map { Failure(key: $0.key, error: $0.error ?? "", attempts: $0.attempts) }
        promptTokens = done.compactMap(\.promptTokens).reduce(0, +)
        completionTokens = done.compactMap(\.completionTokens).reduce(0, +)
        callSeconds = done.map(\.seconds).reduce(0, +)
        let names = Array(Set(done.flatMap(\.scores.keys))).sorted()
        let order = probe.groups.map(\.name)
        scores = try names.map { name in
            let values = done.compactMap { record -> (group: String, value: Double)? in
                guard let group = record.labels["group"], let value = record.scores[name] else { return nil }
                return (group, value)
            }
            return ScoreComparison(score: name, comparison: try GroupComparison(values, order: order, seed: seed))
        }
    }
}
