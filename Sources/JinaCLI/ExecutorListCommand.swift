import ArgumentParser
import Foundation
import JinaConfig

/// `jina executor list`: the built-in executors with their parameters and endpoints.
struct ExecutorListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the built-in executors with their 'with:' parameters and endpoints."
    )

    func run() async throws {
        var out = ""
        for executor in BuiltinExecutorCatalog.all {
            out += "\(executor.name)\n    \(executor.summary)\n"
            out += "    endpoints: " + (executor.endpoints.isEmpty ? "none (passes every request through)" : executor.endpoints.joined(separator: ", ")
                .replacingOccurrences(of: "/default", with: "every endpoint")) + "\n"
            for p in executor.parameters {
                let head = "\(p.name): \(p.type)" + (p.defaultValue.map { " = \($0)" } ?? "")
                out += "    with.\(head.padding(toLength: max(head.count, 28), withPad: " ", startingAt: 0))  \(p.summary)\n"
            }
            out += "\n"
        }
        FileHandle.standardOutput.write(Data(out.utf8))
    }
}
