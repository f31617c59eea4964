import Crypto

/// The check-digit and checksum algorithms the recognizers validate candidates with.
public enum Checksums {
    /// The Luhn (mod 10) check used by payment card numbers.
    public static func luhn<C: Collection>(_ digits: C) -> Bool where C.Element == UInt8 {
        var sum = 0
        var double = false
        for d in digits.reversed() {
            var x = Int(d)
            if double {
                x *= 2
                if x > 9 { x -= 9 }
            }
            sum += x
            double.toggle()
        }
        return sum % 10 == 0
    }

    /// ISO 13616 / ISO 7064 mod-97-10 over an IBAN's characters (upper-case letters and digits, no spaces):
    /// the first four characters move to the end, letters become 10…35, and the number must be ≡ 1 mod 97.
    public static func ibanMod97(_ chars: [UInt32]) -> Bool {
        guard chars.count > 4 else { return false }
        var remainder = 0
        for c in chars[4...] + chars[..<4] {
            if Scalars.isDigit(c) {
                remainder = (remainder * 10 + Int(c - 48)) % 97
            } else if Scalars.isUpper(c) {
                remainder = (remainder * 100 + Int(c - 55)) % 97
            } else {
                return false
            }
        }
        return remainder == 1
    }

    /// Base58 (Bitcoin alphabet) decoding; nil when a character is outside the alphabet.
    public static func base58Decode(_ chars: [UInt32]) -> [UInt8]? {
        var bytes: [UInt8] = []  // big-endian accumulator
        for c in chars {
            guard c < 128, let digit = base58Index[Int(c)] else { return nil }
            var carry = Int(digit)
            for k in stride(from: bytes.count - 1, through: 0, by: -1) {
                carry += Int(bytes[k]) * 58
                bytes[k] = UInt8(carry & 0xFF)
                carry >>= 8
            }
            while carry > 0 {
                bytes.insert(UInt8(carry & 0xFF), at: 0)
                carry >>= 8
            }
        }
        let leadingZeros = chars.prefix { $0 == 49 }.count  // '1'
        return [UInt8](repeating: 0, count: leadingZeros) + bytes
    }

    /// Base58Check: the last four bytes equal the first four of SHA-256(SHA-256(the rest)).
    public static func base58Check(_ chars: [UInt32]) -> [UInt8]? {
        guard let bytes = base58Decode(chars), bytes.count > 4 else { return nil }
        let payload = bytes.dropLast(4)
        let digest = Array(SHA256.hash(data: Array(SHA256.hash(data: Array(payload)))))
        return Array(digest.prefix(4)) == Array(bytes.suffix(4)) ? Array(payload) : nil
    }

    /// The Bech32 variants (BIP 173 and BIP 350).
    public enum Bech32Variant: Sendable { case bech32, bech32m }

    /// Verifies a Bech32/Bech32m string (lower or upper case, not mixed); returns the human-readable part and
    /// the variant whose checksum matched.
    public static func bech32(_ chars: [UInt32]) -> (hrp: String, variant: Bech32Variant)? {
        let hasLower = chars.contains(where: Scalars.isLower)
        let hasUpper = chars.contains(where: Scalars.isUpper)
        guard !(hasLower && hasUpper), chars.count <= 90, let sep = chars.lastIndex(of: 49) /* '1' */,
              sep >= 1, chars.count - sep - 1 >= 6 else { return nil }
        let lower = chars.map(Scalars.lowerASCII)
        let hrp = lower[..<sep]
        guard hrp.allSatisfy({ $0 >= 33 && $0 <= 126 }) else { return nil }
        var data: [UInt32] = []
        for c in lower[(sep + 1)...] {
            guard c < 128, let value = bech32Index[Int(c)] else { return nil }
            data.append(UInt32(value))
        }
        var values = hrp.map { $0 >> 5 } + [0] + hrp.map { $0 & 31 }
        values += data
        let check = polymod(values)
        let name = String(String.UnicodeScalarView(hrp.compactMap(Unicode.Scalar.init)))
        if check == 1 { return (name, .bech32) }
        if check == 0x2BC8_30A3 { return (name, .bech32m) }
        return nil
    }

    static func polymod(_ values: [UInt32]) -> UInt32 {
        let generator: [UInt32] = [0x3B6A_57B2, 0x2650_8E6D, 0x1EA1_19FA, 0x3D42_33DD, 0x2A14_62B3]
        var chk: UInt32 = 1
        for v in values {
            let top = chk >> 25
            chk = (chk & 0x1FF_FFFF) << 5 ^ v
            for i in 0..<5 where (top >> i) & 1 == 1 { chk ^= generator[i] }
        }
        return chk
    }

