import Foundation
import JinaConfig
import Testing
@testable import JinaDeploy

/// The compose file and the Kubernetes manifests made from one Flow say the same things: the
/// same services, replicas, commands, workspaces and gateway ports.
@Suite struct ComposeKubernetesParityTests {
    func parse(_ text: String) throws -> [YAMLNode] {
        try text.components(separatedBy: "---\n").compactMap { try YAMLParser().parse(Array($0.utf8), file: "test") }
    }

    func strings(_ node: YAMLNode?) -> [String] { node?.sequence?.compactMap(\.scalar) ?? [] }

    @Test func bothSayTheSame() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("parity-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "from jina import Executor\nclass Shout(Executor):\n    pass\n".write(toFile: dir + "/shout.py", atomically: true, encoding: .utf8)
        try """
            jtype: Flow
            with:
              protocol: [grpc, http]
              port: [12345, 12346]
            executors:
              - name: shout
                uses: Shout
                py_modules: [shout.py]
                replicas: 3
              - name: index
                uses: VectorIndexer
            """.write(toFile: dir + "/flow.yml", atomically: true, encoding: .utf8)
        guard case .flow(let flow)? = ConfigLoader().load(path: dir + "/flow.yml").document else { throw CancellationError() }
        let plan = try DeploymentPlanner.plan(flow)
        let compose = try #require(try parse(ComposeRenderer.render(plan, image: "img", flowFolder: ".", deployFolder: "./jina-deploy")).first)
        let manifests = KubernetesRenderer.render(plan, image: "img", namespace: "ns", flowContents: ["shout.py": "x"])
        let objects = try manifests.flatMap { try parse($0.yaml) }
        func object(_ kind: String, _ name: String) -> YAMLNode? {
            objects.first { $0["kind"]?.scalar == kind && $0["metadata"]?["name"]?.scalar == name }
        }
        let services = try #require(compose["services"]?.mapping)
        #expect(services.compactMap(\.key.scalar) == ["shout", "index", "gateway"])
        for name in ["shout", "index", "gateway"] {
            let service = try #require(compose["services"]?[name])
            let deployment = try #require(object("Deployment", name), "no Deployment \(name)")
            let container = deployment["spec"]?["template"]?["spec"]?["containers"]?.sequence?.first
            #expect(strings(container?["command"]) == strings(service["command"]), "\(name)")
            #expect(deployment["spec"]?["replicas"]?.scalar == service["scale"]?.scalar ?? "1", "\(name)")
            #expect(object("Service", name) != nil, "no Service \(name)")
            let composeWorkspace = strings(service["volumes"]).contains { $0.hasSuffix(":/workspace") }
            #expect((object("PersistentVolumeClaim", "\(name)-workspace") != nil) == composeWorkspace, "\(name)")
        }
        #expect(strings(compose["services"]?["gateway"]?["ports"]) == ["12345:8080", "12346:8081"])
        let ports = object("Service", "gateway")?["spec"]?["ports"]?.sequence ?? []
        #expect(ports.map { "\($0["port"]?.scalar ?? ""):\($0["targetPort"]?.scalar ?? "")" } == ["12345:8080", "12346:8081"])
        #expect(object("Service", "shout")?["spec"]?["clusterIP"]?.scalar == "None")
        let flowFiles = object("ConfigMap", "jina-flow-files")?["data"]?.mapping?.compactMap(\.key.scalar)
        #expect(flowFiles == ["shout.py"])
        let deployFiles = object("ConfigMap", "jina-deploy")?["data"]?.mapping?.compactMap(\.key.scalar)
        #expect(deployFiles == plan.files.map(\.name))
    }
}
