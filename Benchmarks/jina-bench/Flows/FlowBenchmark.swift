import Foundation
import JinaWire

/// `jina-bench flows`: start-up, shutdown, throughput (in process and over HTTP), one-document
/// latency and memory of Flows of trivial executors, for `jina` and, with `--python-jina VENV`,
/// for Python Jina 3 on the same machine in the same run; then the roofline (JSON coding and
/// pipe copies of the same documents). docs/benchmarks.md explains every figure.
enum FlowBenchmark {
    struct Options {
        var runs = 5
        var pythonRuns = 3
        var docs = 20_000
        var requestSize = 100
        var connections = 4
        var latencyRequests = 2_000
        var flows: [String] = Topology.all.map(\.name)
        var pythonVenv: String?
        var keep: String?
    }

    static let usage = """
        usage: jina-bench flows [--runs N] [--python-runs N] [--docs N] [--request-size N] [--connections N]
                                [--latency-requests N] [--flows a,b,…] [--python-jina VENV] [--keep DIR] [--quick]
        """

    static func run(_ arguments: [String]) {
        Bench.name = "jina-bench flows"
        var options = Options()
        var cursor = ArgumentCursor(arguments)
        while let option = cursor.option() {
            switch option {
            case "--runs": options.runs = cursor.number()
            case "--python-runs": options.pythonRuns = cursor.number()
            case "--docs": options.docs = cursor.number()
            case "--request-size": options.requestSize = cursor.number()
            case "--connections": options.connections = cursor.number()
            case "--latency-requests": options.latencyRequests = cursor.number()
            case "--flows":
                options.flows = cursor.value().split(separator: ",").map(String.init)
                for name in options.flows where !Topology.all.contains(where: { $0.name == name }) {
                    Bench.fail("unknown flow '\(name)'; the flows are \(Topology.all.map(\.name).joined(separator: ", "))")
                }
            case "--python-jina": options.pythonVenv = cursor.value()
            case "--keep": options.keep = cursor.value()
            case "--quick": options.runs = 1; options.pythonRuns = 1; options.docs = 2_000; options.latencyRequests = 200
            case "-h", "--help": print(usage); exit(0)
            default: Bench.fail("unknown option \(option)\n\(usage)")
            }
        }
        run(options)
    }

    // MARK: The run

    static func run(_ options: Options) {
        _ = signal(SIGPIPE, SIG_IGN)
        let dir = options.keep ?? NSTemporaryDirectory() + "jina-bench-flows-\(getpid())"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { if options.keep == nil { try? FileManager.default.removeItem(atPath: dir) } }

        var engines = [(Engine.swift(jina: Bench.jinaPath()), options.runs)]
        if let venv = options.pythonVenv { engines.append((Engine.python(venv: venv), options.pythonRuns)) }
        let topologies = Topology.all.filter { options.flows.contains($0.name) }

        print("jina-bench flows: \(options.docs) docs of short text, \(options.requestSize) per request, "
              + "\(options.connections) in flight over HTTP; latency: \(options.latencyRequests) one-doc requests")
        print("machine: \(Bench.machine())")
        print("jina: \(Bench.jinaPath())")
        if let venv = options.pythonVenv { print("Python Jina: \(Engine.pythonVersion(venv: venv)) in \(venv)") }
        print("uptime before: \(Bench.shell("uptime"))")
        let others = ProcessTree.running(executable: Bench.jinaPath())
        if !others.isEmpty {
            // They share the binary's pages, which lowers every PSS figure measured here.
            print("warning: \(others.count) other process(es) run this jina (pids \(others.map(String.init).joined(separator: " "))); PSS figures will read low")
        }
        print("")

        let corpus = Corpus(count: options.docs, directory: dir)
        // On the quiet machine, before any Flow has run.
        let roofline = Roofline.measure(corpus: corpus, requestSize: options.requestSize)
        // One untimed start of each engine first, so no figure pays for a cold page cache.
        for (engine, _) in engines {
            guard let topology = topologies.first(where: { engine.flowYAML($0, 0, "") != nil }) else { continue }
            var quick = options
            quick.latencyRequests = 10
            _ = try? measure(topology, engine, run: 0, corpus: corpus, options: quick, directory: dir)
        }
        var results = Results()
        for topology in topologies {
            for (engine, runs) in engines {
                guard engine.flowYAML(topology, 0, "") != nil else { continue }
                for run in 1...runs {
                    do {
                        let figures = try measure(topology, engine, run: run, corpus: corpus, options: options, directory: dir)
                        results.add(figures, engine: engine.name, topology: topology.name)
                        print("\(topology.name) · \(engine.name) · run \(run): " + figures.summary)
                    } catch {
                        print("\(topology.name) · \(engine.name) · run \(run): FAILED: \(error)")
                        results.failed(engine: engine.name, topology: topology.name, reason: "\(error)")
                    }
                }
            }
        }
        print("\nuptime after: \(Bench.shell("uptime"))")
        results.printTable(topologies: topologies, engines: engines.map(\.0.name))
        roofline.print(results: results)
    }

