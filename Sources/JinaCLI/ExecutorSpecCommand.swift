import ArgumentParser
import Foundation
import JinaConfig
import JinaExecutor
import JinaWire

/// `jina executor spec --uses my.yml`: an executor YAML as the JSON its host is given, so that
/// the Python API's `Executor.load_config` needs no YAML parser of its own.
struct ExecutorSpecCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spec",
        abstract: "Print an executor YAML as the JSON spec its host is given.",
        discussion: """
            Reads the executor YAML (with substitution, as a Flow would) and prints one JSON \
            object: jtype, with, requests, metas (name, description, workspace, py_modules). \
            Problems are printed to stderr as lint prints them; exits 78 when there are errors.
            """
    )

    @Option(help: ArgumentHelp("The executor YAML.", valueName: "exec.yml"), completion: .file(extensions: ["yml", "yaml"]))
    var uses: String

    @OptionGroup var config: ConfigOptions

    func run() throws {
        let result = config.loader.load(path: uses)
        let printer = DiagnosticPrinter(colour: Terminal.useColour(on: STDERR_FILENO))
        for d in result.diagnostics where d.severity != .note { Terminal.show(d, printer) }
        guard !result.hasErrors, case .executor(let executorConfig) = result.document else {
            if case .flow = result.document { Terminal.error("\(uses) is a Flow, not an executor") }
            throw ExitCode.configError
        }
        let spec = PythonHost.spec(for: executorConfig)
        FileHandle.standardOutput.write(Data((spec.jsonString + "\n").utf8))
    }
}
