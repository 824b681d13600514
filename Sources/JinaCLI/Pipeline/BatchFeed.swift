import Foundation

/// Reads batches on a thread of its own, so a slow or blocked input (a terminal, a pipe) never
/// holds up the Flow and an interrupt ends the stream at once. At most `slots` batches are read
/// ahead of the ones answered: the reader waits for a slot before reading the next.
final class BatchFeed: @unchecked Sendable {
    let stream: AsyncStream<Batch>
    private let continuation: AsyncStream<Batch>.Continuation
    private let slots: DispatchSemaphore
    private let lock = NSLock()
    private var stopped = false
    private var failure: String?

    init(reader: InputReader, requestSize: Int, readAhead: Int) {
        (stream, continuation) = AsyncStream.makeStream(of: Batch.self, bufferingPolicy: .unbounded)
        // Start at zero and signal up: libdispatch traps when a semaphore is freed below the
        // value it was created with, which a reader blocked in wait() leaves it at.
        slots = DispatchSemaphore(value: 0)
        for _ in 0..<max(1, readAhead) { slots.signal() }
        let thread = Thread { [self] in
            while true {
                slots.wait()
                if lock.withLock({ stopped }) { break }
                do {
                    guard let batch = try reader.nextBatch(requestSize) else { break }
                    if lock.withLock({ stopped }) { break }
                    continuation.yield(batch)
                } catch {
                    lock.withLock { failure = "\(error)" }
                    break
                }
            }
            continuation.finish()
        }
        thread.name = "jina-inputs"
        thread.start()
    }

    /// A request was answered: one more batch may be read.
    func release() { slots.signal() }

    /// Ends the stream now; batches already sent still run.
    func stop() {
        lock.withLock { stopped = true }
        continuation.finish()
        slots.signal()
    }

    var error: String? { lock.withLock { failure } }
}
