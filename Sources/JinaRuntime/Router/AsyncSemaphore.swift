import Synchronization

/// Limits how many tasks hold a permit at once; the rest wait in order. Backpressure for
/// requests in flight, per Flow and per executor. A waiter whose task is cancelled leaves the
/// queue with CancellationError.
final class AsyncSemaphore: Sendable {
    private struct Queue {
        var available: Int
        var nextToken = 0
        /// Waiters in arrival order, by token.
        var waiters: [(token: Int, continuation: CheckedContinuation<Void, Error>)] = []
    }

    private let queue: Mutex<Queue>

    init(_ permits: Int) {
        queue = Mutex(Queue(available: permits))
    }

    func acquire() async throws {
        let token = queue.withLock { q in
            defer { q.nextToken += 1 }
            return q.nextToken
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
                let outcome = queue.withLock { q -> Result<Void, Error>? in
                    if q.available > 0 {
                        q.available -= 1
                        return .success(())
                    }
                    if Task.isCancelled { return .failure(CancellationError()) }
                    q.waiters.append((token, continuation))
                    return nil
                }
                if let outcome { continuation.resume(with: outcome) }
            }
        } onCancel: {
            let waiter = queue.withLock { q -> CheckedContinuation<Void, Error>? in
                guard let i = q.waiters.firstIndex(where: { $0.token == token }) else { return nil }
                return q.waiters.remove(at: i).continuation
            }
            waiter?.resume(throwing: CancellationError())
        }
    }

    func release() {
        let next = queue.withLock { q -> CheckedContinuation<Void, Error>? in
            if q.waiters.isEmpty {
                q.available += 1
                return nil
            }
            return q.waiters.removeFirst().continuation
        }
        next?.resume()
    }

    func withPermit<T>(_ body: () async throws -> T) async throws -> T {
        try await acquire()
        defer { release() }
        return try await body()
    }
}
