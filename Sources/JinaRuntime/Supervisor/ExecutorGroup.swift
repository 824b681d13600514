import JinaConfig
import JinaWire
import Synchronization

/// The processes behind one Flow entry: `shards × replicas` workers, plus the uses_before head
/// and uses_after tail (each with `replicas` copies), or connections to a remote executor's
/// replicas (which a `RemoteRefresher` keeps in step with DNS).
final class ExecutorGroup: Sendable {
    let entry: ExecutorEntry
    private let replicaSets: [ReplicaSet]
    let head: [ExecutorWorker]
    let tail: [ExecutorWorker]
    /// Calls sent again to another replica after theirs died (`jina_call_retries_total`).
    let retries = Atomic<Int>(0)
    let refresher: RemoteRefresher?

    /// shard → its replicas now.
    var shards: [[ExecutorWorker]] { replicaSets.map(\.workers) }

    var workers: [ExecutorWorker] { head + shards.flatMap { $0 } + tail }

    convenience init(entry: ExecutorEntry, shards: [[ExecutorWorker]], head: [ExecutorWorker], tail: [ExecutorWorker]) {
        self.init(entry: entry, shards: shards.map(ReplicaSet.init), head: head, tail: tail, refresher: nil)
    }

    init(entry: ExecutorEntry, shards: [ReplicaSet], head: [ExecutorWorker], tail: [ExecutorWorker], refresher: RemoteRefresher?) {
        self.entry = entry
        self.replicaSets = shards
        self.head = head
        self.tail = tail
        self.refresher = refresher
    }

    /// The replica to call: ready ones before those restarting, failed or stopped ones last; then
    /// the fewest calls in flight; ties go round-robin, so an idle Flow still spreads its
    /// requests over every replica. `avoiding` are replicas a call already failed on.
    static func leastLoaded(_ replicas: [ExecutorWorker], avoiding tried: [ExecutorWorker] = []) -> ExecutorWorker? {
        let untried = replicas.filter { r in !tried.contains { $0 === r } }
        guard !untried.isEmpty else { return nil }
        let ranks = untried.map { ($0.state.rank, $0.inFlight) }
        let best = ranks.min { $0 < $1 }!
        let tied = untried.indices.filter { ranks[$0] == best }
        return untried[tied[roundRobin.next() % tied.count]]
    }

    private static let roundRobin = RoundRobin()

    /// The shard (for ANY polling) whose best replica has the fewest calls in flight.
    func leastLoadedShard() -> Int {
        let loads = shards.map { replicas in replicas.map(\.inFlight).min() ?? 0 }
        let least = loads.min()!
        let tied = shards.indices.filter { loads[$0] == least }
        return tied[Self.roundRobin.next() % tied.count]
    }

    /// One call to the best of `replicas`. When the process holding it dies or cannot be reached,
    /// the call goes to another replica, up to the entry's `retries`; an executor's own error, a
    /// timeout or a cancellation is not retried.
    func call(_ replicas: [ExecutorWorker], _ frame: Frame, timeout: Duration?) async throws -> Frame {
        var tried: [ExecutorWorker] = []
        var retriesLeft = min(entry.effectiveRetries, replicas.count - 1)
        while true {
            let worker = Self.leastLoaded(replicas, avoiding: tried)!
            worker.chosen.add(1, ordering: .relaxed)
            defer { worker.chosen.subtract(1, ordering: .relaxed) }
            do {
                return try await worker.permits.withPermit {
                    try await worker.call(frame, timeout: timeout)
                }
            } catch let failure as ExecutorFailure where (failure.isRetriable || isRetired(worker, failure)) && !Task.isCancelled {
                // The replica may have gone for good: look its name up again soon.
                refresher?.refreshSoon()
                guard retriesLeft > 0 else { throw failure }
                tried.append(worker)
                retriesLeft -= 1
                retries.add(1, ordering: .relaxed)
                Log.emit(.debug, "\(failure.message); sending it to another replica", executor: entry.name)
            }
        }
    }
}

extension ExecutorGroup {
    /// The replica was stopped because it left (its name no longer resolves to it) while the
    /// call waited for it: another replica can take the call.
    private func isRetired(_ worker: ExecutorWorker, _ failure: ExecutorFailure) -> Bool {
        failure.kind == .stopped && refresher != nil && !shards.contains { $0.contains { $0 === worker } }
    }
}

extension WorkerStateMachine.State {
    /// Preference when choosing a replica: lower is better.
    var rank: Int {
        switch self {
        case .ready: return 0
        case .starting, .restarting, .idle: return 1
        case .failed, .stopped: return 2
        }
    }
}

/// A shared counter for round-robin choices.
final class RoundRobin: Sendable {
    private let value = Atomic<Int>(0)

    func next() -> Int {
        value.add(1, ordering: .relaxed).newValue & Int.max
    }
}
