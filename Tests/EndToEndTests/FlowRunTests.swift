import Foundation
import Testing

/// `jina flow run`: documents through real executor processes, checked on stdout (SPEC §1, §3).
@Suite struct FlowRunTests {
    /// Runs `flow run --uses flow.yml` in `dir` with the flow text written to flow.yml.
    static func flowRun(_ flow: String, in dir: String, _ arguments: [String], stdin: Data? = nil,
                        timeout: TimeInterval = 60) throws -> JinaBinary.Run {
        try TestFiles.write(flow, to: "flow.yml", in: dir)
        return try JinaBinary.run(["flow", "run", "--uses", "flow.yml"] + arguments, in: dir, stdin: stdin, timeout: timeout)
    }

    static let chain = """
        jtype: Flow
        executors:
          - name: up
            uses: UpperCase
          - name: echo
            uses: Echo
        """

    @Test func aChainGivesEveryDocumentOnceInInputOrder() throws {
        let dir = try JinaBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try TestFiles.write(TestFiles.jsonl(count: 100, text: "doc"), to: "in.jsonl", in: dir)
        let run = try Self.flowRun(Self.chain, in: dir, ["--on", "/index", "--inputs", "in.jsonl", "--request-size", "7"])
        #expect(run.status == 0, "\(run.stderr)")
        let docs = try TestFiles.objects(run.stdout)
        #expect(docs.map { $0.id ?? "" } == (0..<100).map { String(format: "d%03d", $0) })
        #expect(docs.map { $0.text ?? "" } == (0..<100).map { "DOC \($0)" })
        #expect(docs.allSatisfy { $0.visited == ["echo"] })
        #expect(docs.allSatisfy { ($0.tags["echo"] as? [String: Any])?["endpoint"] as? String == "/index" })
    }

    /// The input file is read 256 kB at a time: lines longer than that, and lines across the
    /// boundaries, come through whole and in order.
    @Test func linesLongerThanTheReadBufferArriveWhole() throws {
        let dir = try JinaBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let lengths = [10, 700_000, 3, 300_000, 262_100, 5]
        let lines = lengths.enumerated().map { "{\"id\": \"l\($0.offset)\", \"text\": \"\(String(repeating: "x", count: $0.element))\"}" }
        try TestFiles.write(lines.joined(separator: "\n") + "\n", to: "in.jsonl", in: dir)
        let run = try Self.flowRun(Self.chain, in: dir, ["--inputs", "in.jsonl", "--request-size", "2"])
        #expect(run.status == 0, "\(run.stderr)")
        let docs = try TestFiles.objects(run.stdout)
        #expect(docs.map { $0.id ?? "" } == lengths.indices.map { "l\($0)" })
        #expect(docs.map { $0.text?.count ?? -1 } == lengths)
        #expect(docs.allSatisfy { $0.text?.allSatisfy { $0 == "X" } == true })
    }

