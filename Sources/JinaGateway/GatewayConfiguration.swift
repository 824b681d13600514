/// How the gateway serves a Flow: where it listens and what it tells clients about itself.
public struct GatewayConfiguration: Sendable {
    public var host: String
    /// 0 picks a free port; `GatewayServer.port` says which.
    public var port: Int
    /// Adds `Access-Control-Allow-*` headers, so browser pages on other origins may call the Flow.
    public var cors: Bool
    /// Largest accepted request body in bytes (`with: max_body_size`); larger ones get 413.
    public var maxBodySize: Int
    /// `info.title` and `info.description` of /openapi.json (`with: title`, `with: description`).
    public var title: String?
    public var description: String?
    /// The product version, for /status and /openapi.json.
    public var version: String

    public init(host: String = "127.0.0.1", port: Int = 0, cors: Bool = false, maxBodySize: Int = 64 << 20,
                title: String? = nil, description: String? = nil, version: String) {
        self.host = host
        self.port = port
        self.cors = cors
        self.maxBodySize = maxBodySize
        self.title = title
        self.description = description
        self.version = version
    }
}
