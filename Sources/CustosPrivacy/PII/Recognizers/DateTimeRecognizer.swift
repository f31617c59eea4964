/// DATE_TIME: calendar dates a person could be identified by (birth dates, appointments, admissions), each
/// checked against the calendar (month 1–12, the month's days, leap years):
/// - ISO `1989-03-15` (also with `/` or `.`), optionally followed by ` hh:mm`;
/// - numeric `01/11/1954`, `1/31/51` (month/day or day/month, whichever is valid), `11.10.2013` and `11-10-2013`
///   (a four-digit year with dots and dashes, so version strings such as `1.8.32` are not dates);
/// - month names in English, full or abbreviated: `Oct 20, 1952`, `March 12, 2009`, `15 September 1960`,
///   `03-NOV-1954`;
/// - CJK `1965年7月30日`.
/// **Machine timestamps are not reported**: ISO 8601 with `T`, a time with seconds (`2022-06-18 19:10:43`), and the
/// Common Log Format (`28/Aug/2025:00:01:24`) stamp events in logs, not people.
public struct DateTimeRecognizer: Recognizer {
    public let name = "date_time"
    public let entities: [EntityType] = [.dateTime]
    public let contextWords = [
        "date", "dob", "birth", "born", "birthday", "birthdate", "admitted", "discharged", "appointment", "visited",
        "visit", "since", "expires", "expiry", "issued", "on", "geboren", "né", "née",
    ]
    /// Score of a date with a four-digit year.
    public var score = 0.85
    /// Score of a numeric date with a two-digit year.
    public var shortYearScore = 0.6

    public init() {}

    static let months: [(String, Int)] = [
        ("january", 1), ("february", 2), ("march", 3), ("april", 4), ("may", 5), ("june", 6), ("july", 7),
        ("august", 8), ("september", 9), ("october", 10), ("november", 11), ("december", 12), ("jan", 1), ("feb", 2),
        ("mar", 3), ("apr", 4), ("jun", 6), ("jul", 7), ("aug", 8), ("sep", 9), ("sept", 9), ("oct", 10), ("nov", 11),
        ("dec", 12),
    ]
    /// Month numbers by `packedLetters` of the name: a word is looked up without building an array or a string
    /// (every three-to-nine-letter word of a text is looked up).
    static let monthTable: [UInt64: Int] = Dictionary(
        uniqueKeysWithValues: months.map { (packedLetters($0.0.unicodeScalars.map(\.value)[...]), $0.1) })

    /// ASCII letters, case folded, packed five bits each (a = 1 … z = 26), the first in the lowest bits; distinct
    /// for distinct words of up to twelve letters. The caller passes ASCII letters only.
    @inline(__always) static func packedLetters(_ letters: ArraySlice<UInt32>) -> UInt64 {
        var key: UInt64 = 0
        var shift: UInt64 = 0
        for v in letters {
            key |= UInt64((v | 0x20) &- 96) << shift
            shift += 5
        }
        return key
    }

    public func recognize(_ text: ScalarText, into spans: inout [EntitySpan]) {
        guard text.hasDigit else { return }  // every date shape has a day or a year in digits
        let v = text.values
        var i = 0
        while i < v.count {
            let c = v[i]
            guard Scalars.isDigit(c) || Scalars.isASCIILetter(c), i == 0 || !Scalars.gluesToWord(v[i - 1]) else {
                i += 1
                continue
            }
            if i > 0, Scalars.isDigit(c), v[i - 1] == 46 || v[i - 1] == 47 || v[i - 1] == 58 || v[i - 1] == 45,
               i >= 2, Scalars.isDigit(v[i - 2]) {
                i += 1
                continue
            }
            var parser = DateParser(v: v, start: i)
            if let (end, s) = parser.parse(score: score, shortYearScore: shortYearScore) {
                spans.append(EntitySpan(start: i, end: end, type: .dateTime, score: s, recognizer: name))
                i = end
            } else {
                i += 1
                while i < v.count && Scalars.isWordChar(v[i]) && v[i] < 0x80 { i += 1 }
            }
        }
    }
}

