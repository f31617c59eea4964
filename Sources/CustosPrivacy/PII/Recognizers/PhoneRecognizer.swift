/// PHONE_NUMBER in three shapes, each validated:
/// - **International** (`+` then the digits, separated by spaces, dashes, dots or a parenthesised area code):
///   the ITU-T E.164 country calling code is looked up (codes are prefix-free) and the national significant
///   number must have a length that country uses; at most 15 digits in all. For `+1` the number must also be a
///   valid North American one.
/// - **North American** without `+`: ten digits, or eleven with a leading 1, in the 3-3-4 shape (`(909) 332-8757`,
///   `715-866-8608`, `703.976.5204`, `1-707-944-7225`) with area code and exchange starting 2–9. Ten bare digits
///   score low and need a context word (`phone`, `tel`, `call`…).
/// - **National with a trunk 0** (`020 7946 0958`, `06 12 34 56 78`): 9–11 digits in groups; scored low and
///   reported only with a context word.
public struct PhoneRecognizer: Recognizer {
    public let name = "phone"
    public let entities: [EntityType] = [.phoneNumber]
    public let contextWords = [
        "phone", "telephone", "tel", "mobile", "cell", "cellphone", "call", "fax", "whatsapp", "sms", "text",
        "contact", "number", "ring", "dial", "telefon", "téléphone", "portable", "handy", "电话", "電話", "전화",
    ]
    /// Score of a validated international or separated North American number.
    public var score = 0.75
    /// Score of shapes that need context.
    public var weakScore = 0.4

    public init() {}

    /// National significant number lengths by country calling code (ITU-T E.164 and national numbering plans).
    public static let nationalLengths: [Int: ClosedRange<Int>] = [
        1: 10...10, 7: 10...10, 20: 8...10, 27: 9...9, 30: 10...10, 31: 9...9, 32: 8...9, 33: 9...9, 34: 9...9,
        36: 8...9, 39: 6...11, 40: 9...9, 41: 9...9, 43: 4...13, 44: 7...10, 45: 8...8, 46: 7...13, 47: 8...8,
        48: 9...9, 49: 6...13, 51: 8...9, 52: 10...10, 53: 6...8, 54: 10...11, 55: 10...11, 56: 9...9, 57: 8...10,
        58: 10...10, 60: 7...10, 61: 9...9, 62: 8...12, 63: 8...10, 64: 8...10, 65: 8...8, 66: 8...9, 81: 9...10,
        82: 8...11, 84: 9...10, 86: 10...12, 90: 10...10, 91: 10...10, 92: 9...10, 93: 9...9, 94: 9...9, 95: 7...10,
        98: 10...10, 212: 9...9, 213: 8...9, 216: 8...8, 218: 8...9, 220: 7...7, 221: 9...9, 225: 8...10,
        233: 9...9, 234: 8...10, 237: 8...9, 251: 9...9, 254: 9...10, 255: 9...9, 256: 9...9, 260: 9...9,
        263: 9...10, 351: 9...9, 352: 6...11, 353: 7...9, 354: 7...9, 355: 8...9, 356: 8...8, 357: 8...8,
        358: 5...12, 359: 7...9, 370: 8...8, 371: 8...8, 372: 7...8, 373: 8...8, 374: 8...8, 375: 9...10,
        376: 6...9, 377: 8...9, 380: 9...9, 381: 8...12, 382: 8...8, 385: 8...9, 386: 8...8, 387: 8...9,
        389: 8...8, 420: 9...9, 421: 9...9, 423: 7...9, 852: 8...8, 853: 8...8, 855: 8...9, 856: 8...10,
        880: 10...10, 886: 8...9, 960: 7...7, 961: 7...8, 962: 8...9, 963: 8...9, 964: 8...10, 965: 8...8,
        966: 8...9, 967: 7...9, 968: 8...8, 970: 8...9, 971: 8...9, 972: 8...9, 973: 8...8, 974: 8...8,
        975: 7...8, 976: 8...8, 977: 8...10, 992: 9...9, 993: 8...8, 994: 9...9, 995: 9...9, 996: 9...9,
        998: 9...9,
    ]

