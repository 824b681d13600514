import ArgumentParser
import Foundation
import JinaConfig

/// Options every command that reads configs shares.
struct ConfigOptions: ParsableArguments {
    @Option(name: .customLong("var"), help: ArgumentHelp("Set a context variable for ${{ NAME }} (repeatable).", valueName: "NAME=VALUE"))
    var variables: [String] = []

    @Option(help: ArgumentHelp("The Python that runs Python executor classes (default: JINA_PYTHON, else python3 on PATH).", valueName: "path"))
    var python: String?

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
        return ConfigLoader(environment: environment, variables: context)
    }

    /// The process environment, with `--python` as JINA_PYTHON.
    var environment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        if let python { env["JINA_PYTHON"] = python }
        return env
    }
}
