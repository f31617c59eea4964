import CustosCore

/// RFC 8785 JSON Canonicalization Scheme: object members sorted by their names' UTF-16 code units,
/// no insignificant whitespace, strings with the minimal escapes, numbers in ECMAScript's shortest
/// round-trip form. Equal values give identical bytes, so their hashes can be reproduced by anyone.
public enum CanonicalJSON {
    /// The canonical UTF-8 bytes of a value. Non-finite numbers cannot be represented and are an error.
    public static func encode(_ value: JSONValue) throws -> [UInt8] {
        var out = ""
        try write(value, to: &out)
        return Array(out.utf8)
    }

    static func write(_ value: JSONValue, to out: inout String) throws {
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let d): out += try number(d)
        case .string(let s): string(s, to: &out)
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                try write(item, to: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            let keys = members.keys.sorted { $0.utf16.lexicographicallyPrecedes($1.utf16) }
            for (i, key) in keys.enumerated() {
                if i > 0 { out += "," }
                string(key, to: &out)
                out += ":"
                if let member = members[key] { try write(member, to: &out) }
            }
            out += "}"
        }
    }

    /// RFC 8785 §3.2.2.2: the string with `"`, `\` and control characters escaped, all else literal.
    static func string(_ s: String, to out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    /// ECMAScript Number.prototype.toString for a finite double (RFC 8785 §3.2.2.3).
    static func number(_ d: Double) throws -> String {
        guard d.isFinite else { throw CustosError(.invalidInput, "NaN and infinity have no JSON form") }
        if d == 0 { return "0" }
        // Swift's description is the shortest round-trip digit string; re-lay it out the ECMAScript way.
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
