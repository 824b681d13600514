/// Jina's two JSON forms of an ndarray: a nested number list, or
/// `{"dense": {"buffer": base64, "shape": [...], "dtype": "<f4"}}`.
public enum NDArray {
    /// The values, flattened, as floats; nil when the value is neither form.
    public static func floats(from value: JSONValue) -> [Float]? {
        switch value {
        case .array(let items):
            var out: [Float] = []
            out.reserveCapacity(items.count)
            return flatten(items, into: &out) ? out : nil
        case .object(let object):
            guard let dense = object["dense"]?.objectValue ?? (object["buffer"] != nil ? object : nil),
                  let buffer = dense["buffer"]?.stringValue, let bytes = Base64.decode(buffer) else { return nil }
            return decode(bytes, dtype: dense["dtype"]?.stringValue ?? "<f4")
        default:
            return nil
        }
    }

    /// A plain JSON list of numbers, each written in its shortest exact form.
    public static func list(from values: [Float]) -> JSONValue {
        .array(values.map { $0.isFinite ? .number(JSONNumber($0)) : .null })
    }

    private static func flatten(_ items: [JSONValue], into out: inout [Float]) -> Bool {
        for item in items {
            switch item {
            case .number(let n): out.append(n.float)
            case .array(let inner): if !flatten(inner, into: &out) { return false }
            default: return false
            }
        }
        return true
    }

    /// Little-endian buffers of the dtypes Jina writes (`<f4`, `<f8`, `<i4`, `<i8`, `|u1`, …).
    private static func decode(_ bytes: [UInt8], dtype: String) -> [Float]? {
        let kind = dtype.dropFirst(dtype.first == "<" || dtype.first == "|" || dtype.first == "=" ? 1 : 0)
        func load<T: FixedWidthInteger>(_: T.Type) -> [T] {
            let size = MemoryLayout<T>.size
            return stride(from: 0, to: bytes.count - size + 1, by: size).map { offset in
                var v: T = 0
                for i in 0..<size { v |= T(truncatingIfNeeded: bytes[offset + i]) << (8 * i) }
                return v
            }
        }
        switch kind {
        case "f4": return load(UInt32.self).map { Float(bitPattern: $0) }
        case "f8": return load(UInt64.self).map { Float(Double(bitPattern: $0)) }
        case "f2": return load(UInt16.self).map { Float(Float16(bitPattern: $0)) }
        case "i4": return load(UInt32.self).map { Float(Int32(bitPattern: $0)) }
        case "i8": return load(UInt64.self).map { Float(Int64(bitPattern: $0)) }
        case "u1": return bytes.map(Float.init)
        case "i1": return bytes.map { Float(Int8(bitPattern: $0)) }
        default: return nil
        }
    }
}

/// Standard base64 (RFC 4648) decoding, padding optional; Foundation-free.
enum Base64 {
    private static let table: [UInt8] = {
        var t = [UInt8](repeating: 255, count: 256)
        for (i, c) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() { t[Int(c)] = UInt8(i) }
        t[Int(UInt8(ascii: "-"))] = 62
        t[Int(UInt8(ascii: "_"))] = 63
        return t
    }()

    static func decode(_ text: String) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count * 3 / 4)
        var acc: UInt32 = 0, bits = 0
        for c in text.utf8 {
            if c == UInt8(ascii: "=") { break }
            if c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r") { continue }
            let v = table[Int(c)]
            if v == 255 { return nil }
            acc = acc << 6 | UInt32(v)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: acc >> UInt32(bits)))
            }
        }
        return out
    }
}
