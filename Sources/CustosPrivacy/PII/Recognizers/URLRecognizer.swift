/// URL: `http://`, `https://`, `ftp://` or `www.` followed by a host with a dot and an optional path, query
/// and fragment (RFC 3986 characters). Trailing sentence punctuation and unbalanced closing brackets are not
/// part of the URL. Bare domains (`example.com`) are not reported: they are too often ordinary words or the
/// domain of an e-mail address, which belongs to the EMAIL_ADDRESS span.
public struct URLRecognizer: Recognizer {
    public let name = "url"
    public let entities: [EntityType] = [.url]
    public let contextWords = ["url", "link", "website", "site", "web", "homepage"]
    /// Score of a well-formed URL.
    public var score = 0.85

    public init() {}

    private static let schemes: [[UInt32]] = ["https://", "http://", "ftp://", "www."].map { $0.unicodeScalars.map(\.value) }

    public func recognize(_ text: ScalarText, into spans: inout [EntitySpan]) {
        let v = text.values
        var i = 0
        while i < v.count {
            let c = Scalars.lowerASCII(v[i])
            // `ht`, `ft` or `ww` (every scheme's first two letters) not inside a word.
            guard c == 104 || c == 102 || c == 119, i + 1 < v.count, Scalars.lowerASCII(v[i + 1]) == (c == 119 ? 119 : 116),
                  i == 0 || !(Scalars.isASCIIAlnum(v[i - 1]) || v[i - 1] == 64 || v[i - 1] == 46) else {
                i += 1
                continue
            }
            guard let scheme = Self.schemes.first(where: { Self.startsWith($0, v, at: i) }) else {
                i += 1
                continue
            }
            let hostStart = i + (scheme.last == 46 ? 0 : scheme.count)
            guard let hostEnd = Self.hostEnd(v, from: hostStart) else {
                i += scheme.count
                continue
            }
            var end = hostEnd
            if end < v.count && v[end] == 58 {  // :port
                var p = end + 1
                while p < v.count && Scalars.isDigit(v[p]) { p += 1 }
                if p > end + 1 { end = p }
            }
            if end < v.count && (v[end] == 47 || v[end] == 63 || v[end] == 35) {
                while end < v.count && Self.isURLChar(v[end]) { end += 1 }
            }
            end = Self.trimTrailing(v, start: i, end: end)
            spans.append(EntitySpan(start: i, end: end, type: .url, score: score, recognizer: name))
            i = end
        }
    }

    /// Whether `v[at...]` starts with the lower-case ASCII `prefix`, ignoring ASCII case.
    @inline(__always)
    static func startsWith(_ prefix: [UInt32], _ v: [UInt32], at start: Int) -> Bool {
        guard start + prefix.count <= v.count else { return false }
        for k in 0..<prefix.count where Scalars.lowerASCII(v[start + k]) != prefix[k] { return false }
        return true
    }

    static func hostEnd(_ v: [UInt32], from: Int) -> Int? {
        var i = from
        var labels = 0
        var lastLabel = from..<from
        while true {
            let start = i
            while i < v.count && (Scalars.isASCIIAlnum(v[i]) || v[i] == 45) { i += 1 }
            guard i > start else { break }
            labels += 1
            lastLabel = start..<i
            if i + 1 < v.count && v[i] == 46 && Scalars.isASCIIAlnum(v[i + 1]) { i += 1 } else { break }
        }
        guard labels >= 2, lastLabel.count >= 2, v[lastLabel].allSatisfy(Scalars.isASCIILetter) else { return nil }
        return lastLabel.upperBound
    }

    static func isURLChar(_ c: UInt32) -> Bool {
        guard c > 32 && c < 127 else { return false }
        switch c {
        case 34, 60, 62, 92, 94, 96, 123, 124, 125: return false  // " < > \ ^ ` { | }
        default: return true
        }
    }

    static func trimTrailing(_ v: [UInt32], start: Int, end: Int) -> Int {
        var end = end
        while end > start {
            let c = v[end - 1]
            if c == 46 || c == 44 || c == 59 || c == 58 || c == 33 || c == 63 || c == 39 || c == 42 {
                end -= 1
            } else if c == 41 || c == 93 {  // ) ]
                let open: UInt32 = c == 41 ? 40 : 91
                let opens = v[start..<end].filter { $0 == open }.count
                let closes = v[start..<end].filter { $0 == c }.count
                if closes > opens { end -= 1 } else { break }
            } else {
                break
            }
        }
        return end
    }
}
