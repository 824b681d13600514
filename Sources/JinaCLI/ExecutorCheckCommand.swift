import ArgumentParser
import Foundation
import JinaConfig
import JinaRuntime
import JinaWire

/// `jina executor check -- PROGRAM ARGS…`: the executor protocol's conformance suite.
struct ExecutorCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check that a program speaks the executor protocol (docs/protocol.md).",
        discussion: """
            Starts the program, then checks its hello, that it answers calls with their ids, in \
            order and pipelined, answers bad documents with an error and keeps serving, handles a \
            large frame, and exits when its input closes or after a goodbye. Exits 0 when every \
            check passes. Example: jina executor check -- python3 examples/executors/upper.py
            """
    )

    @Option(help: "Frame encoding the program speaks: frames or lines.")
    var framing: Framing = .frames

    @Option(help: ArgumentHelp("Seconds to wait for each answer.", valueName: "seconds"))
    var timeout: Int = 10

    @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("The program and its arguments.", valueName: "program"))
    var command: [String]

    func validate() throws {
        if command.drop(while: { $0 == "--" }).isEmpty { throw ValidationError("Missing the program: jina executor check -- PROGRAM ARGS…") }
    }

    func run() async throws {
        var words = command
        if words.first == "--" { words.removeFirst() }
        let program = words[0]
        let executable = program.contains("/") ? program : (Self.search(program) ?? program)
        let suite = ConformanceSuite(executable: executable, arguments: Array(words.dropFirst()), framing: framing,
                                     timeout: .seconds(timeout))
        let checks = await suite.run()
        let colour = Terminal.useColour(on: STDOUT_FILENO)
        var out = ""
        for check in checks {
            let mark = check.passed ? (colour ? "\u{1B}[32m✔\u{1B}[0m" : "✔") : (colour ? "\u{1B}[31m✘\u{1B}[0m" : "✘")
            out += "\(mark) \(check.name): \(check.detail)\n"
        }
        let failed = checks.filter { !$0.passed }.count
        out += "\(checks.count - failed) passed, \(failed) failed\n"
        FileHandle.standardOutput.write(Data(out.utf8))
        if failed > 0 { throw ExitCode.failed }
    }

    static func search(_ program: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(dir)/\(program)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
