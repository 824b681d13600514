import CJinaVector
import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Top-k search over a contiguous row-major matrix of float vectors.
enum VectorSearch {
    enum Metric: String, CaseIterable {
        case cosine, euclidean, dot

        /// Cosine and dot are similarities (higher is closer); euclidean is a distance.
        var higherIsCloser: Bool { self != .euclidean }
    }

    /// The `k` rows closest to `query`, best first, as (row, score). `norms` (each row's norm,
    /// as the store keeps them) spare cosine from recomputing them; with them, `quantized` (the
    /// rows as 8-bit codes) narrows the rows to rank to those that can be among the `k`
    /// (`candidates`), which gives the same answer from a quarter of the memory traffic.
    static func topK(_ k: Int, query: [Float], in vectors: [Float], norms: [Float]? = nil, quantized: QuantizedRows? = nil,
                     dimension: Int, metric: Metric, parts: Int? = nil) -> [(row: Int, score: Float)] {
        let rows = dimension == 0 ? 0 : vectors.count / dimension
        guard k > 0, rows > 0 else { return [] }
        let queryNorm = metric == .cosine ? norm(query) : 1
        // A large matrix is scanned in parts, one per core: the scan is bound by memory bandwidth,
        // which one core does not fill (docs/benchmarks.md, "Vector indexer").
        let parts = max(1, min(parts ?? (vectors.count >= partedScanFloats ? cores : 1), rows))
        return vectors.withUnsafeBufferPointer { matrix in
            query.withUnsafeBufferPointer { q in
                func score(_ row: Int) -> Float {
                    let v = UnsafeBufferPointer(rebasing: matrix[(row * dimension)..<((row + 1) * dimension)])
                    switch metric {
                    case .dot: return dot(q, v)
                    case .cosine:
                        let n = (norms?[row] ?? norm(v)) * queryNorm
                        return n > 0 ? dot(q, v) / n : 0
                    case .euclidean: return distance(q, v)
                    }
                }
                /// The k best of `rows`, which come in row order: equal scores keep the lower row first.
                func rank(_ rows: some Sequence<Int>) -> [(row: Int, score: Float)] {
                    var best: [(row: Int, score: Float)] = []
                    best.reserveCapacity(k + 1)
                    for row in rows { insert((row, score(row)), into: &best, k: k, higherIsCloser: metric.higherIsCloser) }
                    return best
                }
                if let quantized, let norms, q.count == dimension,
                   let candidates = candidates(k, query: q, quantized: quantized, norms: norms, metric: metric, parts: parts) {
                    return rank(candidates)
                }
                let found = eachPart(parts) { rank((rows * $0 / parts)..<(rows * ($0 + 1) / parts)) }
                guard parts > 1 else { return found[0] }
                // Parts in row order, so that equal scores keep the lower row first, as one scan does.
                var best: [(row: Int, score: Float)] = []
                for item in found.joined() { insert(item, into: &best, k: k, higherIsCloser: metric.higherIsCloser) }
                return best
            }
        }
    }

    /// From this many floats (4 MB) on, a query is scanned on every core.
    static let partedScanFloats = 1 << 20
    static let cores = ProcessInfo.processInfo.activeProcessorCount

    /// `body` of each part, in part order: on every core when there are several parts.
    static func eachPart<Result>(_ parts: Int, _ body: (Int) -> Result) -> [Result] {
        guard parts > 1 else { return [body(0)] }
        var results = [Result?](repeating: nil, count: parts)
        results.withUnsafeMutableBufferPointer { results in
            nonisolated(unsafe) let results = results
            withoutActuallyEscaping(body) { body in
                nonisolated(unsafe) let body = body
                DispatchQueue.concurrentPerform(iterations: parts) { part in results[part] = body(part) }
            }
        }
        return results.map { $0! }
    }

    /// Keeps `best` sorted and at most `k` long.
    static func insert(_ item: (row: Int, score: Float), into best: inout [(row: Int, score: Float)], k: Int, higherIsCloser: Bool) {
        func closer(_ a: Float, _ b: Float) -> Bool { higherIsCloser ? a > b : a < b }
        if best.count == k, let last = best.last, !closer(item.score, last.score) { return }
        var index = best.count
        while index > 0, closer(item.score, best[index - 1].score) { index -= 1 }
        best.insert(item, at: index)
        if best.count > k { best.removeLast() }
    }

