import Foundation
import Testing

/// A remote entry listing several hosts (`host: [a, b]`): each address is a replica; calls spread
/// over them, and a replica that dies under load loses no request.
@Suite struct RemoteReplicaTests {
    /// `jina executor --uses Sleep --port 0`, and the port it announced.
    func startServer(environment: [String: String]) throws -> (JinaProcess, Int) {
        let server = try JinaProcess(["executor", "--uses", "Sleep", "--port", "0"], environment: environment)
        #expect(server.waitForStderr(containing: "ready on 127.0.0.1:", timeout: 10), "\(server.stderr)")
        let announced = server.stderr.components(separatedBy: "ready on 127.0.0.1:").last ?? ""
        return (server, try #require(Int(announced.prefix { $0.isNumber }), "no port in: \(server.stderr)"))
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
