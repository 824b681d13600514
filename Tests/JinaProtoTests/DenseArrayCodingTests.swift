import Foundation
import Testing
@testable import JinaProto
import JinaWire

@Suite struct DenseArrayCodingTests {
    func dense(_ bytes: [UInt8], _ shape: [UInt32], _ dtype: String) -> Docarray_DenseNdArrayProto {
        var dense = Docarray_DenseNdArrayProto()
        dense.buffer = Data(bytes)
        dense.shape = shape
        dense.dtype = dtype
        return dense
    }

    @Test func readsEachDtypeInItsByteOrder() throws {
        #expect(try DenseArrayCoding.decode(dense([0xFF, 0x01, 0x80], [3], "|i1")) == [-1, 1, -128])
        #expect(try DenseArrayCoding.decode(dense([0x01, 0x00, 0x00, 0x02], [2], ">u2")) == [256, 2])
        #expect(try DenseArrayCoding.decode(dense([1, 0], [2], "|b1")) == [true, false])
        #expect(try DenseArrayCoding.decode(dense([0, 0, 0, 0, 0, 0, 0xF8, 0x3F], [], "<f8")) == 1.5)
        #expect(try DenseArrayCoding.decode(dense(Array(repeating: 0xFF, count: 8), [1], "<i8")) == [-1])
    }

    @Test func nestsByShape() throws {
        let bytes: [UInt8] = [1, 2, 3, 4, 5, 6]
        #expect(try DenseArrayCoding.decode(dense(bytes, [2, 3], "|u1")) == [[1, 2, 3], [4, 5, 6]])
        #expect(try DenseArrayCoding.decode(dense([], [0, 3], "<f4")) == [])
    }

    @Test func notANumberTravelsAsNull() throws {
        let bytes = [Float.nan, 1].withUnsafeBufferPointer { Array(UnsafeRawBufferPointer($0)) }
        #expect(try DenseArrayCoding.decode(dense(bytes, [2], "<f4")) == [nil, 1.0])
        let back = try #require(DenseArrayCoding.encode([nil, 1.0], dtype: "<f4"))
        #expect(back.buffer.withUnsafeBytes { $0.load(as: Float.self) }.isNaN)
    }

    @Test func writesAndReadsBackEveryDtype() throws {
        let value: JSONValue = [[1, -2], [3, 4]]
        for dtype in ["<f4", ">f8", "<i2", ">i4", "<i8", "|i1", "<f8", "=f4"] {
            let encoded = try #require(DenseArrayCoding.encode(value, dtype: dtype))
            #expect(encoded.shape == [2, 2])
            #expect(try DenseArrayCoding.decode(encoded) == (dtype.contains("f") ? [[1.0, -2.0], [3.0, 4.0]] : value), "\(dtype)")
        }
        #expect(try DenseArrayCoding.decode(#require(DenseArrayCoding.encode([0, 300], dtype: "<u2"))) == [0, 300])
    }

    @Test func refusesWhatDoesNotAddUp() {
        #expect(throws: ProtoError.self) { try DenseArrayCoding.decode(dense([1, 2, 3], [2], "<f4")) }
        #expect(throws: ProtoError.self) { try DenseArrayCoding.decode(dense([], [1], "<c16")) }
        #expect(throws: ProtoError.self) { try DenseArrayCoding.decode(dense([], [1], "O")) }
        #expect(DenseArrayCoding.encode([[1, 2], [3]], dtype: "<f4") == nil)
        #expect(DenseArrayCoding.encode(["a"], dtype: "<f4") == nil)
        #expect(DenseArrayCoding.encode([1], dtype: "<x4") == nil)
    }
}
