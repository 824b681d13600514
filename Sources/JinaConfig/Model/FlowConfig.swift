/// The gateway protocols a Flow may serve, each on its own port.
public enum GatewayProtocol: String, Sendable, CaseIterable {
    case http, grpc, websocket
}

/// Flow-level settings from the Flow's `with:` (SPEC §2.1).
public struct FlowSettings: Sendable {
    /// `protocol: grpc` or Jina 3's `protocol: [grpc, http, websocket]`; HTTP when not given.
    public var protocols: [GatewayProtocol] = [.http]
    /// `port: P` or `port: [P1, P2, P3]`, one per protocol in order; empty: free ports at start.
    public var ports: [Int] = []
    public var host: String = "127.0.0.1"
    public var cors = false
    public var title: String?
    public var description: String?
    /// Largest accepted HTTP body in bytes.
    public var maxBodySize = 64 << 20
    public var name: String?
    public var workspace: String?
    public var env: [(key: String, value: String)] = []
    /// `ssl_certfile` and `ssl_keyfile` (Jina 3's names): the gateway serves over TLS. Absolute
    /// paths (relative ones resolve against the Flow file's directory); both or neither.
    public var sslCertfile: String?
    public var sslKeyfile: String?
    /// Where `ssl_certfile` is written, for messages about it.
    public var sslLocation: SourceLocation?

    public init() {}
}

extension FlowSettings {
    /// The `with:` keys the gateway reads once, when it starts, whose values differ in `other`
    /// (in the order the keys are documented): what `--watch` cannot apply to a running gateway.
    public func gatewayKeysChanged(in other: FlowSettings) -> [String] {
        let pairs: [(String, Bool)] = [
            ("protocol", protocols != other.protocols), ("port", ports != other.ports), ("host", host != other.host),
            ("cors", cors != other.cors), ("title", title != other.title), ("description", description != other.description),
            ("max_body_size", maxBodySize != other.maxBodySize),
            ("ssl_certfile", sslCertfile != other.sslCertfile), ("ssl_keyfile", sslKeyfile != other.sslKeyfile),
        ]
        return pairs.filter(\.1).map(\.0)
    }
}

/// A Flow YAML after parsing, substitution, validation and `uses` resolution.
public struct FlowConfig: Sendable {
    /// The file as named on the command line.
    public var file: String
    /// Absolute directory of the file; relative paths inside resolve against it.
    public var directory: String
    public var version: String?
    public var settings: FlowSettings
    public var executors: [ExecutorEntry]

    public init(file: String, directory: String, version: String? = nil, settings: FlowSettings = FlowSettings(), executors: [ExecutorEntry] = []) {
        self.file = file
        self.directory = directory
        self.version = version
        self.settings = settings
        self.executors = executors
    }
}
