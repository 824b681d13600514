import Foundation
import JinaConfig
import JinaWire
import Synchronization

/// Keeps the replicas of a remote entry named by DNS in step with what the name resolves to (a
/// compose service scaled up or down, a Kubernetes headless Service whose pods come and go):
/// every `interval`, and soon after a call fails on a replica, it looks the names up again,
/// starts a connection to each address that appeared (it gets calls once it is ready), and
/// retires each one that went (no new calls; stopped once its calls are answered). A replica
/// that gave up reconnecting (failed) is replaced by a fresh connection to the same address.
final class RemoteRefresher: Sendable {
    typealias WorkerFactory = @Sendable (_ shard: Int, _ address: RemoteAddress, _ several: Bool,
                                         _ onLost: @escaping @Sendable () -> Void) -> ExecutorWorker

    let name: String
    /// Each shard's addresses as written, and its replicas now.
    private let shards: [(remotes: [RemoteAddress], replicas: ReplicaSet)]
    private let makeWorker: WorkerFactory
    private let lookup: RemoteResolver.Lookup
    private let interval: Duration
    private let wakes: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation
    /// Retired replicas finishing their calls; the Flow's stop waits for them.
    private let retiring = Mutex<[Task<Void, Never>]>([])

    /// Resolves each shard's `remotes` (the replicas to start with) and makes their workers.
    init(name: String, shards: [[RemoteAddress]], interval: Duration, lookup: @escaping RemoteResolver.Lookup = RemoteResolver.ipv4Addresses(of:),
         makeWorker: @escaping WorkerFactory) {
        self.name = name
        self.interval = interval
        self.lookup = lookup
        self.makeWorker = makeWorker
        // Wake-ups that pile up while a refresh runs collapse into one.
        let (wakes, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        (self.wakes, self.wake) = (wakes, wake)
        self.shards = shards.enumerated().map { index, remotes in
            let addresses = RemoteResolver.replicas(of: remotes, lookup: lookup, everyAddress: true)
            let workers = addresses.map { makeWorker(index, $0, addresses.count > 1, { wake.yield() }) }
            return (remotes, ReplicaSet(workers))
        }
    }

    /// Each shard's replicas.
    var replicaSets: [ReplicaSet] { shards.map(\.replicas) }

    /// Asks for a refresh now (a call failed on a replica: its address may have gone).
    func refreshSoon() {
        wake.yield()
    }

    /// Refreshes every `interval` and when asked, until cancelled.
    func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { [interval, wake] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: interval)
                    wake.yield()
                }
            }
            group.addTask { [self] in
                for await _ in wakes {
                    await refresh()
                    // At most a few lookups a second, however many calls fail.
                    try? await Task.sleep(for: .milliseconds(200))
                }
            }
            await group.next()
            group.cancelAll()
        }
    }

    /// One look-up of every shard's names, and the changes it calls for.
    func refresh() async {
        for (index, shard) in shards.enumerated() {
            guard let resolved = await Self.resolve(shard.remotes, lookup) else { continue }
            let workers = shard.replicas.workers
            let live = workers.filter { !$0.hasGivenUp }
            let stale = workers.filter { worker in worker.hasGivenUp || !resolved.contains { $0.description == worker.address } }
            let added = resolved.filter { address in !live.contains { $0.address == address.description } }
            await withTaskGroup(of: Void.self) { group in
                for address in added {
                    group.addTask { [self] in
                        let worker = makeWorker(index, address, resolved.count > 1, { [wake] in wake.yield() })
                        do {
                            try await worker.start()
                            shard.replicas.add(worker)
                            Log.info("\(name): \(address) joined (\(shard.replicas.workers.count) replicas)")
                        } catch {
                            Log.warning("\(name): \(address) did not answer: \(error)")
                            await worker.stop(grace: .zero)
                        }
                    }
                }
            }
            // Never the last replica: with none left, calls would have nowhere to wait.
            for worker in stale where shard.replicas.workers.count > 1 && shard.replicas.remove(worker) {
                Log.info("\(name): \(worker.address ?? worker.label) left (\(shard.replicas.workers.count) replicas)")
                retire(worker)
            }
        }
    }

    /// Waits for the calls of the retired replicas, then stops them (the Flow is stopping).
    func finishRetiring() async {
        for task in retiring.withLock({ $0 }) { await task.value }
    }

    private func retire(_ worker: ExecutorWorker) {
        let task = Task {
            // Its calls were chosen before it left; they are answered before it stops (30 s at most).
            // One that lost its connection cannot answer them: stopping it sends them to another
            // replica (ExecutorGroup.call) instead of holding them for the 30 s.
            for _ in 0..<600 where worker.chosen.load(ordering: .relaxed) > 0 && worker.state == .ready {
                try? await Task.sleep(for: .milliseconds(50))
            }
            await worker.stop(grace: .seconds(1))
        }
        retiring.withLock { $0.append(task) }
    }

    /// getaddrinfo blocks (seconds, when a resolver is slow): on a thread of its own, not on the
    /// few threads Swift's tasks share.
    private static func resolve(_ remotes: [RemoteAddress], _ lookup: @escaping RemoteResolver.Lookup) async -> [RemoteAddress]? {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: RemoteResolver.resolvedReplicas(of: remotes, lookup: lookup)) }.start()
        }
    }
}

extension ExecutorWorker {
    /// `host:port` of a remote worker; nil for a child process.
    var address: String? {
        if case .remote(let host, let port, _) = target { return RemoteAddress(host: host, port: port).description }
        return nil
    }

    /// It stopped reconnecting (a crash loop, or stopped): only a new connection can serve.
    var hasGivenUp: Bool {
        switch state {
        case .failed, .stopped: return true
        default: return false
        }
    }
}
