import Synchronization

/// Calls that outlive their request (ALL_ASYNC's slower shards): each runs in a task tracked
/// here until it ends, so none is lost or leaks, and stopping the Flow cancels and awaits them.
final class DetachedCalls: Sendable {
    private struct Registry {
        var next = 0
        var tasks: [Int: Task<Void, Never>] = [:]
    }

    private let registry = Mutex(Registry())

    /// Starts `body`; the task is forgotten when it ends.
    @discardableResult
    func run(_ body: @escaping @Sendable () async -> Void) -> Task<Void, Never> {
        registry.withLock { r in
            let id = r.next
            r.next += 1
            // Created under the lock, so the task's own removal cannot come before its insertion.
            let task = Task { [weak self] in
                await body()
                _ = self?.registry.withLock { $0.tasks.removeValue(forKey: id) }
            }
            r.tasks[id] = task
            return task
        }
    }

    /// Calls still running.
    var count: Int { registry.withLock { $0.tasks.count } }

    /// Cancels every call still running and waits for them to end.
    func cancelAll() async {
        let tasks = registry.withLock { Array($0.tasks.values) }
        for task in tasks { task.cancel() }
        for task in tasks { await task.value }
    }
}
