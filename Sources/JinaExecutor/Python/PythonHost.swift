import Foundation
import JinaConfig
import JinaWire

/// Runs Python executor classes: the Python SDK (`jina` module and host script) is embedded in
/// the `jina` binary and written to a cache directory on first use, so it is found wherever the
/// binary is, with no Python Jina installed.
public enum PythonHost {
    struct Unavailable: Error, CustomStringConvertible {
        let description: String
    }

    /// The command that serves `config` as an executor over stdin/stdout.
    public static func command(for config: ExecutorConfig, className: String, label: String, runtime: RuntimeArgs? = nil,
                        environment: [String: String]) throws -> (executable: String, arguments: [String]) {
        guard let python = PythonInterpreter.find(environment: environment) else {
            throw Unavailable(description: "\(label): the Python class \(className) needs Python: \(PythonInterpreter.missingMessage(environment: environment))")
        }
        let host = try materialize()
        return (python, [host, "--spec", spec(for: config, runtime: runtime).jsonString, "--label", label])
    }

    /// What the host is given to build the executor: its class, `with:`, `requests:`, `metas`
    /// (name, description, workspace, py_modules) and the runtime arguments.
    public static func spec(for config: ExecutorConfig, runtime: RuntimeArgs? = nil) -> JSONValue {
        var metas = JSONObject()
        metas["name"] = config.metas.name.map(JSONValue.string)
        metas["description"] = config.metas.description.map(JSONValue.string)
        metas["workspace"] = config.metas.workspace.map(JSONValue.string)
        metas["py_modules"] = .array(config.metas.pyModules.map(JSONValue.string))
        var executorSpec = ExecutorSpec(config)
        executorSpec.runtime = runtime
        var spec = executorSpec.json.objectValue ?? JSONObject()
        spec["metas"] = .object(metas)
        return .object(spec)
    }

    /// Writes the embedded files under a directory named by their content hash (once; later runs
    /// reuse it) and returns the host script's path.
    static func materialize() throws -> String {
        guard !EmbeddedPythonSDK.files.isEmpty else {
            throw Unavailable(description: "this build of jina has no Python executor host")
        }
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for file in EmbeddedPythonSDK.files {
            for byte in Array(file.path.utf8) + Array(file.contents.utf8) { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        }
        let environment = ProcessInfo.processInfo.environment
        let base = environment["XDG_CACHE_HOME"] ?? environment["HOME"].map { "\($0)/.cache" } ?? NSTemporaryDirectory()
        let directory = "\(base)/jina/python-sdk-\(String(hash, radix: 16))"
        let host = "\(directory)/jina_executor_host.py"
        if FileManager.default.fileExists(atPath: host) { return host }
        // Write into a fresh directory, then rename it into place: concurrent starts never see half a copy.
        let staging = "\(directory).\(getpid()).\(UInt32.random(in: 0 ... .max))"
        do {
            for file in EmbeddedPythonSDK.files {
                let path = "\(staging)/\(file.path)"
                try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try file.contents.write(toFile: path, atomically: false, encoding: .utf8)
            }
            try FileManager.default.createDirectory(atPath: (directory as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            if rename(staging, directory) != 0 { try? FileManager.default.removeItem(atPath: staging) }
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            throw Unavailable(description: "cannot write the Python executor host to \(directory): \(error.localizedDescription)")
        }
        guard FileManager.default.fileExists(atPath: host) else {
            throw Unavailable(description: "the Python executor host is missing from \(directory)")
        }
        return host
    }
}
