import CustosCore

/// RFC 8785 JSON Canonicalization Scheme: object members sorted by their names' UTF-16 code units,
/// no insignificant whitespace, strings with the minimal escapes, numbers in ECMAScript's shortest
/// round-trip form. Equal values give identical bytes, so their hashes can be reproduced by anyone.
public enum CanonicalJSON {
    /// The canonical UTF-8 bytes of a value. Non-finite numbers cannot be represented and are an error.
    public static func encode(_ value: JSONValue) throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        try write(value, to: &out)
        return out
    }

    static func write(_ value: JSONValue, to out: inout [UInt8]) throws {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .number(let d): out.append(contentsOf: try number(d).utf8)
        case .string(let s): string(s, to: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                try write(item, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            // Which comparison applies is decided once per object, not once per comparison. For ASCII names
            // (nearly all), String's own `<` is byte order and takes the standard library's memcmp fast path.
            let sorted: [(key: String, value: JSONValue)]
            if members.keys.allSatisfy(isASCII) {
                sorted = members.sorted { $0.key < $1.key }
            } else if members.keys.contains(where: needsUTF16Order) {
                sorted = members.sorted { $0.key.utf16.lexicographicallyPrecedes($1.key.utf16) }
            } else {
                sorted = members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            }
            for (i, member) in sorted.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                string(member.key, to: &out)
                out.append(UInt8(ascii: ":"))
                try write(member.value, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// RFC 8785 §3.2.3 orders member names by UTF-16 code units. UTF-8 byte order is code point order,
    /// which agrees with UTF-16 order except between a supplementary character (4 UTF-8 bytes, lead byte
    /// ≥ 0xF0) and one in U+E000–U+FFFF (lead byte 0xEE or 0xEF): only names holding such bytes take the
    /// slower UTF-16 comparison.
    static func utf16Precedes(_ a: String, _ b: String) -> Bool {
        if needsUTF16Order(a) || needsUTF16Order(b) {
            return a.utf16.lexicographicallyPrecedes(b.utf16)
        }
        return a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    /// Whether every byte of a name is ASCII (then code unit, code point and String orders all agree).
    static func isASCII(_ name: String) -> Bool {
        var name = name
        return name.withUTF8 { bytes in bytes.allSatisfy { $0 < 0x80 } }
    }

    /// Whether a name holds a byte where UTF-8 order and UTF-16 order can disagree (see `utf16Precedes`).
    static func needsUTF16Order(_ name: String) -> Bool {
        name.utf8.contains(where: { $0 >= 0xEE })
    }

    /// RFC 8785 §3.2.2.2: the string with `"`, `\` and control characters escaped, all else literal
    /// (UTF-8 bytes of a Swift string are valid, so they are copied as they are).
    static func string(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        // Most strings need no escape at all: one scan of the contiguous bytes, then one bulk copy.
        var s = s
        let copied = s.withUTF8 { bytes -> Bool in
            guard !bytes.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else { return false }
            out.append(contentsOf: bytes)
            return true
        }
        if copied {
            out.append(UInt8(ascii: "\""))
            return
        }
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += [0x5C, 0x22]
            case UInt8(ascii: "\\"): out += [0x5C, 0x5C]
            case 0x08: out += [0x5C, UInt8(ascii: "b")]
            case 0x0C: out += [0x5C, UInt8(ascii: "f")]
            case 0x0A: out += [0x5C, UInt8(ascii: "n")]
            case 0x0D: out += [0x5C, UInt8(ascii: "r")]
            case 0x09: out += [0x5C, UInt8(ascii: "t")]
            case 0..<0x20:
                let digits = Array("0123456789abcdef".utf8)
                out += [0x5C, UInt8(ascii: "u"), 0x30, 0x30, digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]]
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// ECMAScript Number.prototype.toString for a finite double (RFC 8785 §3.2.2.3).
    static func number(_ d: Double) throws -> String {
        guard d.isFinite else { throw CustosError(.invalidInput, "NaN and infinity have no JSON form") }
        if d == 0 { return "0" }
        // Integers below 2^53 print as themselves (the common case: counts, timestamps, ids).
        if d == d.rounded(), abs(d) < 9_007_199_254_740_992 { return String(Int64(d)) }
        // Swift's description is the shortest round-trip digit string. Without an exponent it is already
        // the ECMAScript form (Swift uses exponents outside [1e-4, 2^53), ECMAScript outside [1e-6, 1e21)).
        let description = d.description
        // Integral values print with ".0" (e.g. 2^53 as "9007199254740992.0") and take the slow path.
        if !description.utf8.contains(UInt8(ascii: "e")) && !description.hasSuffix(".0") { return description }
        // Otherwise re-lay the digits out the ECMAScript way.
        let negative = d < 0
        let text = abs(d).description
        var mantissa = text
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = String(text[..<e])
            exponent = Int(text[text.index(after: e)...]) ?? 0
        }
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        let integerPart = String(parts[0])
        var fraction = parts.count > 1 ? String(parts[1]) : ""
        if fraction == "0" { fraction = "" }
        var digits = integerPart + fraction
        var point = integerPart.count + exponent  // decimal point position within `digits`
        while digits.hasPrefix("0") && digits.count > 1 {
            digits.removeFirst()
            point -= 1
        }
        while digits.hasSuffix("0") && digits.count > 1 { digits.removeLast() }
        let k = digits.count
        let n = point
        var result: String
        if k <= n && n <= 21 {
            result = digits + String(repeating: "0", count: n - k)
        } else if 0 < n && n <= 21 {
            let index = digits.index(digits.startIndex, offsetBy: n)
            result = digits[..<index] + "." + digits[index...]
        } else if -6 < n && n <= 0 {
            result = "0." + String(repeating: "0", count: -n) + digits
        } else {
            let e = n - 1
            let sign = e < 0 ? "-" : "+"
            let head = String(digits.prefix(1))
            let tail = digits.dropFirst()
            result = head + (tail.isEmpty ? "" : "." + tail) + "e" + sign + String(abs(e))
        }
        return negative ? "-" + result : result
    }
}
