import Foundation
import Testing
@testable import JinaExecutor

/// The indexer's kernels give what the textbook sums give, at every length (the unrolled loop,
/// the 8-lane loop and the scalar tail each get their turn), and cosine with stored norms ranks
/// as cosine computed from scratch.
@Suite struct VectorSearchTests {
    /// Deterministic values in [-1, 1).
    static func vector(_ n: Int, seed: Int) -> [Float] {
        (0..<n).map { i in Float(((i * 7919 + seed * 104_729) % 2000) - 1000) / 1000 }
    }

    static func naiveDot(_ a: [Float], _ b: [Float]) -> Double { zip(a, b).reduce(0) { $0 + Double($1.0) * Double($1.1) } }

    /// Each kernel this machine can run: the generic one always, AVX2 + FMA where the CPU has them.
    static var kernels: [(name: String, dot: (UnsafeBufferPointer<Float>, UnsafeBufferPointer<Float>) -> Float,
                          distance: (UnsafeBufferPointer<Float>, UnsafeBufferPointer<Float>) -> Float)] {
        var kernels: [(name: String, dot: (UnsafeBufferPointer<Float>, UnsafeBufferPointer<Float>) -> Float,
                       distance: (UnsafeBufferPointer<Float>, UnsafeBufferPointer<Float>) -> Float)] =
            [("generic", VectorSearch.genericDot, VectorSearch.genericDistance)]
        if VectorSearch.kernel == .avx2 { kernels.append(("avx2", VectorSearch.dot, VectorSearch.distance)) }
        return kernels
    }

    @Test(arguments: [0, 1, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 256, 257])
    func dotAndDistanceMatchTheTextbookSums(length: Int) {
        let a = Self.vector(length, seed: 1), b = Self.vector(length, seed: 2)
        let expectedDistance = zip(a, b).reduce(0.0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) }.squareRoot()
        for kernel in Self.kernels {
            let dot = a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { kernel.dot(pa, $0) } }
            let distance = a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { kernel.distance(pa, $0) } }
            #expect(abs(Double(dot) - Self.naiveDot(a, b)) <= 1e-4 * max(1, abs(Self.naiveDot(a, b))), "\(kernel.name) dot at \(length)")
            #expect(abs(Double(distance) - expectedDistance) <= 1e-4 * max(1, expectedDistance), "\(kernel.name) distance at \(length)")
        }
    }

    /// Where the CPU has AVX2 and FMA they are used, unless JINA_VECTOR_KERNEL=generic.
    @Test func theFastKernelIsChosenWhereTheCPUHasIt() throws {
        let flags = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let hasBoth = flags.contains(" avx2") && flags.contains(" fma")
        if ProcessInfo.processInfo.environment["JINA_VECTOR_KERNEL"] == nil {
            #expect((VectorSearch.kernel == .avx2) == hasBoth, "cpuinfo avx2+fma: \(hasBoth)")
        }
    }

    /// A matrix scanned in parts (one per core) ranks exactly as one scan does, ties included:
    /// rows come in few distinct values, so many scores are equal and the lower row must win.
    @Test(arguments: [2, 3, 7])
    func aScanInPartsRanksAsOneScan(parts: Int) {
        let dimension = 16
        let rows = (0..<500).map { Self.vector(dimension, seed: $0 % 37) }
        let matrix = rows.flatMap { $0 }
        let norms = rows.map { VectorSearch.norm($0) }
        let query = Self.vector(dimension, seed: 5)
        for metric in VectorSearch.Metric.allCases {
            for k in [1, 10, 40, 600] {
                let one = VectorSearch.topK(k, query: query, in: matrix, norms: norms, dimension: dimension, metric: metric, parts: 1)
                let parted = VectorSearch.topK(k, query: query, in: matrix, norms: norms, dimension: dimension, metric: metric, parts: parts)
                #expect(one.count == min(k, rows.count))
                #expect(parted.map(\.row) == one.map(\.row), "\(metric) k=\(k) in \(parts) parts")
                #expect(parted.map(\.score) == one.map(\.score))
            }
        }
    }

    @Test func storedNormsRankAsNormsComputedPerQuery() {
        let dimension = 48
        let rows = (0..<200).map { Self.vector(dimension, seed: $0 + 10) }
        let matrix = rows.flatMap { $0 }
        let norms = rows.map { VectorSearch.norm($0) }
        let query = Self.vector(dimension, seed: 3)
        let fresh = VectorSearch.topK(10, query: query, in: matrix, dimension: dimension, metric: .cosine)
        let stored = VectorSearch.topK(10, query: query, in: matrix, norms: norms, dimension: dimension, metric: .cosine)
        #expect(fresh.map(\.row) == stored.map(\.row))
        #expect(zip(fresh, stored).allSatisfy { abs($0.score - $1.score) < 1e-6 })
        // And the best is what a plain loop finds.
        let best = rows.indices.max { a, b in
            Self.naiveDot(rows[a], query) / Double(norms[a]) < Self.naiveDot(rows[b], query) / Double(norms[b])
        }
        #expect(stored.first?.row == best)
    }

    @Test func theStoreKeepsEachRowsNormThroughUpsertsAndDeletes() throws {
        let dir = NSTemporaryDirectory() + "vector-store-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try VectorStore(path: dir + "/index.sqlite")
        try store.upsert((0..<5).map { ("d\($0)", Array("{}".utf8), Self.vector(16, seed: $0)) })
        try store.upsert([("d2", Array("{}".utf8), Self.vector(16, seed: 99))])
        _ = try store.delete(["d0", "d3"])
        #expect(store.ids.count == 3 && store.norms.count == 3)
        for (row, id) in store.ids.enumerated() {
            let v = Array(store.vectors[(row * 16)..<((row + 1) * 16)])
            #expect(abs(store.norms[row] - VectorSearch.norm(v)) < 1e-6, "\(id)")
        }
        #expect(store.quantized == Self.quantized(store.vectors, dimension: 16), "codes follow upserts and deletes")
        let reopened = try VectorStore(path: dir + "/index.sqlite")
        #expect(Set(reopened.norms) == Set(store.norms), "norms computed on load")
        #expect(reopened.quantized == Self.quantized(reopened.vectors, dimension: 16), "codes computed on load")
    }

    static func quantized(_ matrix: [Float], dimension: Int) -> QuantizedRows {
        var rows = QuantizedRows()
        matrix.withUnsafeBufferPointer { m in
            for row in 0..<(matrix.count / dimension) { rows.append(UnsafeBufferPointer(rebasing: m[(row * dimension)..<((row + 1) * dimension)])) }
        }
        return rows
    }
}
