/// US_SSN: `ddd-dd-dddd`, `ddd dd dddd` (one separator kind) or nine contiguous digits, rejecting numbers the
/// Social Security Administration never issues: area 000, 666 or 900–999, group 00, serial 0000, and the
/// publicised invalid numbers (078-05-1120, 219-09-9999, 123-45-6789). Nine bare digits score low and need a
/// context word (`ssn`, `social security`) to be reported.
public struct SSNRecognizer: Recognizer {
    public let name = "us_ssn"
    public let entities: [EntityType] = [.usSSN]
    public let contextWords = ["ssn", "ssns", "social", "security", "ss", "taxpayer", "tin", "itin"]
    /// Score of a separated number.
    public var separatedScore = 0.6
    /// Score of nine bare digits.
    public var bareScore = 0.3

    public init() {}

    public func recognize(_ text: ScalarText, into spans: inout [EntitySpan]) {
        guard text.hasDigit else { return }  // digits only
        let v = text.values
        var i = 0
        while i + 9 <= v.count {
            guard Scalars.isDigit(v[i]), DigitGroups.boundaryBefore(v, i), !(i > 0 && (v[i - 1] == 43 || v[i - 1] == 35)) else {
                i += 1
                continue
            }
            let run = DigitGroups.read(v, from: i, separators: [32, 45], maxGroups: 4)
            let g = run.groups
            var matched: (Int, Double)?
            if g.count >= 3, g[0].count == 3, g[1].count == 2, g[2].count == 4, run.uniformSeparators(0, 2),
               DigitGroups.boundaryAfter(v, g[2].upperBound), g.count == 3 || run.separators[2] != run.separators[0] {
                matched = (g[2].upperBound, separatedScore)
            } else if g[0].count == 9, g.count == 1, DigitGroups.boundaryAfter(v, g[0].upperBound) {
                matched = (g[0].upperBound, bareScore)
            }
            if let (end, score) = matched, Self.isValid(run.digits(v, 0, g.count >= 3 && g[0].count == 3 ? 2 : 0)) {
                spans.append(EntitySpan(start: i, end: end, type: .usSSN, score: score, recognizer: name))
                i = end
            } else {
                i = g[0].upperBound
            }
        }
    }

    /// Whether nine digits could be an issued SSN.
    static func isValid(_ d: [UInt8]) -> Bool {
        guard d.count == 9 else { return false }
        let area = Int(d[0]) * 100 + Int(d[1]) * 10 + Int(d[2])
        let group = Int(d[3]) * 10 + Int(d[4])
        let serial = d[5...].reduce(0) { $0 * 10 + Int($1) }
        guard area != 0, area != 666, area < 900, group != 0, serial != 0 else { return false }
        let whole = d.reduce(0) { $0 * 10 + Int($1) }
        if whole == 78_051_120 || whole == 219_099_999 || whole == 123_456_789 { return false }
        return Set(d).count > 1
    }
}
