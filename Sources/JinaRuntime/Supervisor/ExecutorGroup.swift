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

    /// The replica with the fewest calls in flight, preferring ones that are not down; ties go
    /// round-robin, so an idle Flow still spreads its requests over every replica.
    static func leastLoaded(_ replicas: [ExecutorWorker]) -> ExecutorWorker {
        let usable = replicas.filter(\.isUsable)
        let candidates = usable.isEmpty ? replicas : usable
        let loads = candidates.map(\.inFlight)
        let least = loads.min()!
        let tied = candidates.indices.filter { loads[$0] == least }
        return candidates[tied[Int(roundRobin.next() % UInt64(tied.count))]]
    }

    private static let roundRobin = Counter()

    /// The shard (for ANY polling) whose best replica has the fewest calls in flight.
    func leastLoadedShard() -> Int {
        let loads = shards.map { replicas in replicas.map(\.inFlight).min() ?? 0 }
        let least = loads.min()!
        let tied = shards.indices.filter { loads[$0] == least }
        return tied[Int(Self.roundRobin.next() % UInt64(tied.count))]
    }

    func call(_ replicas: [ExecutorWorker], _ frame: Frame, timeout: Duration?) async throws -> Frame {
        let worker = Self.leastLoaded(replicas)
        return try await permits[ObjectIdentifier(worker)]!.withPermit {
            try await worker.call(frame, timeout: timeout)
        }
    }
}

/// A shared counter for round-robin choices.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value: UInt64 = 0

    func next() -> UInt64 {
        lock.withLock {
            value &+= 1
            return value
        }
    }
}
