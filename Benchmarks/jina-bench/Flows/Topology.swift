/// One Flow shape the benchmark runs, written for both engines: the same executors in the same
/// graph. Trivial executors only: `UpperCase` upper-cases `text`, the others pass documents on.
struct Topology: Sendable {
    /// Short name, used on the command line (`--flows chain3,one`) and in the table.
    let name: String
    let title: String
    /// Executor processes (shards count one each).
    let executors: Int
    /// The `executors:` list of the Swift Flow YAML.
    let swiftExecutors: String
    /// The `executors:` list for Python Jina 3 (nil: not run there). `EXECUTORS_PY` stands for
    /// the path of Benchmarks/python/executors.py.
    let pythonExecutors: String?
    /// Whether answers come back upper-cased (checked on the first answer of each run).
    let upperCases: Bool
    /// Documents `jina flow run` writes per input document: Jina 2 concatenates what a join's
    /// branches, or ALL-polled shards, answer (Python Jina 3 merges them by id).
    var swiftLinesPerDoc = 1
    /// Where the throughput documents go, and where the latency document goes.
    var throughputEndpoint = "/"
    var latencyEndpoint = "/"

    static let all: [Topology] = [
        Topology(name: "gateway", title: "gateway only, no executor", executors: 0,
                 swiftExecutors: "[]", pythonExecutors: "[]", upperCases: false),
        Topology(name: "one", title: "1 executor (upper-case)", executors: 1,
                 swiftExecutors: """

                   - {name: upper, uses: UpperCase}
                 """,
                 pythonExecutors: """

                   - {name: upper, uses: UpperCase, py_modules: [EXECUTORS_PY]}
                 """, upperCases: true),
        Topology(name: "chain3", title: "chain of 3 (upper-case → pass → pass)", executors: 3,
                 swiftExecutors: chain(3, swift: true), pythonExecutors: chain(3, swift: false), upperCases: true),
        Topology(name: "chain5", title: "chain of 5 (upper-case → 4 × pass)", executors: 5,
                 swiftExecutors: chain(5, swift: true), pythonExecutors: chain(5, swift: false), upperCases: true),
        Topology(name: "fanout3", title: "fan-out to 3 + a join (upper-case, pass, pass → pass)", executors: 4,
                 swiftExecutors: """

                   - {name: b, uses: UpperCase, needs: gateway}
                   - {name: c, uses: BaseExecutor, needs: gateway}
                   - {name: d, uses: BaseExecutor, needs: gateway}
                   - {name: join, uses: BaseExecutor, needs: [b, c, d]}
                 """,
                 pythonExecutors: """

                   - {name: b, uses: UpperCase, needs: gateway, py_modules: [EXECUTORS_PY]}
                   - {name: c, uses: PassThrough, needs: gateway, py_modules: [EXECUTORS_PY]}
                   - {name: d, uses: PassThrough, needs: gateway, py_modules: [EXECUTORS_PY]}
                   - {name: join, uses: PassThrough, needs: [b, c, d], py_modules: [EXECUTORS_PY]}
                 """, upperCases: false, swiftLinesPerDoc: 3),
        Topology(name: "parallel3-any", title: "1 executor, parallel: 3, polling ANY (upper-case)", executors: 3,
                 swiftExecutors: """

                   - {name: upper, uses: UpperCase, parallel: 3, polling: ANY}
                 """,
                 pythonExecutors: """

                   - {name: upper, uses: UpperCase, shards: 3, polling: ANY, py_modules: [EXECUTORS_PY]}
                 """, upperCases: true),
        Topology(name: "parallel3-all", title: "1 executor, parallel: 3, polling ALL (upper-case)", executors: 3,
                 swiftExecutors: """

                   - {name: upper, uses: UpperCase, parallel: 3, polling: ALL}
                 """,
                 pythonExecutors: """

                   - {name: upper, uses: UpperCase, shards: 3, polling: ALL, py_modules: [EXECUTORS_PY]}
                 """, upperCases: true, swiftLinesPerDoc: 3),
        Topology(name: "hello", title: "TextEncoder → VectorIndexer, the hello demo until 2026-12-06 (index; search for latency)", executors: 2,
                 swiftExecutors: """

                   - {name: encoder, uses: TextEncoder, uses_with: {dim: 512, ngram: 2}}
                   - {name: indexer, uses: VectorIndexer, uses_with: {top_k: 3, metric: cosine}, workspace: WORKSPACE}
                 """,
                 pythonExecutors: nil, upperCases: false, throughputEndpoint: "/index", latencyEndpoint: "/search"),
    ]

    /// upper-case → pass → pass …
    static func chain(_ n: Int, swift: Bool) -> String {
        var text = ""
        for i in 0..<n {
            let uses = i == 0 ? "UpperCase" : (swift ? "BaseExecutor" : "PassThrough")
            let modules = swift ? "" : ", py_modules: [EXECUTORS_PY]"
            text += "\n  - {name: e\(i + 1), uses: \(uses)\(modules)}"
        }
        return text
    }
}
