/// IBAN_CODE: a country code, two check digits and the BBAN, contiguous or in groups of four separated by single
/// spaces, whose length is the one registered for that country (SWIFT IBAN registry) and whose ISO 7064
/// mod-97-10 check equals 1.
public struct IBANRecognizer: Recognizer {
    public let name = "iban"
    public let entities: [EntityType] = [.ibanCode]
    public let contextWords = ["iban", "bank", "account", "transfer", "sepa", "konto", "compte", "bic", "swift"]
    /// Score of a valid IBAN.
    public var score = 1.0

    public init() {}

    /// Total IBAN length per ISO 3166 country code (SWIFT IBAN registry).
    public static let lengths: [String: Int] = [
        "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BI": 27,
        "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27, "DK": 18, "DO": 28,
        "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23,
        "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27,
        "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25,
        "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18,
        "NO": 15, "OM": 23, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33,
        "SA": 24, "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28,
        "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
    ]

    private static let table: [UInt32: Int] = {
        var t: [UInt32: Int] = [:]
        for (code, length) in lengths {
            let s = code.unicodeScalars.map(\.value)
            t[s[0] << 8 | s[1]] = length
        }
        return t
    }()

    public func recognize(_ text: ScalarText, into spans: inout [EntitySpan]) {
        guard text.hasDigit else { return }  // check digits follow the country code
        let v = text.values
        var i = 0
        while i + 15 <= v.count {
            guard Scalars.isUpper(v[i]), Scalars.isUpper(v[i + 1]), Scalars.isDigit(v[i + 2]), Scalars.isDigit(v[i + 3]),
                  i == 0 || !Scalars.gluesToWord(v[i - 1]), let length = Self.table[v[i] << 8 | v[i + 1]] else {
                i += 1
                continue
            }
            if let (chars, end) = Self.read(v, from: i, length: length), Checksums.ibanMod97(chars) {
                spans.append(EntitySpan(start: i, end: end, type: .ibanCode, score: score, recognizer: name))
                i = end
            } else {
                i += 2
            }
        }
    }

    /// Reads `length` IBAN characters from `start`, allowing single spaces between groups of four; nil when the
    /// text does not have that shape or continues with a letter or digit.
    static func read(_ v: [UInt32], from start: Int, length: Int) -> ([UInt32], Int)? {
        var chars: [UInt32] = []
        chars.reserveCapacity(length)
        var i = start
        var spaced: Bool?
        while chars.count < length {
            guard i < v.count else { return nil }
            let c = v[i]
            if Scalars.isDigit(c) || Scalars.isUpper(c) {
                chars.append(c)
                i += 1
            } else if c == 32 && chars.count % 4 == 0 && spaced != false && i + 1 < v.count && Scalars.isASCIIAlnum(v[i + 1]) {
                spaced = true
                i += 1
            } else {
                return nil
            }
            if chars.count == 4 && spaced == nil && i < v.count && v[i] != 32 { spaced = false }
        }
        guard i == v.count || !Scalars.gluesToWord(v[i]) else { return nil }
        return (chars, i)
    }
}
