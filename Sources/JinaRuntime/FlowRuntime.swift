import Foundation
import JinaConfig
import JinaExecutor
import JinaWire
import Synchronization

/// Settings of a running Flow that do not come from its YAML.
public struct RuntimeOptions: Sendable {
    /// The `jina` binary that built-in executors run in (`jina executor --stdio`).
    public var jinaExecutable: String
    public var environment: [String: String]
    /// Requests in flight in the whole Flow; more wait (backpressure).
    public var maxRequestsInFlight: Int
    /// Calls in flight to one executor process.
    public var maxCallsPerExecutor: Int
    /// A request's limit per executor call; nil for none.
    public var requestTimeout: Duration?
    /// How often a remote named by DNS is looked up again for replicas that came or went
    /// (also soon after a call fails on one); nil: only once, at start.
    public var remoteRefreshInterval: Duration? = .seconds(5)
    /// A name's IPv4 addresses (the system resolver; tests give their own).
    public var lookup: @Sendable (String) -> [String] = RemoteResolver.ipv4Addresses(of:)

    public init(jinaExecutable: String = RuntimeOptions.currentExecutable, environment: [String: String] = ProcessInfo.processInfo.environment,
                maxRequestsInFlight: Int = 16, maxCallsPerExecutor: Int = 8, requestTimeout: Duration? = nil) {
        self.jinaExecutable = jinaExecutable
        self.environment = environment
        self.maxRequestsInFlight = maxRequestsInFlight
        self.maxCallsPerExecutor = maxCallsPerExecutor
        self.requestTimeout = requestTimeout
    }

    /// This process's own binary.
    public static var currentExecutable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}

/// A Flow that cannot start, and why (which executors, with their last output).
public struct FlowStartError: Error, Sendable, CustomStringConvertible {
    public var failures: [String]
    public var description: String {
        "the Flow could not start:\n" + failures.map { "  - \($0)" }.joined(separator: "\n")
    }
}

/// A running Flow: every executor a child process (or a remote connection), and the router.
public final class FlowRuntime: FlowService {
    public let graph: FlowGraph
    public let options: RuntimeOptions
    private let groups: [String: ExecutorGroup]
    private let router: Router
    private let inFlight: AsyncSemaphore
    private let detached = DetachedCalls()
    /// Set once every executor is ready: after that an interrupt drains instead of aborting.
    private let started = Atomic<Bool>(false)
    /// The look-ups of remote names, from start to stop.
    private let refreshing = Mutex<[Task<Void, Never>]>([])
    /// `boundEndpoints` and the `ExecutorWorker.hellosChanged` it was worked out at.
    private let boundEndpointsCache = Mutex<(version: Int, endpoints: [String])>((-1, []))

    public init(graph: FlowGraph, options: RuntimeOptions = RuntimeOptions()) throws {
        self.graph = graph
        self.options = options
        var groups: [String: ExecutorGroup] = [:]
        for entry in graph.executors {
            groups[entry.name] = try Self.makeGroup(entry, flow: graph.flow, options: options)
        }
        self.groups = groups
        router = Router(graph: graph, groups: groups, requestTimeout: options.requestTimeout, detached: detached)
        inFlight = AsyncSemaphore(max(1, options.maxRequestsInFlight))
    }

    private var workers: [ExecutorWorker] { graph.executors.flatMap { groups[$0.name]!.workers } }

    /// Starts every executor at once; when one fails, stops the others and reports why.
    public func start() async throws {
        let workers = self.workers
        let failures = await withTaskGroup(of: Error?.self) { group in
            for worker in workers {
                group.addTask {
                    do { try await worker.start(); return nil } catch { return error }
                }
            }
            var failures: [Error] = []
            for await failure in group {
                guard let failure else { continue }
                if failures.isEmpty {
                    // Fail fast: nobody waits for slow starters once one has failed.
                    for w in workers { w.killNow() }
                }
                failures.append(failure)
            }
            return failures
        }
        if failures.isEmpty {
            started.store(true, ordering: .releasing)
            let refreshers = groups.values.compactMap(\.refresher)
            refreshing.withLock { $0 = refreshers.map { refresher in Task { await refresher.run() } } }
            return
        }
        await stop(grace: .zero)
        // The executors stopped because another failed are not why the Flow failed.
        let causes = failures.filter { ($0 as? ExecutorFailure)?.kind != .stopped }
        throw FlowStartError(failures: (causes.isEmpty ? failures : causes).map { "\($0)" })
    }

