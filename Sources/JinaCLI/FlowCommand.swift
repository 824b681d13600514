import ArgumentParser

/// `jina flow …`: commands that work on a Flow YAML.
struct FlowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flow",
        abstract: "Run, check and draw Flows.",
        subcommands: [FlowRunCommand.self, FlowServeCommand.self, FlowTestCommand.self, LintCommand.self, PlotCommand.self],
        defaultSubcommand: FlowRunCommand.self
    )
}
