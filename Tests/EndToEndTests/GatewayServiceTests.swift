import Foundation
import Testing

/// The gateway as a service (SPEC §1, §5): the ready line, readiness, status, dry run, metrics,
/// OpenAPI, a taken port, clients that go away, and draining on SIGTERM/SIGINT.
@Suite(.serialized) struct GatewayServiceTests {
    /// `/ready` is 503 while an executor has not said hello (data requests too), then 200.
    @Test func readyIs503UntilEveryExecutorIsReady() throws {
        let scene = try GatewayScene(flow: "")
        defer { scene.cleanUp() }
        let script = try #require(try TestFiles.writeFrameExecutor(in: scene.dir), "python3 is needed for exec:// test executors")
        let slow = try TestFiles.write("#!/bin/sh\nsleep 1.5\nexec \(script) echo\n", to: "slow-hello.sh", in: scene.dir, executable: true)
        try TestFiles.write("jtype: Flow\nexecutors:\n  - name: slow\n    uses: exec://\(slow)\n", to: "flow.yml", in: scene.dir)
        let process = try JinaProcess(["flow", "--uses", "flow.yml", "--port", "0"], in: scene.dir, environment: scene.environment)
        #expect(process.waitForStderr(containing: "gateway listening on http://127.0.0.1:", timeout: 20))
        let port = try #require(Int(process.stderr.components(separatedBy: "http://127.0.0.1:").last?.prefix { $0.isNumber } ?? ""))

        let notReady = try GatewayHTTP.send(port: port, "GET", "/ready")
        #expect(notReady.status == 503)
        #expect(notReady.headers["content-type"] == "application/json")
        #expect(try notReady.json()["ready"] as? Bool == false)
        #expect((try notReady.json()["executors"] as? [String: Any])?["slow"] as? String == "starting")
        let early = try GatewayHTTP.send(port: port, "POST", "/index", json: #"{"data": [{"id": "e"}]}"#)
        let earlyJSON = try early.json()
        #expect(early.status == 503 && earlyJSON.code == 1 && earlyJSON.docs.map(\.id) == ["e"])
        #expect(try GatewayHTTP.send(port: port, "GET", "/dry_run").json()["code"] as? Int == 1)
        #expect(try GatewayHTTP.send(port: port, "GET", "/ping").text == "{}")
        #expect(!process.stdout.contains("ready:"))

        let gateway = try Gateway(process: process)
        #expect(gateway.port == port)
        let ready = try gateway.get("/ready")
        #expect(ready.status == 200)
        #expect(ready.text == #"{"ready":true,"executors":{"slow":"ready"}}"#)
        #expect(process.stdout == "ready: http://127.0.0.1:\(port)\n", "exactly one line on stdout")
        #expect(gateway.stop() == 0)
        scene.expectNoProcessLeft()
    }

    @Test func statusDryRunAndLiveness() throws {
        let scene = try GatewayScene(flow: "jtype: Flow\nexecutors:\n  - name: pass\n  - name: upper\n    uses: UpperCase\n")
        defer { scene.cleanUp() }
        let gateway = try scene.serve()
        for path in ["/", "/ping"] {
            let reply = try gateway.get(path)
            #expect(reply.status == 200 && reply.text == "{}" && reply.headers["content-type"] == "application/json")
        }
        let dryRun = try gateway.get("/dry_run")
        #expect(dryRun.status == 200 && dryRun.text == #"{"code":0,"description":"","exception":null}"#)
        let status = try gateway.get("/status").json()
        #expect(status["version"] as? String != nil)
        #expect((status["uptime_seconds"] as? Double ?? -1) >= 0)
        let executors = status["executors"] as? [String: [String: Any]] ?? [:]
        #expect(executors["upper"]?["state"] as? String == "ready" && executors["pass"]?["restarts"] as? Int == 0)
        #expect(gateway.stop() == 0)

        let failing = try GatewayScene(flow: "jtype: Flow\nexecutors:\n  - name: fail\n    uses: {jtype: Fail, with: {always: true}}\n")
        defer { failing.cleanUp() }
        let broken = try failing.serve()
        let failed = try broken.get("/dry_run")
        #expect(failed.status == 200)
        let answer = try failed.json()
        #expect(answer["code"] as? Int == 1)
        #expect((answer["description"] as? String ?? "").hasPrefix("FailedOnPurpose: "))
        #expect((answer["exception"] as? [String: Any])?["name"] as? String == "FailedOnPurpose")
        #expect(broken.stop() == 0)
        scene.expectNoProcessLeft()
        failing.expectNoProcessLeft()
    }

    @Test func metricsCountRequestsErrorsAndLatency() throws {
        let scene = try GatewayScene(flow: "jtype: Flow\nexecutors:\n  - name: fail\n    uses: {jtype: Fail, with: {on_text: BOOM}}\n")
        defer { scene.cleanUp() }
        let gateway = try scene.serve()
        for _ in 0..<3 { #expect(try gateway.post("/index", #"{"data": [{"text": "ok"}]}"#).status == 200) }
        #expect(try gateway.post("/index", #"{"data": [{"text": "BOOM"}]}"#).status == 200)
        #expect(try gateway.post("/index", #"{"data": 1}"#).status == 400)
        #expect(try gateway.post("/post", #"{"data": [], "exec_endpoint": "/made-up"}"#).status == 200)

        let reply = try gateway.get("/metrics")
        #expect(reply.status == 200)
        #expect(reply.headers["content-type"]?.hasPrefix("text/plain") == true)
        let lines = Set(reply.text.split(separator: "\n").map(String.init))
        for expected in [
            #"jina_requests_total{endpoint="/index",status="200"} 4"#,
            #"jina_requests_total{endpoint="/index",status="400"} 1"#,
            #"jina_requests_total{endpoint="other",status="200"} 1"#,
            #"jina_request_errors_total{endpoint="/index",kind="executor_error"} 1"#,
            #"jina_request_errors_total{endpoint="/index",kind="bad_request"} 1"#,
            #"jina_request_duration_seconds_count{endpoint="/index"} 5"#,
            #"jina_request_duration_seconds_bucket{endpoint="/index",le="+Inf"} 5"#,
            #"jina_executor_duration_seconds_count{executor="fail"} 5"#,
            #"jina_executor_restarts_total{executor="fail"} 0"#,
            #"jina_executor_ready{executor="fail"} 1"#,
            "jina_requests_in_flight 0",
            "# TYPE jina_request_duration_seconds histogram",
        ] {
            #expect(lines.contains(expected), "missing \(expected) in:\n\(reply.text)")
        }
        #expect(gateway.stop() == 0)
        scene.expectNoProcessLeft()
    }

    /// Every data route has a `post` operation (all the 3.x client reads); with: title/description fill `info`.
    @Test func openAPIListsEveryDataRoute() throws {
        let scene = try GatewayScene(flow: """
            jtype: Flow
            with: {title: My search, description: Finds things}
            executors:
              - name: echo
                uses: {jtype: Echo, requests: {/foo: echo, /bar/baz: echo}}
            """)
        defer { scene.cleanUp() }
        let gateway = try scene.serve(command: ["flow", "serve"])
        let reply = try gateway.get("/openapi.json")
        #expect(reply.status == 200 && reply.headers["content-type"] == "application/json")
        let document = try reply.json()
        #expect((document["openapi"] as? String)?.hasPrefix("3.") == true)
        let info = document["info"] as? [String: Any] ?? [:]
        #expect(info["title"] as? String == "My search" && info["description"] as? String == "Finds things")
        let paths = document["paths"] as? [String: [String: Any]] ?? [:]
        let posted = Set(paths.filter { $0.value["post"] != nil }.keys)
        #expect(posted == ["/post", "/post/{endpoint}", "/index", "/search", "/update", "/delete", "/default", "/foo", "/bar/baz"])
        #expect(paths["/update"]?["put"] != nil && paths["/delete"]?["delete"] != nil)
        #expect(paths["/ready"]?["get"] != nil && paths["/ready"]?["post"] == nil)
        // The bound endpoints are routes.
        let foo = try gateway.post("/bar/baz", #"{"data": [{"id": "x"}]}"#).json()
        #expect(foo.header["exec_endpoint"] as? String == "/bar/baz")
        #expect(gateway.stop() == 0)
        scene.expectNoProcessLeft()
    }

    /// A taken port: one line naming it, exit 1, and no executor was started.
    @Test func aTakenPortIsOneLineAndExitOne() throws {
        let scene = try GatewayScene(flow: "jtype: Flow\nexecutors:\n  - name: pass\n  - name: upper\n    uses: UpperCase\n")
        defer { scene.cleanUp() }
        let busy = try BusyPort()
        let started = Date()
        let run = try JinaBinary.run(["flow", "--uses", "flow.yml", "--port", String(busy.port)], in: scene.dir,
                                     environment: scene.environment, timeout: 20)
        #expect(run.status == 1)
        let lines = run.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(run.stderr)")
        #expect(lines.first?.hasPrefix("error: port \(busy.port) on 127.0.0.1 is already in use; ") == true, "\(run.stderr)")
        #expect(run.stdout.isEmpty)
        #expect(Date().timeIntervalSince(started) < 5)
        scene.expectNoProcessLeft(grace: 1)
    }

    /// SIGTERM: no new connections, the request in flight is answered, then exit 0.
    @Test func sigtermDrainsTheRequestInFlight() throws {
        let scene = try GatewayScene(flow: "jtype: Flow\nexecutors:\n  - name: sleep\n    uses: {jtype: Sleep, with: {ms: 1000}}\n")
        defer { scene.cleanUp() }
        let gateway = try scene.serve()
        let idle = try GatewayHTTP(port: gateway.port)  // a keep-alive connection with nothing in flight
        #expect(try idle.send("GET", "/ping").status == 200)

        let answer = Locked<GatewayHTTP.Reply?>(nil)
        let done = DispatchSemaphore(value: 0)
        let port = gateway.port
        Thread {
            answer.set(try? GatewayHTTP.send(port: port, "POST", "/index", json: #"{"data": [{"id": "slow"}]}"#))
            done.signal()
        }.start()
        #expect(Self.waitForInFlight(1, port: gateway.port), "the slow request is in flight")
        let signalled = Date()
        gateway.process.signal(SIGTERM)

        var refused = false
        let deadline = Date().addingTimeInterval(0.6)
        while !refused && Date() < deadline {
            refused = (try? GatewayHTTP(port: gateway.port)) == nil
            if !refused { usleep(20_000) }
        }
        #expect(refused, "no new connections after SIGTERM")
        #expect(done.wait(timeout: .now() + 10) == .success)
        let reply = try #require(answer.value, "the request in flight got an answer")
        #expect(reply.status == 200)
        #expect(try reply.json().docs.map(\.id) == ["slow"])
        #expect(gateway.process.waitForExit(timeout: 10))
        #expect(gateway.process.exitStatus == 0)
        #expect(Date().timeIntervalSince(signalled) < 5)
        #expect(gateway.process.stderr.contains("terminated"))
        scene.expectNoProcessLeft()
    }

    /// SIGINT exits 130; a request that outlives --shutdown-timeout does not hold the exit up.
    @Test func sigintExits130AndTheShutdownIsBounded() throws {
        let scene = try GatewayScene(flow: "jtype: Flow\nexecutors:\n  - name: sleep\n    uses: {jtype: Sleep, with: {ms: 20000}}\n")
        defer { scene.cleanUp() }
        let gateway = try scene.serve(["--shutdown-timeout", "300"], command: ["flow", "run"])
        let port = gateway.port
        Thread { _ = try? GatewayHTTP.send(port: port, "POST", "/index", json: #"{"data": []}"#) }.start()
        #expect(Self.waitForInFlight(1, port: gateway.port))
        let signalled = Date()
        #expect(gateway.stop(SIGINT) == 130)
        #expect(Date().timeIntervalSince(signalled) < 5, "bounded by --shutdown-timeout, not by the 20 s request")
        scene.expectNoProcessLeft()
    }

    /// Clients that go away mid-body or mid-request: the gateway stays up and leaks nothing.
    @Test func clientsThatDisconnectDoNotHurt() throws {
        let scene = try GatewayScene(flow: "jtype: Flow\nexecutors:\n  - name: sleep\n    uses: {jtype: Sleep, with: {ms: 100}}\n")
        defer { scene.cleanUp() }
        let gateway = try scene.serve()
        for _ in 0..<10 {
            let half = try GatewayHTTP(port: gateway.port)
            try half.write(Array("POST /index HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"data\": [".utf8))
        }  // each connection closes here, its body unfinished
        for _ in 0..<10 {
            let gone = try GatewayHTTP(port: gateway.port)
            let body = #"{"data": [{"text": "x"}]}"#
            try gone.write(Array("POST /index HTTP/1.1\r\nHost: x\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)".utf8))
        }  // closed while the Flow works on it
        #expect(Self.waitForInFlight(0, port: gateway.port, timeout: 15))
        let reply = try gateway.post("/index", #"{"data": [{"id": "after"}]}"#)
        let afterJSON = try reply.json()
        #expect(reply.status == 200 && afterJSON.docs.map(\.id) == ["after"])
        #expect(gateway.stop() == 0)
        scene.expectNoProcessLeft()
    }

    /// Polls /metrics until `jina_requests_in_flight` is `count`.
    static func waitForInFlight(_ count: Int, port: Int, timeout: TimeInterval = 10) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let text = try? GatewayHTTP.send(port: port, "GET", "/metrics").text,
               text.split(separator: "\n").contains(Substring("jina_requests_in_flight \(count)")) {
                return true
            }
            usleep(20_000)
        }
        return false
    }
}

/// A value shared between a test and the thread it starts.
final class Locked<Value>: @unchecked Sendable {  // `stored` behind `lock`
    private let lock = NSLock()
    private var stored: Value

    init(_ value: Value) { stored = value }
    var value: Value { lock.withLock { stored } }
    func set(_ value: Value) { lock.withLock { stored = value } }
}
