/// EMAIL_ADDRESS: `local@domain.tld` (RFC 5322 dot-atom local part, LDH domain labels, an alphabetic TLD of
/// 2–24 letters). Validated: no leading, trailing or doubled dots; labels do not start or end with a hyphen.
public struct EmailRecognizer: Recognizer {
    public let name = "email"
    public let entities: [EntityType] = [.emailAddress]
    public let contextWords = ["email", "e-mail", "mail", "contact", "address"]
    /// Score of a validated address.
    public var score = 1.0

    public init() {}

    public func recognize(_ text: ScalarText, into spans: inout [EntitySpan]) {
        let v = text.values
        var i = 0
        while i < v.count {
            defer { i += 1 }
            guard v[i] == 64 /* @ */ else { continue }
            var start = i
            while start > 0 && Self.isLocal(v[start - 1]) { start -= 1 }
            while start < i && v[start] == 46 { start += 1 }  // a local part does not start with '.'
            guard start < i, v[i - 1] != 46, !v[start..<i].adjacentDots else { continue }
            guard let end = Self.domainEnd(v, from: i + 1) else { continue }
            spans.append(EntitySpan(start: start, end: end, type: .emailAddress, score: score, recognizer: name))
            i = end - 1
        }
    }

    static func isLocal(_ c: UInt32) -> Bool {
        Scalars.isASCIIAlnum(c) || c == 46 || c == 95 || c == 37 || c == 43 || c == 45  // . _ % + -
    }

    /// The end of a domain with at least two labels and an alphabetic TLD starting at `from`, or nil.
    static func domainEnd(_ v: [UInt32], from: Int) -> Int? {
        var labelStart = from
        var lastLabel = from..<from
        var labels = 0
        var i = from
        while true {
            while i < v.count && (Scalars.isASCIIAlnum(v[i]) || v[i] == 45) { i += 1 }
            guard i > labelStart, v[labelStart] != 45, v[i - 1] != 45 else { break }
            labels += 1
            lastLabel = labelStart..<i
            if i + 1 < v.count && v[i] == 46 && Scalars.isASCIIAlnum(v[i + 1]) {
                i += 1
                labelStart = i
            } else {
                break
            }
        }
        guard labels >= 2, (2...24).contains(lastLabel.count),
              v[lastLabel].allSatisfy(Scalars.isASCIILetter) else { return nil }
        return lastLabel.upperBound
    }
}

extension ArraySlice where Element == UInt32 {
    /// Whether two dots follow each other.
    var adjacentDots: Bool {
        var previousDot = false
        for c in self {
            if c == 46 && previousDot { return true }
            previousDot = c == 46
        }
        return false
    }
}
