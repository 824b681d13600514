import ArgumentParser
import Foundation
import JinaConfig

/// `jina`: the root command. Subcommands live one per file.
public struct Jina: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "jina",
        abstract: "Run Jina Flows from YAML.",
        discussion: """
            Flows and executors are written in Jina 2's YAML. Results go to stdout, logs and \
            diagnostics about the run to stderr.
            """,
        version: JinaVersion.current,
        subcommands: [HelloCommand.self, FlowCommand.self, ExecutorCommand.self, PlotCommand.self, ClientCommand.self, PingCommand.self,
                      ExportCommand.self]
    )

    public init() {}
}

public enum JinaVersion {
    public static let current = "0.1.0"
}

extension Jina {
    /// The process entry point: the async `main` of AsyncParsableCommand (the sync one would
    /// refuse to run an async root command).
    public static func runAsMain() async {
        let arguments = EnvironmentFlags.apply(to: Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment)
        await (Self.main as ([String]?) async -> Void)(arguments)
    }
}
