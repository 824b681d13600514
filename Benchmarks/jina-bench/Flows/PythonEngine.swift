import Foundation
import JinaClient
import JinaWire

extension Engine {
    static let swiftName = "jina (Swift)"
    static let pythonName = "Python Jina"

    /// Benchmarks/python/ in this source tree: the trivial executors and the in-process script.
    static let pythonDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("python").path

    /// Quiet, no telemetry, as a benchmark should run it.
    static let pythonEnvironment = ["JINA_OPTOUT_TELEMETRY": "1", "JINA_LOG_LEVEL": "ERROR", "PYTHONUNBUFFERED": "1"]

    /// Python Jina 3 from a virtualenv (Benchmarks/python/setup-venv.sh makes one): `jina flow
    /// --uses flow.yml` serves over HTTP; `inprocess.py` runs `Flow.post` for the in-process figure.
    static func python(venv: String) -> Engine {
        let jina = venv + "/bin/jina", python = venv + "/bin/python"
        guard FileManager.default.isExecutableFile(atPath: jina) else {
            Bench.fail("no Python Jina at \(jina); run Benchmarks/python/setup-venv.sh \(venv) (Benchmarks/run --with-python-jina does)")
        }
        return Engine(
            name: pythonName,
            flowYAML: { topology, port, _ in
                topology.pythonExecutors.map { executors in
                    "jtype: Flow\nwith:\n  protocol: http\n  port: \(port)\nexecutors: "
                        + executors.replacingOccurrences(of: "EXECUTORS_PY", with: pythonDirectory + "/executors.py") + "\n"
                }
            },
            serve: { flowPath, _, log in try ChildProcess(jina, ["flow", "--uses", flowPath], environment: pythonEnvironment, log: log) },
            readyRoute: "/dry_run",
            isReady: { response in
                response.status == 200 && (try? JSONParser.parse(response.body))?["code"]?.intValue == 0
            },
            // docarray v2: the routes are the executors' endpoints; `@requests` alone is /default.
            postRoute: "/default",
            // SIGTERM to `jina flow` alone leaves its children serving; SIGINT stops the tree.
            stopSignal: SIGINT,
            runInProcess: { flowPath, inputs in
                let out = inputs.directory + "/inprocess.json"
                let run = try measuredRun(python, [pythonDirectory + "/inprocess.py", flowPath, inputs.docsPath,
                                                   "--request-size", String(inputs.requestSize), "--endpoint", inputs.endpoint],
                                          environment: pythonEnvironment, stdout: out, log: inputs.directory + "/inprocess.log")
                let text = FileManager.default.contents(atPath: out) ?? Data()
                guard let result = try? JSONParser.parse(Array(text)), let seconds = result["post_s"]?.doubleValue,
                      result["returned"]?.intValue ?? 0 >= inputs.docs else {
                    throw Failure(description: "inprocess.py answered \(String(decoding: text, as: UTF8.self))")
                }
                let startup = result["ready_monotonic"]?.doubleValue.map { $0 - run.started } ?? .nan
                return InProcessResult(startup: startup, seconds: seconds, peakRSS: run.rss, peakPSS: run.pss)
            },
            servesDocuments: { $0.executors > 0 })
    }

    static func pythonVersion(venv: String) -> String {
        Bench.shell("'\(venv)/bin/python' -c 'import jina, docarray; print(\"jina\", jina.__version__, \"docarray\", docarray.__version__)' 2>/dev/null")
    }
}
