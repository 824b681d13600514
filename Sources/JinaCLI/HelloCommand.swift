import ArgumentParser
import Foundation
import JinaConfig
import JinaRuntime
import JinaWire

/// `jina hello`: index a bundled corpus and answer a few queries, with built-in executors only.
struct HelloCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hello",
        abstract: "Index a bundled corpus and ask it questions: jina's job in one command.",
        discussion: """
            Runs the demo Flow (a persistent full-text index ranked by BM25, as in \
            configs/hello/flow.yml) on its corpus of 3,234 short descriptions, then searches it \
            and prints the best matches with their scores. Both ship inside the binary, so it \
            runs from any directory; --uses and --corpus run other files instead. The index, and \
            the demo's flow.yml and corpus.jsonl, are kept in the workspace: \
            $XDG_DATA_HOME/jina/hello (~/.local/share/jina/hello) unless --workspace says \
            otherwise; a second run updates the same index.
            """
    )

    @Option(help: ArgumentHelp("The Flow to run instead of the demo's.", valueName: "flow.yml"), completion: .file(extensions: ["yml", "yaml"]))
    var uses: String?

    @Option(help: ArgumentHelp("Documents to index (JSON Lines) instead of the demo's corpus.", valueName: "file"), completion: .file())
    var corpus: String?

    @Option(name: .customLong("query"), help: ArgumentHelp("A question to ask (repeatable).", valueName: "text"))
    var queries: [String] = []

    @Option(help: "Matches shown per question.")
    var topK = 3

    @Option(help: ArgumentHelp("Where the index is kept (default: $XDG_DATA_HOME/jina/hello).", valueName: "dir"))
    var workspace: String?

    @OptionGroup(title: "Logging") var logging: LogOptions

    static let defaultQueries = [
        "read a file line by line", "parse command line arguments", "compress data with gzip",
        "random number generator", "current date and time",
    ]

    func run() async throws {
        logging.apply()
        // Absolute, so the Flow does not read it relative to its own file.
        let workspace = self.workspace.map { ($0 as NSString).isAbsolutePath ? $0 : FileManager.default.currentDirectoryPath + "/" + $0 }
            ?? Self.dataDirectory(ProcessInfo.processInfo.environment)
        var environment = ProcessInfo.processInfo.environment
        environment["JINA_HELLO_WORKSPACE"] = workspace
        let (flowPath, corpusPath): (String, String)
        do {
            (flowPath, corpusPath) = try unpackDemo(into: workspace)
        } catch {
            Terminal.error("cannot write the demo's files in \(workspace): \(error.localizedDescription); choose another --workspace")
            throw ExitCode.failed
        }

        let graph = try FlowLaunch.graph(flowPath, loader: ConfigLoader(environment: environment))
        let reader: InputReader
        do { reader = try InputReader(path: corpusPath, format: .jsonl) } catch {
            Terminal.error("\(error)")
            throw ExitCode.failed
        }
        let runtime = try FlowLaunch.runtime(graph, environment: environment, prefetch: 4)
        let started = ContinuousClock.now
        try await runtime.start()
        let ready = ContinuousClock.now - started

        // Index: batches of 200, a few in flight.
        var indexed = 0
        var failures: [String] = []
        let indexStart = ContinuousClock.now
        await withTaskGroup(of: FlowResponse.self) { group in
            var inFlight = 0
            while let batch = try? reader.nextBatch(200) {
                if inFlight == 4, let done = await group.next() { inFlight -= 1; record(done) }
                group.addTask { await runtime.post(FlowRequest(endpoint: "/index", body: batch.body, count: batch.count)) }
                inFlight += 1
            }
            for await done in group { record(done) }
            func record(_ response: FlowResponse) {
                if let failure = response.failure { failures.append(failure.description) } else { indexed += response.count }
            }
        }
        let indexTime = ContinuousClock.now - indexStart
        var out = "Flow ready in \(Self.milliseconds(ready)) ms; indexed \(indexed) documents in \(Self.milliseconds(indexTime)) ms "
        out += "(\(Int(Double(indexed) / max(indexTime.inSeconds, 1e-6))) docs/s)\n"
        for failure in failures.prefix(3) { out += "  failed: \(failure)\n" }

        // Search: one request per question.
        for question in queries.isEmpty ? Self.defaultQueries : queries {
            let body = JSONValue.array([.object(JSONObject([("id", .string("q")), ("text", .string(question))]))]).jsonBytes
            let askedAt = ContinuousClock.now
            let response = await runtime.post(FlowRequest(endpoint: "/search", parameters: JSONObject([("top_k", .number(JSONNumber(topK)))]),
                                                          body: body, count: 1))
            let took = ContinuousClock.now - askedAt
            out += "\n\u{201C}\(question)\u{201D}  (\(String(format: "%.1f", took.inSeconds * 1000)) ms)\n"
            if let failure = response.failure {
                out += "  failed: \(failure.description)\n"
                continue
            }
            let matches = (try? DocumentArray.decode(response.body))?.first?.matches ?? []
            if matches.isEmpty { out += "  (no matches)\n" }
            for (rank, match) in matches.enumerated() {
                // The search's own score comes first (bm25 for the demo's Flow, cosine for a vector one).
                let first = match.fields["scores"]?.objectValue?.first { _ in true }?.value["value"]?.doubleValue
                let score = first.map { String(format: "%6.3f", $0) } ?? "     - "
                let id = (match.id ?? "").padding(toLength: 34, withPad: " ", startingAt: 0)
                out += "  \(rank + 1)  \(score)  \(id)  \(Self.snippet(match.text ?? "", 70))\n"
            }
        }
        out += "\nThe index is kept in \(workspace) (JINA_HELLO_WORKSPACE for \(flowPath)).\n"
        FileHandle.standardOutput.write(Data(out.utf8))
        await runtime.stop(grace: .seconds(5))
        if !failures.isEmpty { throw ExitCode.failed }
    }

    /// Where the demo keeps its index by default: `$XDG_DATA_HOME/jina/hello`, else
    /// `~/.local/share/jina/hello` (the XDG base directory rule).
    static func dataDirectory(_ environment: [String: String]) -> String {
        if let data = environment["XDG_DATA_HOME"], data.hasPrefix("/") { return data + "/jina/hello" }
        return (environment["HOME"] ?? NSHomeDirectory()) + "/.local/share/jina/hello"
    }

    /// The Flow and corpus to run: the files given, or the demo's, written from the binary into
    /// the workspace (where a user can find them to run the Flow by hand).
    private func unpackDemo(into workspace: String) throws -> (flow: String, corpus: String) {
        let demo = Dictionary(uniqueKeysWithValues: EmbeddedHello.files)
        func unpacked(_ name: String) throws -> String {
            try FileManager.default.createDirectory(atPath: workspace, withIntermediateDirectories: true)
            let path = workspace + "/" + name
            try Data(demo[name]!.utf8).write(to: URL(fileURLWithPath: path))
            return path
        }
        return (try uses ?? unpacked("flow.yml"), try corpus ?? unpacked("corpus.jsonl"))
    }

    static func snippet(_ text: String, _ width: Int) -> String {
        text.count <= width ? text : String(text.prefix(width - 1)) + "…"
    }

    static func milliseconds(_ d: Duration) -> Int { Int(d.inSeconds * 1000) }
}
