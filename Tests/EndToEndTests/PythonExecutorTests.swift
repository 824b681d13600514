import Foundation
import Testing

/// Python Executor classes run unchanged under the bundled Python executor host (SPEC §2.3): the
/// examples of the Jina 2.0 Executor cookbook (shared/seeds/001), each written to a temporary
/// directory with its executor YAML and a Flow, and run with `jina flow run`.
/// The Python a Flow uses (`JINA_PYTHON`, else python3 on PATH), and whether it has numpy.
enum FlowPython {
    static let path: String? = {
        let environment = ProcessInfo.processInfo.environment
        if let explicit = environment["JINA_PYTHON"], !explicit.isEmpty { return explicit }
        for dir in (environment["PATH"] ?? "").split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(dir)/python3") {
            return "\(dir)/python3"
        }
        return nil
    }()

    static let hasNumpy: Bool = {
        guard let path else { return false }
        return (try? execute(path, ["-c", "import numpy"]).status) == 0
    }()

    /// Runs a program to its end; (status, stdout + stderr).
    static func execute(_ program: String, _ arguments: [String], in directory: String = JinaBinary.packageRoot) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}

@Suite(.enabled(if: FlowPython.path != nil, "needs python3 on PATH"))
struct PythonExecutorTests {
    /// A test's directory holding the Python module `execs.py`, an executor YAML per class named
    /// `<Class>.yml` when asked for, the inputs and `flow.yml`; removed with the scene.
    final class Scene {
        let dir: String

        init(module: String, flow: String, yamls: [String: String] = [:], inputs: String = Scene.threeDocs) throws {
            dir = try JinaBinary.temporaryDirectory()
            try TestFiles.write(module, to: "execs.py", in: dir)
            for (name, text) in yamls { try TestFiles.write(text, to: name, in: dir) }
            try TestFiles.write(flow, to: "flow.yml", in: dir)
            try TestFiles.write(inputs, to: "docs.jsonl", in: dir)
        }

        deinit { try? FileManager.default.removeItem(atPath: dir) }

        static let threeDocs = """
            {"id":"d1","text":"one","tags":{"k":1},"extra":[1,{"deep":true}]}
            {"id":"d2","text":"two"}
            {"id":"d3","text":"three"}

            """

        func run(_ endpoint: String, _ more: [String] = []) throws -> JinaBinary.Run {
            try JinaBinary.run(["flow", "run", "--uses", "flow.yml", "--on", endpoint, "--inputs", "docs.jsonl"] + more, in: dir)
        }
    }

    /// A Flow of one executor whose YAML is `exec.yml`.
    static func oneExecutorFlow(_ yaml: String) -> String {
        """
        jtype: Flow
        executors:
          - name: py
            uses: \(yaml)
        """
    }

    /// The documents written by a run, as JSON objects.
    static func docs(_ run: JinaBinary.Run) throws -> [[String: Any]] {
        try TestFiles.objects(run.stdout)
    }

