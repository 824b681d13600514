import ArgumentParser
import Foundation
import JinaConfig

/// `jina flow test FILE…`: run Flow tests written in YAML and report them for people or CI.
struct FlowTestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run Flow tests written in YAML: send documents, check what comes back.",
        discussion: """
            Each file names a Flow ('flow:', relative to the file) and lists tests; the Flow starts \
            once per file and each test sends one request: 'on' (default /default), optional \
            'parameters', and 'inputs' (documents) or 'inputs_file' (any --inputs form). A test \
            checks 'expect' (per output document, in order: each key listed must match; nested \
            objects match as subsets, lists element by element; numbers within 1e-6; documents \
            beyond those listed are not checked), 'expect_count' (the number of output \
            documents) or 'expect_error' (the request fails with a message containing it). \
            Prints 'file:line: PASS name' or 'FAIL name' with what differed (key path, expected, \
            got), then 'N passed, N failed'. Malformed test files are reported as lint reports \
            configs. Exits 0 when every test passes, 1 when one fails, 78 when a file or its \
            Flow has errors or the Flow does not start. See docs/flow-test.md.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, junit, json
    }

    @Argument(help: ArgumentHelp("Flow test files.", valueName: "file"), completion: .file(extensions: ["yml", "yaml"]))
    var files: [String]

    @Option(help: "Output format: text (a line per test), junit (JUnit XML for CI systems) or json.")
    var format: Format = .text

    @Option(help: ArgumentHelp("Milliseconds each request may take (0: no limit).", valueName: "ms"))
    var timeout = 30_000

    @OptionGroup var config: ConfigOptions

    @OptionGroup(title: "Logging") var logging: LogOptions

    func run() async throws {
        logging.apply()
        let printer = DiagnosticPrinter(colour: Terminal.useColour(on: STDERR_FILENO))
        let runner = FlowTestRunner(loader: config.loader, environment: config.environment, timeoutMilliseconds: timeout) { diagnostics in
            for d in diagnostics where d.severity != .note { Terminal.show(d, printer) }
        }
        var outcomes: [FlowTestFileOutcome] = []
        for file in files {
            outcomes.append(await runner.run(file: file))
        }
        let report = switch format {
        case .text: FlowTestReport.text(outcomes)
        case .junit: FlowTestReport.junit(outcomes)
        case .json: FlowTestReport.json(outcomes)
        }
        FileHandle.standardOutput.write(Data(report.utf8))
        let (_, failed, errors) = FlowTestReport.counts(outcomes)
        if errors > 0 { throw ExitCode.configError }
        if failed > 0 { throw ExitCode.failed }
    }
}
