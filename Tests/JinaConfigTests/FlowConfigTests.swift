import Foundation
import JinaConfig
import Testing

/// A scratch directory for files a config names; removed when the test ends.
private final class TempDirectory {
    let path: String

    init() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("jina-config-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        // The loader names files by their real path (/tmp may be a symlink, as on macOS).
        path = url.resolvingSymlinksInPath().path
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    @discardableResult
    func write(_ relative: String, _ text: String, executable: Bool = false) throws -> String {
        let file = path + "/" + relative
        try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        if executable { try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: file) }
        return file
    }
}

/// Loading Flow YAML (SPEC §2.1–2.3): defaults, old names, `with:` inheritance and what `uses` may name.
@Suite struct FlowConfigTests {
    private func load(_ yaml: String, in directory: TempDirectory? = nil, environment: [String: String] = [:]) throws -> ConfigLoader.Result {
        let dir = try directory ?? TempDirectory()
        return ConfigLoader(environment: environment).load(yaml: yaml, file: dir.path + "/flow.yml", directory: dir.path)
    }

    private func flow(_ yaml: String, in directory: TempDirectory? = nil) throws -> FlowConfig {
        let result = try load(yaml, in: directory)
        #expect(!result.hasErrors, "\(result.diagnostics.map(\.formatted))")
        return try #require(result.flow)
    }

    private func notes(_ result: ConfigLoader.Result) -> [String] {
        result.diagnostics.filter { $0.severity == .note }.map(\.message)
    }

    // MARK: - Defaults

    @Test func entryDefaults() throws {
        let result = try load("""
            jtype: Flow
            executors:
              - {}
              - uses: BaseExecutor
            """)
        #expect(result.diagnostics.isEmpty)
        let executors = try #require(result.flow?.executors)
        #expect(executors.map(\.name) == ["pod0", "pod1"])
        #expect(executors.map(\.needs) == [["gateway"], ["pod0"]])
        #expect(executors[0].executor.kind == .builtin("BaseExecutor"))
        #expect(executors[0].usesText == nil)
        #expect(executors.allSatisfy { $0.shards == 1 && $0.replicas == 1 })
        #expect(executors.allSatisfy { $0.polling == PollingSpec(.any) })
        #expect(executors.allSatisfy { $0.timeoutReady == 600_000 })
        #expect(executors.allSatisfy { $0.method == .add && $0.remotes.isEmpty })
    }

    @Test func flowSettingsDefaults() throws {
        let flow = try flow("jtype: Flow\nexecutors: []\n")
        #expect(flow.settings.protocols == [.http])
        #expect(flow.settings.host == "127.0.0.1")
        #expect(flow.settings.ports == [])
        #expect(flow.executors.isEmpty)
    }

    @Test func flowTagFormIsAFlow() throws {
        let flow = try flow("!Flow\nexecutors:\n  - name: a\n")
        #expect(flow.executors.map(\.name) == ["a"])
    }

    // MARK: - Old names

    @Test func oldNamesWorkAndEachGetsANote() throws {
        let result = try load("""
            jtype: Flow
            with:
              port_expose: 12345
            pods:
              - name: a
                parallel: 3
                override_with: {dim: 8}
            """)
        #expect(!result.hasErrors)
        let flow = try #require(result.flow)
        #expect(flow.settings.ports == [12345])
        #expect(flow.executors.first?.shards == 3)
        #expect(flow.executors.first?.executor.with == .object([ConfigField(key: "dim", value: .int(8))]))
        let notes = notes(result)
        #expect(notes.count == 4)
        for old in ["port_expose", "pods", "parallel", "override_with"] {
            #expect(notes.contains { $0.contains("'\(old)'") }, "no note for \(old)")
        }
    }

    @Test func oldNameAndNewNameTogetherIsAnError() throws {
        let result = try load("""
            jtype: Flow
            executors:
              - name: a
                shards: 2
                parallel: 3
            """)
        #expect(result.diagnostics.contains { $0.severity == .error && $0.message.contains("set twice") && $0.location.mark.line == 5 })
    }

