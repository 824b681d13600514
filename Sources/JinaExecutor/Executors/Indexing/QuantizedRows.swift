import CJinaVector

/// The store's float rows again as 8-bit codes, one scale a row: a quarter of the bytes, so a
/// query reads a quarter of the memory to find its candidates (VectorSearch.candidates) before
/// it ranks them on the floats.
struct QuantizedRows: Equatable {
    /// Row-major codes, each in [-127, 127]; `code × scale` approximates the float.
    private(set) var codes: [Int8] = []
    private(set) var scales: [Float] = []
    /// Each row's distance from its codes, ‖row − scale·codes‖: it bounds the error of a dot
    /// product taken on the codes. Infinite for a row the codes can't stand for (non-finite values).
    private(set) var residuals: [Float] = []

    var count: Int { scales.count }

    mutating func append(_ row: UnsafeBufferPointer<Float>) {
        let start = codes.count
        codes.append(contentsOf: repeatElement(0, count: row.count))
        let (scale, residual) = codes.withUnsafeMutableBufferPointer {
            Self.quantize(row, into: UnsafeMutableBufferPointer(rebasing: $0[start...]))
        }
        scales.append(scale)
        residuals.append(residual)
    }

    mutating func replace(_ index: Int, with row: UnsafeBufferPointer<Float>) {
        let range = (index * row.count)..<((index + 1) * row.count)
        (scales[index], residuals[index]) = codes.withUnsafeMutableBufferPointer {
            Self.quantize(row, into: UnsafeMutableBufferPointer(rebasing: $0[range]))
        }
    }

    /// Moves the last row into `index` (whose row goes) and drops the last: the store's rule for
    /// keeping its matrix contiguous on delete.
    mutating func moveLast(to index: Int) {
        let dimension = codes.count / count, last = count - 1
        if index != last {
            for k in 0..<dimension { codes[index * dimension + k] = codes[last * dimension + k] }
            scales[index] = scales[last]
            residuals[index] = residuals[last]
        }
        codes.removeLast(dimension)
        scales.removeLast()
        residuals.removeLast()
    }

    mutating func reserveCapacity(rows: Int, dimension: Int) {
        codes.reserveCapacity(rows * dimension)
        scales.reserveCapacity(rows)
        residuals.reserveCapacity(rows)
    }

    mutating func removeAll() {
        codes = []
        scales = []
        residuals = []
    }

    /// Writes `row`'s codes (scaled so its largest magnitude is 127) and returns the scale and
    /// the residual. A row of zeros has scale 0 and residual 0. Eight floats at a time, with no
    /// call to libm's round: it was a fifth of an indexer's start-up (docs/benchmarks.md).
    static func quantize(_ row: UnsafeBufferPointer<Float>, into codes: UnsafeMutableBufferPointer<Int8>) -> (scale: Float, residual: Float) {
        let n = row.count
        guard let x = row.baseAddress, let out = codes.baseAddress else { return (0, 0) }
        func load(_ at: Int) -> SIMD8<Float> { UnsafeRawPointer(x + at).loadUnaligned(as: SIMD8<Float>.self) }
        // The largest magnitude; `probe` turns NaN if any value is infinite or NaN.
        var top = SIMD8<Float>(), probe = SIMD8<Float>()
        var i = 0
        while i + 8 <= n {
            let v = load(i)
            let magnitude = unsafeBitCast(unsafeBitCast(v, to: SIMD8<UInt32>.self) & 0x7FFF_FFFF, to: SIMD8<Float>.self)
            top.replace(with: magnitude, where: magnitude .> top)  // (the generic pointwiseMax is not inlined)
            probe += v - v
            i += 8
        }
        var largest = top.max(), check = probe.sum()
        while i < n { largest = max(largest, abs(x[i])); check += x[i] - x[i]; i += 1 }
        guard check == 0, largest.isFinite else {
            codes.initialize(repeating: 0)
            return (0, .infinity)
        }
        guard largest > 0 else {
            codes.initialize(repeating: 0)
            return (0, 0)
        }
        let scale = largest / 127, inverse = 127 / largest
        // Adding 1.5 × 2²³ rounds to the nearest integer (ties to even) and leaves it in the low bits.
        let magic: Float = 12_582_912, magicBits: Int32 = 0x4B40_0000
        var residuals = SIMD8<Float>()
        i = 0
        while i + 8 <= n {
            let v = load(i)
            let shifted = v * inverse + magic
            // |v × inverse| ≤ 127 × (1 + 2⁻²³)², so the code is within ±127 with no clamp.
            let code = unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- magicBits
            UnsafeMutableRawPointer(out + i).storeBytes(of: SIMD8<Int8>(truncatingIfNeeded: code), as: SIMD8<Int8>.self)
            let off = v - SIMD8<Float>(code) * scale
            residuals += off * off
            i += 8
        }
        var residual = residuals.sum()
        while i < n {
            let code = min(127, max(-127, (x[i] * inverse).rounded()))
            out[i] = Int8(code)
            let off = x[i] - code * scale
            residual += off * off
            i += 1
        }
        return (scale, residual.squareRoot())
    }

    /// `out[r]` = the dot product of `query` with row `first + r`, for `out.count` rows.
    func dots(query: [Int8], first: Int, into out: UnsafeMutableBufferPointer<Int32>, kernel: VectorSearch.Kernel = VectorSearch.kernel) {
        codes.withUnsafeBufferPointer { codes in
            query.withUnsafeBufferPointer { query in
                guard let base = codes.baseAddress, let q = query.baseAddress, let o = out.baseAddress else { return }
                Self.dots(base + first * query.count, count: out.count, dimension: query.count, query: q, into: o, kernel: kernel)
            }
        }
    }

    static func dots(_ rows: UnsafePointer<Int8>, count: Int, dimension: Int, query: UnsafePointer<Int8>,
                     into out: UnsafeMutablePointer<Int32>, kernel: VectorSearch.Kernel) {
        if kernel == .avx2 {
            jina_dot_i8_rows_avx2(rows, count, dimension, query, out)
        } else {
            genericDots(rows, count: count, dimension: dimension, query: query, into: out)
        }
    }

    /// The kernel any CPU runs: 16 codes at a time, widened to 32 bits (a sum of 127 × 127
    /// products overflows 16).
    static func genericDots(_ rows: UnsafePointer<Int8>, count: Int, dimension: Int, query: UnsafePointer<Int8>,
                            into out: UnsafeMutablePointer<Int32>) {
        for r in 0..<count {
            let row = rows + r * dimension
            var sum = SIMD16<Int32>()
            var i = 0
            while i + 16 <= dimension {
                let x = SIMD16<Int32>(truncatingIfNeeded: UnsafeRawPointer(row + i).loadUnaligned(as: SIMD16<Int8>.self))
                let y = SIMD16<Int32>(truncatingIfNeeded: UnsafeRawPointer(query + i).loadUnaligned(as: SIMD16<Int8>.self))
                sum &+= x &* y
                i += 16
            }
            var total = sum.wrappedSum()
            while i < dimension { total &+= Int32(row[i]) &* Int32(query[i]); i += 1 }
            out[r] = total
        }
    }
}
