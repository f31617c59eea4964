import CICUShim
import Foundation

/// ICU-backed per-character foldings: NFKC and UTS #39 confusable skeletons.
///
/// Both are applied one Unicode scalar at a time so every output character can be traced back to the input
/// scalar it came from; results are cached per scalar (a scalar's fold never changes).
final class UnicodeFolding: @unchecked Sendable {
    // @unchecked: the caches are only touched under `lock`; the ICU calls are thread-safe.
    private let lock = NSLock()
    private var skeletonCache: [UInt32: String] = [:]
    private var nfkcCache: [UInt32: String] = [:]

    /// The process-wide instance.
    static let shared = UnicodeFolding()

    private init() {}

    /// NFKC of one scalar (ASCII maps to itself without a call into ICU).
    func nfkc(_ scalar: Unicode.Scalar) -> String {
        if scalar.isASCII { return String(scalar) }
        return cached(scalar, in: \.nfkcCache, custos_icu_nfkc)
    }

    /// Confusable skeleton of one scalar (UTS #39), e.g. Cyrillic 'а' → Latin 'a'; ASCII maps to itself.
    func skeleton(_ scalar: Unicode.Scalar) -> String {
        if scalar.isASCII { return String(scalar) }
        return cached(scalar, in: \.skeletonCache, custos_icu_skeleton)
    }

    private func cached(
        _ scalar: Unicode.Scalar, in cache: ReferenceWritableKeyPath<UnicodeFolding, [UInt32: String]>,
        _ call: (UnsafePointer<UInt16>?, Int32, UnsafeMutablePointer<UInt16>?, Int32) -> Int32
    ) -> String {
        lock.lock()
        defer { lock.unlock() }
        if let hit = self[keyPath: cache][scalar.value] { return hit }
        let source = Array(String(scalar).utf16)
        var dest = [UInt16](repeating: 0, count: 64)
        let written = call(source, Int32(source.count), &dest, Int32(dest.count))
        let folded = written >= 0 && Int(written) <= dest.count
            ? String(decoding: dest[0..<Int(written)], as: UTF16.self) : String(scalar)
        self[keyPath: cache][scalar.value] = folded
        return folded
    }
}
