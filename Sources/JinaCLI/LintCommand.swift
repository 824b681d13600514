import ArgumentParser
import Foundation
import JinaConfig

/// `jina flow lint FILE…`: validate configs without running anything.
struct LintCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check Flow and executor YAML files without starting anything.",
        discussion: """
            Checks each file and every executor YAML it reaches: YAML syntax, keys and their types, \
            variables, what each 'uses' names, and the 'needs' graph; a Flow test file (with \
            'tests:' and no 'jtype:') is checked as 'jina flow test' reads it. Prints one line per problem, \
            'file:line:col: error|warning|note: key.path: message'. A variable that is not set is \
            a warning here (set it before 'flow run', which stops on it); --strict makes every \
            warning an error. Exits 0 when there are no errors (warnings allowed), 1 otherwise.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Argument(help: ArgumentHelp("Flow or executor YAML files.", valueName: "file"), completion: .file(extensions: ["yml", "yaml"]))
    var files: [String]

    @Option(help: "Output format: text (one line per problem) or json (for editors and CI).")
    var format: Format = .text

    @Flag(help: "Treat every warning as an error (an unset variable too).")
    var strict = false

    @OptionGroup var config: ConfigOptions

    func run() async throws {
        var loader = config.loader
        loader.unsetVariablesAreWarnings = !strict
        var all = DiagnosticBagCollector()
        for file in files {
            all.add(loader.lint(path: file))
        }
        var diagnostics = all.items
        if strict {
            diagnostics = diagnostics.map { d in
                var d = d
                if d.severity == .warning { d.severity = .error }
                return d
            }
        }
        switch format {
        case .text:
            let printer = DiagnosticPrinter(colour: Terminal.useColour(on: STDOUT_FILENO))
            var output = ""
            for d in diagnostics { output += printer.line(d) + "\n" }
            FileHandle.standardOutput.write(Data(output.utf8))
            Terminal.say("\(files.count) file\(files.count == 1 ? "" : "s") checked: \(DiagnosticPrinter.summary(diagnostics))")
        case .json:
            FileHandle.standardOutput.write(Data((LintReport(files: files, diagnostics: diagnostics).json + "\n").utf8))
        }
        if diagnostics.contains(where: { $0.severity == .error }) { throw ExitCode.failed }
    }
}

/// Diagnostics of several files in order, each once (two Flows may reach the same executor YAML).
struct DiagnosticBagCollector {
    private(set) var items: [Diagnostic] = []
    private var seen = Set<Diagnostic>()

    mutating func add(_ diagnostics: [Diagnostic]) {
        for d in diagnostics where seen.insert(d).inserted { items.append(d) }
    }
}

/// The JSON form of a lint run.
struct LintReport {
    var files: [String]
    var diagnostics: [Diagnostic]

    var json: String {
        func field(_ d: Diagnostic) -> ConfigValue {
            var fields: [ConfigField] = [
                ConfigField(key: "file", value: .string(d.location.file)),
                ConfigField(key: "line", value: .int(d.location.mark.line)),
                ConfigField(key: "column", value: .int(d.location.mark.column)),
                ConfigField(key: "severity", value: .string(d.severity.rawValue)),
                ConfigField(key: "path", value: .string(d.path)),
                ConfigField(key: "message", value: .string(d.message)),
            ]
            fields.append(ConfigField(key: "hint", value: d.hint.map(ConfigValue.string) ?? .null))
            return .object(fields)
        }
        let report = ConfigValue.object([
            ConfigField(key: "files", value: .array(files.map(ConfigValue.string))),
            ConfigField(key: "errors", value: .int(diagnostics.filter { $0.severity == .error }.count)),
            ConfigField(key: "warnings", value: .int(diagnostics.filter { $0.severity == .warning }.count)),
            ConfigField(key: "diagnostics", value: .array(diagnostics.map(field))),
        ])
        return report.description
    }
}
