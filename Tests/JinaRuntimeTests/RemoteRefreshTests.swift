import Foundation
import JinaConfig
import JinaWire
import Synchronization
import Testing
@testable import JinaRuntime

/// A remote entry named by DNS follows what the name resolves to (issue 15): addresses that
/// appear get calls once connected, addresses that go stop getting them, a resolver that
/// answers nothing for a while changes nothing, and a failed call looks the name up at once.
/// The names resolve through a lookup the test controls, to 127.0.0.x addresses (all loopback).
@Suite struct RemoteRefreshTests {
    /// Three executors on one port, at 127.0.0.1, .2 and .3, each answering with its own name.
    struct Hosts {
        let fakes: [FakeExecutor]
        var port: Int { fakes[0].port }

        /// `slowFirst`: h1 takes that long to answer.
        init(slowFirst: Duration = .zero) throws {
            let first = try FakeExecutor(name: "h1") { _ in .result(docs("h1"), after: slowFirst) }
            fakes = try [first] + (2...3).map { i in
                try FakeExecutor(name: "h\(i)", host: "127.0.0.\(i)", port: first.port) { _ in .result(docs("h\(i)")) }
            }
        }

        func close() { fakes.forEach { $0.close() } }
        var calls: [Int] { fakes.map(\.calls) }
    }

    /// What the name `svc` resolves to, as the test says.
    final class Resolver: Sendable {
        let addresses: Mutex<[String]>
        init(_ addresses: [String]) { self.addresses = Mutex(addresses) }
        func set(_ addresses: [String]) { self.addresses.withLock { $0 = addresses } }
        var lookup: @Sendable (String) -> [String] { { name in name == "svc" ? self.addresses.withLock { $0 } : [] } }
    }

    func runtime(port: Int, resolver: Resolver, interval: Duration) async throws -> FlowRuntime {
        let yaml = "jtype: Flow\nexecutors:\n  - name: e\n    host: svc\n    port: \(port)\n"
        let flow = try #require(ConfigLoader(environment: [:]).load(yaml: yaml, file: "flow.yml", directory: NSTemporaryDirectory()).flow)
        let graph = try #require(FlowGraph.build(flow).graph)
        var options = RuntimeOptions(environment: [:])
        options.lookup = resolver.lookup
        options.remoteRefreshInterval = interval
        let runtime = try FlowRuntime(graph: graph, options: options)
        try await runtime.start()
        return runtime
    }

    /// Posts `n` requests; every one must be answered.
    func post(_ runtime: FlowRuntime, _ n: Int) async {
        for i in 0..<n {
            let response = await runtime.post(FlowRequest(endpoint: "/index", body: docs("q"), count: 1))
            #expect(response.failure == nil, "request \(i): \(response.failure?.description ?? "")")
        }
    }

    func waitForReplicas(_ runtime: FlowRuntime, _ expected: Set<String>, port: Int) async throws -> Set<String> {
        var names = Set<String>()
        for _ in 0..<100 {
            names = Set(runtime.executors.map(\.name))
            if names == Set(expected.map { "e@\($0):\(port)" }) { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        return names
    }

    @Test func replicasFollowTheAddressesANameResolvesTo() async throws {
        let hosts = try Hosts()
        defer { hosts.close() }
        let resolver = Resolver(["127.0.0.1", "127.0.0.2"])
        let runtime = try await runtime(port: hosts.port, resolver: resolver, interval: .milliseconds(100))
        await post(runtime, 20)
        #expect(hosts.calls[0] > 0 && hosts.calls[1] > 0 && hosts.calls[2] == 0, "calls: \(hosts.calls)")

        // The service scales: .3 appears, .1 goes.
        resolver.set(["127.0.0.2", "127.0.0.3"])
        let names = try await waitForReplicas(runtime, ["127.0.0.2", "127.0.0.3"], port: hosts.port)
        #expect(names == ["e@127.0.0.2:\(hosts.port)", "e@127.0.0.3:\(hosts.port)"])
        let before = hosts.calls
        await post(runtime, 20)
        #expect(hosts.calls[0] == before[0], "the replica that left got calls: \(hosts.calls)")
        #expect(hosts.calls[2] > 0, "the replica that joined got no calls: \(hosts.calls)")
        await runtime.stop(grace: .seconds(1))
    }

    @Test func aReplicaThatLeavesAnswersTheCallsItHoldsFirst() async throws {
        let hosts = try Hosts(slowFirst: .milliseconds(600))
        defer { hosts.close() }
        let resolver = Resolver(["127.0.0.1"])
        let runtime = try await runtime(port: hosts.port, resolver: resolver, interval: .milliseconds(50))
        let held = Task { await runtime.post(FlowRequest(endpoint: "/index", body: docs("q"), count: 1)) }
        for _ in 0..<100 where hosts.calls[0] == 0 { try await Task.sleep(for: .milliseconds(10)) }
        resolver.set(["127.0.0.2", "127.0.0.3"])
        let names = try await waitForReplicas(runtime, ["127.0.0.2", "127.0.0.3"], port: hosts.port)
        #expect(names == ["e@127.0.0.2:\(hosts.port)", "e@127.0.0.3:\(hosts.port)"])
        let response = await held.value
        #expect(response.failure == nil, "\(response.failure?.description ?? "")")
        #expect(String(decoding: response.body, as: UTF8.self) == #"[{"text":"h1"}]"#)
        await runtime.stop(grace: .seconds(1))
    }

    @Test func aNameThatResolvesToNothingForAWhileKeepsItsReplicas() async throws {
        let hosts = try Hosts()
        defer { hosts.close() }
        let resolver = Resolver(["127.0.0.1", "127.0.0.2"])
        let runtime = try await runtime(port: hosts.port, resolver: resolver, interval: .milliseconds(50))
        resolver.set([])
        try await Task.sleep(for: .milliseconds(400))
        #expect(runtime.executors.count == 2)
        await post(runtime, 10)
        await runtime.stop(grace: .seconds(1))
    }

    @Test func aLostReplicaLooksTheNameUpAtOnce() async throws {
        let hosts = try Hosts()
        defer { hosts.close() }
        let resolver = Resolver(["127.0.0.1", "127.0.0.2"])
        // No periodic look-up within the test: only the failure can bring .3 in.
        let runtime = try await runtime(port: hosts.port, resolver: resolver, interval: .seconds(600))
        resolver.set(["127.0.0.2", "127.0.0.3"])
        hosts.fakes[0].close()
        await post(runtime, 10)
        let names = try await waitForReplicas(runtime, ["127.0.0.2", "127.0.0.3"], port: hosts.port)
        #expect(names == ["e@127.0.0.2:\(hosts.port)", "e@127.0.0.3:\(hosts.port)"])
        await post(runtime, 10)
        #expect(hosts.calls[2] > 0, "calls: \(hosts.calls)")
        await runtime.stop(grace: .seconds(1))
    }
}
