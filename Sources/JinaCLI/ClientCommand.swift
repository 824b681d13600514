import ArgumentParser

/// `jina client …`: talk to a running Flow's gateway.
struct ClientCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "client",
        abstract: "Send requests to a running Flow over HTTP.",
        subcommands: [ClientPostCommand.self]
    )
}
