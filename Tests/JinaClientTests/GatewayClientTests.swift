import Foundation
@testable import JinaClient
import JinaWire
import Testing

/// The gateway client over a loopback server: the body of `POST /post`, documents back as bytes,
/// connections bounded, and the readiness and dry-run questions.
@Suite struct GatewayClientTests {
    /// The time limit of tests that should succeed in well under a second: in a full test run
    /// the synchronous end-to-end tests can hold every thread of Swift's cooperative pool for a
    /// minute or more, and a limit on an async test's clock runs out while it cannot run.
    static let generousMilliseconds = 600_000

    private func client(_ port: Int, connections: Int = 2, retryRefusedFor: Int = 0) -> GatewayClient {
        GatewayClient(.init(host: "127.0.0.1", port: port, connections: connections, connectTimeout: 2_000, requestTimeout: 10_000,
                            retryRefusedFor: retryRefusedFor))
    }

    /// Documents are spliced in as they are; `target_executor` only when there is one.
    @Test func postBodyIsJinasRequestShape() {
        let body = GatewayClient.postBody(endpoint: "/index", docs: Array(#"[{"id":"a", "x":1.50}]"#.utf8),
                                          parameters: JSONObject([("top_k", .number(JSONNumber(3)))]), targetExecutor: "enc.*",
                                          requestID: "r1")
        #expect(String(decoding: body, as: UTF8.self) == #"{"data":[{"id":"a", "x":1.50}],"parameters":{"top_k":3},"#
                + #""execEndpoint":"/index","header":{"request_id":"r1","exec_endpoint":"/index","target_executor":"enc.*"}}"#)
        let empty = GatewayClient.postBody(endpoint: "/", docs: [], parameters: JSONObject(), targetExecutor: nil, requestID: "r2")
        #expect(String(decoding: empty, as: UTF8.self)
                == #"{"data":[],"parameters":{},"execEndpoint":"/","header":{"request_id":"r2","exec_endpoint":"/"}}"#)
    }

    /// A server that answers `POST /post` with Jina's envelope, echoing the request's documents
    /// byte for byte and its request id.
    private static func echoGateway(delay: Double = 0) throws -> LoopbackServer {
        try LoopbackServer.http { request, _ in
            if delay > 0 { Thread.sleep(forTimeInterval: delay) }
            let members = (try? JSONMembers.ranges(request.body)) ?? []
            func member(_ key: String) -> String {
                members.first { $0.key == key }.map { String(decoding: request.body[$0.value], as: UTF8.self) } ?? "null"
            }
            let header = try? JSONParser.parse(member("header"))
            let id = header?["request_id"]?.stringValue ?? ""
            return httpAnswer(body: #"{"header":{"request_id":"\#(id)","status":{"code":0}},"data":\#(member("data"))}"#)
        }
    }

    @Test func postSendsDocumentsAndGetsThemBackAsBytes() async throws {
        let server = try Self.echoGateway()
        let client = client(server.port)
        defer { client.close() }
        let docs = #"[{"id":"a","text":"é, \"q\""},{"id":"b","n":1e2}]"#
        let response = try await client.post(endpoint: "/index", docs: Array(docs.utf8), requestID: "mine")
        #expect(response.succeeded)
        #expect(response.requestID == "mine")
        #expect(response.documents.map { String(decoding: $0, as: UTF8.self) } == [#"{"id":"a","text":"é, \"q\""}"#, #"{"id":"b","n":1e2}"#])
    }

    @Test func postMakesARequestIDWhenNoneIsGiven() async throws {
        let server = try Self.echoGateway()
        let client = client(server.port)
        defer { client.close() }
        let response = try await client.post(endpoint: "/", docs: Array("[]".utf8))
        let id = try #require(response.requestID)
        #expect(id.count == 32 && id.allSatisfy(\.isHexDigit), "\(id)")
    }

    /// Six slow requests at once share the two connections allowed.
    @Test func requestsInFlightShareAtMostTheConnectionsAllowed() async throws {
        let server = try Self.echoGateway(delay: 0.1)
        let client = client(server.port, connections: 2)
        defer { client.close() }
        let answered = try await withThrowingTaskGroup(of: Bool.self) { group in
            for i in 0..<6 { group.addTask { try await client.post(endpoint: "/", docs: Array(#"[{"id":"\#(i)"}]"#.utf8)).succeeded } }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(answered == 6)
        #expect(server.connectionCount == 2)
    }

    @Test func refusedConnectionFailsAtOnceWithoutRetry() async throws {
        let port = try LoopbackServer.unusedPort()
        let client = client(port)
        defer { client.close() }
        await #expect(throws: ClientError.connectionRefused(host: "127.0.0.1", port: port)) {
            _ = try await client.post(endpoint: "/", docs: [])
        }
    }

    /// A Flow that is still starting: the request waits for something to listen.
    @Test func refusedConnectionIsRetriedWhileAllowed() async throws {
        let port = try LoopbackServer.unusedPort()
        let client = client(port, retryRefusedFor: Self.generousMilliseconds)
        defer { client.close() }
        let late = Locked<LoopbackServer?>(nil)
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: 0.3)
            late.update { $0 = try? LoopbackServer.http(port: port) { _, _ in httpAnswer(body: #"{"header":{}}"#) } }
        }
        defer { late.value?.stop() }
        let response = try await client.post(endpoint: "/", docs: [])
        #expect(response.succeeded)
    }

    @Test(arguments: [
        (httpAnswer(body: #"{"code": 0, "description": ""}"#), nil),
        (httpAnswer(body: #"{"code": 1, "description": "enc is down"}"#), "code 1: enc is down"),
        (httpAnswer(body: #"{"code": 1}"#), "code 1"),
        (httpAnswer("503 Service Unavailable", body: #"{"description": "not ready"}"#), "HTTP 503: not ready"),
        (httpAnswer("404 Not Found", body: "nope"), "HTTP 404 Not Found"),
        (httpAnswer(body: "<html>"), "the answer has no integer code: <html>"),
    ] as [(String, String?)])
    func dryRunSaysWhyNot(answer: String, problem: String?) async throws {
        let server = try LoopbackServer.http { request, _ in request.requestLine == "GET /dry_run HTTP/1.1" ? answer : nil }
        let client = client(server.port)
        defer { client.close() }
        #expect(try await client.dryRun() == problem)
    }

    @Test func readyOnlyOn200() async throws {
        let status = Locked("200 OK")
        let server = try LoopbackServer.http { request, _ in request.requestLine == "GET /ready HTTP/1.1" ? httpAnswer(status.value) : nil }
        let client = client(server.port)
        defer { client.close() }
        #expect(try await client.isReady())
        status.update { $0 = "503 Service Unavailable" }
        #expect(try await !client.isReady())
    }

    @Test func waitReadyAsksUntilReady() async throws {
        let asked = Locked(0)
        let server = try LoopbackServer.http { _, _ in
            asked.update { $0 += 1 }
            return asked.value < 3 ? httpAnswer("503 Service Unavailable") : httpAnswer()
        }
        let client = client(server.port)
        defer { client.close() }
        try await client.waitReady(within: Double(Self.generousMilliseconds) / 1000)
        #expect(asked.value == 3)
    }

    @Test func waitReadyGivesUpSayingWhatItLastSaw() async throws {
        let server = try LoopbackServer.http { _, _ in httpAnswer("503 Service Unavailable") }
        let client = client(server.port)
        defer { client.close() }
        await #expect(throws: ClientError.notReady(seconds: 0.3, last: "HTTP 503")) { try await client.waitReady(within: 0.3) }
    }

    @Test func closedClientRefusesNewRequests() async throws {
        let server = try Self.echoGateway()
        let client = client(server.port)
        client.close()
        await #expect(throws: ClientError.closed) { _ = try await client.post(endpoint: "/", docs: []) }
    }
}
