import Foundation
import Testing

/// `jina client post` and `jina ping flow` against a real `jina flow --uses flow.yml --port 0`
/// (SPEC §1, §5): order, failures, every input format, envelopes, interrupts.
@Suite struct ClientFlowTests {
    static let upper = """
        jtype: Flow
        executors:
          - name: up
            uses: UpperCase
        """

    /// Serves `flow`, runs `body` with the scene and the gateway, then stops it and checks that
    /// no process is left.
    static func withFlow(_ flow: String, _ body: (GatewayScene, Gateway) throws -> Void) throws {
        let scene = try GatewayScene(flow: flow)
        defer { scene.cleanUp() }
        let gateway = try scene.serve()
        defer { gateway.process.kill() }
        try body(scene, gateway)
        #expect(gateway.stop() != nil, "the Flow did not stop")
        scene.expectNoProcessLeft()
    }

    static func post(_ gateway: Gateway, in dir: String, _ arguments: [String], stdin: Data? = nil) throws -> JinaBinary.Run {
        try JinaBinary.run(["client", "post", "--port", String(gateway.port)] + arguments, in: dir, stdin: stdin, timeout: 60)
    }

    /// Four shards that answer after a random delay finish requests out of order; with eight in
    /// flight, stdout is still in input order.
    @Test func orderIsKeptWithPrefetchAndVariedLatency() throws {
        let dir = try JinaBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let script = try #require(try TestFiles.writeFrameExecutor(in: dir), "python3 is needed for exec:// test executors")
        let flow = """
            jtype: Flow
            executors:
              - name: jitter
                uses: exec://\(script) slow-random
                shards: 4
                polling: ANY
              - name: up
                uses: UpperCase
            """
        try Self.withFlow(flow) { scene, gateway in
            try TestFiles.write(TestFiles.jsonl(count: 120), to: "in.jsonl", in: scene.dir)
            let run = try Self.post(gateway, in: scene.dir, ["--on", "/index", "--inputs", "in.jsonl", "--request-size", "3",
                                                             "--prefetch", "8"])
            #expect(run.status == 0, "\(run.stderr)")
            try ClientHTTPTests.expectDocs(run, count: 120)
        }
    }

    @Test func executorFailureIsReportedAndExitIs1() throws {
        let flow = """
            jtype: Flow
            executors:
              - name: up
                uses: UpperCase
              - name: picky
                uses: {jtype: Fail, with: {on_text: BOOM}}
            """
        try Self.withFlow(flow) { scene, gateway in
            try TestFiles.write("""
                {"id":"a","text":"one"}
                {"id":"b","text":"two"}
                {"id":"c","text":"boom"}
                {"id":"d","text":"four"}
                {"id":"e","text":"five"}
                """, to: "in.jsonl", in: scene.dir)
            let run = try Self.post(gateway, in: scene.dir, ["--inputs", "in.jsonl", "--request-size", "2"])
            #expect(run.status == 1)
            #expect(try TestFiles.objects(run.stdout).compactMap(\.id) == ["a", "b", "e"])
            let pattern = #/request [0-9a-f]{32} failed at picky: FailedOnPurpose: failing on purpose/#
            #expect(run.stderr.contains(pattern), "\(run.stderr)")
            #expect(run.stderr.contains("1 of 3 requests failed"), "\(run.stderr)")
        }
    }

    @Test func csvTextAndGlobInputs() throws {
        try Self.withFlow(Self.upper) { scene, gateway in
            try TestFiles.write("id,text,color\nc1,red apple,red\nc2,\"green, pear\",green\n", to: "in.csv", in: scene.dir)
            let csv = try Self.post(gateway, in: scene.dir, ["--inputs", "in.csv"])
            #expect(csv.status == 0, "\(csv.stderr)")
            let rows = try TestFiles.objects(csv.stdout)
            #expect(rows.compactMap(\.id) == ["c1", "c2"])
            #expect(rows.compactMap(\.text) == ["RED APPLE", "GREEN, PEAR"])
            #expect(rows.map { $0.tags["color"] as? String } == ["red", "green"])

            try TestFiles.write("first line\nsecond line\n", to: "notes.txt", in: scene.dir)
            let text = try Self.post(gateway, in: scene.dir, ["--inputs", "notes.txt"])
            #expect(text.status == 0, "\(text.stderr)")
            #expect(try TestFiles.objects(text.stdout).compactMap(\.text) == ["FIRST LINE", "SECOND LINE"])

            try FileManager.default.createDirectory(atPath: scene.dir + "/files", withIntermediateDirectories: true)
            for name in ["a", "b", "c"] { try TestFiles.write("file \(name)", to: "files/\(name).txt", in: scene.dir) }
            let glob = try Self.post(gateway, in: scene.dir, ["--inputs", "files/*.txt", "--read-mode", "text", "--request-size", "2"])
            #expect(glob.status == 0, "\(glob.stderr)")
            let files = try TestFiles.objects(glob.stdout)
            #expect(files.compactMap(\.text) == ["FILE A", "FILE B", "FILE C"])
            #expect(files.compactMap { $0["uri"] as? String } == ["files/a.txt", "files/b.txt", "files/c.txt"])
        }
    }

