/// The protocols a gateway speaks, each on its own port (Jina 3's `protocol: [grpc, http, websocket]`).
public enum ServedProtocol: String, Sendable, CaseIterable {
    case http, grpc, websocket

    /// The URL scheme of an address in this protocol (`ws` for WebSocket).
    public var scheme: String { scheme(tls: false) }

    /// The URL scheme over TLS or not: `https`, `grpcs`, `wss`.
    public func scheme(tls: Bool) -> String {
        switch self {
        case .http: return tls ? "https" : "http"
        case .grpc: return tls ? "grpcs" : "grpc"
        case .websocket: return tls ? "wss" : "ws"
        }
    }
}

/// How the gateway serves a Flow: where it listens and what it tells clients about itself.
public struct GatewayConfiguration: Sendable {
    public struct Listener: Sendable, Equatable {
        public var `protocol`: ServedProtocol
        /// 0 picks a free port; `GatewayServer.listeners` says which.
        public var port: Int

        public init(_ protocol: ServedProtocol, port: Int) {
            self.protocol = `protocol`
            self.port = port
        }
    }

    public var host: String
    /// One per protocol, in the order the Flow gives them.
    public var listeners: [Listener]
    /// The first listener's port.
    public var port: Int { listeners.first?.port ?? 0 }
    /// Adds `Access-Control-Allow-*` headers, so browser pages on other origins may call the Flow.
    public var cors: Bool
    /// Largest accepted request in bytes (`with: max_body_size`): larger HTTP bodies get 413, larger
    /// gRPC messages RESOURCE_EXHAUSTED, larger WebSocket messages close 1009.
    public var maxBodySize: Int
    /// `info.title` and `info.description` of /openapi.json (`with: title`, `with: description`).
    public var title: String?
    public var description: String?
    /// The product version, for /status and /openapi.json.
    public var version: String
    /// Certificate and key when every protocol is served over TLS (`--ssl-certfile`, `--ssl-keyfile`).
    public var tls: GatewayTLS?

    public init(host: String = "127.0.0.1", port: Int = 0, cors: Bool = false, maxBodySize: Int = 64 << 20,
                title: String? = nil, description: String? = nil, version: String, tls: GatewayTLS? = nil) {
        self.init(host: host, listeners: [Listener(.http, port: port)], cors: cors, maxBodySize: maxBodySize, title: title,
                  description: description, version: version, tls: tls)
    }

    public init(host: String = "127.0.0.1", listeners: [Listener], cors: Bool = false, maxBodySize: Int = 64 << 20,
                title: String? = nil, description: String? = nil, version: String, tls: GatewayTLS? = nil) {
        self.host = host
        self.listeners = listeners
        self.cors = cors
        self.maxBodySize = maxBodySize
        self.title = title
        self.description = description
        self.version = version
        self.tls = tls
    }
}
