import Foundation
import Testing
@testable import JinaExecutor

/// A query first narrows the rows on their 8-bit codes, then ranks the candidates on the floats:
/// the answer must be exactly what ranking every row gives, rows and scores, ties included.
@Suite struct VectorCandidatesTests {
    /// SplitMix64: the same numbers on every run.
    struct Numbers {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        /// In [-1, 1).
        mutating func float() -> Float { Float(next() >> 40) / Float(1 << 23) - 1 }
    }

    /// Matrices that are hard on the bounds in different ways.
    static func matrix(_ kind: String, rows: Int, dimension: Int) -> [Float] {
        var numbers = Numbers(state: UInt64(kind.utf8.count * 7919 + rows))
        var matrix: [Float] = []
        for row in 0..<rows {
            switch kind {
            case "uniform":
                matrix += (0..<dimension).map { _ in numbers.float() }
            case "few distinct rows":  // most scores tie, so the lower row must win
                matrix += VectorSearchTests.vector(dimension, seed: row % 23)
            case "one large value a row":  // the scale is set by one outlier: coarse codes, wide bounds
                matrix += (0..<dimension).map { i in i == row % dimension ? 40 : numbers.float() }
            case "magnitudes and zeros":  // rows from 1e-3 to 1e3 in size, every 17th all zeros
                let size = row % 17 == 0 ? 0 : Float(pow(10, Double(row % 7) - 3))
                matrix += (0..<dimension).map { _ in numbers.float() * size }
            case "near duplicates":  // rows a hair apart: scores closer than the codes can tell
                matrix += VectorSearchTests.vector(dimension, seed: row % 5).map { $0 + Float(row) * 1e-6 }
            default:
                fatalError(kind)
            }
        }
        return matrix
    }

    static let kinds = ["uniform", "few distinct rows", "one large value a row", "magnitudes and zeros", "near duplicates"]

    @Test(arguments: kinds)
    func candidatesRankAsEveryRowDoes(kind: String) {
        let dimension = 40, rows = 3000
        let matrix = Self.matrix(kind, rows: rows, dimension: dimension)
        let quantized = VectorSearchTests.quantized(matrix, dimension: dimension)
        let norms = (0..<rows).map { VectorSearch.norm(Array(matrix[($0 * dimension)..<(($0 + 1) * dimension)])) }
        var numbers = Numbers(state: 7)
        let queries = [
            (0..<dimension).map { _ in numbers.float() },
            Array(matrix[(5 * dimension)..<(6 * dimension)]),  // a stored row: itself at the top
            VectorSearchTests.vector(dimension, seed: 3).map { $0 * 1000 },
        ]
        for query in queries {
            for metric in VectorSearch.Metric.allCases {
                for k in [1, 10, 100] {
                    for parts in [1, 3] {
                        let every = VectorSearch.topK(k, query: query, in: matrix, norms: norms, dimension: dimension, metric: metric, parts: parts)
                        let narrowed = VectorSearch.topK(k, query: query, in: matrix, norms: norms, quantized: quantized,
                                                         dimension: dimension, metric: metric, parts: parts)
                        #expect(narrowed.map(\.row) == every.map(\.row), "\(kind) \(metric) k=\(k) parts=\(parts)")
                        #expect(narrowed.map(\.score) == every.map(\.score), "\(kind) \(metric) k=\(k) parts=\(parts)")
                    }
                }
            }
        }
    }

    /// The point of the codes: on ordinary data few rows are left to rank on the floats, with
    /// either kernel, and both kernels leave the same rows.
    @Test func fewRowsAreLeftToRank() {
        let dimension = 64, rows = 20000
        let matrix = Self.matrix("uniform", rows: rows, dimension: dimension)
        let quantized = VectorSearchTests.quantized(matrix, dimension: dimension)
        let norms = (0..<rows).map { VectorSearch.norm(Array(matrix[($0 * dimension)..<(($0 + 1) * dimension)])) }
        var numbers = Numbers(state: 11)
        let query = (0..<dimension).map { _ in numbers.float() }
        for metric in VectorSearch.Metric.allCases {
            let found = query.withUnsafeBufferPointer { q in
                VectorSearchTests.kernels.map { kernel in
                    VectorSearch.candidates(10, query: q, quantized: quantized, norms: norms, metric: metric, parts: 2,
                                            kernel: kernel.name == "avx2" ? .avx2 : .generic)
                }
            }
            for candidates in found {
                let count = candidates?.count ?? rows
                #expect(count >= 10 && count < rows / 20, "\(metric): \(count) of \(rows) rows left")
                #expect(candidates == found[0], "\(metric): the kernels disagree")
            }
        }
    }