    @Test func outputResponsesWritesEnvelopes() throws {
        try Self.withFlow(Self.upper) { scene, gateway in
            try TestFiles.write(TestFiles.jsonl(count: 5), to: "in.jsonl", in: scene.dir)
            let run = try Self.post(gateway, in: scene.dir, ["--on", "/search", "--inputs", "in.jsonl", "--request-size", "2",
                                                             "--output", "responses", "--parameters", #"{"top_k": 2}"#])
            #expect(run.status == 0, "\(run.stderr)")
            let envelopes = try TestFiles.objects(run.stdout)
            try #require(envelopes.count == 3, "\(run.stdout)")
            #expect(envelopes.allSatisfy { $0.code == 0 })
            #expect(envelopes.allSatisfy { $0.header["exec_endpoint"] as? String == "/search" })
            #expect(envelopes.allSatisfy { ($0["parameters"] as? [String: Any])?["top_k"] as? Int == 2 })
            #expect(envelopes.allSatisfy { $0.routes.map { $0["executor"] as? String } == ["up"] })
            let ids = envelopes.flatMap { ($0["data"] as? [[String: Any]] ?? []).compactMap(\.id) }
            #expect(ids == (0..<5).map { String(format: "d%03d", $0) })
        }
    }

    @Test func pingFlowSucceedsWhileServingAndFailsAfter() throws {
        let scene = try GatewayScene(flow: Self.upper)
        defer { scene.cleanUp() }
        let gateway = try scene.serve()
        defer { gateway.process.kill() }
        let ok = try JinaBinary.run(["ping", "flow", "127.0.0.1:\(gateway.port)"], timeout: 20)
        #expect(ok.status == 0, "\(ok.stdout)")
        #expect(ok.stdout.hasPrefix("ping flow 127.0.0.1:\(gateway.port): ok in "), "\(ok.stdout)")
        #expect(gateway.stop() != nil)
        let gone = try JinaBinary.run(["ping", "flow", "127.0.0.1:\(gateway.port)", "--timeout", "1000"], timeout: 20)
        #expect(gone.status == 1)
        #expect(gone.stdout.contains("failed: connection refused"), "\(gone.stdout)")
        scene.expectNoProcessLeft()
    }

    /// SIGINT stops reading inputs; the requests in flight finish and are written; exit 130.
    @Test func sigintFinishesInFlightRequestsAndExits130() throws {
        let flow = """
            jtype: Flow
            executors:
              - name: slow
                uses: {jtype: Sleep, with: {ms: 200}}
            """
        try Self.withFlow(flow) { scene, gateway in
            try TestFiles.write(TestFiles.jsonl(count: 200), to: "in.jsonl", in: scene.dir)
            let client = try JinaProcess(["client", "post", "--port", String(gateway.port), "--inputs", "in.jsonl", "--request-size", "1",
                                          "--prefetch", "2"], in: scene.dir)
            defer { client.kill() }
            #expect(client.waitForStdoutLines(2, timeout: 20))
            client.signal(SIGINT)
            #expect(client.waitForExit(timeout: 20))
            #expect(client.exitStatus == 130, "\(client.stderr)")
            let ids = try TestFiles.objects(client.stdout).compactMap(\.id)
            #expect(ids.count >= 2 && ids.count < 200)
            #expect(ids == (0..<ids.count).map { String(format: "d%03d", $0) }, "a prefix of the inputs, in order")
        }
    }
}
