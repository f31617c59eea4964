import COpenBLAS

/// OpenBLAS' own thread pool size (process-wide).
public enum BLASThreads {
    /// The number of threads OpenBLAS uses for one call.
    public static var current: Int { Int(openblas_get_num_threads()) }

    /// Sets OpenBLAS' thread count; it applies to the whole process.
    public static func set(_ count: Int) { openblas_set_num_threads(Int32(max(1, count))) }
}
