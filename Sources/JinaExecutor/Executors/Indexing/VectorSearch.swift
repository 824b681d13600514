/// Top-k search over a contiguous row-major matrix of float vectors.
enum VectorSearch {
    enum Metric: String, CaseIterable {
        case cosine, euclidean, dot

        /// Cosine and dot are similarities (higher is closer); euclidean is a distance.
        var higherIsCloser: Bool { self != .euclidean }
    }

    /// The `k` rows closest to `query`, best first, as (row, score).
    static func topK(_ k: Int, query: [Float], in vectors: [Float], dimension: Int, metric: Metric) -> [(row: Int, score: Float)] {
        let rows = dimension == 0 ? 0 : vectors.count / dimension
        guard k > 0, rows > 0 else { return [] }
        let queryNorm = metric == .cosine ? norm(query) : 1
        var best: [(row: Int, score: Float)] = []
        best.reserveCapacity(k + 1)
        vectors.withUnsafeBufferPointer { matrix in
            query.withUnsafeBufferPointer { q in
                for row in 0..<rows {
                    let v = UnsafeBufferPointer(rebasing: matrix[(row * dimension)..<((row + 1) * dimension)])
                    let score: Float
                    switch metric {
                    case .dot: score = dot(q, v)
                    case .cosine:
                        let n = norm(v) * queryNorm
                        score = n > 0 ? dot(q, v) / n : 0
                    case .euclidean: score = distance(q, v)
                    }
                    insert((row, score), into: &best, k: k, higherIsCloser: metric.higherIsCloser)
                }
            }
        }
        return best
    }

    /// Keeps `best` sorted and at most `k` long.
    private static func insert(_ item: (row: Int, score: Float), into best: inout [(row: Int, score: Float)], k: Int, higherIsCloser: Bool) {
        func closer(_ a: Float, _ b: Float) -> Bool { higherIsCloser ? a > b : a < b }
        if best.count == k, let last = best.last, !closer(item.score, last.score) { return }
        var index = best.count
        while index > 0, closer(item.score, best[index - 1].score) { index -= 1 }
        best.insert(item, at: index)
        if best.count > k { best.removeLast() }
    }

    static func dot(_ a: UnsafeBufferPointer<Float>, _ b: UnsafeBufferPointer<Float>) -> Float {
        var sum = SIMD8<Float>()
        var i = 0
        let n = min(a.count, b.count)
        while i + 8 <= n {
            sum += SIMD8(a[i..<(i + 8)]) * SIMD8(b[i..<(i + 8)])
            i += 8
        }
        var total = sum.sum()
        while i < n { total += a[i] * b[i]; i += 1 }
        return total
    }

    static func distance(_ a: UnsafeBufferPointer<Float>, _ b: UnsafeBufferPointer<Float>) -> Float {
        var sum = SIMD8<Float>()
        var i = 0
        let n = min(a.count, b.count)
        while i + 8 <= n {
            let d = SIMD8(a[i..<(i + 8)]) - SIMD8(b[i..<(i + 8)])
            sum += d * d
            i += 8
        }
        var total = sum.sum()
        while i < n { let d = a[i] - b[i]; total += d * d; i += 1 }
        return total.squareRoot()
    }

    static func norm(_ v: UnsafeBufferPointer<Float>) -> Float { dot(v, v).squareRoot() }

    static func norm(_ v: [Float]) -> Float { v.withUnsafeBufferPointer { norm($0) } }
}
