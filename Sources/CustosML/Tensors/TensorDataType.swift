/// Element types a safetensors file may hold; those Custos converts to `Float` are marked.
public enum TensorDataType: String, Sendable, CaseIterable, Codable {
    /// 32-bit IEEE float.
    case f32 = "F32"
    /// 16-bit IEEE half float.
    case f16 = "F16"
    /// bfloat16 (the top 16 bits of a float32).
    case bf16 = "BF16"
    /// 64-bit float.
    case f64 = "F64"
    /// 64-bit signed integer.
    case i64 = "I64"
    /// 32-bit signed integer.
    case i32 = "I32"
    /// 16-bit signed integer.
    case i16 = "I16"
    /// 8-bit signed integer.
    case i8 = "I8"
    /// 8-bit unsigned integer.
    case u8 = "U8"
    /// Boolean, one byte.
    case bool = "BOOL"

    /// Bytes per element.
    public var byteSize: Int {
        switch self {
        case .f64, .i64: return 8
        case .f32, .i32: return 4
        case .f16, .bf16, .i16: return 2
        case .i8, .u8, .bool: return 1
        }
    }

    /// Whether `SafeTensorsFile.floats(_:)` can read it.
    public var convertsToFloat: Bool { self == .f32 || self == .f16 || self == .bf16 }
}