    /// Where the codes can't bound anything, every row is ranked.
    @Test func aQueryTheCodesCannotStandForRanksEveryRow() {
        let dimension = 8
        let matrix = Self.matrix("uniform", rows: 400, dimension: dimension)
        let quantized = VectorSearchTests.quantized(matrix, dimension: dimension)
        let norms = (0..<400).map { VectorSearch.norm(Array(matrix[($0 * dimension)..<(($0 + 1) * dimension)])) }
        for query: [Float] in [Array(repeating: 0, count: dimension), [.infinity] + Array(repeating: 1, count: dimension - 1)] {
            let none = query.withUnsafeBufferPointer {
                VectorSearch.candidates(10, query: $0, quantized: quantized, norms: norms, metric: .cosine, parts: 1)
            }
            #expect(none == nil)
        }
        let tooMany = Array(repeating: Float(0.5), count: dimension).withUnsafeBufferPointer {
            VectorSearch.candidates(100, query: $0, quantized: quantized, norms: norms, metric: .dot, parts: 1)
        }
        #expect(tooMany == nil, "k of a quarter of the rows: nothing to narrow")
    }

    /// A row's codes and scale come back within its residual, and the residual is what's left.
    @Test(arguments: ["uniform", "one large value a row", "magnitudes and zeros"])
    func codesStandForTheirRow(kind: String) {
        let dimension = 33
        let matrix = Self.matrix(kind, rows: 50, dimension: dimension)
        let rows = VectorSearchTests.quantized(matrix, dimension: dimension)
        for row in 0..<50 {
            let floats = matrix[(row * dimension)..<((row + 1) * dimension)]
            let codes = rows.codes[(row * dimension)..<((row + 1) * dimension)]
            #expect(codes.allSatisfy { abs(Int($0)) <= 127 })
            let largest = floats.map(abs).max() ?? 0
            #expect(largest == 0 ? codes.allSatisfy { $0 == 0 } : codes.contains { abs(Int($0)) == 127 }, "row \(row) uses the full range")
            let left = zip(floats, codes).map { Double($0) - Double(rows.scales[row]) * Double($1) }
            let residual = left.map { $0 * $0 }.reduce(0, +).squareRoot()
            #expect(abs(residual - Double(rows.residuals[row])) <= 1e-5 * max(1, Double(largest)), "row \(row)")
            #expect(left.allSatisfy { abs($0) <= Double(rows.scales[row]) * 0.5001 }, "each code is the nearest")
        }
        var odd = QuantizedRows()
        [Float.nan, 1, 2].withUnsafeBufferPointer { odd.append($0) }
        ([1, 2, 3, .infinity] + Array(repeating: 1, count: 8)).withUnsafeBufferPointer { odd.append($0) }
        #expect(odd.residuals == [.infinity, .infinity], "a row with NaN or infinity can't be bounded, so it is always a candidate")
    }

    /// Both 8-bit kernels give the exact integer sums, at every length and at the codes' extremes.
    @Test(arguments: [1, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 256, 257])
    func eightBitDotsAreExact(length: Int) {
        var numbers = Numbers(state: UInt64(length))
        let rows = 3
        var codes = (0..<(rows * length)).map { _ in Int8(truncatingIfNeeded: Int(numbers.next() % 255) - 127) }
        for i in 0..<length { codes[i] = 127 }  // row 0 at the extreme, against a query at both extremes
        var query = (0..<length).map { _ in Int8(truncatingIfNeeded: Int(numbers.next() % 255) - 127) }
        query[0] = -127
        query[length - 1] = 127
        var expected = [Int32](repeating: 0, count: rows)
        for r in 0..<rows {
            for i in 0..<length { expected[r] += Int32(codes[r * length + i]) * Int32(query[i]) }
        }
        var kernels: [VectorSearch.Kernel] = [.generic]
        if VectorSearch.kernel == .avx2 { kernels.append(.avx2) }
        for kernel in kernels {
            var out = [Int32](repeating: -1, count: rows)
            codes.withUnsafeBufferPointer { c in
                query.withUnsafeBufferPointer { q in
                    out.withUnsafeMutableBufferPointer { o in
                        QuantizedRows.dots(c.baseAddress!, count: rows, dimension: length, query: q.baseAddress!, into: o.baseAddress!, kernel: kernel)
                    }
                }
            }
            #expect(out == expected, "\(kernel) at \(length)")
        }
    }
}
