import Foundation
import JinaWire

/// A client of a running Flow's HTTP gateway (SPEC §5): `POST /post` with documents as bytes,
/// `GET /dry_run`, `GET /ready`. Requests run concurrently on up to `connections` keep-alive
/// connections, one request per connection at a time.
public final class GatewayClient: Sendable {
    public struct Options: Sendable {
        public var host: String
        public var port: Int
        /// Connections, and so requests in flight, at most.
        public var connections: Int
        /// Milliseconds to connect.
        public var connectTimeout: Int
        /// Milliseconds a request may take in all (0: no limit).
        public var requestTimeout: Int
        /// For this many milliseconds from its start, a request that finds nothing listening
        /// tries again every 100 ms (a Flow that is starting); 0: it fails at once.
        public var retryRefusedFor: Int
        /// HTTPS when set.
        public var tls: ClientTLS?

        public init(host: String, port: Int, connections: Int = 8, connectTimeout: Int = 3_000, requestTimeout: Int = 0,
                    retryRefusedFor: Int = 0, tls: ClientTLS? = nil) {
            self.host = host
            self.port = port
            self.connections = connections
            self.connectTimeout = connectTimeout
            self.requestTimeout = requestTimeout
            self.retryRefusedFor = retryRefusedFor
            self.tls = tls
        }
    }

    public let options: Options
    private let pool: ConnectionPool

    public init(_ options: Options) {
        self.options = options
        pool = ConnectionPool(maxConnections: options.connections) {
            HTTPConnection(host: options.host, port: options.port, connectTimeout: options.connectTimeout, tls: options.tls)
        }
    }

    deinit { pool.close() }

    /// Closes the connections once the requests already made are answered.
    public func close() { pool.close() }

    /// Sends one request and reads its answer (any HTTP status); throws only when there is none.
    public func send(_ request: HTTPRequest, timeout: Int? = nil) async throws -> HTTPResponse {
        let timeout = timeout ?? options.requestTimeout
        let retryUntil = Deadline(milliseconds: options.retryRefusedFor, what: ClientError.connecting)
        while true {
            do {
                return try await pool.withConnection { try $0.send(request, timeout: timeout) }
            } catch ClientError.connectionRefused(let host, let port) {
                guard options.retryRefusedFor > 0, !retryUntil.isPast else { throw ClientError.connectionRefused(host: host, port: port) }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    /// Posts one request of documents (`docs`: a JSON array, as bytes) to `/post`.
    public func post(endpoint: String, docs: [UInt8], parameters: JSONObject = JSONObject(), targetExecutor: String? = nil,
                     requestID: String = RequestID.make()) async throws -> GatewayResponse {
        let body = Self.postBody(endpoint: endpoint, docs: docs, parameters: parameters, targetExecutor: targetExecutor, requestID: requestID)
        let response = try await send(.postJSON("/post", body: body))
        return GatewayResponse(httpStatus: response.status, reason: response.reason, body: response.body)
    }

    /// `{"data": docs, "parameters": …, "execEndpoint": …, "header": {…}}`, with the documents
    /// spliced in as they are.
    static func postBody(endpoint: String, docs: [UInt8], parameters: JSONObject, targetExecutor: String?, requestID: String) -> [UInt8] {
        var header = JSONObject([("request_id", .string(requestID)), ("exec_endpoint", .string(endpoint))])
        if let targetExecutor { header["target_executor"] = .string(targetExecutor) }
        var out: [UInt8] = []
        out.reserveCapacity(docs.count + 256)
        out += Array(#"{"data":"#.utf8)
        out += docs.isEmpty ? Array("[]".utf8) : docs
        out += Array(#","parameters":"#.utf8)
        JSONWriter.write(.object(parameters), into: &out)
        out += Array(#","execEndpoint":"#.utf8)
        JSONWriter.write(.string(endpoint), into: &out)
        out += Array(#","header":"#.utf8)
        JSONWriter.write(.object(header), into: &out)
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// What `GET /dry_run` says: nil when an empty request went through every executor (HTTP
    /// 200 with `code` 0), else why not.
    public func dryRun(timeout: Int? = nil) async throws -> String? {
        let response = try await send(.get("/dry_run"), timeout: timeout)
        let answer = try? JSONParser.parse(response.body)
        let code = answer?["code"]?.intValue
        if response.status == 200 && code == 0 { return nil }
        let description = answer?["description"]?.stringValue ?? ""
        if response.status != 200 { return "HTTP \(response.status)\(description.isEmpty ? " \(response.reason)" : ": \(description)")" }
        guard let code else { return "the answer has no integer code: \(String(decoding: response.body.prefix(200), as: UTF8.self))" }
        return "code \(code)\(description.isEmpty ? "" : ": \(description)")"
    }

    /// True when `GET /ready` answers 200 (every executor ready).
    public func isReady(timeout: Int? = nil) async throws -> Bool {
        try await send(.get("/ready"), timeout: timeout).status == 200
    }

    /// Waits until `GET /ready` answers 200, asking every 100 ms; throws `notReady` after `seconds`.
    public func waitReady(within seconds: Double) async throws {
        let deadline = Deadline(milliseconds: max(1, Int(seconds * 1000)), what: "waiting for the Flow")
        var last = "no answer"
        while true {
            do {
                let response = try await pool.withConnection { try $0.send(.get("/ready"), timeout: max(1, min(1_000, Int(deadline.pollTimeout)))) }
                if response.status == 200 { return }
                last = "HTTP \(response.status)"
            } catch let error as ClientError {
                last = error.description
            }
            if deadline.isPast { throw ClientError.notReady(seconds: seconds, last: last) }
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}
