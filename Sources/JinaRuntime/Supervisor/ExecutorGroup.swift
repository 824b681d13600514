import Foundation
import JinaConfig
import JinaWire

/// The processes behind one Flow entry: `shards × replicas` workers, plus the uses_before head
/// and uses_after tail (each with `replicas` copies), or one connection to a remote executor.
final class ExecutorGroup: @unchecked Sendable {
    let entry: ExecutorEntry
    /// shard → its replicas.
    let shards: [[ExecutorWorker]]
    let head: [ExecutorWorker]
    let tail: [ExecutorWorker]
    /// Bounds the calls in flight to each worker (backpressure).
    let perWorkerLimit: Int
    private let permits: [ObjectIdentifier: AsyncSemaphore]

    var workers: [ExecutorWorker] { head + shards.flatMap { $0 } + tail }

    init(entry: ExecutorEntry, shards: [[ExecutorWorker]], head: [ExecutorWorker], tail: [ExecutorWorker], perWorkerLimit: Int) {
        self.entry = entry
        self.shards = shards
        self.head = head
        self.tail = tail
        self.perWorkerLimit = perWorkerLimit
        var permits: [ObjectIdentifier: AsyncSemaphore] = [:]
        for w in head + shards.flatMap({ $0 }) + tail { permits[ObjectIdentifier(w)] = AsyncSemaphore(perWorkerLimit) }
        self.permits = permits
    }

    /// The replica with the fewest calls in flight, preferring ones that are not down.
    static func leastLoaded(_ replicas: [ExecutorWorker]) -> ExecutorWorker {
        let usable = replicas.filter(\.isUsable)
        return (usable.isEmpty ? replicas : usable).min { $0.inFlight < $1.inFlight }!
    }

    /// The shard (for ANY polling) whose best replica has the fewest calls in flight.
    func leastLoadedShard() -> Int {
        shards.indices.min { a, b in
            Self.leastLoaded(shards[a]).inFlight < Self.leastLoaded(shards[b]).inFlight
        }!
    }

    func call(_ replicas: [ExecutorWorker], _ frame: Frame, timeout: Duration?) async throws -> Frame {
        let worker = Self.leastLoaded(replicas)
        return try await permits[ObjectIdentifier(worker)]!.withPermit {
            try await worker.call(frame, timeout: timeout)
        }
    }
}
