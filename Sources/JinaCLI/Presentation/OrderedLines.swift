import Foundation

/// Writes each request's output in request order however the answers arrive: answers that come
/// early wait in a small buffer. `written` runs once per request when its output has gone out,
/// so the caller can bound what is in flight plus what waits here.
final class OrderedLines: @unchecked Sendable {  // mutable state behind `lock`
    private let lock = NSLock()
    private var waiting: [Int: [UInt8]] = [:]
    private var next = 0
    private var outputClosed = false
    private let write: @Sendable ([UInt8]) -> Bool
    private let written: @Sendable () -> Void

    /// `write` returns false when the output is closed; later output is dropped.
    init(write: @escaping @Sendable ([UInt8]) -> Bool, written: @escaping @Sendable () -> Void) {
        self.write = write
        self.written = written
    }

    /// The output of request number `position` (counting from 0); may be empty.
    func deliver(_ bytes: [UInt8], at position: Int) {
        let released = lock.withLock { () -> Int in
            waiting[position] = bytes
            var ready: [UInt8] = []
            var count = 0
            while let bytes = waiting.removeValue(forKey: next) {
                ready += bytes
                next += 1
                count += 1
            }
            // Out as soon as it is in order, so a pipe reader sees results while inputs still come.
            if !ready.isEmpty && !outputClosed && !write(ready) { outputClosed = true }
            return count
        }
        for _ in 0..<released { written() }
    }

    /// True once a write failed because the reader is gone.
    var isClosed: Bool { lock.withLock { outputClosed } }
}
