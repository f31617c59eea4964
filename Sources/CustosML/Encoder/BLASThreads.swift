import COpenBLAS
import COpenBLASCore

/// OpenBLAS' own thread pool size (process-wide).
public enum BLASThreads {
    /// The number of threads OpenBLAS uses for one call.
    public static var current: Int {
        BLASCore.prepare()
        return Int(openblas_get_num_threads())
    }

    /// Sets OpenBLAS' thread count; it applies to the whole process.
    public static func set(_ count: Int) {
        BLASCore.prepare()
        openblas_set_num_threads(Int32(max(1, count)))
    }
}

/// Which kernels OpenBLAS runs (process-wide).
///
/// A DYNAMIC_ARCH OpenBLAS older than the CPU falls back to SSE3 ("Prescott") kernels, five times slower than the
/// AVX-512 ones on a Sapphire Rapids core; every Custos entry point into OpenBLAS calls `prepare()` first, which
/// re-runs OpenBLAS' kernel selection for such a CPU once (`custos_openblas_select_core`). `OPENBLAS_CORETYPE`, when
/// set, is left to decide.
public enum BLASCore {
    /// The kernel set OpenBLAS uses (e.g. "Cooperlake", "Haswell"); "" if the library does not say.
    public static let name: String = String(cString: custos_openblas_select_core())

    /// Selects the kernels if that has not happened yet; cheap after the first call.
    @inline(__always)
    public static func prepare() { _ = name }
}
