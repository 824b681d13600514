import Foundation
import JinaConfig
import Testing
@testable import JinaDeploy

/// A Flow split into services, and what cannot be split.
@Suite struct DeploymentPlanTests {
    func flow(_ yaml: String, files: [String: String] = [:]) throws -> (FlowConfig, String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("deploy-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8) }
        try yaml.write(toFile: dir + "/flow.yml", atomically: true, encoding: .utf8)
        let result = ConfigLoader().load(path: dir + "/flow.yml")
        guard case .flow(let flow)? = result.document else { throw CancellationError() }
        return (flow, dir)
    }

    @Test func eachEntryIsAServiceAndTheGatewayPointsAtThem() throws {
        let (config, dir) = try flow("""
            jtype: Flow
            with:
              protocol: [grpc, http]
              port: [12345, 0]
            executors:
              - name: Shout_Loud
                uses: Shout
                py_modules: [shout.py]
                replicas: 2
                env: {MODE: fast}
              - name: index
                uses: {jtype: VectorIndexer, with: {top_k: 3}}
            """, files: ["shout.py": "from jina import Executor\nclass Shout(Executor):\n    pass\n"])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let plan = try DeploymentPlanner.plan(config)
        #expect(plan.executors.map(\.name) == ["shout-loud", "index"])
        #expect(plan.executors.map(\.replicas) == [2, 1])
        #expect(plan.executors[0].command == ["jina", "executor", "--uses", "/deploy/shout-loud.yml", "--port", "8081", "--host", "0.0.0.0"])
        #expect(plan.executors.map(\.needsWorkspace) == [false, true])
        #expect(plan.executors[0].environment.map(\.key) == ["MODE"])
        #expect(plan.flowFiles == ["shout.py"])
        #expect(plan.gatewayPorts.map(\.container) == [8080, 8081])
        #expect(plan.gatewayPorts.map(\.published) == [12345, 8081])
        let files = Dictionary(uniqueKeysWithValues: plan.files.map { ($0.name, $0.contents) })
        #expect(files["shout-loud.yml"]?.contains("py_modules:\n    - /flow/shout.py") == true, "\(files["shout-loud.yml"] ?? "")")
        #expect(files["index.yml"]?.contains("workspace: /workspace") == true)
        #expect(files["index.yml"]?.contains("top_k: 3") == true)
        let gateway = try #require(files["gateway.yml"])
        #expect(gateway.contains("host: shout-loud\n    port: 8081"), "\(gateway)")
        #expect(gateway.contains("needs:\n      - Shout_Loud"), "\(gateway)")
    }

    @Test func theGeneratedFilesAreFlowsAndExecutorsTheLoaderReads() throws {
        let (config, dir) = try flow("""
            jtype: Flow
            executors:
              - name: up
                uses: UpperCase
              - name: index
                uses: {jtype: VectorIndexer, with: {top_k: 3, metric: cosine}}
                shards: 2
                polling: {/index: ANY, /search: ALL}
                uses_after: MatchMerger
            """)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let plan = try DeploymentPlanner.plan(config)
        #expect(plan.executors.map(\.name) == ["up", "index-shard-0", "index-shard-1"])
        #expect(plan.files.map(\.name) == ["gateway.yml", "up.yml", "index-shard-0.yml", "index-shard-1.yml", "index-tail.yml"])
        // Loaded as the containers would, with /deploy here.
        let deploy = dir + "/deploy"
        try FileManager.default.createDirectory(atPath: deploy, withIntermediateDirectories: true)
        for (name, contents) in plan.files {
            try contents.replacingOccurrences(of: "/deploy/", with: deploy + "/").write(toFile: deploy + "/" + name, atomically: true, encoding: .utf8)
        }
        for (name, contents) in plan.files {
            let result = ConfigLoader().load(path: deploy + "/" + name)
            #expect(!result.hasErrors, "\(name): \(result.diagnostics) \(contents)")
        }
        guard case .flow(let gateway)? = ConfigLoader().load(path: deploy + "/gateway.yml").document else { throw CancellationError() }
        let index = try #require(gateway.executors.last)
        #expect(index.shards == 2)
        #expect(index.remotes.map(\.description) == ["index-shard-0:8081", "index-shard-1:8081"])
        #expect(index.polling == PollingSpec(.any, byEndpoint: [("/index", .any), ("/search", .all)]))
        #expect(index.usesAfter?.jtype == "MatchMerger")
    }

    @Test(arguments: [
        ("  - name: tool\n    uses: exec:///usr/bin/true\n", "executor 'tool': the exec:// program /usr/bin/true is outside the Flow's folder"),
        ("  - name: a-b\n  - name: a_b\n", "executors 'a-b' and 'a_b' would both be the service 'a-b'"),
    ])
    func whatContainersCannotRunIsAnErrorNamingTheEntry(executors: String, message: String) throws {
        let (config, dir) = try flow("jtype: Flow\nexecutors:\n" + executors)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let error = #expect(throws: DeployError.self) { try DeploymentPlanner.plan(config) }
        #expect(error?.message.hasPrefix(message) == true, "\(String(describing: error))")
    }

    @Test func namesBecomeDNSLabels() {
        #expect(DeploymentPlanner.dnsName("MyExec_1") == "myexec-1")
        #expect(DeploymentPlanner.dnsName("_x") == "x")
        #expect(DeploymentPlanner.dnsName("0day") == "e-0day")
    }

    @Test func yamlQuotesWhatWouldReadAsSomethingElse() {
        let text = YAMLEmitter.document(["a": "yes", "b": "8080", "c": "plain text", "d": ["x", "-y"], "e": [:], "f": ["k": 1]])
        #expect(text == "a: \"yes\"\nb: \"8080\"\nc: plain text\nd:\n  - x\n  - \"-y\"\ne: {}\nf:\n  k: 1\n", "\(text)")
    }
}