    /// Stops a start in progress at once (an interrupt during start-up): every executor is killed.
    public func abortStart() {
        guard !started.load(ordering: .acquiring) else { return }
        for worker in workers { worker.killNow() }
    }

    /// Runs one request through the Flow (waiting for room when too many are in flight).
    /// Cancelling the calling task cancels the request's calls and frees its slot.
    public func post(_ request: FlowRequest) async -> FlowResponse {
        do {
            return try await inFlight.withPermit { await router.run(request) }
        } catch {
            return FlowResponse(requestID: request.requestID, endpoint: request.endpoint, targetExecutor: request.targetExecutor,
                                parameters: request.parameters, body: request.body, count: request.count,
                                failure: .cancelled(executor: ""))
        }
    }

    /// Stops every executor: closes its stdin, waits `grace`, then TERM, then KILL.
    public func stop(grace: Duration) async {
        for task in refreshing.withLock({ $0 }) {
            task.cancel()
            await task.value
        }
        await detached.cancelAll()
        await withTaskGroup(of: Void.self) { group in
            for worker in workers { group.addTask { await worker.stop(grace: grace) } }
        }
        for refresher in groups.values.compactMap(\.refresher) { await refresher.finishRetiring() }
    }

    /// Each executor process: its state and restarts, for readiness reports and metrics.
    public var executors: [ExecutorStatus] {
        workers.map { ExecutorStatus(name: $0.label, state: $0.state.status, restarts: $0.restarts) }
    }

    public var restartCount: Int { workers.reduce(0) { $0 + $1.restarts } }

    public var retryCount: Int { groups.values.reduce(0) { $0 + $1.retries.load(ordering: .relaxed) } }

    /// The endpoints the executors bind (from their hellos), without `/default`; sorted. The
    /// gateway asks on every request: worked out again only after a hello or a process's end.
    public var boundEndpoints: [String] {
        let version = ExecutorWorker.hellosChanged.load(ordering: .acquiring)
        if let cached = boundEndpointsCache.withLock({ $0.version == version ? $0.endpoints : nil }) { return cached }
        var endpoints = Set<String>()
        for worker in workers {
            for endpoint in worker.hello?.header["endpoints"]?.arrayValue?.compactMap(\.stringValue) ?? [] where endpoint != "/default" {
                endpoints.insert(endpoint)
            }
        }
        let sorted = endpoints.sorted()
        boundEndpointsCache.withLock { $0 = (version, sorted) }
        return sorted
    }

    /// True once every executor is ready and none is down.
    public var isReady: Bool { started.load(ordering: .acquiring) && workers.allSatisfy { $0.state == .ready } }


    // MARK: Building the processes