    /// `--verbose` says on stderr when the Flow is ready, what went through and when it stopped;
    /// stdout stays the documents alone.
    @Test func verboseLogsReadyTotalsAndStop() throws {
        let dir = try JinaBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try TestFiles.write(TestFiles.jsonl(count: 25, text: "doc"), to: "in.jsonl", in: dir)
        let run = try Self.flowRun(Self.chain, in: dir, ["--inputs", "in.jsonl", "--request-size", "10", "--verbose"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try TestFiles.objects(run.stdout).count == 25)
        let lines = run.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(run.stderr)")
        #expect(lines.first?.hasPrefix("ready: 2 executor(s) started in ") == true, "\(run.stderr)")
        #expect(lines.dropFirst().first?.hasPrefix("done: 25 docs in 3 requests (0 failed) in ") == true, "\(run.stderr)")
        #expect(lines.last?.hasPrefix("stopped in ") == true, "\(run.stderr)")

        let quiet = try Self.flowRun(Self.chain, in: dir, ["--inputs", "in.jsonl"])
        #expect(quiet.status == 0 && quiet.stderr.isEmpty, "\(quiet.stderr)")
    }

    /// Shards that answer after a random delay finish requests out of order; stdout is still in input order.
    @Test func outputIsInInputOrderWhenRequestsFinishOutOfOrder() throws {
        let dir = try JinaBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let script = try #require(try TestFiles.writeFrameExecutor(in: dir), "python3 is needed for exec:// test executors")
        try TestFiles.write(TestFiles.jsonl(count: 120), to: "in.jsonl", in: dir)
        let flow = """
            jtype: Flow
            executors:
              - name: jitter
                uses: exec://\(script) slow-random
                shards: 4
                polling: ANY
              - name: echo
                uses: Echo
            """
        let run = try Self.flowRun(flow, in: dir, ["--inputs", "in.jsonl", "--request-size", "3", "--prefetch", "16"])
        #expect(run.status == 0, "\(run.stderr)")
        let docs = try TestFiles.objects(run.stdout)
        #expect(docs.map { $0.id ?? "" } == (0..<120).map { String(format: "d%03d", $0) })
    }

    @Test func dashReadsStdin() throws {
        let dir = try JinaBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let input = Data(TestFiles.jsonl(count: 5, idPrefix: "s", text: "from stdin").utf8)
        let run = try Self.flowRun(Self.chain, in: dir, ["--inputs", "-", "--request-size", "2"], stdin: input)
        #expect(run.status == 0, "\(run.stderr)")
        let docs = try TestFiles.objects(run.stdout)
        #expect(docs.map { $0.id ?? "" } == ["s000", "s001", "s002", "s003", "s004"])
        #expect(docs.map { $0.text ?? "" } == (0..<5).map { "FROM STDIN \($0)" })
    }

    @Test func stdinAsPlainTextWithInputFormat() throws {
        let dir = try JinaBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = try Self.flowRun(Self.chain, in: dir, ["--inputs", "-", "--input-format", "text"],
                                   stdin: Data("first line\n{\"not\": \"json here\"}\nthird\n".utf8))
        #expect(run.status == 0, "\(run.stderr)")
        let docs = try TestFiles.objects(run.stdout)
        #expect(docs.map { $0.text ?? "" } == ["FIRST LINE", "{\"NOT\": \"JSON HERE\"}", "THIRD"])
    }

    @Test func csvColumnsThatAreNotDocumentFieldsBecomeTags() throws {
        let dir = try JinaBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try TestFiles.write("id,text,colour,size\nc1,\"hello, world\",red,3\nc2,\"say \"\"hi\"\"\",blue,4\n", to: "in.csv", in: dir)
        let run = try Self.flowRun(Self.chain, in: dir, ["--inputs", "in.csv"])
        #expect(run.status == 0, "\(run.stderr)")
        let docs = try TestFiles.objects(run.stdout)
        try #require(docs.count == 2, "\(run.stdout)")
        #expect(docs.map { $0.id ?? "" } == ["c1", "c2"])
        #expect(docs.map { $0.text ?? "" } == ["HELLO, WORLD", "SAY \"HI\""])
        #expect(docs[0].tags["colour"] as? String == "red")
        #expect(docs[1].tags["colour"] as? String == "blue")
        #expect(docs[0].tags["size"] as? String == "3")
        #expect(docs[0]["colour"] == nil, "unknown columns go into tags, not top-level fields")
    }

    /// RFC 4180 through CSV.swift: a quoted field keeps its commas and line breaks, records may
    /// end in CRLF, and a byte-order mark is not part of the first column's name. From stdin, so
    /// the records are read as they come.
    @Test func csvQuotedFieldsKeepCommasAndLineBreaks() throws {
        let dir = try JinaBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let csv = "\u{FEFF}id,text,note\r\nq1,\"hello, world\nsecond line\",\"a, b\"\r\n\r\nq2,plain,\"x\ny\"\r\n"
        let run = try Self.flowRun(Self.chain, in: dir, ["--inputs", "-", "--input-format", "csv"], stdin: Data(csv.utf8))
        #expect(run.status == 0, "\(run.stderr)")
        let docs = try TestFiles.objects(run.stdout)
        try #require(docs.count == 2, "\(run.stdout)")
        #expect(docs.map { $0.id ?? "" } == ["q1", "q2"])
        #expect(docs.map { $0.text ?? "" } == ["HELLO, WORLD\nSECOND LINE", "PLAIN"])
        #expect(docs.map { $0.tags["note"] as? String } == ["a, b", "x\ny"])
    }

    @Test func csvThatIsNotUTF8FailsNamingTheRecord() throws {
        let dir = try JinaBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data("id,text\nc1,fine\nc2,bad ".utf8 + [0xFF] + " byte\n".utf8).write(to: URL(fileURLWithPath: dir + "/in.csv"))
        let run = try Self.flowRun(Self.chain, in: dir, ["--inputs", "in.csv"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("error: in.csv: record 3: not valid UTF-8"), "\(run.stderr)")
    }

    @Test func plainTextFilesGiveOneDocumentPerLine() throws {
        let dir = try JinaBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try TestFiles.write("alpha beta\ngamma\ndelta epsilon\n", to: "in.txt", in: dir)
        let run = try Self.flowRun(Self.chain, in: dir, ["--inputs", "in.txt", "--request-size", "2"])
        #expect(run.status == 0, "\(run.stderr)")
        let docs = try TestFiles.objects(run.stdout)
        #expect(docs.map { $0.text ?? "" } == ["ALPHA BETA", "GAMMA", "DELTA EPSILON"])
    }

    @Test func documentsWithoutIdGetOneAndGivenIdsAreKept() throws {
        let dir = try JinaBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try TestFiles.write("{\"text\":\"a\"}\n{\"id\":\"mine\",\"text\":\"b\"}\n\"just a string\"\n{\"text\":\"c\"}\n", to: "in.jsonl", in: dir)
        let run = try Self.flowRun(Self.chain, in: dir, ["--inputs", "in.jsonl"])
        #expect(run.status == 0, "\(run.stderr)")
        let docs = try TestFiles.objects(run.stdout)
        try #require(docs.count == 4, "\(run.stdout)")
        let ids = docs.map { $0.id ?? "" }
        #expect(ids[1] == "mine")
        #expect(Set(ids).count == 4, "ids must be distinct: \(ids)")
        for i in [0, 2, 3] { #expect(!ids[i].isEmpty && ids[i] != "mine") }
        #expect(docs.map { $0.text ?? "" } == ["A", "B", "JUST A STRING", "C"])
    }

    /// A JSON line that is a document with an id goes through a pass-through Flow as it was
    /// written, byte for byte (its spacing and its numbers' digits); lines without an id are
    /// given one, and a line that is not JSON is still refused with its line number.
    @Test func aDocumentWithAnIDComesBackAsItWasWritten() throws {
        let dir = try JinaBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let written = #"{"id": "k1",  "embedding": [1.50, -2E+3, 0.000], "tags": {"n": 10.0}, "x": "é\u00e9"}"#
        try TestFiles.write(written + "\n" + #"{"text": "no id"}"# + "\n", to: "in.jsonl", in: dir)
        let flow = "jtype: Flow\nexecutors:\n  - {name: pass, uses: BaseExecutor}\n"
        let run = try Self.flowRun(flow, in: dir, ["--inputs", "in.jsonl"])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        try #require(lines.count == 2, "\(run.stdout)")
        #expect(lines[0] == written)
        #expect(try TestFiles.objects(lines[1] + "\n").first?.id?.count == 32)

        try TestFiles.write(written + "\n" + #"{"id": "k2", "text": }"# + "\n", to: "bad.jsonl", in: dir)
        let bad = try Self.flowRun(flow, in: dir, ["--inputs", "bad.jsonl"])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("bad.jsonl:2:"), "\(bad.stderr)")
    }

    /// Three branches from the gateway (so each branch's output survives), joined by a pass-through:
    /// the section `enc` is merged over the top level for the executor named `enc` (Flow name or metas.name) only.
    @Test func parametersReachEveryExecutorWithItsOwnSectionMerged() throws {
        let dir = try JinaBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let flow = """
            jtype: Flow
            executors:
              - name: enc
                uses: Echo
                needs: gateway
              - name: other
                uses: Echo
                needs: gateway
              - name: meta
                uses: {jtype: Echo, metas: {name: enc}}
                needs: gateway
              - name: join
                needs: [enc, other, meta]
            """
        try TestFiles.write("{\"id\":\"p1\",\"text\":\"t\"}\n", to: "in.jsonl", in: dir)
        let run = try Self.flowRun(flow, in: dir, ["--inputs", "in.jsonl", "--parameters", #"{"x":1,"enc":{"x":2}}"#])
        #expect(run.status == 0, "\(run.stderr)")
        let docs = try TestFiles.objects(run.stdout)
        try #require(docs.count == 3, "\(run.stdout)")
        let seen = docs.map { doc -> (String, Int?) in
            let echo = doc.tags["echo"] as? [String: Any]
            let parameters = echo?["parameters"] as? [String: Any]
            return (doc.visited.first ?? "?", parameters?["x"] as? Int)
        }
        #expect(seen.map(\.0) == ["enc", "other", "meta"])
        #expect(seen[0].1 == 2, "the executor named enc gets its section: \(docs[0])")
        #expect(seen[1].1 == 1, "other executors get the top level: \(docs[1])")
        #expect(seen[2].1 == 2, "metas.name enc gets the section too: \(docs[2])")
    }

    @Test func responsesOutputGivesOneEnvelopePerRequest() throws {
        let dir = try JinaBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try TestFiles.write(TestFiles.jsonl(count: 100), to: "in.jsonl", in: dir)
        let run = try Self.flowRun(Self.chain, in: dir, ["--on", "/search", "--inputs", "in.jsonl", "--request-size", "7",
                                                         "--output", "responses", "--parameters", #"{"top_k":3}"#])
        #expect(run.status == 0, "\(run.stderr)")
        let envelopes = try TestFiles.objects(run.stdout)
        #expect(envelopes.count == 15)
        var ids: [String] = []
        var requestIDs = Set<String>()
        for (index, envelope) in envelopes.enumerated() {
            let header = envelope["header"] as? [String: Any] ?? [:]
            let requestID = header["request_id"] as? String ?? ""
            #expect(!requestID.isEmpty)
            requestIDs.insert(requestID)
            #expect(header["exec_endpoint"] as? String == "/search")
            #expect((header["status"] as? [String: Any])?["code"] as? Int == 0)
            #expect((envelope["parameters"] as? [String: Any])?["top_k"] as? Int == 3)
            let routes = envelope["routes"] as? [[String: Any]] ?? []
            #expect(routes.map { $0["executor"] as? String ?? "" } == ["up", "echo"])
            for route in routes {
                #expect((route["start_time"] as? String ?? "").hasSuffix("Z"))
                #expect((route["status"] as? [String: Any])?["code"] as? Int == 0)
            }
            let data = envelope["data"] as? [[String: Any]] ?? []
            #expect(data.count == (index == 14 ? 2 : 7))
            ids += data.map { $0.id ?? "" }
        }
        #expect(requestIDs.count == 15, "request ids must be distinct")
        #expect(ids == (0..<100).map { String(format: "d%03d", $0) })
    }

    /// The cookbook's merge: A and B both from the gateway, C needs [A, B]: C gets A's docs then B's.
    @Test func fanInConcatenatesInNeedsOrder() throws {
        let dir = try JinaBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let flow = """
            jtype: Flow
            executors:
              - name: A
                uses: Echo
                needs: gateway
              - name: B
                uses: Echo
                needs: gateway
              - name: C
                uses: Echo
                needs: [A, B]
            """
        try TestFiles.write(TestFiles.jsonl(count: 3), to: "in.jsonl", in: dir)
        let run = try Self.flowRun(flow, in: dir, ["--inputs", "in.jsonl", "--output", "responses"])
        #expect(run.status == 0, "\(run.stderr)")
        let envelopes = try TestFiles.objects(run.stdout)
        try #require(envelopes.count == 1)
        let docs = envelopes[0]["data"] as? [[String: Any]] ?? []
        #expect(docs.count == 6)
        #expect(docs.map { $0.id ?? "" } == ["d000", "d001", "d002", "d000", "d001", "d002"])
        #expect(docs.map(\.visited) == [["A", "C"], ["A", "C"], ["A", "C"], ["B", "C"], ["B", "C"], ["B", "C"]])
        let routes = (envelopes[0]["routes"] as? [[String: Any]] ?? []).map { $0["executor"] as? String ?? "" }
        #expect(Set(routes) == ["A", "B", "C"] && routes.count == 3 && routes.last == "C", "\(routes)")
    }

    static func shardFlow(_ polling: String, shards: Int = 3) -> String {
        """
        jtype: Flow
        executors:
          - name: S
            uses: Echo
            shards: \(shards)
            polling: \(polling)
        """
    }

    @Test func pollingAnySendsEachRequestToExactlyOneShard() throws {
        let dir = try JinaBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try TestFiles.write(TestFiles.jsonl(count: 30), to: "in.jsonl", in: dir)
        let run = try Self.flowRun(Self.shardFlow("ANY"), in: dir, ["--inputs", "in.jsonl", "--request-size", "1"])
        #expect(run.status == 0, "\(run.stderr)")
        let docs = try TestFiles.objects(run.stdout)
        #expect(docs.map { $0.id ?? "" } == (0..<30).map { String(format: "d%03d", $0) })
        let shardNames = ["S/shard-0", "S/shard-1", "S/shard-2"]
        for doc in docs {
            #expect(doc.visited.count == 1 && shardNames.contains(doc.visited[0]), "\(doc)")
        }
        // Least loaded with 8 requests in flight: the work is spread, not all on one shard.
        #expect(Set(docs.compactMap(\.visited.first)).count >= 2, "\(docs.map(\.visited))")
    }

    @Test func pollingAllSendsEveryRequestToEveryShard() throws {
        let dir = try JinaBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try TestFiles.write(TestFiles.jsonl(count: 4), to: "in.jsonl", in: dir)
        let run = try Self.flowRun(Self.shardFlow("ALL"), in: dir, ["--inputs", "in.jsonl", "--request-size", "2"])
        #expect(run.status == 0, "\(run.stderr)")
        let docs = try TestFiles.objects(run.stdout)
        #expect(docs.count == 12)
        // Per request: the shards' results concatenated in shard order.
        var expected: [(String, String)] = []
        for batch in [["d000", "d001"], ["d002", "d003"]] {
            for shard in 0..<3 { for id in batch { expected.append((id, "S/shard-\(shard)")) } }
        }
        #expect(docs.map { "\($0.id ?? "") \($0.visited)" } == expected.map { "\($0.0) [\"\($0.1)\"]" })
    }

    @Test func pollingPerEndpoint() throws {
        let dir = try JinaBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try TestFiles.write(TestFiles.jsonl(count: 5), to: "in.jsonl", in: dir)
        let flow = Self.shardFlow("{/index: ANY, /search: ALL}", shards: 2)
        let index = try Self.flowRun(flow, in: dir, ["--on", "/index", "--inputs", "in.jsonl"])
        let search = try Self.flowRun(flow, in: dir, ["--on", "/search", "--inputs", "in.jsonl"])
        #expect(index.status == 0 && search.status == 0, "\(index.stderr)\(search.stderr)")
        let indexed = try TestFiles.objects(index.stdout)
        let searched = try TestFiles.objects(search.stdout)
        #expect(indexed.count == 5)
        #expect(indexed.allSatisfy { $0.visited.count == 1 })
        #expect(searched.count == 10)
        #expect(searched.map(\.visited).filter { $0 == ["S/shard-0"] }.count == 5)
        #expect(searched.map(\.visited).filter { $0 == ["S/shard-1"] }.count == 5)
    }

    /// Jina's runtime_args reach every process: built-ins in `--spec` (Echo shows them in
    /// `tags.echo.runtime`), `exec://` programs as `JINA_*` environment variables.
    @Test func runtimeArgsReachBuiltinsAndPrograms() throws {
        let dir = try JinaBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let python = try #require(TestFiles.python, "python3 is needed for exec:// test executors")
        try TestFiles.write("#!\(python)\n" + Self.environmentExecutor, to: "env.py", in: dir, executable: true)
        try TestFiles.write(TestFiles.jsonl(count: 3), to: "in.jsonl", in: dir)
        let flow = """
            jtype: Flow
            executors:
              - name: S
                uses: Echo
                parallel: 2
                replicas: 2
                polling: {/index: ALL, /search: ANY}
                workspace: ws
              - name: env
                uses: exec://./env.py
                env: {JINA_SHARDS: '7'}
            """
        let run = try Self.flowRun(flow, in: dir, ["--on", "/index", "--inputs", "in.jsonl", "--request-size", "1"])
        #expect(run.status == 0, "\(run.stderr)")
        let docs = try TestFiles.objects(run.stdout)
        #expect(docs.count == 6, "\(run.stdout)")
        var shards: [Int] = []
        for doc in docs {
            let runtime = try #require((doc.tags["echo"] as? [String: Any])?["runtime"] as? [String: Any], "\(doc)")
            let shard = try #require(runtime["shard_id"] as? Int)
            shards.append(shard)
            #expect(doc.visited.first?.hasPrefix("S/shard-\(shard)/rep-") == true, "\(doc.visited)")
            #expect(runtime["pea_id"] as? Int == shard)
            #expect(runtime["shards"] as? Int == 2 && runtime["parallel"] as? Int == 2)
            #expect([0, 1].contains(runtime["replica_id"] as? Int ?? -1) && runtime["replicas"] as? Int == 2)
            #expect(runtime["polling"] as? [String: String] == ["/index": "ALL", "/search": "ANY", "*": "ANY"])
            #expect(runtime["name"] as? String == "S")
            #expect((runtime["workspace"] as? String)?.hasSuffix("/ws") == true)
            // The program: one shard of one replica; the runtime's values win over the entry's env.
            #expect(doc.tags["env"] as? [String: String] == [
                "JINA_EXECUTOR_NAME": "env", "JINA_SHARD_ID": "0", "JINA_SHARDS": "1", "JINA_REPLICA_ID": "0",
                "JINA_REPLICAS": "1", "JINA_POLLING": "ANY",
            ], "\(doc.tags)")
        }
        #expect(shards.sorted() == [0, 0, 0, 1, 1, 1])
    }

    /// An `exec://` executor that puts the `JINA_*` environment variables it got in `tags.env`.
    static let environmentExecutor = """
        import json, os, struct, sys
        inp, out = sys.stdin.buffer, sys.stdout.buffer
        def send(header, body=b""):
            h = json.dumps(header).encode()
            out.write(struct.pack(">II", len(h), len(body)) + h + body)
            out.flush()
        send({"v": 1, "kind": "hello", "name": "env", "endpoints": ["/default"]})
        names = ["JINA_EXECUTOR_NAME", "JINA_SHARD_ID", "JINA_SHARDS", "JINA_REPLICA_ID", "JINA_REPLICAS", "JINA_POLLING"]
        env = {k: os.environ[k] for k in names if k in os.environ}
        while (sizes := inp.read(8)) and len(sizes) == 8:
            header_len, body_len = struct.unpack(">II", sizes)
            header = json.loads(inp.read(header_len))
            body = inp.read(body_len) if body_len else b""
            if header["kind"] != "call":
                continue
            docs = json.loads(body or b"[]")
            for d in docs:
                d.setdefault("tags", {})["env"] = env
            send({"v": 1, "kind": "result", "id": header["id"], "count": len(docs)}, json.dumps(docs).encode())
        """

    @Test func usesBeforeAndAfterRunAroundTheShards() throws {
        let dir = try JinaBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try TestFiles.write(TestFiles.jsonl(count: 2), to: "in.jsonl", in: dir)
        let flow = """
            jtype: Flow
            executors:
              - name: S
                uses: Echo
                shards: 2
                polling: ${{ ENV.POLLING }}
                uses_before: Echo
                uses_after: Echo
              - name: last
                uses: Echo
            """
        try TestFiles.write(flow, to: "flow.yml", in: dir)
        let all = try JinaBinary.run(["flow", "run", "--uses", "flow.yml", "--inputs", "in.jsonl"], in: dir,
                                     environment: ["POLLING": "ALL"])
        #expect(all.status == 0, "\(all.stderr)")
        let allDocs = try TestFiles.objects(all.stdout)
        #expect(allDocs.map(\.visited) == [
            ["S/head", "S/shard-0", "S/tail", "last"], ["S/head", "S/shard-0", "S/tail", "last"],
            ["S/head", "S/shard-1", "S/tail", "last"], ["S/head", "S/shard-1", "S/tail", "last"],
        ])
        let any = try JinaBinary.run(["flow", "run", "--uses", "flow.yml", "--inputs", "in.jsonl", "--request-size", "1"], in: dir,
                                     environment: ["POLLING": "ANY"])
        #expect(any.status == 0, "\(any.stderr)")
        let anyDocs = try TestFiles.objects(any.stdout)
        #expect(anyDocs.count == 2)
        for doc in anyDocs {
            let v = doc.visited
            #expect(v.count == 4 && v[0] == "S/head" && v[1].hasPrefix("S/shard-") && v[2] == "S/tail" && v[3] == "last", "\(v)")
        }
    }

    @Test func targetExecutorMakesOthersPassThrough() throws {
        let dir = try JinaBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try TestFiles.write(TestFiles.jsonl(count: 2), to: "in.jsonl", in: dir)
        let flow = """
            jtype: Flow
            executors:
              - name: Alpha
                uses: UpperCase
                needs: gateway
              - name: Beta
                uses: Echo
                needs: gateway
              - name: Both
                uses: Echo
                needs: [Alpha, Beta]
            """
        let run = try Self.flowRun(flow, in: dir, ["--inputs", "in.jsonl", "--target-executor", "^B"])
        #expect(run.status == 0, "\(run.stderr)")
        let docs = try TestFiles.objects(run.stdout)
        // Alpha passes through (text unchanged); Beta and Both run.
        #expect(docs.map { $0.text ?? "" } == ["doc 0", "doc 1", "doc 0", "doc 1"])
        #expect(docs.map(\.visited) == [["Both"], ["Both"], ["Beta", "Both"], ["Beta", "Both"]])

        let onlyBeta = try Self.flowRun(flow, in: dir, ["--inputs", "in.jsonl", "--target-executor", "Beta"])
        let betaDocs = try TestFiles.objects(onlyBeta.stdout)
        #expect(betaDocs.map(\.visited) == [[], [], ["Beta"], ["Beta"]])
    }

    /// The envelope's header says which executors were targeted (Jina's `header.target_executor`),
    /// and the route lists only the executors that ran.
    @Test func responsesEnvelopeCarriesTheTargetExecutor() throws {
        let dir = try JinaBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try TestFiles.write(TestFiles.jsonl(count: 1), to: "in.jsonl", in: dir)
        let run = try Self.flowRun(Self.chain, in: dir, ["--inputs", "in.jsonl", "--target-executor", "^ech", "--output", "responses"])
        #expect(run.status == 0, "\(run.stderr)")
        let envelope = try #require(try TestFiles.objects(run.stdout).first)
        #expect((envelope["header"] as? [String: Any])?["target_executor"] as? String == "^ech", "\(envelope)")
        #expect((envelope["routes"] as? [[String: Any]] ?? []).map { $0["executor"] as? String ?? "" } == ["echo"])
        #expect((envelope["data"] as? [[String: Any]])?.first?.text == "doc 0", "up did not run")
    }

    /// Results are written as they are ready, not held until the input ends: `flow run --inputs -`
    /// must work at the end of a pipe that stays open (`tail -f log | jina flow run … | jq`).
    @Test func resultsAreWrittenWhileTheInputIsStillOpen() throws {
        let dir = try JinaBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try TestFiles.write(Self.chain, to: "flow.yml", in: dir)
        let (marker, environment) = ProcessTable.newMarker()
        defer { ProcessTable.killAll(withMarker: marker) }
        let jina = try JinaProcess(["flow", "run", "--uses", "flow.yml", "--inputs", "-", "--request-size", "1"],
                                   in: dir, environment: environment)
        defer { jina.kill() }
        jina.write(TestFiles.jsonl(count: 3))
        let arrived = jina.waitForStdoutLines(3, timeout: 5)
        #expect(arrived, "3 documents sent, stdin open: after 5 s stdout had \(jina.stdoutLineCount) lines")
        let run = jina.finish(timeout: 10)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try TestFiles.objects(run.stdout).count == 3)
    }

    /// Seed configs whose executors are all pass-through (BaseExecutor): documents come out as they
    /// went in, once per branch that reaches the end.
    @Test(arguments: [("chain.yml", 1), ("needs-fan-in.yml", 3), ("needs-all.yml", 3), ("parallel-any.yml", 1),
                      ("parallel-all.yml", 3), ("parallel-all-async.yml", 1), ("mixed-parallelism.yml", 2)])
    func seedFlowsOfBuiltinsPassDocumentsThrough(seed: String, copies: Int) throws {
        let dir = try JinaBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let lines = [
            #"{"id":"r1","text":"plain"}"#,
            #"{"id":"r2","text":"ünïcødé ✓ \"quoted\"","tags":{"nested":{"list":[1,2.5,"x",null,true]}},"weight":0.5}"#,
            #"{"id":"r3","uri":"data/a.png","mime_type":"image/png","embedding":[0.25,-1,3e-3],"chunks":[{"id":"r3-0","text":"c"}]}"#,
            #"{"id":"r4","text":"","modality":"text","granularity":0}"#,
            #"{"id":"r5","text":"last"}"#,
        ]
        try TestFiles.write(lines.joined(separator: "\n") + "\n", to: "in.jsonl", in: dir)
        let run = try JinaBinary.run(["flow", "run", "--uses", JinaBinary.packageRoot + "/configs/seeds/" + seed,
                                      "--inputs", "in.jsonl", "--request-size", "2"], in: dir)
        #expect(run.status == 0, "\(seed): \(run.stderr)")
        let input = try TestFiles.objects(lines.joined(separator: "\n"))
        var expected: [[String: Any]] = []
        for start in stride(from: 0, to: input.count, by: 2) {
            let batch = Array(input[start..<min(start + 2, input.count)])
            for _ in 0..<copies { expected += batch }
        }
        let output = try TestFiles.objects(run.stdout)
        #expect(output.count == expected.count, "\(seed): \(output.count) docs, expected \(expected.count)")
        for (got, want) in zip(output, expected) {
            #expect(NSDictionary(dictionary: got).isEqual(to: want), "\(seed): \(got) != \(want)")
        }
    }
}