/// A cursor over scalar values that parses one date at `start`.
struct DateParser {
    let v: [UInt32]
    let start: Int
    var i: Int

    init(v: [UInt32], start: Int) {
        self.v = v
        self.start = start
        self.i = start
    }

    mutating func parse(score: Double, shortYearScore: Double) -> (Int, Double)? {
        if Scalars.isDigit(v[start]) {
            if let end = isoDate() { return finish(end, score) }
            i = start
            if let (end, short) = numericDate() { return finish(end, short ? shortYearScore : score) }
            i = start
            if let end = dayMonthNameYear() { return finish(end, score) }
            i = start
            if let end = cjkDate() { return (end, score) }
            return nil
        }
        // Month names start with one of j, f, m, a, s, o, n, d.
        switch Scalars.lowerASCII(v[start]) {
        case 106, 102, 109, 97, 115, 111, 110, 100:
            if let end = monthNameDayYear() { return finish(end, score) }
        default:
            break
        }
        return nil
    }

    /// Appends ` hh:mm`; rejects the date when it is a machine timestamp.
    func finish(_ end: Int, _ score: Double) -> (Int, Double)? {
        var j = end
        if j < v.count && (v[j] == 84 || v[j] == 58) && j + 1 < v.count && Scalars.isDigit(v[j + 1]) { return nil }  // T or :
        guard j < v.count, v[j] == 32 else {
            return boundaryOK(end) ? (end, score) : nil
        }
        j += 1
        if let (h, m, after) = clock(at: j), h < 24, m < 60 {
            if after < v.count && v[after] == 58 && after + 1 < v.count && Scalars.isDigit(v[after + 1]) { return nil }
            return boundaryOK(after) ? (after, score) : nil
        }
        return boundaryOK(end) ? (end, score) : nil
    }

    func boundaryOK(_ end: Int) -> Bool {
        guard end < v.count else { return true }
        let n = v[end]
        if Scalars.gluesToWord(n) { return false }
        if (n == 46 || n == 47 || n == 45 || n == 58) && end + 1 < v.count && Scalars.isDigit(v[end + 1]) { return false }
        return true
    }

    func clock(at j: Int) -> (Int, Int, Int)? {
        var k = j
        var h = 0
        while k < v.count && Scalars.isDigit(v[k]) && k - j < 2 { h = h * 10 + Int(v[k] - 48); k += 1 }
        guard k > j, k + 2 < v.count, v[k] == 58, Scalars.isDigit(v[k + 1]), Scalars.isDigit(v[k + 2]) else { return nil }
        let m = Int(v[k + 1] - 48) * 10 + Int(v[k + 2] - 48)
        if k + 3 < v.count && Scalars.isDigit(v[k + 3]) { return nil }
        return (h, m, k + 3)
    }

    mutating func number(maxDigits: Int) -> (value: Int, digits: Int)? {
        let s = i
        var value = 0
        while i < v.count && Scalars.isDigit(v[i]) && i - s < maxDigits { value = value * 10 + Int(v[i] - 48); i += 1 }
        if i < v.count && Scalars.isDigit(v[i]) { return nil }
        return i > s ? (value, i - s) : nil
    }

    mutating func expect(_ c: UInt32) -> Bool {
        guard i < v.count, v[i] == c else { return false }
        i += 1
        return true
    }

    /// A month name (full or abbreviated, any case, optional trailing dot).
    mutating func monthName() -> Int? {
        let s = i
        while i < v.count && Scalars.isASCIILetter(v[i]) { i += 1 }
        // Every date shape has a digit within four scalars after the name (`Sept., 1960`): checked before the
        // table lookup, which most words never reach.
        guard i - s >= 3, i - s <= 9, !(i < v.count && Scalars.isWordChar(v[i])),
              (i..<min(i + 4, v.count)).contains(where: { Scalars.isDigit(v[$0]) }),
              let month = DateTimeRecognizer.monthTable[DateTimeRecognizer.packedLetters(v[s..<i])] else { return nil }
        if i < v.count && v[i] == 46 { i += 1 }
        return month
    }