    /// Each output line parsed and re-serialised with sorted keys, for exact comparison.
    static func canonical(_ text: String) throws -> [String] {
        try text.split(separator: "\n").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
            return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        }
    }

    // MARK: - @requests

    static let bindingsModule = #"""
        from jina import Executor, Flow, Document, requests


        class MyExecutor(Executor):

            @requests(on='/index')
            def foo(self, **kwargs):
                print(f'foo is called: {kwargs}')

            @requests(on='/random_work')
            def bar(self, **kwargs):
                print(f'bar is called: {kwargs}')
        """#

    /// The cookbook's `@requests` example: /index calls foo, /random_work calls bar, /blah calls
    /// nothing and the documents come back as they went in.
    @Test func requestsBindEndpointsToMethods() throws {
        let scene = try Scene(module: Self.bindingsModule, flow: Self.oneExecutorFlow("exec.yml"),
                              yamls: ["exec.yml": "jtype: MyExecutor\nmetas:\n  py_modules: [execs.py]\n"])
        let index = try scene.run("/index")
        #expect(index.status == 0, "\(index.stderr)")
        #expect(index.stderr.contains("foo is called") && !index.stderr.contains("bar is called"), "\(index.stderr)")
        let work = try scene.run("/random_work")
        #expect(work.status == 0, "\(work.stderr)")
        #expect(work.stderr.contains("bar is called") && !work.stderr.contains("foo is called"), "\(work.stderr)")
        let blah = try scene.run("/blah")
        #expect(blah.status == 0, "\(blah.stderr)")
        #expect(!blah.stderr.contains("is called"), "\(blah.stderr)")
        #expect(try Self.canonical(blah.stdout) == Self.canonical(Scene.threeDocs), "\(blah.stdout)")
        // A method that returns None and changes nothing: the documents come back key for key.
        #expect(try Self.canonical(index.stdout) == Self.canonical(Scene.threeDocs), "\(index.stdout)")
    }

    /// The cookbook's minimum working example, file and YAML as written there: the module also
    /// builds a Flow and posts to it at import time, which inside an executor process does nothing.
    @Test func theMinimumWorkingExample() throws {
        let module = #"""
            from jina import Executor, Flow, Document, requests


            class MyExecutor(Executor):

                @requests
                def foo(self, **kwargs):
                    print(kwargs)


            f = Flow().add(uses=MyExecutor)

            with f:
                f.post(on='/random_work', inputs=Document(), on_done=print)
            """#
        let yaml = """
            jtype: MyExecutor
            metas:
              name: awesomeness
              description: my first awesome executor
              py_modules: [execs.py]
            requests:
              /random_work: foo
            """
        let scene = try Scene(module: module, flow: Self.oneExecutorFlow("my.yml"), yamls: ["my.yml": yaml])
        let run = try scene.run("/random_work")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("'parameters': {}") && run.stderr.contains("'docs_matrix': None"), "\(run.stderr)")
        #expect(!run.stderr.contains("gateway listening"), "the module's own Flow started inside the executor: \(run.stderr)")
        #expect(try Self.canonical(run.stdout) == Self.canonical(Scene.threeDocs))
    }

    /// The cookbook's YAML interface: `with: {bar: 123}` reaches __init__, `metas.name` is the
    /// executor's name, and `requests: {/random_work: foo}` binds an undecorated method.
    @Test func yamlWithMetasAndRequests() throws {
        let module = #"""
            from jina import Executor


            class MyExecutor(Executor):

                def __init__(self, bar: int, **kwargs):
                    super().__init__(**kwargs)
                    self.bar = bar

                def foo(self, docs, **kwargs):
                    for d in docs:
                        d.tags['bar'] = self.bar
                        d.tags['name'] = self.metas.name
                        d.tags['description'] = self.metas.description
            """#
        let yaml = """
            jtype: MyExecutor
            with:
              bar: 123
            metas:
              name: awesomeness
              description: my first awesome executor
              py_modules: [execs.py]
            requests:
              /random_work: foo
            """
        let scene = try Scene(module: module, flow: Self.oneExecutorFlow("my.yml"), yamls: ["my.yml": yaml])
        let run = try scene.run("/random_work")
        #expect(run.status == 0, "\(run.stderr)")
        let docs = try Self.docs(run)
        #expect(docs.count == 3)
        for doc in docs {
            #expect(doc.tags["bar"] as? Int == 123)
            #expect(doc.tags["name"] as? String == "awesomeness")
            #expect(doc.tags["description"] as? String == "my first awesome executor")
        }
        let other = try scene.run("/index")
        #expect(other.status == 0, "\(other.stderr)")
        #expect(try Self.docs(other).allSatisfy { $0.tags["bar"] == nil })
    }

    /// Plain `@requests` is the default handler: endpoints without their own binding go to it.
    @Test func plainRequestsIsTheDefaultHandler() throws {
        let module = #"""
            from jina import Executor, requests


            class MyExecutor(Executor):

                @requests
                def foo(self, docs, **kwargs):
                    for d in docs:
                        d.tags['called'] = 'foo'

                @requests(on='/index')
                def bar(self, docs, **kwargs):
                    for d in docs:
                        d.tags['called'] = 'bar'
            """#
        let scene = try Scene(module: module, flow: Self.oneExecutorFlow("exec.yml"),
                              yamls: ["exec.yml": "jtype: MyExecutor\nmetas:\n  py_modules: [execs.py]\n"])
        for (endpoint, method) in [("/blah", "foo"), ("/index", "bar"), ("/search", "foo")] {
            let run = try scene.run(endpoint)
            #expect(run.status == 0, "\(run.stderr)")
            let called = try Self.docs(run).map { $0.tags["called"] as? String }
            #expect(called == [method, method, method], "\(endpoint): \(run.stdout)")
        }
    }

    /// `@requests(on=['/index', '/search'])` binds one method to both.
    @Test func oneMethodBoundToSeveralEndpoints() throws {
        let module = #"""
            from jina import Executor, requests


            class MyExecutor(Executor):

                @requests(on=['/index', '/search'])
                def foo(self, docs, **kwargs):
                    for d in docs:
                        d.text = d.text.upper()
            """#
        let scene = try Scene(module: module, flow: Self.oneExecutorFlow("exec.yml"),
                              yamls: ["exec.yml": "jtype: MyExecutor\nmetas:\n  py_modules: [execs.py]\n"])
        for (endpoint, expected) in [("/index", "ONE"), ("/search", "ONE"), ("/update", "one")] {
            let run = try scene.run(endpoint)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(try Self.docs(run).first?.text == expected, "\(endpoint): \(run.stdout)")
        }
    }

    // MARK: - parameters

    /// The cookbook's parameters example: two instances of one class told apart by metas.name;
    /// each gets the top-level `param` overridden by the entry under its own name.
    @Test func parametersAreScopedByMetasName() throws {
        let module = #"""
            from typing import Optional
            from jina import Executor, requests, DocumentArray, Flow


            class MyExecutor(Executor):
                def __init__(self, default_param: int = 1, *args, **kwargs):
                    super().__init__(*args, **kwargs)
                    self.default_param = default_param

                @requests
                def foo(self, docs: Optional[DocumentArray], parameters: dict, **kwargs):
                    param = parameters.get('param', self.default_param)
                    # param may be overriden for this specific request.
                    # The first instance will receive 10, and the second one will receive 5
                    if self.metas.name == 'my-executor-1':
                        assert param == 10
                    elif self.metas.name == 'my-executor-2':
                        assert param == 5
                    for d in docs:
                        d.tags[self.metas.name] = param
            """#
        let flow = """
            jtype: Flow
            executors:
              - name: first
                uses: {jtype: MyExecutor, metas: {name: my-executor-1, py_modules: [execs.py]}}
              - name: second
                uses: {jtype: MyExecutor, metas: {name: my-executor-2, py_modules: [execs.py]}}
            """
        let scene = try Scene(module: module, flow: flow)
        let run = try scene.run("/endpoint", ["--parameters", #"{"param": 5, "my-executor-1": {"param": 10}}"#])
        #expect(run.status == 0, "\(run.stderr)")
        for doc in try Self.docs(run) {
            #expect(doc.tags["my-executor-1"] as? Int == 10, "\(doc)")
            #expect(doc.tags["my-executor-2"] as? Int == 5, "\(doc)")
        }
        // Without the scoped entry both see the top-level value, and the first one's assert fails.
        let failed = try scene.run("/endpoint", ["--parameters", #"{"param": 5}"#])
        #expect(failed.status == 1)
        #expect(failed.stderr.contains("AssertionError"), "\(failed.stderr)")
    }

    // MARK: - return values

    /// Example 3: an indexer keeps the documents and returns new ones holding only their ids; its
    /// __init__ does not call super().__init__().
    @Test func anIndexerReturningIdsOnly() throws {
        let module = #"""
            from jina import requests, Document, Executor, DocumentArray


            class MyIndexer(Executor):
                """Simple indexer class """

                def __init__(self, **kwargs):
                    self._docs = DocumentArray()

                @requests(on='/index')
                def index(self, docs: DocumentArray, **kwargs):
                    self._docs.extend(docs)
                    return DocumentArray([Document(id=d.id) for d in docs])
            """#
        let scene = try Scene(module: module, flow: Self.oneExecutorFlow("exec.yml"),
                              yamls: ["exec.yml": "jtype: MyIndexer\nmetas:\n  py_modules: [execs.py]\n"])
        let run = try scene.run("/index")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try Self.canonical(run.stdout) == [#"{"id":"d1"}"#, #"{"id":"d2"}"#, #"{"id":"d3"}"#], "\(run.stdout)")
    }

    /// Joining: A and B both get the three documents; C needs both and gets all six as `docs`
    /// and the two branches as `docs_matrix`, in `needs` order.
    @Test func aJoinGetsDocsMatrix() throws {
        let module = #"""
            from jina import Executor, requests


            class A(Executor):
                @requests
                def a(self, docs, **kwargs):
                    for d in docs:
                        d.text += ' from A'


            class B(Executor):
                @requests
                def b(self, docs, **kwargs):
                    for d in docs:
                        d.text += ' from B'


            class C(Executor):
                @requests
                def c(self, docs, docs_matrix, **kwargs):
                    for d in docs:
                        d.tags['docs'] = len(docs)
                        d.tags['matrix'] = [len(m) for m in docs_matrix]
                        d.tags['branches'] = [m[0].text.split(' from ')[1] for m in docs_matrix]
                    return docs
            """#
        let flow = """
            jtype: Flow
            executors:
              - name: a
                uses: {jtype: A, metas: {py_modules: [execs.py]}}
                needs: gateway
              - name: b
                uses: {jtype: B, metas: {py_modules: [execs.py]}}
                needs: gateway
              - name: c
                uses: {jtype: C, metas: {py_modules: [execs.py]}}
                needs: [a, b]
            """
        let scene = try Scene(module: module, flow: flow)
        let run = try scene.run("/index", ["--output", "responses"])
        #expect(run.status == 0, "\(run.stderr)")
        let envelope = try #require(try TestFiles.objects(run.stdout).first)
        let data = envelope["data"] as? [[String: Any]] ?? (envelope["data"] as? [String: Any])?["docs"] as? [[String: Any]] ?? []
        #expect(data.count == 6, "\(run.stdout)")
        #expect(data.map { $0.text ?? "" }.sorted() == ["one from A", "one from B", "three from A", "three from B", "two from A", "two from B"])
        for doc in data {
            #expect(doc.tags["docs"] as? Int == 6)
            #expect(doc.tags["matrix"] as? [Int] == [3, 3])
            #expect(doc.tags["branches"] as? [String] == ["A", "B"])
        }
    }

    // MARK: - runtime_args

    /// Two shards of two replicas, polled ALL: each request reaches one replica of each shard,
    /// and each says which it is in `self.runtime_args`; `self.workspace` is one directory per
    /// shard under the Flow's workspace (Jina's `<workspace>/<metas.name>/<shard_id>`).
    @Test func runtimeArgsOfShardsAndReplicas() throws {
        let module = #"""
            from jina import Executor, requests


            class Where(Executor):
                @requests
                def where(self, docs, **kwargs):
                    for d in docs:
                        d.tags['runtime_args'] = dict(vars(self.runtime_args))
                        d.tags['workspace'] = self.workspace
            """#
        let flow = """
            jtype: Flow
            with:
              workspace: ws
            executors:
              - name: where
                uses: {jtype: Where, metas: {name: finder, py_modules: [execs.py]}}
                shards: 2
                replicas: 2
                polling: ALL
            """
        let scene = try Scene(module: module, flow: flow)
        let run = try scene.run("/index", ["--request-size", "1"])
        #expect(run.status == 0, "\(run.stderr)")
        let docs = try Self.docs(run)
        #expect(docs.count == 6, "\(run.stdout)")  // 3 documents from each shard
        let workspace = URL(fileURLWithPath: scene.dir + "/ws").standardizedFileURL.path
        var workspaces: [Int: Set<String>] = [:]
        for doc in docs {
            let args = try #require(doc.tags["runtime_args"] as? [String: Any], "\(doc)")
            let shard = try #require(args["shard_id"] as? Int)
            #expect(args["pea_id"] as? Int == shard)
            #expect(args["shards"] as? Int == 2 && args["parallel"] as? Int == 2)
            #expect([0, 1].contains(args["replica_id"] as? Int ?? -1))
            #expect(args["replicas"] as? Int == 2)
            #expect(args["polling"] as? String == "ALL")
            #expect(args["name"] as? String == "where")
            #expect((args["label"] as? String)?.hasPrefix("where/shard-\(shard)/rep-") == true, "\(args)")
            #expect(args["workspace"] as? String == workspace)
            workspaces[shard, default: []].insert(doc.tags["workspace"] as? String ?? "")
        }
        #expect(workspaces == [0: [workspace + "/finder/0"], 1: [workspace + "/finder/1"]])
        #expect(FileManager.default.fileExists(atPath: workspace + "/finder/1"))
    }

    /// ALL_ASYNC (SPEC §3): the request goes on with the first shard's answer; a shard that takes
    /// 20 s neither delays the documents nor the end of the run (its abandoned call gets no grace).
    @Test func allAsyncGoesOnWithTheFirstShardAndDoesNotWaitForTheSlowOne() throws {
        let module = #"""
            import time
            from jina import Executor, requests


            class SlowSecondShard(Executor):
                @requests
                def go(self, docs, **kwargs):
                    if self.runtime_args.shard_id == 1:
                        time.sleep(20)
                    for d in docs:
                        d.tags['shard'] = self.runtime_args.shard_id
            """#
        let flow = """
            jtype: Flow
            executors:
              - name: s
                uses: {jtype: SlowSecondShard, metas: {py_modules: [execs.py]}}
                shards: 2
                polling: ALL_ASYNC
            """
        let scene = try Scene(module: module, flow: flow)
        let started = Date()
        let run = try scene.run("/index")
        let seconds = Date().timeIntervalSince(started)
        #expect(run.status == 0, "\(run.stderr)")
        let docs = try Self.docs(run)
        #expect(!docs.isEmpty && docs.allSatisfy { $0.tags["shard"] as? Int == 0 }, "\(run.stdout)")
        #expect(seconds < 10, "the run took \(seconds) s: it waited for the 20 s shard")
        #expect(!run.stderr.contains("failed after request"), "a cancelled call is not a shard's failure: \(run.stderr)")
    }

    // MARK: - errors and output

    /// An exception: the run fails (exit 1), stderr shows the exception, and the response
    /// envelope carries Jina's error status with the Python stack.
    @Test func anExceptionFailsTheRequestWithItsStatus() throws {
        let module = #"""
            from jina import Executor, requests


            class Picky(Executor):
                @requests
                def check(self, docs, **kwargs):
                    for d in docs:
                        if d.text == 'two':
                            raise ValueError(f'cannot handle {d.id}')
            """#
        let scene = try Scene(module: module, flow: Self.oneExecutorFlow("exec.yml"),
                              yamls: ["exec.yml": "jtype: Picky\nmetas:\n  py_modules: [execs.py]\n"])
        let run = try scene.run("/index")
        #expect(run.status == 1)
        #expect(run.stderr.contains("ValueError") && run.stderr.contains("cannot handle d2"), "\(run.stderr)")

        let responses = try scene.run("/index", ["--output", "responses", "--request-size", "1"])
        #expect(responses.status == 1)
        let envelopes = try TestFiles.objects(responses.stdout)
        #expect(envelopes.count == 3, "\(responses.stdout)")
        let failed = try #require(envelopes.first { (($0["header"] as? [String: Any])?["status"] as? [String: Any])?["code"] as? Int == 1 })
        let status = try #require((failed["header"] as? [String: Any])?["status"] as? [String: Any])
        #expect(status["description"] as? String == "ValueError: cannot handle d2")
        let exception = try #require(status["exception"] as? [String: Any])
        #expect(exception["name"] as? String == "ValueError")
        let stacks = exception["stacks"] as? [String] ?? []
        #expect(!stacks.isEmpty && stacks.contains { $0.contains("execs.py") }, "\(stacks)")
        let okay = envelopes.filter { (($0["header"] as? [String: Any])?["status"] as? [String: Any])?["code"] as? Int ?? 0 == 0 }
        #expect(okay.count == 2)
    }

    /// Whatever an executor prints, through Python or straight to fd 1, goes to stderr; the
    /// frames on stdout are unharmed.
    @Test func printsGoToStderr() throws {
        let module = #"""
            import os
            import sys
            from jina import Executor, requests

            print('printed while importing')


            class Chatty(Executor):
                def __init__(self, **kwargs):
                    super().__init__(**kwargs)
                    print('printed in __init__')

                @requests
                def talk(self, docs, **kwargs):
                    print(f'printing {len(docs)} docs')
                    sys.stdout.write('written to sys.stdout\n')
                    sys.stdout.flush()
                    os.write(1, b'written to fd 1\n')
                    for d in docs:
                        d.tags['talked'] = True
            """#
        let scene = try Scene(module: module, flow: Self.oneExecutorFlow("exec.yml"),
                              yamls: ["exec.yml": "jtype: Chatty\nmetas:\n  py_modules: [execs.py]\n"])
        let run = try scene.run("/index", ["--request-size", "1"])
        #expect(run.status == 0, "\(run.stderr)")
        let docs = try Self.docs(run)
        #expect(docs.map { $0.id ?? "" } == ["d1", "d2", "d3"])
        #expect(docs.allSatisfy { $0.tags["talked"] as? Bool == true })
        for line in ["printed while importing", "printed in __init__", "printing 1 docs", "written to sys.stdout", "written to fd 1"] {
            #expect(run.stderr.contains(line), "missing '\(line)' in \(run.stderr)")
            #expect(!run.stdout.contains(line))
        }
    }

    /// A constructor that raises stops the Flow before any request, naming the reason.
    @Test func aConstructorThatRaisesStopsTheFlow() throws {
        let module = #"""
            from jina import Executor


            class NoModel(Executor):
                def __init__(self, **kwargs):
                    super().__init__(**kwargs)
                    raise FileNotFoundError('ckpt/model.bin is missing')
            """#
        let scene = try Scene(module: module, flow: Self.oneExecutorFlow("exec.yml"),
                              yamls: ["exec.yml": "jtype: NoModel\nmetas:\n  py_modules: [execs.py]\n"])
        let run = try scene.run("/index")
        #expect(run.status != 0)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.contains("FileNotFoundError: ckpt/model.bin is missing"), "\(run.stderr)")
    }

    // MARK: - numpy

    /// Example 1: an encoder that stacks the chunks' blobs with numpy and sets each chunk's
    /// embedding in place (the model is a stand-in: a fixed projection).
    @Test(.enabled(if: FlowPython.hasNumpy, "numpy is not importable by the Flow's python3"))
    func anEncoderWithNumpy() throws {
        let module = #"""
            import numpy as np
            from jina import requests, Executor, DocumentArray


            class SumModel:
                def predict(self, batch):
                    return np.stack([batch.sum(axis=1), batch.max(axis=1)], axis=1).astype(np.float32)


            def get_predict_model(ckpt_path, num_class):
                return SumModel()


            class PNEncoder(Executor):
                def __init__(self, **kwargs):
                    super().__init__(**kwargs)
                    self.model = get_predict_model(ckpt_path='ckpt', num_class=2260)

                @requests
                def encode(self, docs: DocumentArray, *args, **kwargs) -> None:
                    _blob, _docs = docs.traverse_flat(['c']).get_attributes_with_docs('blob')
                    embeds = self.model.predict(np.stack(_blob))
                    for d, b in zip(_docs, embeds):
                        d.embedding = b
            """#
        // One chunk blob as a list, one in Jina's dense form ([0.5, 1.5, 2.0] as <f4), one chunk without a blob.
        let inputs = """
            {"id":"p1","chunks":[{"id":"c1","blob":[1,2,3]},{"id":"c2","blob":{"dense":{"buffer":"AAAAPwAAwD8AAABA","shape":[3],"dtype":"<f4"}}}]}
            {"id":"p2","chunks":[{"id":"c3","text":"no blob"}]}

            """
        let scene = try Scene(module: module, flow: Self.oneExecutorFlow("exec.yml"),
                              yamls: ["exec.yml": "jtype: PNEncoder\nmetas:\n  py_modules: [execs.py]\n"], inputs: inputs)
        let run = try scene.run("/encode")
        #expect(run.status == 0, "\(run.stderr)")
        let docs = try Self.docs(run)
        try #require(docs.count == 2, "\(run.stdout)")
        let chunks = (docs[0]["chunks"] as? [[String: Any]] ?? []) + (docs[1]["chunks"] as? [[String: Any]] ?? [])
        #expect(chunks.map { $0["embedding"] as? [Double] } == [[6, 3], [4, 2], nil], "\(run.stdout)")
        // Untouched fields keep their form: the dense blob stays dense.
        #expect(chunks[1]["blob"] is [String: Any])
        #expect(chunks[0]["blob"] as? [Int] == [1, 2, 3])
    }

    // MARK: - the SDK itself

    /// The host passes the protocol's conformance suite.
    @Test func theHostPassesTheConformanceSuite() throws {
        let dir = try JinaBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let module = try TestFiles.write(Self.bindingsModule, to: "execs.py", in: dir)
        let spec = #"{"jtype":"MyExecutor","metas":{"py_modules":["\#(module)"]}}"#
        let run = try JinaBinary.run(["executor", "check", "--", FlowPython.path!, JinaBinary.packageRoot + "/sdk/python/jina_executor_host.py",
                                      "--spec", spec], environment: ["PYTHONDONTWRITEBYTECODE": "1"])
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stdout.contains("0 failed"), "\(run.stdout)")
    }

    /// The Python unit tests (Document, DocumentArray, bindings, the host on real frames).
    @Test func pythonUnitTests() throws {
        let result = try FlowPython.execute(FlowPython.path!, ["-B", "-m", "unittest", "discover", "-s", "sdk/python/tests"])
        #expect(result.status == 0, "\(result.output)")
    }

    /// The copy of sdk/python embedded in the binary is current.
    @Test func embeddedSDKIsCurrent() throws {
        let result = try FlowPython.execute("/bin/bash", ["scripts/embed-python-sdk.sh", "--check"])
        #expect(result.status == 0, "\(result.output)")
    }
}
