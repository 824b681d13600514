import Foundation

/// Up to `maxConnections` keep-alive connections to one server, each owned by a thread of its
/// own that does the blocking I/O; async callers wait on a continuation, so Swift's cooperative
/// threads never block. A request goes to an idle connection, or a new one while there are fewer
/// than the maximum, or waits its turn. Idle connections stay open until `close()`.
final class ConnectionPool: @unchecked Sendable {  // mutable state behind `condition`
    private let makeConnection: @Sendable () -> HTTPConnection
    let maxConnections: Int
    private let condition = NSCondition()
    private var queue: [Job] = []
    private var queueHead = 0
    private var workers = 0
    private var idleWorkers = 0
    private var closed = false

    private struct Job {
        let run: (HTTPConnection) -> Void
        let cancel: () -> Void
    }

    init(maxConnections: Int, makeConnection: @escaping @Sendable () -> HTTPConnection) {
        self.maxConnections = max(1, maxConnections)
        self.makeConnection = makeConnection
    }

    /// Runs `body` with a connection of its own, on the connection's thread.
    func withConnection<T: Sendable>(_ body: @escaping @Sendable (HTTPConnection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, Error>) in
            enqueue(Job(run: { connection in continuation.resume(with: Result { try body(connection) }) },
                        cancel: { continuation.resume(throwing: ClientError.closed) }))
        }
    }

    /// Stops the threads once the requests queued so far are done; later requests fail.
    func close() {
        condition.withLock {
            closed = true
            condition.broadcast()
        }
    }

    private func enqueue(_ job: Job) {
        condition.lock()
        guard !closed else {
            condition.unlock()
            job.cancel()
            return
        }
        queue.append(job)
        // Idle threads take queued jobs as they wake; start another while jobs outnumber them.
        let startWorker = queue.count - queueHead > idleWorkers && workers < maxConnections
        if startWorker { workers += 1 }
        condition.signal()
        condition.unlock()
        if startWorker { startThread() }
    }

    private func startThread() {
        let thread = Thread { [self] in work() }
        thread.name = "jina-http"
        thread.start()
    }

    private func work() {
        let connection = makeConnection()
        while let job = nextJob() { job.run(connection) }
        connection.close()
    }

    /// The next job, waiting for one; nil once the pool is closed and the queue empty.
    private func nextJob() -> Job? {
        condition.lock()
        defer { condition.unlock() }
        while queueHead == queue.count && !closed {
            idleWorkers += 1
            condition.wait()
            idleWorkers -= 1
        }
        guard queueHead < queue.count else {
            workers -= 1
            return nil
        }
        let job = queue[queueHead]
        queueHead += 1
        if queueHead == queue.count {
            queue.removeAll(keepingCapacity: true)
            queueHead = 0
        }
        return job
    }
}
