import Foundation
import SeededRandom
import JinaWire

/// `jina-bench indexer`: the built-in VectorIndexer with the `jina` next to this binary (build
/// both in release: `swift build -c release`). Generates `--docs` documents with random
/// `--dim`-float embeddings (SplitMix64, seed 42; written as JSON Lines, embeddings given
/// directly, so the Flow is the indexer alone) and, `--runs` times, each time in a fresh workspace:
///
/// - index: `jina flow run --uses flow.yml --on /index --inputs docs.jsonl` (request size 100,
///   stdout to /dev/null), wall time of the whole command → docs/s. For attribution, the same
///   input through the same Flow with `BaseExecutor` (a pass-through that stores nothing), and
///   the same batches sent to `jina executor --stdio` (the indexer alone, no Flow) frame by frame;
/// - size: index.sqlite (plus -wal/-shm if any) after the Flow has exited;
/// - load: `jina executor --stdio --spec {VectorIndexer…}` on the full workspace, time from spawn to
///   its hello frame (the hello comes after the store is loaded), and the same on an empty workspace;
/// - search: on that executor, `--queries` one-query `/search` calls with top_k 10 (cosine), one
///   at a time; round trip of each (frame written → result frame read) → median and p99; and the
///   same with metric euclidean;
/// - end to end: `jina flow run --on /search` of the queries with request size 1, prefetch 1, wall.
///
/// Every figure: the median of the runs, with min and max. `uptime` before and after.
enum IndexerBenchmark {
    struct Options {
        var docs = 100_000
        var dim = 256
        var runs = 3
        var queries = 100
        var keep: String?
    }

    static func run(_ arguments: [String]) {
        Bench.name = "jina-bench indexer"
        var options = Options()
        var cursor = ArgumentCursor(arguments)
        while let option = cursor.option() {
            switch option {
            case "--docs": options.docs = cursor.number()
            case "--dim": options.dim = cursor.number()
            case "--runs": options.runs = cursor.number()
            case "--queries": options.queries = cursor.number()
            case "--keep": options.keep = cursor.value()
            case "--quick": options.docs = 10_000; options.runs = 1
            default: Bench.fail("unknown option \(option)")
            }
        }
        run(options)
    }

    // MARK: The benchmark

