import Foundation
import JinaConfig
import JinaWire
import Testing
@testable import JinaRuntime

/// A remote executor that was ready and then went away (its host restarts, its container is
/// rescheduled) is connected to again whenever it comes back, however long it was down: refused
/// connections are not a crash loop (issue 15).
@Suite struct RemoteReconnectTests {
    @Test func aRemoteDownLongerThanACrashLoopGetsCallsAgainWhenItReturns() async throws {
        let first = try FakeExecutor(name: "one") { _ in .result(docs("one")) }
        let port = first.port
        let yaml = "jtype: Flow\nexecutors:\n  - name: e\n    host: 127.0.0.1\n    port: \(port)\n"
        let flow = try #require(ConfigLoader(environment: [:]).load(yaml: yaml, file: "flow.yml", directory: NSTemporaryDirectory()).flow)
        let runtime = try FlowRuntime(graph: try #require(FlowGraph.build(flow).graph), options: RuntimeOptions(environment: [:]))
        try await runtime.start()
        let before = await runtime.post(FlowRequest(endpoint: "/index", body: docs("q"), count: 1))
        #expect(before.failure == nil)

        first.close()
        // Refused for longer than six restarts with backoff take (0.1 + 0.2 + … + 1.6 s).
        try await Task.sleep(for: .seconds(4))
        let second = try FakeExecutor(name: "two", port: port) { _ in .result(docs("two")) }
        defer { second.close() }
        let after = await runtime.post(FlowRequest(endpoint: "/index", body: docs("q"), count: 1))
        #expect(after.failure == nil, "\(after.failure?.description ?? "")")
        #expect(String(decoding: after.body, as: UTF8.self) == #"[{"text":"two"}]"#)
        await runtime.stop(grace: .seconds(1))
    }
}