    static func isValid(year: Int, month: Int, day: Int) -> Bool {
        guard (1...12).contains(month), day >= 1 else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= days[month - 1]
    }

    /// `yyyy-mm-dd`, `yyyy/mm/dd`, `yyyy.mm.dd`.
    mutating func isoDate() -> Int? {
        guard let (year, yd) = number(maxDigits: 4), yd == 4, (1800...2199).contains(year), i < v.count else { return nil }
        let sep = v[i]
        guard sep == 45 || sep == 47 || sep == 46, expect(sep), let (month, _) = number(maxDigits: 2), expect(sep),
              let (day, _) = number(maxDigits: 2), Self.isValid(year: year, month: month, day: day) else { return nil }
        return i
    }

    /// `m/d/yy(yy)` or `d/m/yy(yy)`; dots and dashes need a four-digit year; `dd-MON-yyyy`.
    mutating func numericDate() -> (Int, Bool)? {
        guard let (a, _) = number(maxDigits: 2), i < v.count else { return nil }
        let sep = v[i]
        guard sep == 47 || sep == 46 || sep == 45 else { return nil }
        i += 1
        if i < v.count && Scalars.isASCIILetter(v[i]) {  // 03-NOV-1954, 28/Aug/2025
            guard let month = monthName(), expect(sep), let (year, yd) = number(maxDigits: 4), yd == 4,
                  Self.isValid(year: year, month: month, day: a) else { return nil }
            return (i, false)
        }
        guard let (b, _) = number(maxDigits: 2), expect(sep), let (y, yd) = number(maxDigits: 4),
              yd == 4 || (yd == 2 && sep == 47) else { return nil }
        let year = yd == 4 ? y : (y < 50 ? 2000 + y : 1900 + y)
        guard Self.isValid(year: year, month: a, day: b) || Self.isValid(year: year, month: b, day: a) else { return nil }
        return (i, yd == 2)
    }

    /// `15 September 1960`, `15th Sept. 1960`.
    mutating func dayMonthNameYear() -> Int? {
        guard let (day, _) = number(maxDigits: 2) else { return nil }
        skipOrdinal()
        guard expect(32), let month = monthName() else { return nil }
        _ = expect(44)
        guard expect(32), let (year, yd) = number(maxDigits: 4), yd == 4,
              Self.isValid(year: year, month: month, day: day) else { return nil }
        return i
    }

    /// `Oct 20, 1952`, `March 12 2009`, `July 1st, 1995`.
    mutating func monthNameDayYear() -> Int? {
        guard let month = monthName(), expect(32), let (day, _) = number(maxDigits: 2) else { return nil }
        skipOrdinal()
        _ = expect(44)
        guard expect(32), let (year, yd) = number(maxDigits: 4), yd == 4,
              Self.isValid(year: year, month: month, day: day) else { return nil }
        return i
    }

    /// `1965年7月30日`.
    mutating func cjkDate() -> Int? {
        guard let (year, yd) = number(maxDigits: 4), yd == 4, expect(0x5E74), let (month, _) = number(maxDigits: 2),
              expect(0x6708), let (day, _) = number(maxDigits: 2), expect(0x65E5),
              Self.isValid(year: year, month: month, day: day) else { return nil }
        return i
    }

    mutating func skipOrdinal() {
        guard i + 1 < v.count else { return }
        let pair = (Scalars.lowerASCII(v[i]), Scalars.lowerASCII(v[i + 1]))
        if pair == (115, 116) || pair == (110, 100) || pair == (114, 100) || pair == (116, 104) { i += 2 }
    }
}
