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
