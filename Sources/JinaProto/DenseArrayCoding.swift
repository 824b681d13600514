import Foundation
import JinaWire

/// docarray's dense ndarray (raw bytes, shape, numpy dtype string such as "<f4") to and from the
/// nested JSON number lists executors read and write. NaN and infinities, which JSON cannot hold,
/// become null and back.
enum DenseArrayCoding {
    /// A numpy dtype this code reads and writes: byte order, kind (f, i, u, b) and item size.
    struct DType: Equatable {
        var littleEndian: Bool
        var kind: Character
        var size: Int

        init?(_ text: String) {
            var rest = Substring(text)
            littleEndian = true
            if let order = rest.first, "<>|=".contains(order) {
                littleEndian = order != ">"
                rest = rest.dropFirst()
            }
            guard let kind = rest.first, "fiub".contains(kind), let size = Int(rest.dropFirst()),
                  DType.sizes[kind]?.contains(size) == true else { return nil }
            self.kind = kind
            self.size = size
        }

        private static let sizes: [Character: Set<Int>] = ["f": [4, 8], "i": [1, 2, 4, 8], "u": [1, 2, 4, 8], "b": [1]]
    }

    /// The array as nested lists by `shape` (a number for shape []).
    static func decode(_ dense: Docarray_DenseNdArrayProto) throws(ProtoError) -> JSONValue {
        guard let dtype = DType(dense.dtype) else {
            throw ProtoError(.badArray, "ndarray dtype \(dense.dtype.debugDescription) is not supported (float32/64, int and uint 8–64, bool)")
        }
        let shape = dense.shape.map(Int.init)
        let count = shape.reduce(1, *)
        guard dense.buffer.count == count * dtype.size else {
            throw ProtoError(.badArray, "ndarray of shape \(shape) and dtype \(dense.dtype) needs \(count * dtype.size) bytes, found \(dense.buffer.count)")
        }
        let values = dense.buffer.withUnsafeBytes { scalars($0, dtype) }
        var index = 0
        return nest(values, shape: shape[...], index: &index)
    }

    /// The dense form of nested number lists in `dtype`; nil when `value` is not a rectangular
    /// array of numbers (or nulls), or `dtype` is not supported.
    static func encode(_ value: JSONValue, dtype text: String) -> Docarray_DenseNdArrayProto? {
        guard let dtype = DType(text) else { return nil }
        var shape: [Int] = []
        var probe = value
        while case .array(let items) = probe {
            shape.append(items.count)
            guard let first = items.first else { break }
            probe = first
        }
        var numbers: [JSONValue] = []
        numbers.reserveCapacity(shape.reduce(1, *))
        guard flatten(value, shape: shape[...], into: &numbers) else { return nil }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(numbers.count * dtype.size)
        for number in numbers { append(number, dtype, to: &buffer) }
        var dense = Docarray_DenseNdArrayProto()
        dense.buffer = Data(buffer)
        dense.shape = shape.map { UInt32($0) }
        dense.dtype = text
        return dense
    }

    private static func flatten(_ value: JSONValue, shape: ArraySlice<Int>, into out: inout [JSONValue]) -> Bool {
        guard let size = shape.first else {
            switch value {
            case .number, .null, .bool: out.append(value); return true
            default: return false
            }
        }
        guard case .array(let items) = value, items.count == size else { return false }
        for item in items where !flatten(item, shape: shape.dropFirst(), into: &out) { return false }
        return true
    }

    private static func nest(_ values: [JSONValue], shape: ArraySlice<Int>, index: inout Int) -> JSONValue {
        guard let size = shape.first else {
            defer { index += 1 }
            return values[index]
        }
        var items: [JSONValue] = []
        items.reserveCapacity(size)
        for _ in 0..<size { items.append(nest(values, shape: shape.dropFirst(), index: &index)) }
        return .array(items)
    }

    private static func scalars(_ raw: UnsafeRawBufferPointer, _ dtype: DType) -> [JSONValue] {
        let count = dtype.size == 0 ? 0 : raw.count / dtype.size
        var out: [JSONValue] = []
        out.reserveCapacity(count)
        for i in 0..<count {
            var bits: UInt64 = 0
            for b in 0..<dtype.size {
                let byte = raw[i * dtype.size + (dtype.littleEndian ? b : dtype.size - 1 - b)]
                bits |= UInt64(byte) << (8 * UInt64(b))
            }
            out.append(scalar(bits, dtype))
        }
        return out
    }

    private static func scalar(_ bits: UInt64, _ dtype: DType) -> JSONValue {
        switch (dtype.kind, dtype.size) {
        case ("f", 4):
            let float = Float(bitPattern: UInt32(truncatingIfNeeded: bits))
            return float.isFinite ? .number(JSONNumber(float)) : .null
        case ("f", _): return JSONNumber(finite: Double(bitPattern: bits)).map(JSONValue.number) ?? .null
        case ("b", _): return .bool(bits != 0)
        case ("u", _): return .number(JSONNumber(text: String(bits))!)
        default:  // signed: sign-extend from the item size
            let shift = UInt64(64 - 8 * dtype.size)
            return .number(JSONNumber(Int(Int64(bitPattern: bits << shift) >> Int64(shift))))
        }
    }

    private static func append(_ value: JSONValue, _ dtype: DType, to buffer: inout [UInt8]) {
        let bits: UInt64
        switch dtype.kind {
        case "f":
            let number: Double = if case .number(let n) = value { n.double } else if case .bool(let b) = value { b ? 1 : 0 } else { .nan }
            bits = dtype.size == 4 ? UInt64(Float(number).bitPattern) : number.bitPattern
        case "b":
            bits = value == .bool(true) || (value.doubleValue ?? 0) != 0 ? 1 : 0
        default:
            let number: Double = if case .number(let n) = value { n.double } else if case .bool(let b) = value { b ? 1 : 0 } else { 0 }
            if dtype.kind == "u" {
                bits = number <= 0 || !number.isFinite ? 0 : number >= 1.8446744073709552e19 ? .max : UInt64(number)
            } else {
                let clamped = number.isNaN ? 0 : max(min(number, 9.2233720368547748e18), -9.2233720368547758e18)
                bits = UInt64(bitPattern: clamped >= 9.2233720368547748e18 ? .max : Int64(clamped))
            }
        }
        for b in 0..<dtype.size {
            let shift = UInt64(8 * (dtype.littleEndian ? b : dtype.size - 1 - b))
            buffer.append(UInt8(truncatingIfNeeded: bits >> shift))
        }
    }
}
