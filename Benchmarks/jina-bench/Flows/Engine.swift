import Foundation
import JinaClient

/// How one implementation serves and runs a Flow: `jina` (Swift) or Python Jina 3. The harness
/// measures both the same way through this.
struct Engine {
    let name: String
    /// The whole Flow YAML for a topology, or nil when this engine cannot run it.
    let flowYAML: (Topology, _ port: Int, _ workspace: String) -> String?
    /// Serves the Flow over HTTP on the port written in the YAML.
    let serve: (_ flowPath: String, _ port: Int, _ log: String) throws -> ChildProcess
    /// GET this until `isReady` says the whole Flow is ready.
    let readyRoute: String
    let isReady: (HTTPResponse) -> Bool
    /// Where documents are POSTed (the endpoint goes in the body too).
    let postRoute: String
    /// The signal a user sends to stop a served Flow.
    let stopSignal: Int32
    /// Runs the documents through the Flow without HTTP (in-process for the Flow's own client):
    /// the seconds the documents took, start-up and shutdown excluded, and the peak memory.
    let runInProcess: (_ flowPath: String, _ inputs: InProcessInputs) throws -> InProcessResult
    /// The engine's own command-line client posting a JSON Lines file to a served Flow (port,
    /// file, endpoint, request size, directory); its wall time, its start included. Nil: none.
    var clientPost: ((_ port: Int, _ inputs: String, _ endpoint: String, _ requestSize: Int, _ directory: String) -> Double)?
    /// Whether a served Flow of this topology takes documents over HTTP (Python Jina 3's gateway
    /// has no POST route without executors).
    var servesDocuments: (Topology) -> Bool = { _ in true }

    struct InProcessInputs {
        let docsPath: String
        let docs: Int
        /// Lines `jina flow run` writes for them (a join of 3 branches concatenates: 3 per doc).
        let outputLines: Int
        let requestSize: Int
        let endpoint: String
        let directory: String
    }

    struct InProcessResult {
        /// Spawn → ready to take documents.
        let startup: Double
        /// The documents' time: first written → last answered.
        let seconds: Double
        let peakRSS: Double
        let peakPSS: Double
    }

    struct Failure: Error, CustomStringConvertible { let description: String }

    /// Runs a child to its end while sampling its tree's memory; wall seconds and the peaks.
    static func measuredRun(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                            stdout: String, log: String, timeout: Double = 600) throws -> (started: Double, seconds: Double, rss: Double, pss: Double) {
        let start = Bench.now()
        let child = try ChildProcess(executable, arguments, environment: environment, stdout: .file(stdout), log: log)
        let sampler = MemorySampler(ProcessTree(root: child.pid))
        let exited = child.wait(timeout: timeout)
        let seconds = Bench.now() - start
        let peaks = sampler.stop()
        guard exited else {
            ProcessTree(root: child.pid).killAll()
            child.wait(timeout: 5)
            throw Failure(description: "\(executable) \(arguments.joined(separator: " ")) did not finish in \(Int(timeout)) s")
        }
        guard let status = child.exitStatus, status == 0 else {
            throw Failure(description: "\(executable) \(arguments.joined(separator: " ")) failed (wait status \(child.exitStatus ?? -1)): \(child.logTail())")
        }
        return (start, seconds, peaks.rss, peaks.pss)
    }
}

extension Engine {
    /// `jina` (Swift): `jina flow --uses flow.yml` serves; `jina flow run --inputs` runs in process.
    static func swift(jina: String) -> Engine {
        Engine(
            name: swiftName,
            flowYAML: { topology, port, workspace in
                "jtype: Flow\nwith:\n  port: \(port)\nexecutors: \(topology.swiftExecutors.replacingOccurrences(of: "WORKSPACE", with: workspace))\n"
            },
            serve: { flowPath, _, log in try ChildProcess(jina, ["flow", "--uses", flowPath], log: log) },
            readyRoute: "/ready",
            isReady: { $0.status == 200 },
            postRoute: "/post",
            stopSignal: SIGTERM,
            runInProcess: { flowPath, inputs in try swiftFlowRun(jina: jina, flowPath: flowPath, inputs) },
            clientPost: { port, inputs, endpoint, requestSize, directory in
                Bench.timeCommand(jina, ["client", "post", "--port", String(port), "--inputs", inputs,
                                         "--on", endpoint, "--request-size", String(requestSize)], in: directory)
            })
    }

    /// `jina flow run --inputs - --verbose`: once its "ready:" line is in the log, the documents
    /// go to its stdin at once; timed from the first byte written to the last answer line read.
    static func swiftFlowRun(jina: String, flowPath: String, _ inputs: InProcessInputs) throws -> InProcessResult {
        guard let documents = FileManager.default.contents(atPath: inputs.docsPath).map(Array.init) else {
            throw Failure(description: "cannot read \(inputs.docsPath)")
        }
        let start = Bench.now()
        let child = try ChildProcess(jina, ["flow", "run", "--uses", flowPath, "--inputs", "-", "--on", inputs.endpoint,
                                            "--request-size", String(inputs.requestSize), "--verbose"],
                                     stdin: .pipe, stdout: .pipe, log: inputs.directory + "/flow-run.log")
        let tree = ProcessTree(root: child.pid)
        defer { if !child.wait(timeout: 0) { tree.killAll(); child.wait(timeout: 5) } }
        let sampler = MemorySampler(tree)
        while !child.log.contains("ready:") {
            guard !child.wait(timeout: 0) else { throw Failure(description: "flow run ended before it was ready: \(child.logTail())") }
            guard Bench.now() - start < 120 else { throw Failure(description: "flow run not ready after 120 s") }
            usleep(200)
        }
        let ready = Bench.now()
        sampler.sampleNow()
        let lines = LineCounter(fd: child.output!, expected: inputs.outputLines)
        let first = Bench.now()
        try child.write(documents)
        child.closeInput()
        guard let last = lines.waitForAll(timeout: 600) else {
            throw Failure(description: "flow run wrote \(lines.count) of \(inputs.outputLines) lines: \(child.logTail())")
        }
        sampler.sampleNow()
        guard child.wait(timeout: 60), child.exitStatus == 0 else { throw Failure(description: "flow run failed: \(child.logTail())") }
        let peaks = sampler.stop()
        return InProcessResult(startup: ready - start, seconds: last - first, peakRSS: peaks.rss, peakPSS: peaks.pss)
    }
}

/// Reads a child's stdout on its own thread, counting lines, and notes when the expected count
/// is reached; it reads on to the end so the child never blocks on a full pipe.
final class LineCounter: @unchecked Sendable {  // fields guarded by `lock`
    private let lock = NSLock()
    private var lines = 0
    private var reachedAt: Double?
    private let reached = DispatchSemaphore(value: 0)

    init(fd: Int32, expected: Int) {
        Thread { [self] in
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            var signalled = false
            while true {
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                let newlines = buffer[0..<n].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
                let now = Bench.now()
                let total = lock.withLock { lines += newlines; return lines }
                if !signalled && total >= expected {
                    lock.withLock { reachedAt = now }
                    signalled = true
                    reached.signal()
                }
            }
            if !signalled { reached.signal() }
        }.start()
    }

    var count: Int { lock.withLock { lines } }

    /// When the last expected line was read; nil if the output ended before, or on timeout.
    func waitForAll(timeout: Double) -> Double? {
        guard reached.wait(timeout: .now() + timeout) == .success else { return nil }
        return lock.withLock { reachedAt }
    }
}
