import Foundation
import JinaWire
import Synchronization
import Testing
@testable import JinaGateway

/// A Flow that is not one: the gateway sees only `FlowService`, so it runs on this fake. It
/// upper-cases `text` fields by hand (after 300 ms on `/slow`), or hangs until cancelled when
/// the endpoint is `/hang`.
final class FakeFlow: FlowService {
    let state = Mutex<(ready: Bool, executors: [ExecutorStatus], retries: Int, posts: Int, cancelled: Int)>(
        (true, [ExecutorStatus(name: "upper", state: .ready, restarts: 0)], 0, 0, 0))

    func post(_ request: FlowRequest) async -> FlowResponse {
        state.withLock { $0.posts += 1 }
        if request.endpoint == "/hang" {
            while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(5)) }
            state.withLock { $0.cancelled += 1 }
            let failure = RequestFailure(kind: .cancelled, executor: "upper",
                                         status: RequestFailure.status(name: "RequestCancelled", message: "gone", executor: "upper"))
            return FlowResponse(requestID: request.requestID, endpoint: request.endpoint, body: [], count: 0, failure: failure)
        }
        if request.endpoint == "/slow" { try? await Task.sleep(for: .milliseconds(300)) }
        let docs = ((try? JSONParser.parse(request.body))?.arrayValue ?? []).map { doc -> JSONValue in
            guard var fields = doc.objectValue, let text = fields["text"]?.stringValue else { return doc }
            fields["text"] = .string(text.uppercased())
            return .object(fields)
        }
        return FlowResponse(requestID: request.requestID, endpoint: request.endpoint, parameters: request.parameters,
                            body: JSONValue.array(docs).jsonBytes, count: docs.count)
    }

    var isReady: Bool { state.withLock { $0.ready } }
    var executors: [ExecutorStatus] { state.withLock { $0.executors } }
    var boundEndpoints: [String] { ["/hang", "/index"] }
    var retryCount: Int { state.withLock { $0.retries } }
}

@Suite struct FakeFlowGatewayTests {
    /// A started gateway on a fake Flow, on a free port.
    func serve(_ flow: FakeFlow) async throws -> GatewayServer {
        let server = try await GatewayServer.start(flow: flow, configuration: GatewayConfiguration(port: 0, version: "test"))
        server.flowDidStart()
        return server
    }

    @Test func dataRequestsGoThroughTheFlowService() async throws {
        let flow = FakeFlow()
        let server = try await serve(flow)
        let (status, body) = try await RawHTTP.exchange(port: server.port, "POST", "/index", #"{"data":[{"text":"hello"}]}"#)
        #expect(status == 200)
        let json = try JSONParser.parse(Array(body.utf8))
        #expect(json["data"]?[0]?["text"]?.stringValue == "HELLO", "\(body)")
        #expect(json["header"]?["exec_endpoint"]?.stringValue == "/index")
        #expect(flow.state.withLock { $0.posts } == 1)
        _ = await server.shutdown(within: .seconds(5))
    }

    @Test func readinessAndMetricsComeFromTheFlowService() async throws {
        let flow = FakeFlow()
        let server = try await serve(flow)
        flow.state.withLock {
            $0.ready = false
            $0.executors = [ExecutorStatus(name: "upper", state: .restarting, restarts: 2)]
            $0.retries = 7
        }
        let (readyStatus, readyBody) = try await RawHTTP.exchange(port: server.port, "GET", "/ready", nil)
        #expect(readyStatus == 503)
        #expect(try JSONParser.parse(Array(readyBody.utf8))["executors"]?["upper"]?.stringValue == "restarting")
        let (_, metrics) = try await RawHTTP.exchange(port: server.port, "GET", "/metrics", nil)
        #expect(metrics.contains("jina_call_retries_total 7\n"))
        #expect(metrics.contains("jina_executor_restarts_total{executor=\"upper\"} 2\n"))
        #expect(metrics.contains("jina_executor_ready{executor=\"upper\"} 0\n"))
        _ = await server.shutdown(within: .seconds(5))
    }

    @Test func aClientThatHangsUpCancelsItsRequest() async throws {
        let flow = FakeFlow()
        let server = try await serve(flow)
        let socket = try RawHTTP.connect(port: server.port)
        try RawHTTP.send(socket, "POST", "/hang", #"{"data":[]}"#)
        for _ in 0..<200 where flow.state.withLock({ $0.posts }) == 0 { try await Task.sleep(for: .milliseconds(10)) }
        close(socket)
        for _ in 0..<200 where flow.state.withLock({ $0.cancelled }) == 0 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(flow.state.withLock { $0.cancelled } == 1)
        // The connection pool still serves others.
        let (status, _) = try await RawHTTP.exchange(port: server.port, "POST", "/index", #"{"data":[]}"#)
        #expect(status == 200)
        _ = await server.shutdown(within: .seconds(5))
    }
}

/// HTTP/1.1 over a plain blocking socket, one request per connection (`Connection: close`).
enum RawHTTP {
    struct Failure: Error {}

    static func connect(port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let ok = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        guard ok else { throw Failure() }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return fd
    }

    static func send(_ fd: Int32, _ method: String, _ path: String, _ body: String?) throws {
        var text = "\(method) \(path) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
        if let body { text += "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)" } else { text += "\r\n" }
        let bytes = Array(text.utf8)
        guard bytes.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) == bytes.count else { throw Failure() }
    }

    /// The status code and body of one exchange, on a thread of its own: a blocking read on
    /// Swift's few cooperative threads would starve the gateway under test.
    static func exchange(port: Int, _ method: String, _ path: String, _ body: String?) async throws -> (Int, String) {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try blockingExchange(port: port, method, path, body) })
            }
        }
    }

    static func blockingExchange(port: Int, _ method: String, _ path: String, _ body: String?) throws -> (Int, String) {
        let fd = try connect(port: port)
        defer { close(fd) }
        try send(fd, method, path, body)
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            response += buffer[0..<n]
        }
        let text = String(decoding: response, as: UTF8.self)
        guard let end = text.range(of: "\r\n\r\n"), let code = Int(text.split(separator: " ")[1]) else { throw Failure() }
        return (code, String(text[end.upperBound...]))
    }
}
