import Foundation

/// The committed DP reference vectors (`Tests/Fixtures/privacy/dp_dev_vectors.json`; provenance in
/// `Tests/Fixtures/README.md`).
enum DPVectors {
    static let url = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/privacy/dp_dev_vectors.json")

    /// One family of rows (`families.<name>`).
    static func family(_ name: String) throws -> [[String: Any]] {
        let data = try Data(contentsOf: url)
        let root = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let families = root?["families"] as? [String: Any]
        return families?[name] as? [[String: Any]] ?? []
    }

    /// A number that the vectors may spell as the string "inf".
    static func number(_ value: Any?) -> Double? {
        if let string = value as? String { return string == "inf" ? .infinity : Double(string) }
        return (value as? NSNumber)?.doubleValue
    }

    /// |a − b| / |b| (0 when both are equal, including both infinite).
    static func relativeError(_ a: Double, _ b: Double) -> Double {
        if a == b { return 0 }
        return abs(a - b) / abs(b)
    }
}