    private static func makeGroup(_ entry: ExecutorEntry, flow: FlowConfig, options: RuntimeOptions) throws -> ExecutorGroup {
        let readyTimeout: Duration? = entry.timeoutReady < 0 ? nil : .milliseconds(entry.timeoutReady)
        var remoteShards: [ReplicaSet] = []
        var refresher: RemoteRefresher?
        if !entry.remotes.isEmpty {
            // With shards, one address per shard; each address a name may expand to replicas.
            // Calls go to the least loaded replica, and to another when one dies.
            let perShard = entry.shards > 1 && entry.remotes.count == entry.shards ? entry.remotes.map { [$0] } : [entry.remotes]
            let named = entry.remotes.contains { !RemoteResolver.isAddressLiteral($0.host) }
            let name = entry.name
            let remoteWorker: RemoteRefresher.WorkerFactory = { s, address, several, onLost in
                let shard = perShard.count > 1 ? "/shard-\(s)" : ""
                return ExecutorWorker(label: several ? "\(name)\(shard)@\(address)" : "\(name)\(shard)",
                                      target: .remote(host: address.host, port: address.port, patient: named), framing: .frames,
                                      readyTimeout: readyTimeout, maxCalls: options.maxCallsPerExecutor, onLost: onLost)
            }
            if named, let interval = options.remoteRefreshInterval {
                refresher = RemoteRefresher(name: name, shards: perShard, interval: interval, lookup: options.lookup, makeWorker: remoteWorker)
                remoteShards = refresher!.replicaSets
            } else {
                remoteShards = perShard.enumerated().map { s, remotes in
                    let addresses = RemoteResolver.replicas(of: remotes, lookup: options.lookup)
                    return ReplicaSet(addresses.map { remoteWorker(s, $0, addresses.count > 1, {}) })
                }
            }
        }
        func workersOf(_ entry: ExecutorEntry, _ config: ExecutorConfig, label: String, shard: Int = 0, shards: Int = 1) throws -> [ExecutorWorker] {
            try (0..<entry.replicas).map { r in
                let name = entry.replicas > 1 ? "\(label)/rep-\(r)" : label
                let runtime = RuntimeArgs(entry: entry, config: config, flow: flow, shardId: shard, shards: shards, replicaId: r)
                return ExecutorWorker(label: name, target: try target(config, entry: entry, flow: flow, label: name, runtime: runtime, options: options),
                                      framing: config.isProgram ? entry.framing : .frames, readyTimeout: readyTimeout,
                                      maxCalls: options.maxCallsPerExecutor)
            }
        }
        func workers(_ config: ExecutorConfig, label: String, shard: Int = 0, shards: Int = 1) throws -> [ExecutorWorker] {
            try workersOf(entry, config, label: label, shard: shard, shards: shards)
        }
        let shards = try remoteShards.isEmpty ? (0..<entry.shards).map { s in
            ReplicaSet(try workers(entry.executor, label: entry.shards > 1 ? "\(entry.name)/shard-\(s)" : entry.name, shard: s, shards: entry.shards))
        } : remoteShards
        // A remote entry's uses_before and uses_after run here, as children of this Flow.
        var local = entry
        if !remoteShards.isEmpty { local.replicas = 1 }
        let head = try entry.usesBefore.map { try workersOf(local, $0, label: "\(entry.name)/head") } ?? []
        let tail = try entry.usesAfter.map { try workersOf(local, $0, label: "\(entry.name)/tail") } ?? []
        var grouped = entry
        grouped.shards = shards.count
        grouped.replicas = shards.map(\.workers.count).max() ?? 1
        return ExecutorGroup(entry: grouped, shards: shards, head: head, tail: tail, refresher: refresher)
    }

    private static func target(_ config: ExecutorConfig, entry: ExecutorEntry, flow: FlowConfig, label: String,
                               runtime: RuntimeArgs, options: RuntimeOptions) throws -> WorkerTarget {
        var environment = options.environment
        for (key, value) in flow.settings.env { environment[key] = value }
        for (key, value) in entry.env { environment[key] = value }
        environment["JINA_EXECUTOR_NAME"] = label
        for (key, value) in runtime.environment { environment[key] = value }
        switch config.kind {
        case .builtin:
            var spec = ExecutorSpec(config)
            // metas.workspace, else the entry's, else the Flow's (Jina's order).
            spec.workspace = config.metas.workspace ?? entry.workspace ?? flow.settings.workspace
            spec.runtime = runtime
            return .process(executable: options.jinaExecutable,
                            arguments: ["executor", "--stdio", "--spec", spec.json.jsonString, "--label", label],
                            environment: environment, directory: config.directory)
        case .program(let executable, let arguments):
            return .process(executable: executable, arguments: arguments, environment: environment, directory: config.directory)
        case .python(let className, _):
            do {
                let (python, arguments) = try PythonHost.command(for: config, className: className, label: label, runtime: runtime,
                                                                    environment: environment)
                return .process(executable: python, arguments: arguments, environment: environment, directory: config.directory)
            } catch {
                throw FlowStartError(failures: ["\(error)"])
            }
        }
    }
}

extension ExecutorConfig {
    var isProgram: Bool {
        if case .program = kind { return true }
        return false
    }
}

extension WorkerStateMachine.State {
    var status: ExecutorStatus.State {
        switch self {
        case .idle: return .idle
        case .starting: return .starting
        case .ready: return .ready
        case .restarting: return .restarting
        case .stopped: return .stopped
        case .failed(let failure): return .failed(failure.message)
        }
    }
}
