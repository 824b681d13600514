import Foundation
import Testing

/// `jina client post`'s HTTP client against a canned in-test server (no Flow needed): keep-alive,
/// servers that close connections, chunked bodies, retries while nothing listens yet, timeouts,
/// and how failures are reported (SPEC §1, §5).
@Suite struct ClientHTTPTests {
    /// `jina client post --port <port> --inputs <file of n docs> args…`.
    static func post(port: Int, docs: Int = 10, _ arguments: [String] = [], environment: [String: String] = [:],
                     timeout: TimeInterval = 30) throws -> JinaBinary.Run {
        let dir = try JinaBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let inputs = try TestFiles.write(TestFiles.jsonl(count: docs), to: "docs.jsonl", in: dir)
        return try JinaBinary.run(["client", "post", "--port", String(port), "--on", "/index", "--inputs", inputs] + arguments,
                                  environment: environment, timeout: timeout)
    }

    static let upperCaseGateway: @Sendable (ClientTestServer.Request) -> ClientTestServer.Reply = { request in
        .json(ClientTestServer.gatewayEnvelope(for: request))
    }

    /// The documents of the output, with ids and texts in input order, upper-cased by the server.
    static func expectDocs(_ run: JinaBinary.Run, count: Int) throws {
        let docs = try TestFiles.objects(run.stdout)
        #expect(docs.map(\.id) == (0..<count).map { "d" + String(format: "%03d", $0) })
        #expect(docs.map(\.text) == (0..<count).map { "DOC \($0)" })
    }

    @Test func keepAliveSendsEveryRequestOnOneConnection() throws {
        let server = try ClientTestServer(handler: Self.upperCaseGateway)
        let run = try Self.post(port: server.port, docs: 10, ["--request-size", "2", "--prefetch", "1"])
        #expect(run.status == 0, "\(run.stderr)")
        try Self.expectDocs(run, count: 10)
        #expect(server.requests.count == 5)
        #expect(server.connectionCount == 1)
        #expect(run.stderr.isEmpty, "nothing on stderr when it is not a terminal: \(run.stderr)")
    }

