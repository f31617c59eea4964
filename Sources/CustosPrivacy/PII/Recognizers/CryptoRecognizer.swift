/// CRYPTO: wallet addresses whose checksums verify —
/// - Bitcoin legacy and P2SH (`1…`, `3…`, 26–35 Base58 characters): Base58Check, 21-byte payload, version 0x00/0x05;
/// - Bitcoin SegWit (`bc1…`): Bech32 (v0) or Bech32m (v1+) checksum with the `bc` prefix;
/// - Ethereum (`0x` + 40 hex digits): a mixed-case address must pass EIP-55 (Keccak-256); an all-lower or
///   all-upper one carries no checksum and scores lower.
public struct CryptoRecognizer: Recognizer {
    public let name = "crypto"
    public let entities: [EntityType] = [.crypto]
    public let contextWords = ["wallet", "btc", "bitcoin", "eth", "ethereum", "address", "crypto", "send", "usdt"]
    /// Score of an address whose checksum verified.
    public var score = 1.0
    /// Score of an Ethereum address without a checksum.
    public var uncheckedScore = 0.6

    public init() {}

    public func recognize(_ text: ScalarText, into spans: inout [EntitySpan]) {
        guard text.hasDigit else { return }  // addresses start with 1, 3, bc1 or 0x
        let v = text.values
        var i = 0
        while i < v.count {
            let c = v[i]
            guard c == 49 || c == 51 || c == 98 || c == 66 || c == 48, i == 0 || !Scalars.gluesToWord(v[i - 1]) else {
                i += 1
                continue
            }
            var end = i
            while end < v.count && Scalars.isASCIIAlnum(v[end]) { end += 1 }
            if end < v.count && Scalars.gluesToWord(v[end]) { i = end; continue }
            let token = Array(v[i..<end])
            if let s = classify(token) {
                spans.append(EntitySpan(start: i, end: end, type: .crypto, score: s, recognizer: name))
            }
            i = max(end, i + 1)
        }
    }

    func classify(_ t: [UInt32]) -> Double? {
        if (t.first == 49 || t.first == 51), (26...35).contains(t.count) {
            if let payload = Checksums.base58Check(t), payload.count == 21, payload[0] == 0 || payload[0] == 5 { return score }
            return nil
        }
        if t.count >= 14, t.count <= 74, Scalars.lowerASCII(t[0]) == 98, Scalars.lowerASCII(t[1]) == 99, t[2] == 49 {
            if let (hrp, variant) = Checksums.bech32(t), hrp == "bc", let version = Self.bech32Value(t[3]) {
                if (version == 0) == (variant == .bech32) { return score }
            }
            return nil
        }
        if t.count == 42, t[0] == 48, t[1] == 120 || t[1] == 88 {
            let hex = Array(t[2...])
            guard hex.allSatisfy(Scalars.isHex) else { return nil }
            let letters = hex.filter(Scalars.isASCIILetter)
            if letters.allSatisfy(Scalars.isLower) || letters.allSatisfy(Scalars.isUpper) { return uncheckedScore }
            return Checksums.eip55(hex) ? score : nil
        }
        return nil
    }

    static func bech32Value(_ c: UInt32) -> Int? {
        let alphabet = Array("qpzry9x8gf2tvdw0s3jn54khce6mua7l".unicodeScalars.map(\.value))
        return alphabet.firstIndex(of: Scalars.lowerASCII(c))
    }
}
