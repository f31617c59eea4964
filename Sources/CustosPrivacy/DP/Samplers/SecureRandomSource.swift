#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The operating system's cryptographically secure random bytes, read in blocks of `blockSize`.
///
/// `SystemRandomNumberGenerator` makes one system call per 8 bytes; the samplers need many words per draw, so
/// bulk releases (the CLI's `dp sample`, DP queries) read the kernel's CSPRNG 4 KiB at a time instead — on Linux
/// `/dev/urandom`, the same generator getrandom(2) serves; elsewhere `arc4random_buf`. It is a class so copies
/// share one buffer: a copied value type would hand out the same bytes twice. Consumed bytes are zeroed.
/// If the device cannot be read, it falls back to `SystemRandomNumberGenerator`.
public final class SecureRandomSource: RandomNumberGenerator {
    /// Bytes fetched per read.
    public static let blockSize = 4096

    private var buffer: [UInt64]
    private var position: Int
    private var system = SystemRandomNumberGenerator()
    #if canImport(Glibc)
    private let descriptor: Int32
    #endif

    /// Opens the source.
    public init() {
        buffer = [UInt64](repeating: 0, count: Self.blockSize / 8)
        position = buffer.count
        #if canImport(Glibc)
        descriptor = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
        #endif
    }

    deinit {
        #if canImport(Glibc)
        if descriptor >= 0 { close(descriptor) }
        #endif
    }

    /// The next 64 random bits.
    public func next() -> UInt64 {
        if position == buffer.count && !refill() { return system.next() }
        let value = buffer[position]
        buffer[position] = 0
        position += 1
        return value
    }

    /// Fills the buffer; false when the OS source could not be read.
    private func refill() -> Bool {
        #if canImport(Glibc)
        guard descriptor >= 0 else { return false }
        let wanted = buffer.count * 8
        let complete = buffer.withUnsafeMutableBytes { bytes -> Bool in
            guard let base = bytes.baseAddress else { return false }
            var filled = 0
            while filled < wanted {
                let count = read(descriptor, base + filled, wanted - filled)
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { return false }
                filled += count
            }
            return true
        }
        if complete { position = 0 }
        return complete
        #elseif canImport(Darwin)
        buffer.withUnsafeMutableBytes { bytes in arc4random_buf(bytes.baseAddress, bytes.count) }
        position = 0
        return true
        #else
        return false
        #endif
    }
}
