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
    /// Where documents are POSTed (the endpoint goes in the body).
    let postRoute: String
    /// The signal a user sends to stop a served Flow.
    let stopSignal: Int32
    /// Runs the documents through the Flow without HTTP (in-process for the Flow's own client):
    /// the seconds the documents took, start-up and shutdown excluded, and the peak memory.
    let runInProcess: (_ flowPath: String, _ inputs: InProcessInputs) throws -> InProcessResult

    struct InProcessInputs {
        let docsPath: String
        let emptyPath: String
        let docs: Int
        let requestSize: Int
        let endpoint: String
        let directory: String
    }

    struct InProcessResult {
        let seconds: Double
        let peakRSS: Double
        let peakPSS: Double
    }

    struct Failure: Error, CustomStringConvertible { let description: String }

    /// Runs a child to its end while sampling its tree's memory; wall seconds and the peaks.
    static func measuredRun(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                            stdout: String, log: String, timeout: Double = 600) throws -> (seconds: Double, rss: Double, pss: Double) {
        let start = Bench.now()
        let child = try ChildProcess(executable, arguments, environment: environment, stdout: stdout, log: log)
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
        return (seconds, peaks.rss, peaks.pss)
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
            runInProcess: { flowPath, inputs in
                // The Flow's start and stop are measured on an empty input and taken away.
                func run(_ path: String) throws -> (seconds: Double, rss: Double, pss: Double) {
                    try measuredRun(jina, ["flow", "run", "--uses", flowPath, "--inputs", path, "--on", inputs.endpoint,
                                           "--request-size", String(inputs.requestSize)],
                                    stdout: "/dev/null", log: inputs.directory + "/flow-run.log")
                }
                let empty = try run(inputs.emptyPath)
                let full = try run(inputs.docsPath)
                return InProcessResult(seconds: max(full.seconds - empty.seconds, 1e-6), peakRSS: full.rss, peakPSS: full.pss)
            })
    }
}
