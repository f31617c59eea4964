import Foundation

/// Finds obviously encoded payloads: base64 runs that decode to readable text, and rot13 text.
enum PayloadDecoder {
    /// Shortest base64 run considered (16 characters decode to 12 bytes: shorter runs are ordinary words).
    static let minimumBase64Length = 16
    /// At most this many payloads per text, so crafted input cannot make the work unbounded.
    static let maximumPayloads = 32
    /// A decoded payload larger than this is cut (bytes).
    static let maximumPayloadBytes = 64 * 1024
    /// Words whose frequency tells English from rot13 gibberish.
    static let commonWords: Set<String> = [
        "the", "and", "you", "how", "what", "to", "is", "of", "in", "for", "your", "are", "with", "this", "that",
        "ignore", "instructions", "previous", "tell", "me", "make", "all", "a", "it", "do", "not", "can", "i",
    ]
    /// Byte patterns of plain English: a text containing one is not rot13 (fast rejection of the common case).
    static let englishMarkers: [[UInt8]] = [" the ", " and ", " to ", " is ", " you ", " of "].map { Array($0.utf8) }

    /// Base64 runs of `text` that decode to mostly printable UTF-8 text, with their Unicode-scalar spans.
    static func base64Segments(in text: String) -> [(Range<Int>, String)] {
        let bytes = Array(text.utf8)
        var out: [(Range<Int>, String)] = []
        var offsets: ScalarOffsets?
        var k = 0
        let base64 = base64Bytes
        // The end of the base64 run starting at `from` (a tight loop over the bytes: every byte of a text passes here).
        func runEnd(_ from: Int) -> Int {
            bytes.withUnsafeBufferPointer { buffer in
                var end = from
                while end < buffer.count {
                    guard base64.contains(buffer[end]) else { break }
                    end += 1
                }
                return end
            }
        }
        while k < bytes.count, out.count < maximumPayloads {
            // Runs shorter than the minimum are skipped without decoding (most runs are words).
            let start = k
            k = runEnd(k)
            guard k - start >= minimumBase64Length else { k += 1; continue }
            // The URL-safe alphabet mapped to the standard one, padded to a multiple of four.
            var body = bytes[start..<min(k, start + maximumPayloadBytes / 3 * 4)].map { $0 == 0x2D ? 0x2B : $0 == 0x5F ? 0x2F : $0 }
            while body.count % 4 != 0 { body.append(0x3D) }
            guard let data = Data(base64Encoded: Data(body)), let decoded = String(data: data, encoding: .utf8), isReadable(decoded) else { continue }
            if offsets == nil { offsets = ScalarOffsets(bytes) }
            if let offsets { out.append((offsets.scalar(atByte: start)..<offsets.scalar(atByte: k), decoded)) }
        }
        return out
    }

    /// The rot13 decoding of `text` when it says it is rot13, or when the rotation reads as English and the
    /// text does not.
    static func rot13IfPlausible(_ text: String) -> String? {
        guard text.utf8.count <= maximumPayloadBytes else { return nil }
        var lowered = Array(text.utf8)
        // Fast path for plain English: "rot13" and "rot-13" both contain "13", and a marker found in the text as
        // written is found in its lowercase too.
        if !ByteSearch.contains(lowered[...], Array("13".utf8)), englishMarkers.contains(where: { ByteSearch.contains(lowered[...], $0) }) {
            return nil
        }
        for k in lowered.indices where lowered[k] &- 0x41 < 26 { lowered[k] |= 0x20 }
        let mentioned = ByteSearch.contains(lowered[...], Array("rot13".utf8)) || ByteSearch.contains(lowered[...], Array("rot-13".utf8))
        if !mentioned, englishMarkers.contains(where: { ByteSearch.contains(lowered[...], $0) }) { return nil }
        let rotated = rot13(text)
        let before = commonWordCount(text.lowercased())
        let after = commonWordCount(rotated.lowercased())
        guard mentioned || (after >= 3 && after > 2 * before) else { return nil }
        return rotated
    }

    static func rot13(_ text: String) -> String {
        var view = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            switch s.value {
            case 0x41...0x5A: view.append(Unicode.Scalar(UInt8((s.value - 0x41 + 13) % 26 + 0x41)))
            case 0x61...0x7A: view.append(Unicode.Scalar(UInt8((s.value - 0x61 + 13) % 26 + 0x61)))
            default: view.append(s)
            }
        }
        return String(view)
    }

    private static func commonWordCount(_ text: String) -> Int {
        text.split(whereSeparator: { !$0.isLetter }).reduce(0) { $0 + (commonWords.contains(String($1)) ? 1 : 0) }
    }

    /// Letters, digits, `+ / = - _`.
    private static let base64Bytes = ASCIISet("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_")

    /// Mostly printable text with at least one space (so random binary and single tokens are not payloads).
    private static func isReadable(_ text: String) -> Bool {
        var printable = 0
        var total = 0
        var spaces = 0
        for s in text.unicodeScalars {
            total += 1
            if s == " " { spaces += 1 }
            if ScalarClasses.isSpace(s) || (s.value >= 0x20 && s.value < 0x7F) || ScalarClasses.isLetter(s) { printable += 1 }
        }
        return total > 0 && spaces > 0 && Double(printable) >= 0.95 * Double(total)
    }
}
