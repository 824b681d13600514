import JinaWire

/// `BaseExecutor`: binds nothing, so every request passes through untouched (Jina's default,
/// and the usual join: a join's `docs` are the concatenation of its upstream branches).
final class PassThroughExecutor: SwiftExecutor {
    init(with parameters: JSONObject, context: ExecutorContext) {}
    static let defaultBindings: [(endpoint: String, method: String)] = []
    func run(method: String, _ call: inout ExecutorCall) throws {}
}
