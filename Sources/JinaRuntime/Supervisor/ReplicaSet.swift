import Synchronization

/// The replicas of one shard (or the head or tail). Fixed for child processes; for a remote
/// named by DNS, `RemoteRefresher` adds the addresses that appear and retires those that go.
/// A request takes a snapshot: a replica retired while it holds a call finishes that call.
final class ReplicaSet: Sendable {
    private let current: Mutex<[ExecutorWorker]>

    init(_ workers: [ExecutorWorker]) {
        current = Mutex(workers)
    }

    var workers: [ExecutorWorker] { current.withLock { $0 } }

    func add(_ worker: ExecutorWorker) {
        current.withLock { $0.append(worker) }
    }

    /// Takes `worker` out of the choice for new calls; false when it was not there.
    @discardableResult
    func remove(_ worker: ExecutorWorker) -> Bool {
        current.withLock { workers in
            guard let index = workers.firstIndex(where: { $0 === worker }) else { return false }
            workers.remove(at: index)
            return true
        }
    }
}
