/// IP_ADDRESS: dotted-quad IPv4 (each octet 0–255, no leading zeros) and IPv6 in the full RFC 4291 grammar —
/// eight groups, one `::` compression, an embedded IPv4 tail (`::ffff:192.0.2.1`) — validated by parsing, not
/// by pattern alone. A candidate glued to letters, digits or further dots is not an address (`v1.2.3.4`,
/// `1.2.3.4.5`).
public struct IPAddressRecognizer: Recognizer {
    public let name = "ip_address"
    public let entities: [EntityType] = [.ipAddress]
    public let contextWords = ["ip", "ipv4", "ipv6", "address", "host", "from", "client", "server"]
    /// Score of a parsed address.
    public var score = 0.85

    public init() {}

    public func recognize(_ text: ScalarText, into spans: inout [EntitySpan]) {
        guard text.hasDigit || text.hasColon else { return }  // IPv4 has digits, IPv6 colons
        let v = text.values
        var i = 0
        while i < v.count {
            let c = v[i]
            guard Scalars.isHex(c) || c == 58 else { i += 1; continue }
            if i > 0 && (Scalars.isASCIIAlnum(v[i - 1]) || v[i - 1] == 58 || v[i - 1] == 46 || v[i - 1] == 95) {
                i += 1
                continue
            }
            var end = i
            while end < v.count && (Scalars.isHex(v[end]) || v[end] == 58 || v[end] == 46) { end += 1 }
            if let found = Self.match(v, start: i, runEnd: end) {
                spans.append(EntitySpan(start: i, end: found, type: .ipAddress, score: score, recognizer: name))
                i = found
            } else {
                i = max(i + 1, end)
            }
        }
    }

    /// The end of the address starting at `start` inside the run `start..<runEnd`, or nil.
    static func match(_ v: [UInt32], start: Int, runEnd: Int) -> Int? {
        var end = runEnd
        // Sentence punctuation after an address: "from 10.0.0.1." or "at fe80::1:".
        while end > start && (v[end - 1] == 46 || (v[end - 1] == 58 && !(end - 2 >= start && v[end - 2] == 58))) {
            end -= 1
        }
        guard end > start else { return nil }
        if runEnd < v.count && (Scalars.isASCIIAlnum(v[runEnd]) || v[runEnd] == 95) { return nil }
        let slice = Array(v[start..<end])
        if isIPv4(slice[...]) { return end }
        if slice.contains(58), isIPv6(slice) { return end }
        return nil
    }

    static func isIPv4(_ s: ArraySlice<UInt32>) -> Bool {
        var octets = 0
        var i = s.startIndex
        while i < s.endIndex {
            let start = i
            var value = 0
            while i < s.endIndex && Scalars.isDigit(s[i]) && i - start < 4 {
                value = value * 10 + Int(s[i] - 48)
                i += 1
            }
            let digits = i - start
            guard digits >= 1, digits <= 3, value <= 255, !(digits > 1 && s[start] == 48) else { return false }
            octets += 1
            if i < s.endIndex {
                guard s[i] == 46, octets < 4 else { return false }
                i += 1
                guard i < s.endIndex else { return false }
            }
        }
        return octets == 4
    }

    static func isIPv6(_ s: [UInt32]) -> Bool {
        guard s.count >= 2 else { return false }
        var groups = 0
        var compressed = false
        var i = 0
        if s[0] == 58 {
            guard s.count >= 2, s[1] == 58 else { return false }
            compressed = true
            i = 2
            if i == s.count { return true }  // "::"
        }
        while i < s.count {
            let start = i
            while i < s.count && Scalars.isHex(s[i]) && i - start < 5 { i += 1 }
            if i < s.count && s[i] == 46 {  // embedded IPv4 tail
                guard isIPv4(s[start...]) else { return false }
                groups += 2
                i = s.count
                break
            }
            let digits = i - start
            guard (1...4).contains(digits) else { return false }
            groups += 1
            if i == s.count { break }
            guard s[i] == 58 else { return false }
            i += 1
            if i < s.count && s[i] == 58 {
                guard !compressed else { return false }
                compressed = true
                i += 1
                if i == s.count { break }
            } else if i == s.count {
                return false
            }
        }
        return compressed ? groups <= 7 : groups == 8
    }
}

/// MAC_ADDRESS: six hex octets separated consistently by `:` or `-` (IEEE 802), or three groups of four hex
/// digits separated by dots (Cisco). The all-zero and broadcast addresses are reported too: they still tie a
/// record to hardware when logged.
public struct MACAddressRecognizer: Recognizer {
    public let name = "mac_address"
    public let entities: [EntityType] = [.macAddress]
    public let contextWords = ["mac", "hardware", "ethernet", "wifi", "device", "adapter"]
    /// Score of a well-formed address.
    public var score = 0.8

    public init() {}

    public func recognize(_ text: ScalarText, into spans: inout [EntitySpan]) {
        let v = text.values
        var i = 0
        while i + 14 <= v.count {
            guard Scalars.isHex(v[i]), i == 0 || !(Scalars.isASCIIAlnum(v[i - 1]) || v[i - 1] == 58 || v[i - 1] == 45 || v[i - 1] == 46) else {
                i += 1
                continue
            }
            if let end = Self.octets(v, at: i) ?? Self.cisco(v, at: i),
               end == v.count || !(Scalars.isASCIIAlnum(v[end]) || ((v[end] == 58 || v[end] == 45 || v[end] == 46) && end + 1 < v.count && Scalars.isHex(v[end + 1]))) {
                spans.append(EntitySpan(start: i, end: end, type: .macAddress, score: score, recognizer: name))
                i = end
            } else {
                i += 1
            }
        }
    }

    static func octets(_ v: [UInt32], at i: Int) -> Int? {
        guard i + 17 <= v.count else { return nil }
        let sep = v[i + 2]
        guard sep == 58 || sep == 45 else { return nil }
        for k in 0..<6 {
            let p = i + 3 * k
            guard Scalars.isHex(v[p]), Scalars.isHex(v[p + 1]) else { return nil }
            if k < 5 && v[p + 2] != sep { return nil }
        }
        return i + 17
    }

    static func cisco(_ v: [UInt32], at i: Int) -> Int? {
        guard i + 14 <= v.count else { return nil }
        for k in 0..<3 {
            let p = i + 5 * k
            guard v[p..<(p + 4)].allSatisfy(Scalars.isHex) else { return nil }
            if k < 2 && v[p + 4] != 46 { return nil }
        }
        return i + 14
    }
}
