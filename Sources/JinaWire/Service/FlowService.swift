/// What a gateway needs of a running Flow, and all it may use: send a request, and read
/// readiness, executor states, endpoints and counters. `FlowRuntime` is the real one; tests run
/// a gateway on a fake.
public protocol FlowService: Sendable {
    /// Runs one request through the Flow. Cancelling the calling task cancels the request's
    /// calls downstream (its client went away).
    func post(_ request: FlowRequest) async -> FlowResponse
    /// Every executor is up and none is down.
    var isReady: Bool { get }
    /// Each executor process, in Flow order.
    var executors: [ExecutorStatus] { get }
    /// The endpoints the executors bind, without `/default`, sorted.
    var boundEndpoints: [String] { get }
    /// Calls sent again to another replica because theirs died.
    var retryCount: Int { get }
}

/// One executor process as readiness reports and metrics show it.
public struct ExecutorStatus: Sendable, Equatable {
    public enum State: Sendable, Equatable {
        case idle, starting, ready, restarting, stopped
        /// It will not run, and why.
        case failed(String)
    }

    /// `name`, `name/shard-0`, `name/rep-1`, `name/head`…
    public var name: String
    public var state: State
    public var restarts: Int

    public init(name: String, state: State, restarts: Int) {
        self.name = name
        self.state = state
        self.restarts = restarts
    }
}

extension ExecutorStatus.State: CustomStringConvertible {
    /// `ready`, `restarting`, `failed: why`…: the words /ready and /status show.
    public var description: String {
        switch self {
        case .idle: return "idle"
        case .starting: return "starting"
        case .ready: return "ready"
        case .restarting: return "restarting"
        case .stopped: return "stopped"
        case .failed(let why): return "failed: \(why)"
        }
    }
}
