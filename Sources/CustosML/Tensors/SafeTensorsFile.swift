import CustosCore
import Foundation

/// A memory-mapped safetensors file (8-byte little-endian header length, JSON header, raw little-endian
/// data). The header is validated when the file is opened: every tensor's dtype is known and its byte range
/// lies inside the data and matches its shape, so later reads cannot go out of bounds.
public struct SafeTensorsFile: Sendable {
    /// Upper bound on the JSON header, as the reference implementation enforces (100 MB).
    public static let maxHeaderBytes = 100_000_000

    /// One tensor's entry in the header.
    public struct Entry: Sendable, Equatable {
        /// Element type.
        public var dataType: TensorDataType
        /// Dimensions.
        public var shape: [Int]
        /// Byte range inside the data section.
        public var range: Range<Int>
        /// Number of elements.
        public var elementCount: Int { shape.reduce(1, *) }
    }

    /// The mapping.
    public let file: MappedFile
    /// Tensors by name.
    public let entries: [String: Entry]
    /// The `__metadata__` strings.
    public let metadata: [String: String]
    private let dataStart: Int

    /// Opens and validates a safetensors file.
    public init(path: String) throws {
        file = try MappedFile(path: path)
        let bytes = file.bytes
        let at = SourceLocation(file: path)
        guard bytes.count >= 8 else {
            throw CustosError(.invalidInput, "not a safetensors file: \(bytes.count) bytes, shorter than the 8-byte header length", at: at)
        }
        var headerLength: UInt64 = 0
        for i in 0..<8 { headerLength |= UInt64(bytes[i]) << (8 * UInt64(i)) }
        guard headerLength <= UInt64(Self.maxHeaderBytes), Int(headerLength) <= bytes.count - 8 else {
            throw CustosError(
                .invalidInput,
                "corrupt or truncated safetensors file: header length \(headerLength) does not fit in \(bytes.count) bytes",
                at: SourceLocation(file: path, byteOffset: 0))
        }
        dataStart = 8 + Int(headerLength)
        let headerData = Data(bytes[8..<dataStart])
        guard let object = try? JSONSerialization.jsonObject(with: headerData), let header = object as? [String: Any] else {
            throw CustosError(.invalidInput, "corrupt safetensors file: the header is not a JSON object", at: SourceLocation(file: path, byteOffset: 8))
        }
        let dataSize = bytes.count - dataStart
        var entries: [String: Entry] = [:]
        var metadata: [String: String] = [:]
        for (name, value) in header {
            if name == "__metadata__" {
                if let strings = value as? [String: String] { metadata = strings }
                continue
            }
            let where_ = SourceLocation(file: path, jsonPath: "$.\(name)")
            guard let fields = value as? [String: Any],
                  let dtypeName = fields["dtype"] as? String,
                  let shapeValues = fields["shape"] as? [Any],
                  let offsets = fields["data_offsets"] as? [Any], offsets.count == 2
            else {
                throw CustosError(.invalidInput, "corrupt safetensors header: tensor '\(name)' lacks dtype, shape or data_offsets", at: where_)
            }
            guard let dataType = TensorDataType(rawValue: dtypeName) else {
                throw CustosError(.invalidInput, "tensor '\(name)' has unsupported dtype \(dtypeName)", at: where_)
            }
            let shape = shapeValues.compactMap { ($0 as? NSNumber)?.intValue }
            let bounds = offsets.compactMap { ($0 as? NSNumber)?.intValue }
            guard shape.count == shapeValues.count, shape.allSatisfy({ $0 >= 0 }), bounds.count == 2,
                  bounds[0] >= 0, bounds[0] <= bounds[1]
            else {
                throw CustosError(.invalidInput, "corrupt safetensors header: tensor '\(name)' has an invalid shape or offsets", at: where_)
            }
            guard bounds[1] <= dataSize else {
                throw CustosError(
                    .invalidInput,
                    "truncated safetensors file: tensor '\(name)' ends at data byte \(bounds[1]) but the data has \(dataSize) bytes",
                    at: where_)
            }
            let (count, overflow) = shape.reduce((1, false)) { acc, d in
                let (m, o) = acc.0.multipliedReportingOverflow(by: d)
                return (m, acc.1 || o)
            }
            guard !overflow, count * dataType.byteSize == bounds[1] - bounds[0] else {
                throw CustosError(
                    .invalidInput,
                    "corrupt safetensors header: tensor '\(name)' has shape \(shape) of \(dataType.rawValue) but \(bounds[1] - bounds[0]) bytes",
                    at: where_)
            }
            entries[name] = Entry(dataType: dataType, shape: shape, range: bounds[0]..<bounds[1])
        }
        self.entries = entries
        self.metadata = metadata
    }

    /// The path of the file.
    public var path: String { file.path }

    /// A tensor converted to `Float` (F32 copied, F16 and BF16 widened), checked to have `shape` when given.
    /// A missing tensor, another shape or a non-float dtype is an error naming the tensor.
    public func floats(_ name: String, shape expected: [Int]? = nil) throws -> [Float] {
        guard let entry = entries[name] else {
            throw CustosError(.missingAsset, "the model has no tensor '\(name)'", at: SourceLocation(file: path))
        }
        if let expected, expected != entry.shape {
            throw CustosError(
                .missingAsset, "tensor '\(name)' has shape \(entry.shape), expected \(expected)",
                at: SourceLocation(file: path, jsonPath: "$.\(name)"))
        }
        guard entry.dataType.convertsToFloat else {
            throw CustosError(
                .missingAsset, "tensor '\(name)' is \(entry.dataType.rawValue), expected F32, F16 or BF16",
                at: SourceLocation(file: path, jsonPath: "$.\(name)"))
        }
        let raw = UnsafeRawBufferPointer(rebasing: file.bytes[(dataStart + entry.range.lowerBound)..<(dataStart + entry.range.upperBound)])
        let count = entry.elementCount
        return [Float](unsafeUninitializedCapacity: count) { out, initialized in
            switch entry.dataType {
            case .f32:
                // The data may be unaligned; copy bytes (little-endian hosts only, like every supported platform).
                if let source = raw.baseAddress, let target = out.baseAddress {
                    UnsafeMutableRawPointer(target).copyMemory(from: source, byteCount: count * 4)
                }
            case .f16:
                for i in 0..<count {
                    let bits = UInt16(raw[2 * i]) | UInt16(raw[2 * i + 1]) << 8
                    out[i] = Float(Self.halfToFloat(bits))
                }
            case .bf16:
                for i in 0..<count {
                    let bits = UInt32(raw[2 * i]) << 16 | UInt32(raw[2 * i + 1]) << 24
                    out[i] = Float(bitPattern: bits)
                }
            default:
                break
            }
            initialized = count
        }
    }

    /// IEEE half → float, including subnormals, infinities and NaN.
    static func halfToFloat(_ bits: UInt16) -> Float {
        let sign: Float = bits & 0x8000 != 0 ? -1 : 1
        let exponent = Int((bits >> 10) & 0x1F)
        let mantissa = Float(bits & 0x3FF)
        switch exponent {
        case 0: return sign * mantissa * 0x1p-24
        case 31: return mantissa == 0 ? sign * .infinity : .nan
        default: return sign * (1 + mantissa / 1024) * Float(sign: .plus, exponent: exponent - 15, significand: 1)
        }
    }
}
