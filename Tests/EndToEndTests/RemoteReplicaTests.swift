import Foundation
import Testing

/// A remote entry listing several hosts (`host: [a, b]`): each address is a replica; calls spread
/// over them, and a replica that dies under load loses no request.
@Suite struct RemoteReplicaTests {
    /// `jina executor --uses Sleep --port 0`, and the port it announced.
    func startServer(environment: [String: String]) throws -> (JinaProcess, Int) {
        let server = try JinaProcess(["executor", "--uses", "Sleep", "--port", "0"], environment: environment)
        return (server, try server.announcedExecutorPort())
    }

    @Test func aReplicaKilledUnderLoadLosesNoRequest() throws {
        let (marker, environment) = ProcessTable.newMarker()
        defer { ProcessTable.killAll(withMarker: marker) }
        let (a, portA) = try startServer(environment: environment)
        let (b, portB) = try startServer(environment: environment)
        defer { a.kill(); b.kill() }
        let dir = try JinaBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try TestFiles.write("""
            jtype: Flow
            executors:
              - name: remote
                host: ['127.0.0.1:\(portA)', '127.0.0.1:\(portB)']
              - name: up
                uses: UpperCase
            """, to: "flow.yml", in: dir)
        try TestFiles.write(TestFiles.jsonl(count: 200, text: "doc"), to: "in.jsonl", in: dir)
        // 100 requests of 2 documents, 4 in flight, each held 20 ms by the remote Sleep.
        let run = try JinaProcess(["flow", "run", "--uses", "flow.yml", "--inputs", "in.jsonl", "--request-size", "2",
                                   "--prefetch", "4", "--parameters", #"{"ms": 20}"#, "--verbose"], in: dir, environment: environment)
        #expect(run.waitForStdoutLines(40, timeout: 30), "\(run.stderr)")
        a.kill()
        let result = run.finish(timeout: 60)
        #expect(result.status == 0, "\(result.stderr)")
        let docs = try TestFiles.objects(result.stdout)
        #expect(docs.map { $0.text ?? "" } == (0..<200).map { "DOC \($0)" })
        #expect(result.stderr.contains("remote@127.0.0.1:\(portA)") || result.stderr.contains("retr"), "\(result.stderr)")
    }

    @Test func eachAddressIsAReplicaTheGatewayReports() throws {
        let (marker, environment) = ProcessTable.newMarker()
        defer { ProcessTable.killAll(withMarker: marker) }
        let (a, portA) = try startServer(environment: environment)
        let (b, portB) = try startServer(environment: environment)
        defer { a.kill(); b.kill() }
        let scene = try GatewayScene(flow: """
            jtype: Flow
            executors:
              - name: remote
                host: ['127.0.0.1:\(portA)', '127.0.0.1:\(portB)']
            """)
        defer { scene.cleanUp() }
        let gateway = try scene.serve()
        defer { gateway.process.kill() }
        let ready = try gateway.get("/ready")
        #expect(ready.text.contains("remote@127.0.0.1:\(portA)") && ready.text.contains("remote@127.0.0.1:\(portB)"), "\(ready.text)")
    }
}

/// `jina executor --uses exec.yml --port P` for a Python class: each connection gets its own
/// Python host process, speaking on the connection, gone when the Flow hangs up.
@Suite(.enabled(if: FlowPython.path != nil, "needs python3 on PATH"))
struct RemotePythonExecutorTests {
    @Test func aPythonClassIsServedOverTCP() throws {
        let (marker, environment) = ProcessTable.newMarker()
        defer { ProcessTable.killAll(withMarker: marker) }
        let dir = try JinaBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try TestFiles.write("""
            from jina import Executor, requests

            class Shout(Executor):
                def __init__(self, suffix='!', **kwargs):
                    super().__init__(**kwargs)
                    self.suffix = suffix

                @requests
                def shout(self, docs, **kwargs):
                    for d in docs:
                        d.text = d.text.upper() + self.suffix
            """, to: "shout.py", in: dir)
        try TestFiles.write("jtype: Shout\nwith:\n  suffix: '!!'\nmetas:\n  py_modules: [shout.py]\n", to: "shout.yml", in: dir)
        let server = try JinaProcess(["executor", "--uses", "shout.yml", "--port", "0"], in: dir, environment: environment)
        defer { server.kill() }
        let port = try server.announcedExecutorPort()
        #expect(server.stderr.contains("executor Shout ready on 127.0.0.1:\(port)"), "\(server.stderr)")
        try TestFiles.write("jtype: Flow\nexecutors:\n  - name: shout\n    host: 127.0.0.1\n    port: \(port)\n", to: "flow.yml", in: dir)
        try TestFiles.write(TestFiles.jsonl(count: 5, text: "hi"), to: "in.jsonl", in: dir)
        for _ in 1...2 {
            let run = try JinaBinary.run(["flow", "run", "--uses", "flow.yml", "--inputs", "in.jsonl"], in: dir, environment: environment,
                                         timeout: 30)
            #expect(run.status == 0, "\(run.stderr) \(server.stderr)")
            #expect(try TestFiles.objects(run.stdout).map { $0.text ?? "" } == (0..<5).map { "HI \($0)!!" })
        }
        server.kill()
        #expect(ProcessTable.survivors(ofMarker: marker, waiting: 3).isEmpty, "a Python host outlived its server")
    }
}

/// A sharded entry whose shards are remote (`shards: 2`, one host per shard): `/index` goes to one
/// shard (ANY), `/search` to both (ALL), and the local `uses_after: MatchMerger` merges their matches.
@Suite struct RemoteShardTests {
    @Test func remoteShardsAreSearchedTogether() throws {
        let (marker, environment) = ProcessTable.newMarker()
        defer { ProcessTable.killAll(withMarker: marker) }
        var ports: [Int] = []
        var servers: [JinaProcess] = []
        defer { servers.forEach { $0.kill() } }
        for _ in 0..<2 {
            let server = try JinaProcess(["executor", "--uses", "VectorIndexer", "--port", "0"], environment: environment)
            servers.append(server)
            ports.append(try server.announcedExecutorPort())
        }
        let dir = try JinaBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try TestFiles.write("""
            jtype: Flow
            executors:
              - name: encoder
                uses: TextEncoder
              - name: index
                shards: 2
                host: ['127.0.0.1:\(ports[0])', '127.0.0.1:\(ports[1])']
                polling: {/index: ANY, /search: ALL}
                uses_after: MatchMerger
            """, to: "flow.yml", in: dir)
        let words = ["apple", "banana", "cherry", "grape", "lemon", "mango", "melon", "peach", "pear", "plum"]
        try TestFiles.write(words.enumerated().map { #"{"id":"d\#($0)","text":"\#($1) pie"}"# }.joined(separator: "\n") + "\n",
                            to: "docs.jsonl", in: dir)
        let index = try JinaBinary.run(["flow", "run", "--uses", "flow.yml", "--on", "/index", "--inputs", "docs.jsonl", "--request-size", "1"],
                                       in: dir, environment: environment, timeout: 30)
        #expect(index.status == 0, "\(index.stderr)")
        let search = try JinaBinary.run(["flow", "run", "--uses", "flow.yml", "--on", "/search", "--inputs", "docs.jsonl",
                                         "--parameters", #"{"top_k": 1}"#], in: dir, environment: environment, timeout: 30)
        #expect(search.status == 0, "\(search.stderr)")
        // Every document is found as its own best match, whichever shard it went to.
        let found = try search.stdout.split(separator: "\n").map { line -> String in
            let doc = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return ((doc?["matches"] as? [[String: Any]])?.first?["id"] as? String) ?? "none"
        }
        #expect(found == (0..<10).map { "d\($0)" }, "\(search.stdout.prefix(500))")
    }
}
