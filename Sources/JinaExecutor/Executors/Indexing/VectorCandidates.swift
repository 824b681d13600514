extension VectorSearch {
    /// The rows that can be among the `k` closest to `query`, in row order, found on the 8-bit
    /// codes; nil when the codes can't narrow the search (few rows for this `k`, or a query of
    /// zeros or of non-finite values), and every row must be ranked.
    ///
    /// Why the rest can't be among them: with a row x = s·c + e (its codes c, scale s, residual e)
    /// and the query q = t·d + f likewise, q·x = t·s·(d·c) + (t·d)·e + f·x, so q·x is within
    /// ‖t·d‖‖e‖ + ‖f‖‖x‖ of t·s·(d·c) (Cauchy–Schwarz), plus a margin of 1e-4 of the scores' scale
    /// that covers float rounding, the float scan's included. A row whose best possible score is
    /// below the k-th best of the rows' worst possible scores is strictly farther than k rows,
    /// so ranking the candidates on the floats gives what ranking every row gives, ties included.
    static func candidates(_ k: Int, query: UnsafeBufferPointer<Float>, quantized: QuantizedRows, norms: [Float],
                           metric: Metric, parts: Int, kernel: Kernel = kernel) -> [Int]? {
        let rows = quantized.count, dimension = query.count
        guard k > 0, k * 8 <= rows, norms.count == rows, quantized.codes.count == rows * dimension else { return nil }
        var queryCodes = [Int8](repeating: 0, count: dimension)
        let (t, queryResidual) = queryCodes.withUnsafeMutableBufferPointer { QuantizedRows.quantize(query, into: $0) }
        let queryNorm = norm(query)
        guard t > 0, queryResidual.isFinite, queryNorm.isFinite else { return nil }
        let queryCodesNorm = queryNorm + queryResidual  // ‖t·d‖ ≤ ‖q‖ + ‖f‖
        let margin: Float = 1e-4

        return quantized.scales.withUnsafeBufferPointer { scales in
            quantized.residuals.withUnsafeBufferPointer { residuals in
                norms.withUnsafeBufferPointer { norms in
                    /// A row's best (`side` 1) or worst (`side` −1) possible score, higher closer
                    /// (euclidean as −distance²). Most rows need only their best, so one division a row.
                    func bound(_ row: Int, _ codeDot: Int32, _ side: Float) -> Float {
                        let rowNorm = norms[row]
                        let estimate = t * scales[row] * Float(codeDot)
                        let error = queryCodesNorm * residuals[row] + queryResidual * rowNorm
                        switch metric {
                        case .dot:
                            return estimate + side * (error + margin * queryNorm * rowNorm)
                        case .cosine:
                            // The float scan's own rule: a zero norm scores exactly 0.
                            let scale = rowNorm * queryNorm
                            return scale > 0 || scale.isNaN ? (estimate + side * error) / scale + side * margin : 0
                        case .euclidean:
                            let squares = queryNorm * queryNorm + rowNorm * rowNorm
                            return 2 * estimate - squares + side * (2 * error + margin * squares)
                        }
                    }

                    /// One part's candidates (their best scores beside them) and its k best worst scores.
                    func scan(_ part: Int) -> (found: [(row: Int, upper: Float)], lowers: [(row: Int, score: Float)]) {
                        let range = (rows * part / parts)..<(rows * (part + 1) / parts)
                        var found: [(row: Int, upper: Float)] = []
                        var lowers: [(row: Int, score: Float)] = []  // best first, at most k
                        lowers.reserveCapacity(k + 1)
                        var threshold = -Float.infinity
                        let block = 1024
                        withUnsafeTemporaryAllocation(of: Int32.self, capacity: block) { dots in
                            var first = range.lowerBound
                            while first < range.upperBound {
                                let count = min(block, range.upperBound - first)
                                quantized.dots(query: queryCodes, first: first, into: UnsafeMutableBufferPointer(rebasing: dots[0..<count]), kernel: kernel)
                                for i in 0..<count {
                                    // Written so that NaN keeps a row (a candidate) and adds no threshold.
                                    let upper = bound(first + i, dots[i], 1)
                                    if upper < threshold { continue }
                                    found.append((first + i, upper))
                                    let lower = bound(first + i, dots[i], -1)
                                    guard lower > threshold else { continue }
                                    insert((first + i, lower), into: &lowers, k: k, higherIsCloser: true)
                                    if lowers.count == k { threshold = lowers[k - 1].score }
                                }
                                first += count
                            }
                        }
                        return (found, lowers)
                    }

                    let results = eachPart(parts, scan)
                    let lowers = results.flatMap { $0.lowers.map(\.score) }.sorted(by: >)
                    let threshold = lowers.count >= k ? lowers[k - 1] : -Float.infinity
                    return results.flatMap { $0.found.filter { !($0.upper < threshold) }.map(\.row) }
                }
            }
        }
    }
}