    /// EIP-55 mixed-case checksum of an Ethereum address's 40 hex digits: a letter is upper-case exactly when
    /// the matching nibble of Keccak-256(lower-case hex) is ≥ 8.
    public static func eip55(_ hex: [UInt32]) -> Bool {
        guard hex.count == 40, hex.allSatisfy(Scalars.isHex) else { return false }
        let lower = hex.map(Scalars.lowerASCII)
        let digest = Keccak256.hash(lower.map { UInt8($0) })
        for (i, c) in hex.enumerated() where Scalars.isASCIILetter(c) {
            let nibble = i % 2 == 0 ? digest[i / 2] >> 4 : digest[i / 2] & 0x0F
            if (nibble >= 8) != Scalars.isUpper(c) { return false }
        }
        return true
    }

    private static let base58Index: [UInt8?] = {
        var table = [UInt8?](repeating: nil, count: 128)
        for (i, c) in "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".unicodeScalars.enumerated() {
            table[Int(c.value)] = UInt8(i)
        }
        return table
    }()

    private static let bech32Index: [UInt8?] = {
        var table = [UInt8?](repeating: nil, count: 128)
        for (i, c) in "qpzry9x8gf2tvdw0s3jn54khce6mua7l".unicodeScalars.enumerated() { table[Int(c.value)] = UInt8(i) }
        return table
    }()
}

/// Keccak-256 as Ethereum uses it (the original Keccak padding 0x01, not SHA3-256's 0x06).
public enum Keccak256 {
    /// The 32-byte digest of `message`.
    public static func hash(_ message: [UInt8]) -> [UInt8] {
        let rate = 136
        var state = [UInt64](repeating: 0, count: 25)
        var padded = message
        padded.append(0x01)
        while padded.count % rate != 0 { padded.append(0) }
        padded[padded.count - 1] |= 0x80
        for block in stride(from: 0, to: padded.count, by: rate) {
            for i in 0..<(rate / 8) {
                var lane: UInt64 = 0
                for b in 0..<8 { lane |= UInt64(padded[block + i * 8 + b]) << (8 * UInt64(b)) }
                state[i] ^= lane
            }
            permute(&state)
        }
        var out: [UInt8] = []
        out.reserveCapacity(32)
        for i in 0..<4 {
            for b in 0..<8 { out.append(UInt8(truncatingIfNeeded: state[i] >> (8 * UInt64(b)))) }
        }
        return out
    }

    private static let roundConstants: [UInt64] = [
        0x0000_0000_0000_0001, 0x0000_0000_0000_8082, 0x8000_0000_0000_808A, 0x8000_0000_8000_8000,
        0x0000_0000_0000_808B, 0x0000_0000_8000_0001, 0x8000_0000_8000_8081, 0x8000_0000_0000_8009,
        0x0000_0000_0000_008A, 0x0000_0000_0000_0088, 0x0000_0000_8000_8009, 0x0000_0000_8000_000A,
        0x0000_0000_8000_808B, 0x8000_0000_0000_008B, 0x8000_0000_0000_8089, 0x8000_0000_0000_8003,
        0x8000_0000_0000_8002, 0x8000_0000_0000_0080, 0x0000_0000_0000_800A, 0x8000_0000_8000_000A,
        0x8000_0000_8000_8081, 0x8000_0000_0000_8080, 0x0000_0000_8000_0001, 0x8000_0000_8000_8008,
    ]
    private static let rotations: [UInt64] = [
        0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43, 25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56, 14,
    ]

    private static func permute(_ a: inout [UInt64]) {
        var b = [UInt64](repeating: 0, count: 25)
        var c = [UInt64](repeating: 0, count: 5)
        for round in 0..<24 {
            for x in 0..<5 { c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20] }
            for x in 0..<5 {
                let d = c[(x + 4) % 5] ^ rotl(c[(x + 1) % 5], 1)
                for y in 0..<5 { a[x + 5 * y] ^= d }
            }
            for x in 0..<5 {
                for y in 0..<5 {
                    // B[y, 2x + 3y] = rot(A[x, y], r[x, y])
                    b[y + 5 * ((2 * x + 3 * y) % 5)] = rotl(a[x + 5 * y], rotations[x + 5 * y])
                }
            }
            for x in 0..<5 {
                for y in 0..<5 {
                    a[x + 5 * y] = b[x + 5 * y] ^ (~b[(x + 1) % 5 + 5 * y] & b[(x + 2) % 5 + 5 * y])
                }
            }
            a[0] ^= roundConstants[round]
        }
    }

    @inline(__always) private static func rotl(_ x: UInt64, _ n: UInt64) -> UInt64 {
        n == 0 ? x : (x << n) | (x >> (64 - n))
    }
}
