import Foundation
import Testing

/// `jina export docker-compose|kubernetes` through the binary; the manifests are checked with
/// kubernetes-validate (strict, Kubernetes 1.30) where `.build/deploy-venv` has it (.ci/run makes it).
@Suite struct ExportTests {
    static let validator: String? = {
        let path = JinaBinary.packageRoot + "/.build/deploy-venv/bin/kubernetes-validate"
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }()

    func flowDirectory() throws -> String {
        let dir = try JinaBinary.temporaryDirectory()
        try TestFiles.write("from jina import Executor, requests\n\nclass Shout(Executor):\n    @requests\n    def f(self, docs, **kw):\n        pass\n",
                            to: "shout.py", in: dir)
        try TestFiles.write("""
            jtype: Flow
            with:
              name: Demo Flow
              protocol: [grpc, http]
            executors:
              - name: shout
                uses: Shout
                py_modules: [shout.py]
                replicas: 2
              - name: index
                uses: {jtype: VectorIndexer, with: {top_k: 3}}
            """, to: "flow.yml", in: dir)
        return dir
    }

    @Test func composeFileAndItsFilesAreWrittenBesideEachOther() throws {
        let dir = try flowDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = try JinaBinary.run(["export", "docker-compose", "flow.yml", "out/docker-compose.yml", "--image", "example/jina:1"], in: dir)
        #expect(run.status == 0, "\(run.stderr)")
        let compose = try String(contentsOfFile: dir + "/out/docker-compose.yml", encoding: .utf8)
        #expect(compose.contains("image: example/jina:1"))
        #expect(compose.contains("- ..:/flow:ro"), "\(compose)")
        #expect(compose.contains("scale: 2"))
        let deploy = try FileManager.default.contentsOfDirectory(atPath: dir + "/out/jina-deploy").sorted()
        #expect(deploy == ["gateway.yml", "index.yml", "shout.yml"])
        // The generated gateway Flow lints as a Flow of remote executors.
        let lint = try JinaBinary.run(["flow", "lint", "out/jina-deploy/gateway.yml"], in: dir)
        #expect(lint.status == 0, "\(lint.stdout)")
    }

    @Test func whatCannotBeExportedExits78NamingTheEntry() throws {
        let dir = try JinaBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try TestFiles.write("jtype: Flow\nexecutors:\n  - name: idx\n    uses: exec:///usr/bin/true\n", to: "flow.yml", in: dir)
        let run = try JinaBinary.run(["export", "kubernetes", "flow.yml", "k8s"], in: dir)
        #expect(run.status == 78)
        #expect(run.stderr.contains("flow.yml:3:5: error: executor 'idx': the exec:// program /usr/bin/true is outside the Flow's folder"), "\(run.stderr)")
    }

    @Test(.enabled(if: ExportTests.validator != nil, "needs kubernetes-validate in .build/deploy-venv"))
    func kubernetesManifestsValidateStrictlyAgainst1_30() throws {
        let dir = try flowDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = try JinaBinary.run(["export", "kubernetes", "flow.yml", "k8s"], in: dir)
        #expect(run.status == 0, "\(run.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir + "/k8s").sorted()
        #expect(files == ["config.yml", "gateway.yml", "index.yml", "namespace.yml", "shout.yml"])
        #expect(try String(contentsOfFile: dir + "/k8s/namespace.yml", encoding: .utf8).contains("name: demo-flow"))
        let check = try FlowPython.execute(ExportTests.validator!, ["--strict", "-k", "1.30.0"] + files.map { "k8s/" + $0 }, in: dir)
        #expect(check.status == 0, "\(check.output)")
        #expect(!check.output.contains("ERROR"), "\(check.output)")
    }
}
