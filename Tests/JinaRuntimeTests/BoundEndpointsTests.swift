import Foundation
import JinaConfig
import JinaWire
import Testing
@testable import JinaRuntime

/// The gateway asks for the bound endpoints (its routes) on every request, the runtime keeps
/// them between hellos: a route asked for while the Flow starts, or while an executor is
/// replaced, must not stay as it was then.
@Suite struct BoundEndpointsTests {
    @Test func theEndpointsFollowEachHello() async throws {
        let first = try FakeExecutor(name: "one", endpoints: ["/default", "/foo"]) { _ in .result(docs("one")) }
        let port = first.port
        let yaml = "jtype: Flow\nexecutors:\n  - name: e\n    host: 127.0.0.1\n    port: \(port)\n"
        let flow = try #require(ConfigLoader(environment: [:]).load(yaml: yaml, file: "flow.yml", directory: NSTemporaryDirectory()).flow)
        let runtime = try FlowRuntime(graph: try #require(FlowGraph.build(flow).graph), options: RuntimeOptions(environment: [:]))
        #expect(runtime.boundEndpoints == [])  // asked before any hello
        try await runtime.start()
        #expect(runtime.boundEndpoints == ["/foo"])

        // The executor comes back as a new version that binds another endpoint.
        first.close()
        let second = try FakeExecutor(name: "two", port: port, endpoints: ["/bar", "/default"]) { _ in .result(docs("two")) }
        defer { second.close() }
        let deadline = ContinuousClock.now + .seconds(15)
        while runtime.boundEndpoints != ["/bar"], ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(runtime.boundEndpoints == ["/bar"])
        await runtime.stop(grace: .seconds(1))
    }
}