    /// The request body is what the gateway reads: data, parameters, execEndpoint, header.
    @Test func requestBodyCarriesEndpointParametersTargetAndRequestID() throws {
        let server = try ClientTestServer(handler: Self.upperCaseGateway)
        let run = try Self.post(port: server.port, docs: 3, ["--parameters", #"{"top_k": 3}"#, "--target-executor", "enc.*"])
        #expect(run.status == 0, "\(run.stderr)")
        let request = try #require(server.requests.first)
        #expect(request.method == "POST" && request.path == "/post")
        #expect(request.headers["content-type"] == "application/json")
        let body = request.json
        #expect(body["execEndpoint"] as? String == "/index")
        #expect((body["parameters"] as? [String: Any])?["top_k"] as? Int == 3)
        #expect((body["data"] as? [[String: Any]])?.count == 3)
        let header = try #require(body["header"] as? [String: Any])
        #expect((header["request_id"] as? String)?.count == 32)
        #expect(header["target_executor"] as? String == "enc.*")
    }

    /// Answers that come back in reverse order still give output in input order; --prefetch
    /// bounds the connections.
    @Test func concurrentRequestsKeepInputOrder() throws {
        let server = try ClientTestServer { request in
            // Earlier documents answer later: 0.2 s for the first request, less for later ones.
            let first = ((request.json["data"] as? [[String: Any]])?.first?["id"] as? String) ?? "d000"
            let number = Int(first.dropFirst()) ?? 0
            return .json(ClientTestServer.gatewayEnvelope(for: request), delay: max(0, 0.2 - Double(number) * 0.01))
        }
        let run = try Self.post(port: server.port, docs: 40, ["--request-size", "2", "--prefetch", "4"])
        #expect(run.status == 0, "\(run.stderr)")
        try Self.expectDocs(run, count: 40)
        #expect(server.connectionCount > 1 && server.connectionCount <= 4, "\(server.connectionCount) connections")
    }

    /// A server that closes each connection after answering (without a Connection: close header):
    /// the client notices and connects again.
    @Test func serverClosingIdleConnectionsIsHandled() throws {
        let server = try ClientTestServer { .json(ClientTestServer.gatewayEnvelope(for: $0), thenClose: true) }
        let run = try Self.post(port: server.port, docs: 6, ["--request-size", "1", "--prefetch", "1"])
        #expect(run.status == 0, "\(run.stderr)")
        try Self.expectDocs(run, count: 6)
        #expect(server.connectionCount == 6)
    }

    /// The race of a server closing an idle connection just as a request goes out: the request,
    /// unanswered on a reused connection, goes again once on a new one.
    @Test func requestLostOnAReusedConnectionIsSentAgain() throws {
        let server = try ClientTestServer { request in
            request.indexOnConnection == 1 ? .closeWithoutAnswer : .json(ClientTestServer.gatewayEnvelope(for: request))
        }
        let run = try Self.post(port: server.port, docs: 5, ["--request-size", "1", "--prefetch", "1"])
        #expect(run.status == 0, "\(run.stderr)")
        try Self.expectDocs(run, count: 5)
        // Each connection answers its first request and drops its second: 5 answers, 4 resent.
        #expect(server.requests.count == 9)
    }

    /// A connection that closes without answering its first request is an error, not a retry loop.
    @Test func freshConnectionClosedWithoutAnswerFails() throws {
        let server = try ClientTestServer { _ in .closeWithoutAnswer }
        let run = try Self.post(port: server.port, docs: 2, ["--request-size", "1", "--prefetch", "1"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("connection closed"), "\(run.stderr)")
        #expect(server.requests.count == 2)
        #expect(run.stdout.isEmpty)
    }

    @Test func chunkedBodiesAreReadWhole() throws {
        let server = try ClientTestServer { .json(ClientTestServer.gatewayEnvelope(for: $0), chunked: true) }
        let run = try Self.post(port: server.port, docs: 25, ["--request-size", "10", "--prefetch", "2"])
        #expect(run.status == 0, "\(run.stderr)")
        try Self.expectDocs(run, count: 25)
        #expect(server.connectionCount <= 2)
    }

    /// Nothing listens yet: with --wait-ready the client polls GET /ready until it says 200,
    /// then sends.
    @Test func waitReadyRetriesUntilTheFlowIsUp() throws {
        let port = try ClientTestServer.freePort()
        let dir = try JinaBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let inputs = try TestFiles.write(TestFiles.jsonl(count: 4), to: "docs.jsonl", in: dir)
        let client = try JinaProcess(["client", "post", "--port", String(port), "--inputs", inputs, "--wait-ready", "20"])
        defer { client.kill() }
        Thread.sleep(forTimeInterval: 0.6)
        #expect(client.isRunning, "it waits while the connection is refused: \(client.stderr)")
        let readyCalls = Counter()
        let server = try ClientTestServer(port: port) { request in
            if request.path == "/ready" {
                // Not ready for the first three probes.
                return readyCalls.next() < 3 ? .json(["ready": false], status: 503) : .json(["ready": true])
            }
            return .json(ClientTestServer.gatewayEnvelope(for: request))
        }
        defer { server.stop() }
        let run = client.finish(timeout: 20)
        #expect(run.status == 0, "\(run.stderr)")
        try Self.expectDocs(run, count: 4)
        #expect(server.requests.filter { $0.path == "/ready" }.count == 4)
    }

    @Test func waitReadyGivesUpAfterItsTime() throws {
        let port = try ClientTestServer.freePort()
        let started = Date()
        let run = try Self.post(port: port, docs: 2, ["--wait-ready", "0.5"])
        #expect(run.status == 1)
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(run.stderr.contains("not ready after 0.5 s (last: connection refused)"), "\(run.stderr)")
    }

    /// Without --wait-ready, a refused connection fails at once, stops the inputs, and hints.
    @Test func connectionRefusedFailsFastWithAHint() throws {
        let port = try ClientTestServer.freePort()
        let started = Date()
        let run = try Self.post(port: port, docs: 500, ["--request-size", "1", "--prefetch", "2"])
        #expect(run.status == 1)
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(run.stderr.contains("failed: connection refused"), "\(run.stderr)")
        #expect(run.stderr.contains("--wait-ready"), "\(run.stderr)")
        // Only the requests already under way are reported, not all 500.
        #expect(run.stderr.components(separatedBy: "connection refused").count - 1 <= 4, "\(run.stderr)")
    }

    @Test func requestTimeoutFailsTheRequest() throws {
        let server = try ClientTestServer { _ in .hang }
        defer { server.stop() }
        let started = Date()
        let run = try Self.post(port: server.port, docs: 2, ["--timeout", "300", "--request-size", "1"])
        #expect(run.status == 1)
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(run.stderr.contains("timed out after 300 ms waiting for the response"), "\(run.stderr)")
    }

    /// An executor error (HTTP 200, code 1): reported with request id, executor and message; the
    /// other requests' documents still come out; exit 1.
    @Test func executorErrorIsReportedWithRequestIDAndExecutor() throws {
        let server = try ClientTestServer { request in
            let data = request.json["data"] as? [[String: Any]] ?? []
            guard data.contains(where: { $0["id"] as? String == "d003" }) else { return .json(ClientTestServer.gatewayEnvelope(for: request)) }
            let status: [String: Any] = ["code": 1, "description": "ValueError: no d003 please",
                                         "exception": ["name": "ValueError", "args": ["no d003 please"], "stacks": [], "executor": "encoder"]]
            return .json(ClientTestServer.gatewayEnvelope(for: request, status: status,
                                                          routes: [["executor": "encoder", "status": status]]))
        }
        let run = try Self.post(port: server.port, docs: 6, ["--request-size", "2"])
        #expect(run.status == 1)
        let failed = try #require(server.requests.first { ($0.json["data"] as? [[String: Any]])?.contains { $0["id"] as? String == "d003" } == true })
        let requestID = try #require((failed.json["header"] as? [String: Any])?["request_id"] as? String)
        #expect(run.stderr.contains("request \(requestID) failed at encoder: ValueError: no d003 please"), "\(run.stderr)")
        #expect(run.stderr.contains("1 of 3 requests failed"), "\(run.stderr)")
        let ids = try TestFiles.objects(run.stdout).compactMap(\.id)
        #expect(ids == ["d000", "d001", "d004", "d005"])
    }

    /// A 4xx with a JSON error body is the gateway's error, reported as such.
    @Test func httpErrorIsReportedAtTheGateway() throws {
        let server = try ClientTestServer { _ in .json(["error": "malformed JSON at byte 3"], status: 400) }
        let run = try Self.post(port: server.port, docs: 1)
        #expect(run.status == 1)
        #expect(run.stderr.contains("failed at the gateway: HTTP 400: malformed JSON at byte 3"), "\(run.stderr)")
    }

    /// `--output responses`: one envelope per request on one line each, in order, even when the
    /// server pretty-prints; a request without an envelope gets one with its error status.
    @Test func outputResponsesWritesOneEnvelopePerLine() throws {
        let server = try ClientTestServer { request in
            let data = request.json["data"] as? [[String: Any]] ?? []
            if data.contains(where: { $0["id"] as? String == "d002" }) { return .json(["detail": "no"], status: 503) }
            let pretty = try! JSONSerialization.data(withJSONObject: ClientTestServer.gatewayEnvelope(for: request), options: [.prettyPrinted])
            return .respond(status: 200, headers: [("Content-Type", "application/json")], body: [UInt8](pretty))
        }
        let run = try Self.post(port: server.port, docs: 5, ["--request-size", "2", "--output", "responses"])
        #expect(run.status == 1)
        let envelopes = try TestFiles.objects(run.stdout)
        try #require(envelopes.count == 3, "\(run.stdout)")
        let statuses = envelopes.map { (($0["header"] as? [String: Any])?["status"] as? [String: Any])?["code"] as? Int }
        #expect(statuses == [0, 1, 0])
        let docs = envelopes.map { ($0["data"] as? [[String: Any]])?.compactMap(\.id) ?? [] }
        #expect(docs == [["d000", "d001"], [], ["d004"]])
        let failed = try #require((envelopes[1]["header"] as? [String: Any]))
        #expect(failed["exec_endpoint"] as? String == "/index")
        #expect((failed["status"] as? [String: Any])?["description"] as? String == "HTTPError: HTTP 503: no")
    }

    @Test func hostAndPortComeFromTheEnvironment() throws {
        let server = try ClientTestServer(handler: Self.upperCaseGateway)
        let dir = try JinaBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let inputs = try TestFiles.write(TestFiles.jsonl(count: 3), to: "docs.jsonl", in: dir)
        let run = try JinaBinary.run(["client", "post", "--on", "/index", "--inputs", inputs],
                                     environment: ["JINA_HOST": "localhost", "JINA_PORT": String(server.port)], timeout: 30)
        #expect(run.status == 0, "\(run.stderr)")
        try Self.expectDocs(run, count: 3)
        // --host may carry the port too, as the gateway's ready line prints it.
        let again = try JinaBinary.run(["client", "post", "--host", "http://127.0.0.1:\(server.port)/", "--inputs", inputs], timeout: 30)
        #expect(again.status == 0, "\(again.stderr)")
    }

    @Test func stdinInputs() throws {
        let server = try ClientTestServer(handler: Self.upperCaseGateway)
        let run = try JinaBinary.run(["client", "post", "--port", String(server.port), "--inputs", "-", "--request-size", "3"],
                                     stdin: Data(TestFiles.jsonl(count: 7).utf8), timeout: 30)
        #expect(run.status == 0, "\(run.stderr)")
        try Self.expectDocs(run, count: 7)
        #expect(server.requests.count == 3)
    }

    /// On a terminal (a pty from script(1)) stderr shows a progress line redrawn in place and a
    /// summary; NO_COLOR keeps colour codes out.
    @Test(.enabled(if: JinaBinary.hasScript, "needs script(1) for a pty"))
    func progressLineOnATerminal() throws {
        let server = try ClientTestServer { .json(ClientTestServer.gatewayEnvelope(for: $0), delay: 0.15) }
        let dir = try JinaBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let inputs = try TestFiles.write(TestFiles.jsonl(count: 6), to: "docs.jsonl", in: dir)
        let (status, text) = try JinaBinary.runOnATerminal(["client", "post", "--port", String(server.port), "--inputs", inputs,
                                                            "--request-size", "2", "--prefetch", "1"],
                                                           environment: ["NO_COLOR": "1"], timeout: 30)
        #expect(status == 0, "\(text)")
        #expect(text.contains("\r\u{1B}[2K"), "redrawn in place: \(text.debugDescription)")
        #expect(text.contains(" requests · ") && text.contains(" docs/s · "), "\(text.debugDescription)")
        #expect(text.contains("✓ 3 requests, 6 docs in "), "\(text.debugDescription)")
        #expect(!text.contains("\u{1B}[3"), "no colour with NO_COLOR: \(text.debugDescription)")
        #expect(text.contains(#"{"id":"d005","text":"DOC 5"}"#))
    }

    @Test(arguments: [
        ["--inputs", "x.jsonl"],  // no port
        ["--port", "1", "--inputs", "x.jsonl", "--parameters", "[1]"],
        ["--port", "1", "--inputs", "x.jsonl", "--prefetch", "0"],
        ["--port", "1", "--inputs", "x.jsonl", "--target-executor", "("],
        ["--port", "70000", "--inputs", "x.jsonl"],
        ["--host", "ftp://example.org", "--port", "1", "--inputs", "x.jsonl"],
        ["--host", "http://example.org", "--port", "1", "--inputs", "x.jsonl", "--tls-insecure"],
    ])
    func usageErrorsExit64(arguments: [String]) throws {
        let run = try JinaBinary.run(["client", "post"] + arguments, environment: ["JINA_PORT": ""], timeout: 20)
        #expect(run.status == 64, "\(arguments): \(run.stderr)")
    }
}

/// A thread-safe counter for server handlers.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    /// The value before this call.
    func next() -> Int { lock.withLock { defer { value += 1 }; return value } }
}
