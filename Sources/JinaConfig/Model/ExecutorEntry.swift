import JinaWire

/// One item of a Flow's `executors:` list (SPEC §2.1), with its `uses` resolved.
public struct ExecutorEntry: Sendable {
    /// How an entry's `needs` is formed (`method:` key).
    public enum JoinMethod: String, Sendable {
        /// Default: `needs` as written, else the previous executor.
        case add
        /// `needs` must be given: a join of the named executors.
        case needs
        /// Needs every executor that nothing needed so far.
        case needsAll = "needs_all"
    }


    public var name: String
    /// Position in `executors:` (0-based).
    public var index: Int
    /// Upstream executor names, `gateway` for the Flow's entry. Resolved defaults included.
    public var needs: [String]
    public var method: JoinMethod
    /// What `uses` named, as written (nil when absent or an inline mapping).
    public var usesText: String?
    public var executor: ExecutorConfig
    public var usesBefore: ExecutorConfig?
    public var usesAfter: ExecutorConfig?
    public var shards: Int
    public var replicas: Int
    public var polling: PollingSpec
    public var env: [(key: String, value: String)]
    /// Milliseconds to wait for the executor's hello; -1 waits forever.
    public var timeoutReady: Int
    /// How often a call whose executor process died is sent again to another replica; -1 (the
    /// default) means as many times as there are other replicas, at most 3 (Jina 3's rule).
    public var retries = -1

    /// `retries` resolved: 0 with a single replica.
    public var effectiveRetries: Int { retries >= 0 ? retries : min(replicas - 1, 3) }
    /// A remote executor served by `jina executor --port` at each of these addresses (`host:` and
    /// `port:`, or a list of hosts): its replicas. Empty for an executor the Flow starts itself.
    public var remotes: [RemoteAddress]
    public var workspace: String?
    /// How frames are written to an `exec://` program: length-prefixed (default) or JSON lines.
    public var framing: Framing
    /// Where the entry and its keys were written, for diagnostics found later (e.g. by FlowGraph).
    public var location: SourceLocation
    public var keyLocations: [String: SourceLocation]
    /// One location per item of `needs` as written.
    public var needsLocations: [SourceLocation]

    public static let defaultTimeoutReady = 600_000

    public init(name: String, index: Int, needs: [String], method: JoinMethod = .add, usesText: String? = nil,
                executor: ExecutorConfig, usesBefore: ExecutorConfig? = nil, usesAfter: ExecutorConfig? = nil,
                shards: Int = 1, replicas: Int = 1, polling: PollingSpec = PollingSpec(), env: [(key: String, value: String)] = [],
                timeoutReady: Int = defaultTimeoutReady, remotes: [RemoteAddress] = [], workspace: String? = nil,
                framing: Framing = .frames, location: SourceLocation, keyLocations: [String: SourceLocation] = [:],
                needsLocations: [SourceLocation] = []) {
        self.name = name
        self.index = index
        self.needs = needs
        self.method = method
        self.usesText = usesText
        self.executor = executor
        self.usesBefore = usesBefore
        self.usesAfter = usesAfter
        self.shards = shards
        self.replicas = replicas
        self.polling = polling
        self.env = env
        self.timeoutReady = timeoutReady
        self.remotes = remotes
        self.workspace = workspace
        self.framing = framing
        self.location = location
        self.keyLocations = keyLocations
        self.needsLocations = needsLocations
    }

    /// The location of a key of this entry, else of the entry itself.
    public func location(of key: String) -> SourceLocation {
        keyLocations[key] ?? location
    }
}

/// Where a remote executor listens: a host name or IP address, and a port.
public struct RemoteAddress: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// `host:port`, with an IPv6 address in brackets.
    public var description: String { "\(host.contains(":") ? "[\(host)]" : host):\(port)" }
}
