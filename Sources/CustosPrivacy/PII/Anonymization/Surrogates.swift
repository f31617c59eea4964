import Crypto

/// Format-preserving surrogates for `pseudonymize`: digits stay digits, letters stay letters of the same case
/// (Han stays Han, Hangul stays Hangul), punctuation and spaces stay where they were. Structure a reader or
/// a validator relies on is kept: an e-mail keeps its `@` and top-level domain, a URL its scheme and top-level
/// domain, a phone number its `+` and country code, an IBAN its country and valid check digits, a card number
/// its issuer digit and a valid Luhn digit, an IPv4 address four octets in 0…255.
/// The characters come from HMAC-SHA256 under the pseudonym subkey, keyed by type and value, so one key
/// always gives one surrogate for one value.
struct SurrogateGenerator {
    let key: SymmetricKey

    init(key: AnonymizerKey) { self.key = key.subkey("pseudonym") }

    /// A deterministic byte stream for (type, value, attempt).
    struct Stream {
        let key: SymmetricKey
        let seed: [UInt8]
        var block: [UInt8] = []
        var counter: UInt32 = 0
        var position = 0

        mutating func next(_ bound: Int) -> Int {
            // Rejection sampling on 16-bit draws keeps every outcome equally likely.
            let limit = (65536 / bound) * bound
            while true {
                let value = Int(byte()) << 8 | Int(byte())
                if value < limit { return value % bound }
            }
        }

        mutating func byte() -> UInt8 {
            if position == block.count {
                var message = seed
                withUnsafeBytes(of: counter.bigEndian) { message.append(contentsOf: $0) }
                block = Array(HMAC<SHA256>.authenticationCode(for: message, using: key))
                counter += 1
                position = 0
            }
            defer { position += 1 }
            return block[position]
        }
    }

    func stream(type: EntityType, value: String, attempt: Int) -> Stream {
        Stream(key: key, seed: Array("\(type.rawValue)\u{0}\(attempt)\u{0}\(value)".utf8))
    }

    func surrogate(for value: String, type: EntityType, attempt: Int) -> String {
        var s = stream(type: type, value: value, attempt: attempt)
        var v = value.unicodeScalars.map(\.value)
        var protected = [Bool](repeating: false, count: v.count)
        func protect(_ r: Range<Int>) { for k in r where k < v.count { protected[k] = true } }

        switch type {
        case .emailAddress:
            if let at = v.firstIndex(of: 64) { protect(at..<(at + 1)) }
            if let dot = v.lastIndex(of: 46) { protect(dot..<v.count) }
        case .url:
            let lower = String(String.UnicodeScalarView(value.unicodeScalars.map { Unicode.Scalar(Scalars.lowerASCII($0.value)) ?? $0 }))
            for prefix in ["https://www.", "http://www.", "https://", "http://", "ftp://", "www."] where lower.hasPrefix(prefix) {
                protect(0..<prefix.unicodeScalars.count)
                break
            }
            let hostEnd = v.firstIndex(where: { $0 == 47 || $0 == 63 || $0 == 35 || $0 == 58 }) ?? v.count
            if let dot = v[..<hostEnd].lastIndex(of: 46) { protect(dot..<hostEnd) }
            // Path separators stay.
        case .phoneNumber:
            if v.first == 43 {
                var k = 1
                while k < v.count && Scalars.isDigit(v[k]) && k < 4 { k += 1 }
                protect(0..<min(k, 3))
            }
        case .ibanCode:
            protect(0..<2)
        case .creditCard:
            if let first = v.firstIndex(where: Scalars.isDigit) { protect(first..<(first + 1)) }
        case .ipAddress where !v.contains(58):
            return ipv4(v, &s)
        default:
            break
        }

        for k in 0..<v.count where !protected[k] {
            v[k] = Self.replace(v[k], &s, hexOnly: type == .ipAddress || type == .macAddress || type == .crypto && v.count == 42)
        }
        if type == .creditCard { Self.fixLuhn(&v) }
        if type == .ibanCode { Self.fixIBAN(&v) }
        return String(String.UnicodeScalarView(v.compactMap(Unicode.Scalar.init)))
    }

    static func replace(_ c: UInt32, _ s: inout Stream, hexOnly: Bool) -> UInt32 {
        if Scalars.isDigit(c) { return 48 + UInt32(s.next(10)) }
        if hexOnly && Scalars.isHex(c) {
            let letter = UInt32(s.next(6))
            return Scalars.isUpper(c) ? 65 + letter : 97 + letter
        }
        if Scalars.isUpper(c) { return 65 + UInt32(s.next(26)) }
        if Scalars.isLower(c) { return 97 + UInt32(s.next(26)) }
        if c < 0x80 { return c }
        if (0xAC00...0xD7A3).contains(c) { return 0xAC00 + UInt32(s.next(0xD7A4 - 0xAC00)) }
        if (0x4E00...0x9FA5).contains(c) { return 0x4E00 + UInt32(s.next(0x9FA6 - 0x4E00)) }
        if (0x3041...0x3096).contains(c) { return 0x3041 + UInt32(s.next(0x3097 - 0x3041)) }
        if (0x30A1...0x30FA).contains(c) { return 0x30A1 + UInt32(s.next(0x30FB - 0x30A1)) }
        if Scalars.isLetter(c) {
            let upper = Unicode.Scalar(c)?.properties.isUppercase ?? false
            return (upper ? 65 : 97) + UInt32(s.next(26))
        }
        return c
    }

    func ipv4(_ v: [UInt32], _ s: inout Stream) -> String {
        (0..<4).map { _ in String(s.next(256)) }.joined(separator: ".")
    }

    static func fixLuhn(_ v: inout [UInt32]) {
        let positions = v.indices.filter { Scalars.isDigit(v[$0]) }
        guard let last = positions.last else { return }
        for d in 0..<10 {
            v[last] = 48 + UInt32(d)
            if Checksums.luhn(positions.map { UInt8(v[$0] - 48) }) { return }
        }
    }

    static func fixIBAN(_ v: inout [UInt32]) {
        let positions = v.indices.filter { Scalars.isASCIIAlnum(v[$0]) }
        guard positions.count > 4 else { return }
        var chars = positions.map { v[$0] }
        for check in 0..<100 {
            chars[2] = 48 + UInt32(check / 10)
            chars[3] = 48 + UInt32(check % 10)
            if Checksums.ibanMod97(chars) {
                v[positions[2]] = chars[2]
                v[positions[3]] = chars[3]
                return
            }
        }
    }
}