    @Test func executorsAndPodsTogetherIsAnErrorNotASilentDrop() throws {
        let result = try load("""
            jtype: Flow
            executors:
              - name: a
            pods:
              - name: b
            """)
        #expect(result.diagnostics.contains { $0.severity == .error && $0.location.mark.line == 4 },
                "executor 'a' was dropped without an error: \(result.diagnostics.map(\.formatted))")
    }

    @Test func portAndPortExposeTogetherIsAnError() throws {
        let result = try load("""
            jtype: Flow
            with:
              port: 1234
              port_expose: 5678
            executors: []
            """)
        #expect(result.diagnostics.contains { $0.severity == .error && $0.location.mark.line == 4 },
                "\(result.diagnostics.map(\.formatted))")
    }

    @Test func restfulTrueGetsANote() throws {
        let result = try load("""
            jtype: Flow
            with:
              restful: true
            executors: []
            """)
        #expect(!result.hasErrors)
        #expect(notes(result).contains { $0.contains("'restful'") && $0.contains("protocol: http") })
    }

    // MARK: - Enums and polling

    @Test func enumsAreCaseInsensitive() throws {
        let flow = try flow("""
            jtype: Flow
            with:
              protocol: HTTP
            executors:
              - name: a
                polling: all
              - name: b
                polling: All_Async
            """)
        #expect(flow.settings.protocols == [.http])
        #expect(flow.executors.map(\.polling) == [PollingSpec(.all), PollingSpec(.allAsync)])
    }

    @Test func protocolsInAnyCaseEachWithItsPortInOrder() throws {
        let single = try flow("jtype: Flow\nwith:\n  protocol: Grpc\n  port_expose: 12345\nexecutors: []\n")
        #expect(single.settings.protocols == [.grpc])
        #expect(single.settings.ports == [12345])
        let several = try flow("jtype: Flow\nwith:\n  protocol: [grpc, HTTP, websocket]\n  port: [1, 2, 3]\nexecutors: []\n")
        #expect(several.settings.protocols == [.grpc, .http, .websocket])
        #expect(several.settings.ports == [1, 2, 3])
    }

    /// What `--watch` warns about: the gateway's keys whose values an edit changed, and no others.
    @Test func gatewayKeysChangedNamesTheGatewaysKeysAnEditChanged() throws {
        let before = try flow("jtype: Flow\nwith:\n  protocol: [grpc, http]\n  cors: false\n  workspace: a\nexecutors: []\n")
        let after = try flow("jtype: Flow\nwith:\n  protocol: [grpc, http]\n  port: [1, 2]\n  cors: true\n  title: T\n  workspace: b\nexecutors: []\n")
        #expect(before.settings.gatewayKeysChanged(in: after.settings) == ["port", "cors", "title"], "workspace is not the gateway's")
        #expect(before.settings.gatewayKeysChanged(in: before.settings).isEmpty)
    }

    @Test func anUnknownProtocolIsAnErrorAtItsItem() throws {
        let result = try load("jtype: Flow\nwith:\n  protocol: [grpc, soap]\nexecutors: []\n")
        #expect(result.diagnostics.first?.path == "with.protocol[1]")
        #expect(result.diagnostics.first?.location.mark == SourceMark(line: 3, column: 20))
    }

    @Test func perEndpointPollingWithAFallback() throws {
        let flow = try flow("""
            jtype: Flow
            executors:
              - name: a
                polling: {/index: ANY, /search: all, '*': ALL_ASYNC}
            """)
        let polling = try #require(flow.executors.first?.polling)
        #expect(polling.polling(for: "/index") == .any)
        #expect(polling.polling(for: "/search") == .all)
        #expect(polling.polling(for: "/update") == .allAsync)
    }

    @Test func perEndpointPollingAsAJSONString() throws {
        let flow = try flow("""
            jtype: Flow
            executors:
              - name: a
                polling: '{"/index": "ALL", "/search": "ANY", "*": "ALL"}'
            """)
        let polling = try #require(flow.executors.first?.polling)
        #expect(polling.polling(for: "/index") == .all)
        #expect(polling.polling(for: "/search") == .any)
        #expect(polling.polling(for: "/other") == .all)
    }

    @Test func badPollingInsideTheJSONStringPointsAtThePollingLine() throws {
        let result = try load("""
            jtype: Flow
            executors:
              - name: a
                polling: '{"/index": "SOMETIMES"}'
            """)
        let d = try #require(result.diagnostics.first)
        #expect(d.message.contains("expected one of ANY, ALL, ALL_ASYNC"))
        #expect(d.location.mark.line == 4)
    }

    // MARK: - Flow `with:` inherited by executors

    @Test func flowWithKeysAreDefaultsForEveryExecutor() throws {
        let flow = try flow("""
            jtype: Flow
            with:
              timeout_ready: 5000
              replicas: 2
            executors:
              - name: a
              - name: b
                timeout_ready: 10
            """)
        #expect(flow.executors.map(\.timeoutReady) == [5000, 10])
        #expect(flow.executors.map(\.replicas) == [2, 2])
    }

    @Test func inheritedOldNameWorksAndGetsANote() throws {
        let result = try load("""
            jtype: Flow
            with:
              parallel: 2
            executors:
              - name: a
            """)
        #expect(result.flow?.executors.first?.shards == 2)
        #expect(notes(result).contains { $0.contains("'parallel'") }, "\(result.diagnostics.map(\.formatted))")
    }

    @Test func unknownFlowWithKeyIsAnErrorWithASuggestion() throws {
        let result = try load("jtype: Flow\nwith:\n  timeout_redy: 5\nexecutors: []\n")
        #expect(result.diagnostics.first?.message == "unknown key 'timeout_redy'")
        #expect(result.diagnostics.first?.hint == "did you mean 'timeout_ready'?")
    }

    @Test func realJina2And3KeysAtBothLevelsAreWarningsNamingTheKey() throws {
        // Options of Jina's own parsers (v1.3.0–3.2.9) this build does not act on.
        let result = try load("""
            jtype: Flow
            with:
              read_only: true
              force: true
              request_size: 100
              k8s_namespace: search
              noblock_on_start: true
            executors:
              - name: a
                uses: BaseExecutor
                read_only: true
                force: true
                dump_path: /tmp/dump
                deployment_role: WORKER
                no_dynamic_routing: true
            """)
        #expect(!result.hasErrors, "\(result.diagnostics.map(\.formatted))")
        #expect(result.flow?.executors.map(\.name) == ["a"])
        let warnings = result.diagnostics.filter { $0.severity == .warning }.map(\.message)
        for key in ["read_only", "force", "request_size", "k8s_namespace", "noblock_on_start", "dump_path", "deployment_role",
                    "no_dynamic_routing"] {
            #expect(warnings.contains { $0.contains("'\(key)'") }, "no warning for \(key): \(warnings)")
        }
    }

    @Test func aMisspelledKeyNextToRealJinaKeysIsStillAnErrorWithASuggestion() throws {
        let result = try load("""
            jtype: Flow
            with:
              read_only: true
            executors:
              - name: a
                force: true
                replcas: 2
            """)
        let errors = result.diagnostics.filter { $0.severity == .error }
        #expect(errors.count == 1, "\(result.diagnostics.map(\.formatted))")
        #expect(errors.first?.message.contains("'replcas'") == true)
        #expect(errors.first?.hint == "did you mean 'replicas'?")
    }

    // MARK: - What `uses` may name

    @Test func relativeYAMLPathIsResolvedFromTheNamingFilesDirectory() throws {
        let dir = try TempDirectory()
        let execPath = try dir.write("sub/exec.yml", """
            jtype: MyExec
            metas:
              name: inner
              py_modules: [mod.py]
            """)
        try dir.write("sub/mod.py", "class MyExec(Executor):\n    pass\n")
        let flow = try flow("""
            jtype: Flow
            executors:
              - name: a
                uses: sub/exec.yml
            """, in: dir)
        let executor = try #require(flow.executors.first?.executor)
        #expect(executor.file == execPath)
        #expect(executor.metas.name == "inner")
        #expect(executor.kind == .python(className: "MyExec", modules: [dir.path + "/sub/mod.py"]))
        #expect(flow.executors.first?.usesText == "sub/exec.yml")
    }

    /// The fixture executor directory named relative to the working directory (`swift test` runs from the package
    /// root), nil when the tests run from elsewhere.
    private static var fixtureExecutorsFromCwd: String? {
        let cwd = FileManager.default.currentDirectoryPath
        let dir = URL(fileURLWithPath: FixturePaths.path("lint/executors")).resolvingSymlinksInPath().path
        let prefix = cwd.hasSuffix("/") ? cwd : cwd + "/"
        return dir.hasPrefix(prefix) ? String(dir.dropFirst(prefix.count)) : nil
    }

    @Test(.enabled(if: fixtureExecutorsFromCwd != nil))
    func relativePathsMissingNextToTheYAMLAreLookedUpFromTheWorkingDirectory() throws {
        let rel = try #require(Self.fixtureExecutorsFromCwd)
        let cwd = FileManager.default.currentDirectoryPath
        let dir = try TempDirectory()
        let flow = try flow("""
            jtype: Flow
            executors:
              - name: a
                uses: \(rel)/encoder.yml
              - name: b
                uses: MyEncoder
                py_modules: \(rel)/encoder.py
            """, in: dir)
        let a = try #require(flow.executors.first?.executor)
        #expect(a.file == (cwd as NSString).appendingPathComponent(rel + "/encoder.yml"))
        #expect(a.metas.name == "encoder")
        let b = try #require(flow.executors.last?.executor)
        #expect(b.metas.pyModules == [(cwd as NSString).appendingPathComponent(rel + "/encoder.py")])
    }

    @Test(.enabled(if: fixtureExecutorsFromCwd != nil))
    func aFileNextToTheYAMLWinsOverOneInTheWorkingDirectory() throws {
        let rel = try #require(Self.fixtureExecutorsFromCwd)
        let dir = try TempDirectory()
        let local = try dir.write(rel + "/encoder.py", "class MyEncoder(Executor):\n    pass\n")
        let flow = try flow("""
            jtype: Flow
            executors:
              - name: b
                uses: MyEncoder
                py_modules: \(rel)/encoder.py
            """, in: dir)
        #expect(flow.executors.first?.executor.metas.pyModules == [local])
    }

    @Test func missingYAMLFileIsAnErrorAtTheUsesValue() throws {
        let result = try load("""
            jtype: Flow
            executors:
              - name: a
                uses: nope.yml
            """)
        let d = try #require(result.diagnostics.first)
        #expect(d.message.contains("'nope.yml': no such file"))
        #expect(d.location.mark == SourceMark(line: 4, column: 11))
        #expect(d.path == "executors[0].uses")
    }

    @Test func inlineTagNamesABuiltin() throws {
        let flow = try flow("""
            jtype: Flow
            executors:
              - uses: '!BaseExecutor'
            """)
        #expect(flow.executors.first?.executor.kind == .builtin("BaseExecutor"))
    }

    @Test func inlineJtypeBlockScalarIsReadAsAnExecutorConfig() throws {
        let flow = try flow("""
            jtype: Flow
            executors:
              - name: a
                uses: |
                  jtype: BaseExecutor
                  metas:
                    name: inline
            """)
        #expect(flow.executors.first?.executor.kind == .builtin("BaseExecutor"))
        #expect(flow.executors.first?.executor.metas.name == "inline")
    }

    @Test func diagnosticsInsideAnInlineBlockScalarPointIntoTheFile() throws {
        let result = try load("""
            jtype: Flow
            executors:
              - name: a
                uses: |
                  jtype: BaseExecutor
                  extra: 1
                  metas:
                    nmae: typo
            """)
        let extra = try #require(result.diagnostics.first { $0.message == "unknown key 'extra'" })
        #expect(extra.location.mark == SourceMark(line: 6, column: 7))
        #expect(extra.location.file.hasSuffix("/flow.yml"))
        let nmae = try #require(result.diagnostics.first { $0.message == "unknown key 'nmae'" })
        #expect(nmae.location.mark == SourceMark(line: 8, column: 9))
    }

    @Test func diagnosticsInsideAnInlineQuotedScalarPointIntoTheFile() throws {
        let result = try load("""
            jtype: Flow
            executors:
              - name: a
                uses: '!BaseExecutor {with: {a: 1}}'
            """)
        let d = try #require(result.diagnostics.first)
        #expect(d.message.contains("BaseExecutor has no parameter 'a'"))
        #expect(d.location.mark == SourceMark(line: 4, column: 34))
    }

    @Test func inlineMappingIsAnExecutorConfig() throws {
        let flow = try flow("""
            jtype: Flow
            executors:
              - name: a
                uses: {jtype: BaseExecutor, metas: {name: m}}
            """)
        let entry = try #require(flow.executors.first)
        #expect(entry.executor.kind == .builtin("BaseExecutor"))
        #expect(entry.executor.metas.name == "m")
        #expect(entry.usesText == nil)
    }

    @Test func pythonClassWithPyModulesRunsUnderThePythonHost() throws {
        let dir = try TempDirectory()
        try dir.write("mod.py", "from jina import Executor\n\nclass MyExec(Executor):\n    pass\n")
        let flow = try flow("""
            jtype: Flow
            executors:
              - name: a
                uses: MyExec
                py_modules: mod.py
            """, in: dir)
        let executor = try #require(flow.executors.first?.executor)
        #expect(executor.kind == .python(className: "MyExec", modules: [dir.path + "/mod.py"]))
        #expect(executor.metas.pyModules == [dir.path + "/mod.py"])
    }

    @Test func pythonClassMissingFromTheModuleIsAWarningWithASuggestion() throws {
        let dir = try TempDirectory()
        try dir.write("mod.py", "class MyExec(Executor):\n    pass\n")
        let result = try load("""
            jtype: Flow
            executors:
              - uses: MyExce
                py_modules: [mod.py]
            """, in: dir)
        let d = try #require(result.diagnostics.first)
        #expect(d.severity == .warning)
        #expect(d.hint == "did you mean 'MyExec'?")
    }

    @Test func unknownClassWithoutModulesIsAnErrorWithASuggestion() throws {
        let result = try load("jtype: Flow\nexecutors:\n  - uses: BaseExecuter\n")
        #expect(result.diagnostics.first?.message == "unknown executor class 'BaseExecuter'")
        #expect(result.diagnostics.first?.hint == "did you mean 'BaseExecutor'?")
    }

    @Test func execProgramIsResolvedAndItsArgumentsSplitWithQuotes() throws {
        let dir = try TempDirectory()
        let script = try dir.write("bin/run.sh", "#!/bin/sh\nexit 0\n", executable: true)
        let flow = try flow("""
            jtype: Flow
            executors:
              - name: a
                uses: exec://./bin/run.sh --name 'two words' "x y" plain
            """, in: dir)
        #expect(flow.executors.first?.executor.kind == .program(executable: script, arguments: ["--name", "two words", "x y", "plain"]))
        #expect(flow.executors.first?.executor.jtype == "run.sh")
    }

    @Test func execProgramThatIsNotExecutableIsAnErrorWithAChmodHint() throws {
        let dir = try TempDirectory()
        try dir.write("run.sh", "#!/bin/sh\n")
        let result = try load("jtype: Flow\nexecutors:\n  - uses: exec://./run.sh\n", in: dir)
        #expect(result.diagnostics.first?.message == "program './run.sh' is not executable")
        #expect(result.diagnostics.first?.hint?.hasPrefix("chmod +x") == true)
    }

    @Test(arguments: ["docker://myexec:latest", "jinahub://FaissIndexer", "jinahub+docker://X"])
    func containersAndHubImagesAreAClearError(uses: String) throws {
        let result = try load("""
            jtype: Flow
            executors:
              - name: a
                uses: \(uses)
            """)
        #expect(result.diagnostics.count == 1)
        let d = try #require(result.diagnostics.first)
        #expect(d.severity == .error)
        #expect(d.message.contains("does not run containers or Jina Hub images"))
        #expect(d.location.mark == SourceMark(line: 4, column: 11))
    }

    // MARK: - uses_with / uses_metas / uses_requests

    private func executorDirectory() throws -> TempDirectory {
        let dir = try TempDirectory()
        try dir.write("mod.py", "class Enc(Executor):\n    pass\n")
        try dir.write("enc.yml", """
            jtype: Enc
            with: {dim: 32, metric: cosine}
            metas:
              name: encoder
              py_modules: [mod.py]
            requests:
              /index: encode
              /search: find
            """)
        return dir
    }

    @Test func usesWithIsMergedOverTheExecutorsWith() throws {
        let flow = try flow("""
            jtype: Flow
            executors:
              - uses: enc.yml
                uses_with: {dim: 64, extra: true}
            """, in: try executorDirectory())
        #expect(flow.executors.first?.executor.with == .object([
            ConfigField(key: "dim", value: .int(64)),
            ConfigField(key: "metric", value: .string("cosine")),
            ConfigField(key: "extra", value: .bool(true)),
        ]))
    }

    @Test func usesMetasNameOverridesMetasName() throws {
        let flow = try flow("""
            jtype: Flow
            executors:
              - uses: enc.yml
                uses_metas: {name: renamed}
              - uses: enc.yml
            """, in: try executorDirectory())
        #expect(flow.executors.map { $0.executor.metas.name } == ["renamed", "encoder"])
        #expect(flow.executors.first?.executor.parameterScope == "renamed")
    }

    @Test func usesRequestsAddsAndReplacesEndpoints() throws {
        let flow = try flow("""
            jtype: Flow
            executors:
              - uses: enc.yml
                uses_requests: {/search: lookup, /update: upsert}
            """, in: try executorDirectory())
        let requests = try #require(flow.executors.first?.executor.requests)
        #expect(Dictionary(uniqueKeysWithValues: requests.map { ($0.endpoint, $0.method) })
            == ["/index": "encode", "/search": "lookup", "/update": "upsert"])
        #expect(requests.count == 3)
    }

    @Test func theSameExecutorYAMLNamedThreeTimesReportsEachDiagnosticOnce() throws {
        let dir = try TempDirectory()
        let execPath = try dir.write("bad.yml", """
            jtype: BaseExecutor
            metas:
              nmae: x
            """)
        let result = try load("""
            jtype: Flow
            executors:
              - uses: bad.yml
              - uses: bad.yml
              - uses: ./bad.yml
            """, in: dir)
        #expect(result.diagnostics.count == 1, "\(result.diagnostics.map(\.formatted))")
        #expect(result.diagnostics.first?.location.file == execPath)
        #expect(result.diagnostics.first?.location.mark == SourceMark(line: 3, column: 3))
        #expect(result.flow?.executors.count == 3)
    }

    // MARK: - Remote executors and joins

    @Test func remoteHostWithPortInOneString() throws {
        let flow = try flow("""
            jtype: Flow
            executors:
              - name: a
                host: '10.0.0.5:8000'
              - name: b
                host: example.org
                port: 9000
            """)
        #expect(flow.executors[0].remotes == [RemoteAddress(host: "10.0.0.5", port: 8000)])
        #expect(flow.executors[1].remotes == [RemoteAddress(host: "example.org", port: 9000)])
    }

    @Test func aListOfHostsIsOneReplicaEach() throws {
        let flow = try flow("""
            jtype: Flow
            executors:
              - name: a
                host: [10.0.0.5, '10.0.0.6:9001', '[fe80::1]:9002']
                port: 9000
            """)
        #expect(flow.executors[0].remotes == [RemoteAddress(host: "10.0.0.5", port: 9000), RemoteAddress(host: "10.0.0.6", port: 9001),
                                              RemoteAddress(host: "fe80::1", port: 9002)])
        #expect(flow.executors[0].remotes.map(\.description) == ["10.0.0.5:9000", "10.0.0.6:9001", "[fe80::1]:9002"])
    }

    @Test func aHostInAListWithoutAnyPortIsAnErrorAtIt() throws {
        let result = try load("jtype: Flow\nexecutors:\n  - name: a\n    host: ['h1:1', h2]\n")
        #expect(result.diagnostics.map(\.path) == ["executors[0].host[1]"])
        #expect(result.diagnostics.first?.location.mark == SourceMark(line: 4, column: 20))
    }

    @Test func remoteIPv6HostWithSeparatePortKeepsTheWholeAddress() throws {
        let flow = try flow("""
            jtype: Flow
            executors:
              - name: a
                host: '::1'
                port: 8081
            """)
        #expect(flow.executors.first?.remotes == [RemoteAddress(host: "::1", port: 8081)])
    }

    @Test func needsAllJoinsExactlyTheExecutorsNothingNeeded() throws {
        let flow = try flow("""
            jtype: Flow
            executors:
              - name: p1
                needs: gateway
              - name: p2
                needs: gateway
              - name: p3
                needs: p1
              - name: join
                method: needs_all
            """)
        #expect(flow.executors.last?.needs == ["p2", "p3"])
        #expect(flow.executors.last?.method == .needsAll)
    }

    @Test func methodNeedsWithoutANeedsListIsAnError() throws {
        let result = try load("jtype: Flow\nexecutors:\n  - name: a\n    method: needs\n")
        #expect(result.diagnostics.contains { $0.message == "'method: needs' requires a 'needs' list" })
    }

    // MARK: - Executor YAML on its own

    @Test func anExecutorYAMLOnItsOwnLoadsAsAnExecutor() throws {
        let dir = try TempDirectory()
        let result = ConfigLoader(environment: [:]).load(yaml: """
            jtype: BaseExecutor
            metas:
              name: solo
            requests:
              /index: foo
            """, file: dir.path + "/exec.yml", directory: dir.path)
        #expect(result.diagnostics.isEmpty)
        guard case .executor(let config) = result.document else {
            Issue.record("not loaded as an executor: \(String(describing: result.document))")
            return
        }
        #expect(config.jtype == "BaseExecutor")
        #expect(config.metas.name == "solo")
        #expect(config.requests.map(\.endpoint) == ["/index"])
        #expect(result.flow == nil)
    }

    /// `envs` (a Jina name for `env`) works at both levels, with a note naming the current key.
    @Test func envsIsEnv() throws {
        let result = try load("""
            jtype: Flow
            with:
              envs: {A: flow}
            executors:
              - name: a
                envs: {B: entry}
            """)
        #expect(!result.hasErrors, "\(result.diagnostics.map(\.formatted))")
        let flow = try #require(result.flow)
        #expect(flow.settings.env.map { "\($0.key)=\($0.value)" } == ["A=flow"])
        #expect(flow.executors[0].env.map { "\($0.key)=\($0.value)" } == ["B=entry"])
        #expect(notes(result).contains { $0.contains("'envs' is the Jina 2 name of 'env'") }, "\(notes(result))")
    }

}
