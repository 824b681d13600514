import JinaWire

/// `Echo`: returns the documents, recording in `tags.visited` each executor that saw them and in
/// `tags.echo` the endpoint and parameters this one got and its `runtime` arguments (shard,
/// replica, polling, ...). For tests and debugging of routing.
final class EchoExecutor: SwiftExecutor {
    private let name: String
    private let runtime: JSONValue

    init(with parameters: JSONObject, context: ExecutorContext) {
        name = context.label ?? context.name
        runtime = context.runtime.json
    }

    static let defaultBindings: [(endpoint: String, method: String)] = [("/default", "echo")]

    func run(method: String, _ call: inout ExecutorCall) throws {
        for i in call.docs.indices {
            var tags = call.docs[i].tags
            var visited = tags["visited"]?.arrayValue ?? []
            visited.append(.string(name))
            tags["visited"] = .array(visited)
            tags["echo"] = .object(JSONObject([("endpoint", .string(call.endpoint)), ("parameters", .object(call.parameters)),
                                                ("runtime", runtime)]))
            call.docs[i].tags = tags
        }
    }
}
