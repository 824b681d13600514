import Synchronization

/// Fires once; waiters resume then, or when their task is cancelled (an event to await instead
/// of a flag to poll).
public final class Signal: Sendable {
    private let state = Mutex<(fired: Bool, next: Int, waiters: [Int: CheckedContinuation<Void, Never>])>((false, 0, [:]))

    public init() {}

    public var hasFired: Bool { state.withLock { $0.fired } }

    public func fire() {
        let waiters = state.withLock { s in
            s.fired = true
            defer { s.waiters = [:] }
            return Array(s.waiters.values)
        }
        for w in waiters { w.resume() }
    }

    public func wait() async {
        let token = state.withLock { s in
            defer { s.next += 1 }
            return s.next
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let now = state.withLock { s -> Bool in
                    if s.fired || Task.isCancelled { return true }
                    s.waiters[token] = c
                    return false
                }
                if now { c.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: token) }?.resume()
        }
    }

    /// True when it fired within `limit`.
    public func wait(upTo limit: Duration) async -> Bool {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.wait() }
            group.addTask { try? await Task.sleep(for: limit) }
            await group.next()
            group.cancelAll()
        }
        return hasFired
    }
}

/// Runs `operation`, and cancels it when `trigger` returns first; returns what the operation
/// returns either way (a cancelled Flow request returns at once, as cancelled).
public func cancelling<T: Sendable>(_ operation: @escaping @Sendable () async -> T,
                                    when trigger: @escaping @Sendable () async -> Void) async -> T {
    await withTaskGroup(of: T?.self) { group in
        group.addTask { await operation() }
        group.addTask {
            await trigger()
            return nil
        }
        var result: T?
        while result == nil, let next = await group.next() {
            if let value = next { result = value } else { group.cancelAll() }
        }
        group.cancelAll()
        return result!
    }
}
