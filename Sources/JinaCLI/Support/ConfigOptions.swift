import ArgumentParser
import Foundation
import JinaConfig

/// Options every command that reads configs shares.
struct ConfigOptions: ParsableArguments {
    @Option(name: .customLong("var"), help: ArgumentHelp("Set a context variable for ${{ NAME }} (repeatable).", valueName: "NAME=VALUE"))
    var variables: [String] = []

    @Option(help: ArgumentHelp("The Python that runs Python executor classes (default: JINA_PYTHON, else python3 on PATH).", valueName: "path"))
    var python: String?

    @Option(name: .customLong("py-modules"),
            help: ArgumentHelp("A Python file every executor may take its class from, after its own py_modules (repeatable).",
                               valueName: "file.py"), completion: .file(extensions: ["py"]))
    var pyModules: [String] = []

    func validate() throws {
        for item in variables where !item.contains("=") || item.hasPrefix("=") {
            throw ValidationError("--var expects NAME=VALUE, got '\(item)'")
        }
    }

    var loader: ConfigLoader {
        var context: [String: String] = [:]
        for item in variables {
            let eq = item.firstIndex(of: "=")!
            context[String(item[..<eq])] = String(item[item.index(after: eq)...])
        }
        var loader = ConfigLoader(environment: environment, variables: context)
        let cwd = FileManager.default.currentDirectoryPath
        loader.extraPythonModules = pyModules.map { $0.hasPrefix("/") ? $0 : (cwd as NSString).appendingPathComponent($0) }
        return loader
    }

    /// The process environment, with `--python` as JINA_PYTHON.
    var environment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        if let python { env["JINA_PYTHON"] = python }
        return env
    }
}
