import Foundation
import JinaConfig
import JinaWire
import Testing
@testable import JinaRuntime

/// The router's rules (SPEC §3) against executors served from the test: polling, retries on
/// another replica, and cancellation reaching the executor.
/// One document with this text, as the executor protocol carries it.
func docs(_ text: String) -> [UInt8] { Array("[{\"text\":\"\(text)\"}]".utf8) }

@Suite struct RouterTests {
    /// A one-entry Flow whose processes are the given fakes (shard → replicas).
    struct Scene {
        let graph: FlowGraph
        let group: ExecutorGroup
        let router: Router
        let detached: DetachedCalls

        init(_ entryYAML: String, _ shards: [[FakeExecutor]], timeout: Duration? = nil) async throws {
            let yaml = "jtype: Flow\nexecutors:\n  - name: e\n" + entryYAML.split(separator: "\n").map { "    \($0)\n" }.joined()
            let flow = try #require(ConfigLoader(environment: [:]).load(yaml: yaml, file: "flow.yml", directory: NSTemporaryDirectory()).flow)
            graph = try #require(FlowGraph.build(flow).graph)
            let workers = shards.map { replicas in
                replicas.map { fake in
                    ExecutorWorker(label: fake.name, target: .remote(host: "127.0.0.1", port: fake.port, patient: false), framing: .frames,
                                   readyTimeout: .seconds(10))
                }
            }
            group = ExecutorGroup(entry: graph.executors[0], shards: workers, head: [], tail: [])
            detached = DetachedCalls()
            router = Router(graph: graph, groups: ["e": group], requestTimeout: timeout, detached: detached)
            for worker in group.workers { try await worker.start() }
        }

        func post(_ text: String = "x") async -> FlowResponse {
            await router.run(FlowRequest(endpoint: "/index", body: docs(text), count: 1))
        }

        func stop() async {
            await detached.cancelAll()
            for worker in group.workers { await worker.stop(grace: .seconds(1)) }
        }
    }

    @Test func allAsyncAnswersWithTheFirstShardWhileTheSlowOneRunsOn() async throws {
        let fast = try FakeExecutor(name: "fast") { _ in .result(docs("fast")) }
        // Slow enough to be still running when the fast answer is out, even on a loaded machine.
        let slow = try FakeExecutor(name: "slow") { _ in .result(docs("slow"), after: .seconds(4)) }
        defer { fast.close(); slow.close() }
        let scene = try await Scene("shards: 2\npolling: ALL_ASYNC", [[fast], [slow]])
        let response = await scene.post()
        #expect(response.failure == nil)
        #expect(String(decoding: response.body, as: UTF8.self) == #"[{"text":"fast"}]"#)
        // Answered while the slow shard's call was still running; it then runs to completion.
        // (The fast shard's task forgets itself just after its answer is handed over.)
        for _ in 0..<20 where scene.detached.count > 1 { try await Task.sleep(for: .milliseconds(50)) }
        #expect(scene.detached.count == 1)
        for _ in 0..<200 where scene.detached.count > 0 { try await Task.sleep(for: .milliseconds(50)) }
        #expect(scene.detached.count == 0)
        // Counted once it ran to completion (on a loaded machine the call may reach the slow
        // executor only after the answer went out).
        #expect(slow.calls == 1)
        #expect(slow.cancels.isEmpty)
        await scene.stop()
    }

    @Test func allJoinsEveryShardInShardOrder() async throws {
        let a = try FakeExecutor(name: "a") { _ in .result(docs("a"), after: .milliseconds(200)) }
        let b = try FakeExecutor(name: "b") { _ in .result(docs("b")) }
        defer { a.close(); b.close() }
        let scene = try await Scene("shards: 2\npolling: ALL", [[a], [b]])
        let response = await scene.post()
        #expect(String(decoding: response.body, as: UTF8.self) == #"[{"text":"a"},{"text":"b"}]"#)
        #expect(response.count == 2)
        await scene.stop()
    }

    @Test func aCallWhoseReplicaDiesIsSentToAnotherReplica() async throws {
        let dying = try FakeExecutor(name: "r0") { _ in .die }
        let live1 = try FakeExecutor(name: "r1") { frame in .result(frame.body) }
        let live2 = try FakeExecutor(name: "r2") { frame in .result(frame.body) }
        defer { dying.close(); live1.close(); live2.close() }
        let scene = try await Scene("replicas: 3", [[dying, live1, live2]])
        for i in 0..<12 {
            let response = await scene.post("doc\(i)")
            #expect(response.failure == nil, "request \(i): \(response.failure?.description ?? "")")
            #expect(String(decoding: response.body, as: UTF8.self) == "[{\"text\":\"doc\(i)\"}]")
        }
        #expect(dying.calls > 0)
        #expect(scene.group.retries.load(ordering: .relaxed) == dying.calls)
        await scene.stop()
    }

    @Test func aSingleReplicaThatDiesFailsTheCallNamingTheExecutor() async throws {
        let dying = try FakeExecutor(name: "only") { _ in .die }
        defer { dying.close() }
        let scene = try await Scene("replicas: 1", [[dying]])
        let response = await scene.post()
        #expect(response.failure?.kind == .unavailable)
        #expect(response.failure?.executor == "e")
        #expect(response.failure?.description.contains("only closed its output while it held this request") == true)
        #expect(scene.group.retries.load(ordering: .relaxed) == 0)
        await scene.stop()
    }

    @Test func retriesStopAtTheEntrysLimit() async throws {
        let fakes = try (0..<3).map { i in try FakeExecutor(name: "r\(i)") { _ in .die } }
        defer { fakes.forEach { $0.close() } }
        let scene = try await Scene("replicas: 3\nretries: 1", [fakes])
        let response = await scene.post()
        #expect(response.failure?.kind == .unavailable)
        #expect(fakes.map(\.calls).reduce(0, +) == 2)
        await scene.stop()
    }

    @Test func anExecutorsOwnErrorIsNotRetried() async throws {
        let failing = try (0..<2).map { i in try FakeExecutor(name: "r\(i)") { _ in .error("bad input") } }
        defer { failing.forEach { $0.close() } }
        let scene = try await Scene("replicas: 2", [failing])
        let response = await scene.post()
        #expect(response.failure?.kind == .executorError)
        #expect(failing.map(\.calls).reduce(0, +) == 1)
        #expect(scene.group.retries.load(ordering: .relaxed) == 0)
        await scene.stop()
    }

    @Test func cancellingARequestWithdrawsItsCallAndTellsTheExecutor() async throws {
        let stuck = try FakeExecutor(name: "stuck") { frame in .result(frame.body, after: .seconds(30)) }
        defer { stuck.close() }
        let scene = try await Scene("replicas: 1", [[stuck]])
        let request = Task { await scene.post() }
        for _ in 0..<100 where stuck.calls == 0 { try await Task.sleep(for: .milliseconds(10)) }
        request.cancel()
        let response = await request.value
        #expect(response.failure?.kind == .cancelled)
        #expect(scene.group.workers[0].inFlight == 0)
        for _ in 0..<100 where stuck.cancels.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
        #expect(stuck.cancels.count == 1)
        await scene.stop()
    }
}
