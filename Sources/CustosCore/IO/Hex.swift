import Foundation

/// Hexadecimal text for bytes (keys, digests, HMACs), shared by the audit log and the PII operators.
extension Array where Element == UInt8 {
    /// Lower-case hexadecimal.
    public var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        return String(unsafeUninitializedCapacity: count * 2) { buffer in
            for (k, byte) in enumerated() {
                buffer[2 * k] = digits[Int(byte >> 4)]
                buffer[2 * k + 1] = digits[Int(byte & 0x0F)]
            }
            return count * 2
        }
    }

    /// Bytes from hexadecimal text, or `nil` when it is not an even number of hex digits.
    public init?(hexString text: String) {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var i = 0
        while i < digits.count {
            guard let high = Self.nibble(digits[i]), let low = Self.nibble(digits[i + 1]) else { return nil }
            bytes.append(high << 4 | low)
            i += 2
        }
        self = bytes
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x61...0x66: return c - 0x61 + 10
        case 0x41...0x46: return c - 0x41 + 10
        default: return nil
        }
    }
}
