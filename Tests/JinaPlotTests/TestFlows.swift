import Foundation
import JinaConfig
import SeededRandom
import Testing

/// One executor of a test Flow; `uses` names a built-in executor unless it starts with `exec://`.
struct TestExecutor {
    var name: String
    var needs: [String]
    var shards = 1
    var replicas = 1
    var polling = Polling.any
    var uses = "BaseExecutor"
    var usesBefore: String?
    var usesAfter: String?
    var remote: (host: String, port: Int)?

    init(_ name: String, needs: [String], shards: Int = 1, replicas: Int = 1, polling: Polling = .any,
         uses: String = "BaseExecutor", usesBefore: String? = nil, usesAfter: String? = nil,
         remote: (host: String, port: Int)? = nil) {
        self.name = name
        self.needs = needs
        self.shards = shards
        self.replicas = replicas
        self.polling = polling
        self.uses = uses
        self.usesBefore = usesBefore
        self.usesAfter = usesAfter
        self.remote = remote
    }
}

func executorConfig(_ uses: String) -> ExecutorConfig {
    if uses.hasPrefix("exec://") {
        let words = uses.dropFirst("exec://".count).split(separator: " ").map(String.init)
        return ExecutorConfig(kind: .program(executable: words[0], arguments: Array(words.dropFirst())),
                              jtype: words[0], directory: "/tmp")
    }
    return ExecutorConfig(kind: .builtin(uses), jtype: uses, directory: "/tmp")
}

/// A validated graph of the given executors, as if read from `file`.
func makeFlow(_ file: String, _ executors: [TestExecutor]) throws -> FlowGraph {
    let entries = executors.enumerated().map { index, e in
        ExecutorEntry(name: e.name, index: index, needs: e.needs, executor: executorConfig(e.uses),
                      usesBefore: e.usesBefore.map(executorConfig), usesAfter: e.usesAfter.map(executorConfig),
                      shards: e.shards, replicas: e.replicas, polling: PollingSpec(e.polling),
                      remotes: e.remote.map { [RemoteAddress(host: $0.host, port: $0.port)] } ?? [], location: SourceLocation(file: file))
    }
    let (graph, diagnostics) = FlowGraph.build(FlowConfig(file: file, directory: "/tmp", executors: entries))
    return try #require(graph, "the test flow \(file) is invalid: \(diagnostics)")
}

/// The representative flows of the golden files.
enum Flows {
    static func chain4() throws -> FlowGraph {
        try makeFlow("chain4.yml", [
            TestExecutor("pre-process", needs: ["gateway"]),
            TestExecutor("encode", needs: ["pre-process"], uses: "exec://./enc.py --dim 128"),
            TestExecutor("index", needs: ["encode"], uses: "SimpleIndexer"),
            TestExecutor("rank", needs: ["index"], uses: "Ranker"),
        ])
    }

    static func fanIn() throws -> FlowGraph {
        try makeFlow("fan-in.yml", [
            TestExecutor("p1", needs: ["gateway"]),
            TestExecutor("p2", needs: ["gateway"]),
            TestExecutor("p3", needs: ["gateway"]),
            TestExecutor("r1", needs: ["p1", "p2", "p3"], uses: "Merger"),
        ])
    }

    static func sharded() throws -> FlowGraph {
        try makeFlow("sharded.yml", [
            TestExecutor("encoder", needs: ["gateway"], shards: 3, replicas: 2, polling: .all,
                         uses: "Encoder", usesAfter: "MergeShards"),
            TestExecutor("indexer", needs: ["encoder"], uses: "SimpleIndexer"),
        ])
    }

    static func mixed() throws -> FlowGraph {
        try makeFlow("mixed.yml", [
            TestExecutor("p1", needs: ["gateway"], uses: "Tokenizer"),
            TestExecutor("p2", needs: ["gateway"], uses: "Segmenter"),
            TestExecutor("p3", needs: ["p2"], shards: 3, polling: .all, uses: "Encoder",
                         usesBefore: "SplitBatch", usesAfter: "MergeShards"),
            TestExecutor("r1", needs: ["p1", "p3"], uses: "Ranker"),
        ])
    }

    /// 30 executors, each needing 1–3 random earlier ones (or the gateway), some sharded, some
    /// with long `uses`; a fixed seed, so the same graph every run.
    static func random30() throws -> FlowGraph {
        var random = SplitMix64(seed: 20240611)
        let uses = ["BaseExecutor", "Encoder", "SimpleIndexer", "exec://./transform.py", "VeryLongExecutorClassName"]
        var executors: [TestExecutor] = []
        for i in 0..<30 {
            var needs: [String] = []
            if i < 3 || random.next(below: 6) == 0 {
                needs = ["gateway"]
            } else {
                for _ in 0...random.next(below: 3) {
                    let name = executors[random.next(below: i)].name
                    if !needs.contains(name) { needs.append(name) }
                }
            }
            let shards = random.next(below: 7) == 0 ? 2 + random.next(below: 2) : 1
            executors.append(TestExecutor(String(format: "e%02d", i), needs: needs, shards: shards,
                                          polling: shards > 1 ? .all : .any, uses: uses[random.next(below: uses.count)]))
        }
        return try makeFlow("random-30.yml", executors)
    }

    /// gateway → w00…w29 → join.
    static func wide30() throws -> FlowGraph {
        let workers = (0..<30).map { TestExecutor(String(format: "w%02d", $0), needs: ["gateway"]) }
        return try makeFlow("wide-30.yml", workers + [TestExecutor("join", needs: workers.map(\.name), uses: "Merger")])
    }

    static func chain30() throws -> FlowGraph {
        let names = (0..<30).map { String(format: "step-%02d", $0) }
        return try makeFlow("chain-30.yml", names.enumerated().map { i, name in
            TestExecutor(name, needs: [i == 0 ? "gateway" : names[i - 1]])
        })
    }
}

