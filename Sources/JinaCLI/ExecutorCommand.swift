import ArgumentParser

/// `jina executor …`: run one executor, or list the built-in ones.
struct ExecutorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "executor",
        abstract: "Run one executor, or list the built-in executors.",
        subcommands: [ExecutorRunCommand.self, ExecutorListCommand.self, ExecutorCheckCommand.self, ExecutorSpecCommand.self],
        defaultSubcommand: ExecutorRunCommand.self
    )
}