    public func recognize(_ text: ScalarText, into spans: inout [EntitySpan]) {
        guard text.hasDigit else { return }  // every phone number has digits
        let v = text.values
        var i = 0
        while i < v.count {
            let c = v[i]
            let startsNumber = Scalars.isDigit(c) || ((c == 43 || c == 40) && i + 1 < v.count && Scalars.isDigit(v[i + 1]))
            guard startsNumber, DigitGroups.boundaryBefore(v, i) else { i += 1; continue }
            let candidate = Self.readRun(v, from: i)
            if let score = evaluate(v, candidate), DigitGroups.boundaryAfter(v, candidate.end) {
                spans.append(EntitySpan(start: i, end: candidate.end, type: .phoneNumber, score: score, recognizer: name))
                i = candidate.end
            } else {
                i = max(i + 1, candidate.firstGroupEnd)
            }
        }
    }

    struct Run {
        var end: Int
        var digits: [UInt8]
        var groupLengths: [Int]
        var separators: [UInt32]
        var plus: Bool
        var firstGroupEnd: Int
        var bracketed = false
    }

    /// Digits with single separators (space, dash, dot, or brackets around a group).
    static func readRun(_ v: [UInt32], from start: Int) -> Run {
        var run = Run(end: start, digits: [], groupLengths: [], separators: [], plus: v[start] == 43, firstGroupEnd: start + 1)
        var i = run.plus ? start + 1 : start
        var pendingSeparators: [UInt32] = []
        var openBracket = false
        while i < v.count {
            let c = v[i]
            if Scalars.isDigit(c) {
                let g = i
                while i < v.count && Scalars.isDigit(v[i]) { i += 1 }
                if !run.groupLengths.isEmpty { run.separators.append(pendingSeparators.first(where: { $0 != 40 && $0 != 41 }) ?? 40) }
                if run.groupLengths.isEmpty { run.firstGroupEnd = i }
                run.groupLengths.append(i - g)
                for k in g..<i { run.digits.append(UInt8(v[k] - 48)) }
                run.end = i
                pendingSeparators = []
                if i < v.count && v[i] == 41 {  // ')'
                    guard openBracket else { break }
                    openBracket = false
                    run.bracketed = true
                    i += 1
                    run.end = i
                    pendingSeparators = [41]
                }
                if run.digits.count > 15 { break }
            } else if (c == 32 || c == 45 || c == 46) && pendingSeparators.count < 2 && !run.groupLengths.isEmpty
                        && (pendingSeparators.isEmpty || pendingSeparators == [41]) {
                pendingSeparators.append(c)
                i += 1
            } else if c == 40 && !openBracket && pendingSeparators.count < 2 {
                openBracket = true
                pendingSeparators.append(c)
                i += 1
            } else {
                break
            }
        }
        return run
    }

    func evaluate(_ v: [UInt32], _ run: Run) -> Double? {
        let d = run.digits
        guard d.count >= 7, d.count <= 15 else { return nil }
        let uniform = Set(run.separators.filter { $0 != 40 }).count <= 1
        if run.plus {
            guard let (code, national) = Self.splitCountryCode(d), let range = Self.nationalLengths[code] ?? (code >= 200 ? 6...12 : nil),
                  range.contains(national.count) else { return nil }
            if code == 1 && !Self.isNANP(national) { return nil }
            return score
        }
        if d.count == 11 && d[0] == 1 && run.groupLengths == [1, 3, 3, 4] && uniform {
            return Self.isNANP(Array(d[1...])) ? score : nil
        }
        if d.count == 10 && Self.isNANP(d) {
            if run.groupLengths == [3, 3, 4] && (uniform || run.bracketed) { return score }
            if run.groupLengths == [10] { return weakScore }
        }
        if d[0] == 0, (9...11).contains(d.count), run.groupLengths.count >= 2, run.groupLengths.allSatisfy({ $0 >= 2 }), uniform {
            return weakScore
        }
        return nil
    }

    /// A North American number: area code and exchange start with 2–9, and the area code is not N11.
    static func isNANP(_ d: [UInt8]) -> Bool {
        d.count == 10 && d[0] >= 2 && d[3] >= 2 && !(d[1] == 1 && d[2] == 1)
    }

    /// Splits off the country calling code (prefix-free: the first known prefix wins).
    static func splitCountryCode(_ d: [UInt8]) -> (Int, [UInt8])? {
        var code = 0
        for k in 0..<min(3, d.count) {
            code = code * 10 + Int(d[k])
            if nationalLengths[code] != nil || (k == 2 && code >= 200) { return (code, Array(d[(k + 1)...])) }
        }
        return nil
    }
}