    /// Everything measured on one start of one Flow.
    static func measure(_ topology: Topology, _ engine: Engine, run: Int, corpus: Corpus, options: Options,
                        directory: String) throws -> Figures {
        let runDir = "\(directory)/\(topology.name)-\(engine.name.filter(\.isLetter))-\(run)"
        try FileManager.default.createDirectory(atPath: runDir, withIntermediateDirectories: true)
        /// The Flow's YAML for this engine, written to `name` in the run's directory.
        func writeFlow(_ name: String, port: Int, workspace: String) -> String {
            let path = runDir + "/" + name
            let yaml = engine.flowYAML(topology, port, runDir + "/" + workspace)!
            guard FileManager.default.createFile(atPath: path, contents: Data(yaml.utf8)) else { Bench.fail("cannot write \(path)") }
            return path
        }
        let port = freePort()
        let flowPath = writeFlow("flow.yml", port: port, workspace: "workspace")
        var figures = Figures()

        // Served: start-up, idle memory, latency, HTTP throughput with memory under load, shutdown.
        let start = Bench.now()
        let flow = try engine.serve(flowPath, port, runDir + "/serve.log")
        let tree = ProcessTree(root: flow.pid)
        defer {
            if !flow.wait(timeout: 0) {
                tree.killAll()
                flow.wait(timeout: 5)
            }
        }
        do {
            figures.startup = try HTTPLoad.waitReady(port: port, route: engine.readyRoute, since: start, timeout: 120,
                                                     alive: { !flow.wait(timeout: 0) }, isReady: engine.isReady)
        } catch {
            throw Engine.Failure(description: "\(error)\n\(flow.logTail())")
        }
        usleep(300_000)
        let idle = tree.members()
        figures.idleRSS = ProcessTree.rss(idle)
        figures.idlePSS = ProcessTree.pss(idle)
        figures.processes = Double(idle.count)

        let bodies = corpus.batches(of: options.requestSize).map { HTTPLoad.body($0, endpoint: topology.throughputEndpoint) }
        if engine.servesDocuments(topology) {
            let one = HTTPLoad.body(corpus.documents[0..<1], endpoint: topology.latencyEndpoint)
            let latencies = try HTTPLoad.latencies(port: port, route: engine.postRoute, body: one, count: options.latencyRequests)
            figures.latencyP50 = Bench.percentile(latencies, 0.5)
            figures.latencyP99 = Bench.percentile(latencies, 0.99)

            let sampler = MemorySampler(tree)
            let seconds = try HTTPLoad.throughput(port: port, route: engine.postRoute, bodies: bodies, connections: options.connections) { first in
                try check(first, topology: topology, sent: min(options.requestSize, corpus.documents.count))
            }
            let peaks = sampler.stop()
            figures.httpDocsPerSecond = Double(corpus.documents.count) / seconds
            figures.httpRequestsPerSecond = Double(bodies.count) / seconds
            figures.loadRSS = peaks.rss
            figures.loadPSS = peaks.pss
        }

        if let clientPost = engine.clientPost {
            let wall = clientPost(port, corpus.path, topology.throughputEndpoint, options.requestSize, runDir)
            figures.clientPostDocsPerSecond = Double(corpus.documents.count) / wall
        }

        let members = tree.members()
        let stopStart = Bench.now()
        flow.signal(engine.stopSignal)
        guard flow.wait(timeout: 60) else { throw Engine.Failure(description: "the Flow did not exit within 60 s of the signal") }
        while members.contains(where: ProcessTree.isAlive) {
            guard Bench.now() - stopStart < 60 else { throw Engine.Failure(description: "processes of the Flow outlived it by 60 s") }
            usleep(500)
        }
        figures.shutdown = Bench.now() - stopStart

        // In process: no HTTP.
        let inputs = Engine.InProcessInputs(docsPath: corpus.path, docs: corpus.documents.count,
                                            outputLines: corpus.documents.count * topology.swiftLinesPerDoc,
                                            requestSize: options.requestSize, endpoint: topology.throughputEndpoint, directory: runDir)
        // Its own workspace, so an indexer starts as empty as it did when served.
        let runFlowPath = writeFlow("flow-run.yml", port: freePort(), workspace: "workspace-run")
        let inProcess = try engine.runInProcess(runFlowPath, inputs)
        figures.runStartup = inProcess.startup
        figures.runDocsPerSecond = Double(corpus.documents.count) / inProcess.seconds
        figures.runRequestsPerSecond = Double(bodies.count) / inProcess.seconds
        figures.runRSS = inProcess.peakRSS
        figures.runPSS = inProcess.peakPSS
        if options.keep == nil { try? FileManager.default.removeItem(atPath: runDir) }
        return figures
    }

    /// The first answer has documents, upper-cased where the Flow upper-cases.
    static func check(_ body: [UInt8], topology: Topology, sent: Int) throws {
        let documents = try HTTPLoad.documents(body)
        guard documents.count >= sent else { throw Engine.Failure(description: "sent \(sent) documents, got \(documents.count) back") }
        if topology.upperCases, let text = documents.first?["text"]?.stringValue, text != text.uppercased() {
            throw Engine.Failure(description: "the answer is not upper-cased: \(text)")
        }
    }

    /// A port nobody listens on now (bound to port 0 and released).
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
