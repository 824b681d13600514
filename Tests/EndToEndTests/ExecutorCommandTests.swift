import Foundation
import Testing

/// `jina executor`: one executor on stdio or TCP, speaking the frame protocol (SPEC §1, §4, §7).
@Suite struct ExecutorCommandTests {
    /// The built-ins and the `with:` parameters each must list.
    static let builtins: [String: [String]] = [
        "BaseExecutor": [],
        "Echo": [],
        "UpperCase": [],
        "Sleep": ["ms"],
        "Fail": ["on_text", "on_ids", "always", "message"],
        "Crash": ["on_request", "exit_code", "signal"],
        "Segmenter": ["unit", "min_length"],
        "TextEncoder": ["dim", "ngram", "traversal", "stopwords"],
        "VectorIndexer": ["top_k", "metric"],
        "MatchMerger": ["top_k"],
    ]

    /// `executor list` output cut into sections: name → its lines.
    static func sections(_ text: String) -> [String: [String]] {
        var result: [String: [String]] = [:]
        var current: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) {
            if !line.hasPrefix(" ") {
                current = line.trimmingCharacters(in: .whitespaces)
                result[current!] = []
            } else if let current {
                result[current]!.append(line.trimmingCharacters(in: .whitespaces))
            }
        }
        return result
    }

    @Test func listShowsEveryBuiltinWithItsParameters() throws {
        let run = try JinaBinary.run(["executor", "list"])
        #expect(run.status == 0, "\(run.stderr)")
        let sections = Self.sections(run.stdout)
        for (name, parameters) in Self.builtins {
            let lines = try #require(sections[name], "\(name) is not listed:\n\(run.stdout)")
            #expect(lines.contains { $0.hasPrefix("endpoints:") }, "\(name) lists no endpoints")
            let listed = lines.filter { $0.hasPrefix("with.") }.map { String($0.dropFirst(5).prefix { $0 != ":" }) }
            #expect(listed.sorted() == parameters.sorted(), "\(name): \(listed)")
        }
    }

    /// Every listed executor can be served: `--stdio` says hello with its endpoints and exits 0 at EOF.
    @Test func everyListedExecutorCanBeServed() throws {
        let list = try JinaBinary.run(["executor", "list"])
        let names = Self.sections(list.stdout).keys.sorted()
        #expect(names.count >= Self.builtins.count)
        for name in names {
            let run = try JinaBinary.run(["executor", "--uses", name, "--stdio"], stdin: Data(), timeout: 20)
            #expect(run.status == 0, "\(name): \(run.stderr)")
            let frames = TestFiles.frames(run.stdoutBytes)
            #expect(frames.count == 1 && frames.first?.header["kind"] as? String == "hello", "\(name): \(run.stdout.prefix(300))")
            #expect(frames.first?.header["name"] as? String == name)
            #expect(frames.first?.header["v"] as? Int == 1)
        }
    }

    /// A hand-built call frame on stdin: the answer is a result frame with the same id and the
    /// upper-cased text; two calls are answered in order; EOF on stdin ends it with status 0.
    @Test func stdioAnswersHandBuiltCallFrames() throws {
        let (marker, environment) = ProcessTable.newMarker()
        defer { ProcessTable.killAll(withMarker: marker) }
        let executor = try JinaProcess(["executor", "--uses", "UpperCase", "--stdio"], environment: environment)
        defer { executor.kill() }
        let body1 = Array(#"[{"id":"z1","text":"make me loud"},{"id":"z2","text":"ß and ü","tags":{"k":[1,2]}}]"#.utf8)
        let body2 = Array(#"[{"id":"z3","text":"second call"}]"#.utf8)
        executor.write(TestFiles.frame(header: #"{"v":1,"kind":"call","id":42,"endpoint":"/index","count":2,"parameters":{}}"#, body: body1)
                       + TestFiles.frame(header: #"{"v":1,"kind":"call","id":43,"endpoint":"/search","count":1}"#, body: body2))
        // Read the answers while stdin is still open, then close it.
        let deadline = Date().addingTimeInterval(10)
        while TestFiles.frames(executor.stdoutBytes).count < 3 && Date() < deadline { usleep(10_000) }
        let run = executor.finish(timeout: 10)
        #expect(run.status == 0, "\(run.stderr)")
        let frames = TestFiles.frames(run.stdoutBytes)
        try #require(frames.count == 3, "\(run.stdout)")
        #expect(frames[0].header["kind"] as? String == "hello")
        #expect((frames[0].header["endpoints"] as? [String])?.isEmpty == false)
        #expect(frames[1].header["kind"] as? String == "result")
        #expect(frames[1].header["id"] as? Int == 42)
        #expect(frames[2].header["id"] as? Int == 43)
        let docs = try #require(try JSONSerialization.jsonObject(with: Data(frames[1].body)) as? [[String: Any]])
        #expect(docs.map { $0.id ?? "" } == ["z1", "z2"])
        #expect(docs.map { $0.text ?? "" } == ["MAKE ME LOUD", "SS AND Ü"])
        #expect((docs[1].tags["k"] as? [Int]) == [1, 2])
        let second = try #require(try JSONSerialization.jsonObject(with: Data(frames[2].body)) as? [[String: Any]])
        #expect(second.map { $0.text ?? "" } == ["SECOND CALL"])
        #expect(ProcessTable.survivors(ofMarker: marker, waiting: 2).isEmpty)
    }

    /// The `runtime` section of `--spec` reaches the Swift executor as it was written (Echo puts
    /// it in `tags.echo.runtime`); without one, the executor is shard 0 of 1, replica 0 of 1.
    @Test func specRuntimeReachesTheExecutor() throws {
        let runtime = #"{"name":"idx","shard_id":1,"pea_id":1,"shards":3,"parallel":3,"replica_id":1,"replicas":2,"polling":{"/search":"ALL","*":"ANY"},"workspace":"/tmp/ws","py_modules":[]}"#
        let call = Data(TestFiles.frame(header: #"{"v":1,"kind":"call","id":1,"endpoint":"/index","count":1,"parameters":{}}"#,
                                        body: Array(#"[{"id":"a"}]"#.utf8)))
        func echoedRuntime(_ spec: String) throws -> [String: Any] {
            let run = try JinaBinary.run(["executor", "--stdio", "--spec", spec], stdin: call, timeout: 20)
            #expect(run.status == 0, "\(run.stderr)")
            let frames = TestFiles.frames(run.stdoutBytes)
            try #require(frames.count == 2, "\(run.stdout)")
            let docs = try #require(try JSONSerialization.jsonObject(with: Data(frames[1].body)) as? [[String: Any]])
            return try #require((docs.first?.tags["echo"] as? [String: Any])?["runtime"] as? [String: Any], "\(docs)")
        }
        let given = try echoedRuntime(#"{"jtype":"Echo","name":"e","runtime":\#(runtime)}"#)
        let expected = try #require(try JSONSerialization.jsonObject(with: Data(runtime.utf8)) as? NSDictionary)
        #expect(NSDictionary(dictionary: given) == expected, "\(given)")
        let alone = try echoedRuntime(#"{"jtype":"Echo","name":"e"}"#)
        #expect(alone["name"] as? String == "e" && alone["shard_id"] as? Int == 0 && alone["shards"] as? Int == 1
                && alone["replica_id"] as? Int == 0 && alone["replicas"] as? Int == 1 && alone["polling"] as? String == "ANY", "\(alone)")
    }

    /// `--port 0` picks a port and says which on stderr; a Flow entry with host and port uses it.
    @Test func aRemoteExecutorServesAFlow() throws {
        let (marker, environment) = ProcessTable.newMarker()
        defer { ProcessTable.killAll(withMarker: marker) }
        let server = try JinaProcess(["executor", "--uses", "UpperCase", "--port", "0"], environment: environment)
        defer { server.kill() }
        let port = try server.announcedExecutorPort()
        #expect(port > 0)

        let dir = try JinaBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try TestFiles.write("""
            jtype: Flow
            executors:
              - name: remote
                host: 127.0.0.1
                port: \(port)
              - name: echo
                uses: Echo
                timeout_ready: 10000
            """, to: "flow.yml", in: dir)
        try TestFiles.write(TestFiles.jsonl(count: 20, text: "remote"), to: "in.jsonl", in: dir)
        // Twice: the server takes a new connection for each Flow.
        for attempt in 1...2 {
            let run = try JinaBinary.run(["flow", "run", "--uses", "flow.yml", "--inputs", "in.jsonl", "--request-size", "3"],
                                         in: dir, environment: environment, timeout: 20)
            try #require(run.status == 0, "run \(attempt): \(run.stderr)")
            let docs = try TestFiles.objects(run.stdout)
            #expect(docs.map { $0.text ?? "" } == (0..<20).map { "REMOTE \($0)" }, "run \(attempt)")
            #expect(docs.allSatisfy { $0.visited == ["echo"] })
        }
        #expect(server.isRunning, "the server outlives the Flows that used it: \(server.stderr)")
        server.kill()
        #expect(ProcessTable.survivors(ofMarker: marker, waiting: 2).isEmpty)
    }

    @Test func usageErrorsExit64() throws {
        let both = try JinaBinary.run(["executor", "--uses", "UpperCase", "--stdio", "--port", "0"], stdin: Data())
        #expect(both.status == 64)
        #expect(both.stderr.contains("--stdio") && both.stderr.contains("--port"), "\(both.stderr)")
        #expect(try JinaBinary.run(["executor", "--uses", "UpperCase"], stdin: Data()).status == 64)
        #expect(try JinaBinary.run(["executor", "--stdio"], stdin: Data()).status == 64)
        #expect(try JinaBinary.run(["executor", "--uses", "UpperCase", "--port", "70000"]).status == 64)
    }

    @Test func anUnknownExecutorIsAConfigError() throws {
        let run = try JinaBinary.run(["executor", "--uses", "UpperCaze", "--stdio"], stdin: Data())
        #expect(run.status == 78)
        #expect(run.stderr.contains("UpperCaze") && run.stderr.contains("jina executor list"), "\(run.stderr)")
        #expect(run.stdout.isEmpty, "no hello from an executor that could not be built")
    }
}