    /// Which kernels run: AVX2 + FMA when the CPU has them (unless JINA_VECTOR_KERNEL=generic),
    /// else the generic SIMD8 ones below, which any x86-64 or ARM CPU runs.
    static let kernel: Kernel = jina_vector_has_avx2_fma() != 0 && getenv("JINA_VECTOR_KERNEL").map({ String(cString: $0) }) != "generic"
        ? .avx2 : .generic
    enum Kernel { case avx2, generic }

    static func dot(_ a: UnsafeBufferPointer<Float>, _ b: UnsafeBufferPointer<Float>) -> Float {
        guard kernel == .avx2, let pa = a.baseAddress, let pb = b.baseAddress else { return genericDot(a, b) }
        return jina_dot_avx2(pa, pb, min(a.count, b.count))
    }

    static func distance(_ a: UnsafeBufferPointer<Float>, _ b: UnsafeBufferPointer<Float>) -> Float {
        guard kernel == .avx2, let pa = a.baseAddress, let pb = b.baseAddress else { return genericDistance(a, b) }
        return jina_squared_distance_avx2(pa, pb, min(a.count, b.count)).squareRoot()
    }

    /// Four independent accumulators of 8 lanes: the additions of one do not wait for the
    /// last of another, so the loop runs at the multiplier's rate rather than the adder's latency.
    static func genericDot(_ a: UnsafeBufferPointer<Float>, _ b: UnsafeBufferPointer<Float>) -> Float {
        var s0 = SIMD8<Float>(), s1 = SIMD8<Float>(), s2 = SIMD8<Float>(), s3 = SIMD8<Float>()
        let n = min(a.count, b.count)
        var i = 0
        guard n > 0, let pa = a.baseAddress, let pb = b.baseAddress else { return 0 }
        func load(_ p: UnsafePointer<Float>, _ at: Int) -> SIMD8<Float> {
            UnsafeRawPointer(p + at).loadUnaligned(as: SIMD8<Float>.self)
        }
        while i + 32 <= n {
            s0 += load(pa, i) * load(pb, i)
            s1 += load(pa, i + 8) * load(pb, i + 8)
            s2 += load(pa, i + 16) * load(pb, i + 16)
            s3 += load(pa, i + 24) * load(pb, i + 24)
            i += 32
        }
        while i + 8 <= n {
            s0 += load(pa, i) * load(pb, i)
            i += 8
        }
        var total = ((s0 + s1) + (s2 + s3)).sum()
        while i < n { total += pa[i] * pb[i]; i += 1 }
        return total
    }

    static func genericDistance(_ a: UnsafeBufferPointer<Float>, _ b: UnsafeBufferPointer<Float>) -> Float {
        var s0 = SIMD8<Float>(), s1 = SIMD8<Float>()
        let n = min(a.count, b.count)
        var i = 0
        guard n > 0, let pa = a.baseAddress, let pb = b.baseAddress else { return 0 }
        func load(_ p: UnsafePointer<Float>, _ at: Int) -> SIMD8<Float> {
            UnsafeRawPointer(p + at).loadUnaligned(as: SIMD8<Float>.self)
        }
        while i + 16 <= n {
            let d0 = load(pa, i) - load(pb, i), d1 = load(pa, i + 8) - load(pb, i + 8)
            s0 += d0 * d0
            s1 += d1 * d1
            i += 16
        }
        while i + 8 <= n {
            let d = load(pa, i) - load(pb, i)
            s0 += d * d
            i += 8
        }
        var total = (s0 + s1).sum()
        while i < n { let d = pa[i] - pb[i]; total += d * d; i += 1 }
        return total.squareRoot()
    }

    static func norm(_ v: UnsafeBufferPointer<Float>) -> Float { dot(v, v).squareRoot() }

    static func norm(_ v: [Float]) -> Float { v.withUnsafeBufferPointer { norm($0) } }
}
