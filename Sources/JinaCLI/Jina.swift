import ArgumentParser

public struct Jina: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "jina",
        abstract: "Run Jina Flows from YAML.",
        version: "0.1.0",
        subcommands: []
    )

    public init() {}
}
