import Foundation
import Testing

/// The real Jina 3.34 Python client against a served Flow, over each protocol
/// (Tests/interop/jina3_client_check.py). Runs only where a virtualenv with `jina` exists:
/// `JINA3_PYTHON`, else `.build/bench-venv` (Benchmarks/python/setup-venv.sh makes it).
enum Jina3Python {
    static let path: String? = {
        let candidates = [ProcessInfo.processInfo.environment["JINA3_PYTHON"], JinaBinary.packageRoot + "/.build/bench-venv/bin/python"]
        return candidates.compactMap { $0 }.first { !$0.isEmpty && FileManager.default.isExecutableFile(atPath: $0) }
    }()
}

@Suite(.serialized, .enabled(if: Jina3Python.path != nil, "needs a virtualenv with jina 3.34 (Benchmarks/python/setup-venv.sh)"))
struct InteropTests {
    @Test(arguments: ["grpc", "http", "websocket"])
    func theRealJina3ClientWorksOver(protocol name: String) throws {
        let scene = try GatewayScene(flow: GatewayProtocolTests.flow)
        defer { scene.cleanUp() }
        let gateway = try scene.serve(ports: [])
        defer { gateway.process.kill() }
        let port = try #require(gateway.ports[name == "websocket" ? "ws" : name], "ready line: \(gateway.process.stdout)")
        let run = try FlowPython.execute(Jina3Python.path!, [
            JinaBinary.packageRoot + "/Tests/interop/jina3_client_check.py", "--protocol", name, "--port", String(port),
            "--fail-text", "boom",
        ])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains(" 0 failed"), "\(run.output)")
    }
}