    static func run(_ options: Options) {
        let jina = Bench.jinaPath()
        let dir = options.keep ?? NSTemporaryDirectory() + "jina-bench-indexer-\(getpid())"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { if options.keep == nil { try? FileManager.default.removeItem(atPath: dir) } }

        print("jina-bench indexer: \(options.docs) docs × \(options.dim) floats, \(options.runs) runs, \(options.queries) queries, top_k 10")
        print("jina: \(jina)")
        print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, \(Bench.cpuModel())")
        print("uptime before: \(Bench.shell("uptime"))")

        let docsPath = dir + "/docs.jsonl", queriesPath = dir + "/queries.jsonl"
        var generator = SplitMix64(seed: 42)
        let docBytes = writeDocuments(to: docsPath, count: options.docs, dim: options.dim, idPrefix: "doc-", &generator)
        var queryGenerator = SplitMix64(seed: 4242)
        _ = writeDocuments(to: queriesPath, count: options.queries, dim: options.dim, idPrefix: "q-", &queryGenerator)
        let queryLines = ((try? String(contentsOfFile: queriesPath, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        print("input: \(Bench.fixed(Double(docBytes) / 1e6, 1)) MB of JSON Lines (\(docBytes / options.docs) bytes/doc)\n")

        var index: [Double] = [], passThrough: [Double] = [], direct: [Double] = []
        var sizes: [Double] = [], loads: [Double] = [], emptyLoads: [Double] = []
        var medians: [Double] = [], p99s: [Double] = [], euclideanMedians: [Double] = [], endToEnd: [Double] = []
        for run in 1...options.runs {
            let workspace = "\(dir)/ws-\(run)"
            try? FileManager.default.removeItem(atPath: workspace)
            writeFlow(dir + "/flow-\(run).yml", uses: "VectorIndexer", workspace: workspace)
            writeFlow(dir + "/pass-\(run).yml", uses: "BaseExecutor", workspace: workspace + "-pass")

            let indexSeconds = Bench.timeCommand(jina, ["flow", "run", "--uses", "flow-\(run).yml", "--on", "/index", "--inputs", docsPath,
                                                  "--request-size", "100"], in: dir)
            index.append(Double(options.docs) / indexSeconds)
            let passSeconds = Bench.timeCommand(jina, ["flow", "run", "--uses", "pass-\(run).yml", "--on", "/index", "--inputs", docsPath,
                                                 "--request-size", "100"], in: dir)
            passThrough.append(Double(options.docs) / passSeconds)

            let files = ["index.sqlite", "index.sqlite-wal", "index.sqlite-shm"].map { "\(workspace)/indexer/\($0)" }
            let bytes = files.compactMap { (try? FileManager.default.attributesOfItem(atPath: $0))?[.size] as? Int }.reduce(0, +)
            sizes.append(Double(bytes))

            // The indexer alone: one process, the same batches of 100 as frames.
            let directWorkspace = workspace + "-direct"
            try? FileManager.default.removeItem(atPath: directWorkspace)
            do {
                let executor = try StdioExecutor(jina: jina, workspace: directWorkspace, in: dir)
                let seconds = try executor.indexFile(docsPath, batch: 100)
                direct.append(Double(options.docs) / seconds)
                executor.finish()
            } catch { Bench.fail("direct index: \(error)") }

            do {
                let empty = try StdioExecutor(jina: jina, workspace: dir + "/empty-\(run)", in: dir)
                emptyLoads.append(empty.readySeconds)
                empty.finish()
                let executor = try StdioExecutor(jina: jina, workspace: workspace, in: dir)
                loads.append(executor.readySeconds)
                for metric in ["cosine", "euclidean"] {
                    var times: [Double] = []
                    for (n, query) in queryLines.enumerated() {
                        let (seconds, matches) = try executor.search(query, topK: 10, metric: metric)
                        if n == 0 && matches != 10 { Bench.fail("a query got \(matches) matches, not 10") }
                        times.append(seconds)
                    }
                    times.sort()
                    if metric == "cosine" {
                        medians.append(Bench.percentile(times, 0.5))
                        p99s.append(Bench.percentile(times, 0.99))
                    } else {
                        euclideanMedians.append(Bench.percentile(times, 0.5))
                    }
                }
                executor.finish()
            } catch { Bench.fail("search: \(error)") }

            endToEnd.append(Bench.timeCommand(jina, ["flow", "run", "--uses", "flow-\(run).yml", "--on", "/search", "--inputs", queriesPath,
                                               "--request-size", "1", "--prefetch", "1", "--parameters", #"{"top_k": 10}"#], in: dir))
            print("run \(run): index \(Int(index.last!)) docs/s (pass-through Flow \(Int(passThrough.last!)), indexer alone \(Int(direct.last!))), "
                  + "\(Bench.fixed(sizes.last! / 1e6, 1)) MB, load \(Bench.ms(loads.last!)) ms (empty \(Bench.ms(emptyLoads.last!)) ms), "
                  + "query median \(Bench.ms(medians.last!)) ms p99 \(Bench.ms(p99s.last!)) ms (euclidean \(Bench.ms(euclideanMedians.last!)) ms), "
                  + "\(options.queries) queries through flow run \(Bench.ms(endToEnd.last!)) ms")
            for path in [workspace, workspace + "-pass", directWorkspace, dir + "/empty-\(run)"] where options.keep == nil || path != workspace {
                try? FileManager.default.removeItem(atPath: path)
            }
        }

        print("\nmedian of \(options.runs) runs [min–max]")
        Bench.line("index, jina flow run (docs/s)", index, digits: 0)
        Bench.line("  same Flow, BaseExecutor instead (docs/s)", passThrough, digits: 0)
        Bench.line("  indexer alone over stdio frames (docs/s)", direct, digits: 0)
        Bench.line("database on disk (MB)", sizes.map { $0 / 1e6 }, digits: 1)
        Bench.line("load: spawn → hello, \(options.docs) rows (ms)", loads.map { $0 * 1e3 }, digits: 1)
        Bench.line("  same, empty workspace (ms)", emptyLoads.map { $0 * 1e3 }, digits: 1)
        Bench.line("query top-10 cosine, median of \(options.queries) (ms)", medians.map { $0 * 1e3 }, digits: 2)
        Bench.line("query top-10 cosine, p99 of \(options.queries) (ms)", p99s.map { $0 * 1e3 }, digits: 2)
        Bench.line("query top-10 euclidean, median (ms)", euclideanMedians.map { $0 * 1e3 }, digits: 2)
        Bench.line("\(options.queries) queries via flow run, wall (ms)", endToEnd.map { $0 * 1e3 }, digits: 0)
        print("\nuptime after: \(Bench.shell("uptime"))")
    }

    // MARK: Inputs

    /// Writes `count` documents `{"id":"<prefix>00000001","embedding":[…]}` and returns the bytes written.
    static func writeDocuments(to path: String, count: Int, dim: Int, idPrefix: String, _ generator: inout SplitMix64) -> Int {
        FileManager.default.createFile(atPath: path, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: path) else { Bench.fail("cannot write \(path)") }
        defer { try? handle.close() }
        var buffer: [UInt8] = []
        var total = 0
        for i in 0..<count {
            buffer += Array(#"{"id":"\#(idPrefix)\#(String(format: "%08d", i))","embedding":["#.utf8)
            for k in 0..<dim {
                if k > 0 { buffer.append(UInt8(ascii: ",")) }
                buffer += Array(Float(generator.nextUnit() * 2 - 1).description.utf8)
            }
            buffer += Array("]}\n".utf8)
            if buffer.count > 1 << 20 {
                handle.write(Data(buffer))
                total += buffer.count
                buffer.removeAll(keepingCapacity: true)
            }
        }
        handle.write(Data(buffer))
        return total + buffer.count
    }

    static func writeFlow(_ path: String, uses: String, workspace: String) {
        let text = """
            jtype: Flow
            executors:
              - name: indexer
                uses: \(uses)
                workspace: \(workspace)

            """
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
    }

    /// `jina executor --stdio` running VectorIndexer, spoken to in frames (docs/protocol.md).
    final class StdioExecutor {
        let process = Process()
        let input: FileHandle
        let output: Int32
        let readySeconds: Double
        private var nextID = 1

        struct Failure: Error, CustomStringConvertible { let description: String }

        init(jina: String, workspace: String, in directory: String) throws {
            let spec = #"{"jtype":"VectorIndexer","with":{},"name":"VectorIndexer","requests":{},"workspace":"\#(workspace)"}"#
            process.executableURL = URL(fileURLWithPath: jina)
            process.arguments = ["executor", "--stdio", "--spec", spec, "--label", "indexer"]
            process.currentDirectoryURL = URL(fileURLWithPath: directory)
            let stdin = Pipe(), stdout = Pipe()
            process.standardInput = stdin
            process.standardOutput = stdout
            process.standardError = FileHandle.standardError
            input = stdin.fileHandleForWriting
            output = stdout.fileHandleForReading.fileDescriptor
            let clock = ContinuousClock()
            let start = clock.now
            try process.run()
            let hello = try Self.readFrame(output)
            readySeconds = Bench.duration(clock.now - start)
            guard hello.header["kind"]?.stringValue == "hello" else { throw Failure(description: "no hello: \(hello.header)") }
        }

        /// Sends one call and waits for its answer; the round trip in seconds and the answer.
        func call(endpoint: String, parameters: String, body: [UInt8], count: Int) throws -> (seconds: Double, header: JSONValue, body: [UInt8]) {
            let id = nextID
            nextID += 1
            let header = Array(#"{"v":1,"kind":"call","id":\#(id),"endpoint":"\#(endpoint)","parameters":\#(parameters),"count":\#(count),"request_id":"bench-\#(id)"}"#.utf8)
            var frame: [UInt8] = []
            frame.reserveCapacity(8 + header.count + body.count)
            for value in [UInt32(header.count), UInt32(body.count)] { withUnsafeBytes(of: value.bigEndian) { frame += $0 } }
            frame += header
            frame += body
            let clock = ContinuousClock()
            let start = clock.now
            input.write(Data(frame))
            let answer = try Self.readFrame(output)
            let seconds = Bench.duration(clock.now - start)
            guard answer.header["kind"]?.stringValue == "result", answer.header["id"]?.intValue == id else {
                throw Failure(description: "call \(id) \(endpoint): \(answer.header)")
            }
            return (seconds, answer.header, answer.body)
        }

        func search(_ queryLine: String, topK: Int, metric: String) throws -> (seconds: Double, matches: Int) {
            let answer = try call(endpoint: "/search", parameters: #"{"top_k":\#(topK),"metric":"\#(metric)"}"#,
                                  body: Array("[\(queryLine)]".utf8), count: 1)
            let matches = (try? JSONParser.parse(answer.body))?.arrayValue?.first?["matches"]?.arrayValue?.count ?? -1
            return (answer.seconds, matches)
        }

        /// Sends the file's documents in batches, one call at a time; total seconds (from the
        /// first frame written to the last answer read, file reading excluded).
        func indexFile(_ path: String, batch: Int) throws -> Double {
            let lines = ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n")
            var total = 0.0
            var start = 0
            while start < lines.count {
                let chunk = lines[start..<min(start + batch, lines.count)]
                let body = Array(("[" + chunk.joined(separator: ",") + "]").utf8)
                total += try call(endpoint: "/index", parameters: "{}", body: body, count: chunk.count).seconds
                start += batch
            }
            return total
        }

        func finish() {
            try? input.close()
            process.waitUntilExit()
        }

        static func readFrame(_ fd: Int32) throws -> (header: JSONValue, body: [UInt8]) {
            let sizes = try readExactly(fd, 8)
            let headerLength = sizes[0..<4].reduce(0) { $0 << 8 | Int($1) }
            let bodyLength = sizes[4..<8].reduce(0) { $0 << 8 | Int($1) }
            let header = try JSONParser.parse(try readExactly(fd, headerLength))
            return (header, try readExactly(fd, bodyLength))
        }

        static func readExactly(_ fd: Int32, _ count: Int) throws -> [UInt8] {
            var bytes = [UInt8](repeating: 0, count: count)
            var have = 0
            while have < count {
                let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + have, count - have) }
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { throw Failure(description: "the executor closed its output") }
                have += n
            }
            return bytes
        }
    }
}
