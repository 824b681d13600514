/// One HTTP/1.1 request: always sent with a Content-Length (no chunked uploads) and keep-alive.
public struct HTTPRequest: Sendable {
    public var method: String
    public var path: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(method: String, path: String, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
    }

    public static func get(_ path: String) -> HTTPRequest {
        HTTPRequest(method: "GET", path: path, headers: [("Accept", "application/json")])
    }

    public static func postJSON(_ path: String, body: [UInt8]) -> HTTPRequest {
        HTTPRequest(method: "POST", path: path, headers: [("Content-Type", "application/json"), ("Accept", "application/json")], body: body)
    }

    /// The bytes on the wire, with Host, Content-Length and Connection added.
    func serialized(host: String, port: Int) -> [UInt8] {
        let authority = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        var head = "\(method) \(path) HTTP/1.1\r\nHost: \(authority)\r\nUser-Agent: jina-swift\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if !body.isEmpty || method == "POST" || method == "PUT" { head += "Content-Length: \(body.count)\r\n" }
        head += "Connection: keep-alive\r\n\r\n"
        return Array(head.utf8) + body
    }
}
