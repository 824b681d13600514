import ArgumentParser

/// `jina flow …`: commands that work on a Flow YAML.
struct FlowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flow",
        abstract: "Check and draw Flows.",
        subcommands: [LintCommand.self, PlotCommand.self]
    )
}
