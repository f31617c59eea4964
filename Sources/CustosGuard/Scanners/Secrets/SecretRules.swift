import Foundation

/// The built-in secret rules, most specific first (an overlapping later match is dropped).
enum SecretRules {
    /// Shortest value the keyword-context rule accepts (shorter values are mostly examples and field names).
    static let minimumKeywordValueLength = 8
    /// Shannon entropy (bits per character) a keyword-context value must reach; English words of that length
    /// stay below it, generated passwords are above ~3.5.
    static let minimumKeywordValueEntropy = 3.0

    static let all: [SecretRule] = [
        SecretRule("private_key", anchors: ["PRIVATE KEY-----"],
                   pattern: #"-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\s\S]*?(?:-----END \1PRIVATE KEY-----|\z)"#),
        SecretRule("aws_access_key_id", anchors: ["AKIA", "ASIA", "ABIA", "ACCA", "AIDA", "AROA", "AIPA", "ANPA", "ANVA", "APKA", "AGPA"],
                   pattern: #"(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA|AIDA|AROA|AIPA|ANPA|ANVA|APKA|AGPA)[A-Z0-9]{16}(?![A-Za-z0-9])"#),
        SecretRule("aws_secret_access_key", anchors: ["secret", "aws"], caseInsensitive: true,
                   pattern: #"(?:secret|aws)[A-Za-z_ "'\-]{0,30}(?:[:=]|is|,)\s*["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])"#, group: 1,
                   accept: { hasMixedClasses($0) }),
        SecretRule("github_fine_grained", anchors: ["github_pat_"], pattern: #"github_pat_[A-Za-z0-9_]{22,255}"#),
        SecretRule("github_classic", anchors: ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"],
                   pattern: #"(?<![A-Za-z0-9])gh[pousr]_[A-Za-z0-9]{36}(?![A-Za-z0-9])"#),
        SecretRule("slack", anchors: ["xox"], pattern: #"(?<![A-Za-z0-9])xox[abposr]-[A-Za-z0-9-]{10,}"#),
        SecretRule("slack", anchors: ["hooks.slack.com"], pattern: #"https://hooks\.slack\.com/services/[A-Za-z0-9_/-]+"#),
        SecretRule("stripe", anchors: ["_live_", "_test_"],
                   pattern: #"(?<![A-Za-z0-9])(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}"#),
        SecretRule("google_api_key", anchors: ["AIza"], pattern: #"AIza[A-Za-z0-9_\-]{35}(?![A-Za-z0-9_\-])"#),
        SecretRule("jwt", anchors: ["eyJ"],
                   pattern: #"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"#),
        SecretRule("db_url_password", anchors: ["://"],
                   pattern: #"[A-Za-z][A-Za-z0-9+.\-]{1,20}://[^\s:/@'"]+:([^\s@/'"]+)@[A-Za-z0-9.\-\[\]]+"#, group: 1,
                   accept: { !isPlaceholder($0) }),
        SecretRule("password", anchors: ["pass", "pwd", "secret", "token", "api_key", "apikey", "credential"], caseInsensitive: true,
                   pattern: #"(?:password|passwd|passphrase|pwd|pass|secret|client_secret|token|api_key|apikey|credentials?)["']?(?:\s*[:=]\s*|\s+is\s+|\s*=\s*)["']?([^\s"'<>,;]+)"#,
                   group: 1, accept: { isKeywordSecret($0) }),
    ]

    /// The anchors of `all`, for one pass per text.
    static let anchorIndex = AnchorIndex(all)

    /// Values people paste instead of real secrets.
    static func isPlaceholder(_ value: String) -> Bool {
        let lower = value.lowercased()
        let placeholders = ["password", "changeme", "example", "secret", "xxxx", "****", "<", "${", "{{", "%s", "your", "redacted", "dummy"]
        return placeholders.contains { lower.contains($0) } || Set(lower).count <= 2
    }

    /// Keyword-context value: long enough, not a placeholder, and random-looking.
    static func isKeywordSecret(_ value: String) -> Bool {
        value.count >= minimumKeywordValueLength && !isPlaceholder(value) && shannonEntropy(value) >= minimumKeywordValueEntropy
            && hasMixedClasses(value)
    }

    /// At least two of: lowercase, uppercase, digits, symbols.
    static func hasMixedClasses(_ value: String) -> Bool {
        var classes = Set<Int>()
        for s in value.unicodeScalars {
            switch s.value {
            case 0x61...0x7A: classes.insert(0)
            case 0x41...0x5A: classes.insert(1)
            case 0x30...0x39: classes.insert(2)
            default: classes.insert(3)
            }
        }
        return classes.count >= 2
    }

    /// Shannon entropy of the characters of `value`, in bits per character.
    static func shannonEntropy(_ value: String) -> Double {
        var counts: [Unicode.Scalar: Int] = [:]
        for s in value.unicodeScalars { counts[s, default: 0] += 1 }
        let n = Double(value.unicodeScalars.count)
        guard n > 0 else { return 0 }
        return counts.values.reduce(0) { acc, c in
            let p = Double(c) / n
            return acc - p * log2(p)
        }
    }
}

/// Which rules' anchors occur in a text, found in one pass over it: a bit set over each anchor's first three
/// bytes (lowercased) rules out almost every position, and the positions left compare the anchors that start
/// with those bytes (case-sensitive anchors against the text as written). Equivalent to asking every rule's
/// `mayMatch` on the whole text, without one search per anchor.
struct AnchorIndex: Sendable {
    private struct Anchor: Sendable {
        var rule: Int
        var bytes: [UInt8]
        var caseInsensitive: Bool
    }

    private var filter = [UInt64](repeating: 0, count: 1 << 10)
    private var anchors: [UInt32: [Anchor]] = [:]
    /// Anchors under three bytes (none among the built-in rules) are searched for on their own.
    private var shortAnchors: [Anchor] = []
    private let ruleCount: Int

    init(_ rules: [SecretRule]) {
        ruleCount = rules.count
        for (r, rule) in rules.enumerated() {
            for anchor in rule.anchors {
                guard anchor.count >= 3 else {
                    shortAnchors.append(Anchor(rule: r, bytes: anchor, caseInsensitive: rule.caseInsensitiveAnchors))
                    continue
                }
                let key = Self.key(anchor[0], anchor[1], anchor[2])
                let bit = Self.bit(key)
                filter[bit >> 6] |= 1 << UInt64(bit & 63)
                anchors[key, default: []].append(Anchor(rule: r, bytes: anchor, caseInsensitive: rule.caseInsensitiveAnchors))
            }
        }
    }

    @inline(__always) private static func key(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> UInt32 {
        @inline(__always) func lower(_ x: UInt8) -> UInt32 { UInt32(x &- 0x41 < 26 ? x | 0x20 : x) }
        return lower(a) | lower(b) << 8 | lower(c) << 16
    }

    @inline(__always) private static func bit(_ key: UInt32) -> Int { Int((key &* 0x9E37_79B1) >> 16) }

    /// For each rule, whether one of its anchors occurs in `bytes` (`lowered` is their ASCII lowercase).
    func rulesPresent(_ bytes: [UInt8], lowered: [UInt8]) -> [Bool] {
        var present = [Bool](repeating: false, count: ruleCount)
        for anchor in shortAnchors where !anchor.bytes.isEmpty {
            present[anchor.rule] = present[anchor.rule] || ByteSearch.contains((anchor.caseInsensitive ? lowered : bytes)[...], anchor.bytes)
        }
        guard bytes.count >= 3 else { return present }
        lowered.withUnsafeBufferPointer { low in
            bytes.withUnsafeBufferPointer { raw in
                for i in 0..<(low.count - 2) {
                    let key = UInt32(low[i]) | UInt32(low[i + 1]) << 8 | UInt32(low[i + 2]) << 16
                    let bit = Self.bit(key)
                    guard filter[bit >> 6] >> UInt64(bit & 63) & 1 != 0, let candidates = anchors[key] else { continue }
                    for anchor in candidates where !present[anchor.rule] && i + anchor.bytes.count <= low.count {
                        let haystack = anchor.caseInsensitive ? low : raw
                        if (0..<anchor.bytes.count).allSatisfy({ haystack[i + $0] == anchor.bytes[$0] }) { present[anchor.rule] = true }
                    }
                }
            }
        }
        return present
    }
}
