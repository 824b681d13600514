import JinaWire

/// `UpperCase`: upper-cases each document's text. The smallest executor that changes documents.
final class UpperCaseExecutor: SwiftExecutor {
    init(with parameters: JSONObject, context: ExecutorContext) {}

    static let defaultBindings: [(endpoint: String, method: String)] = [("/default", "upper")]

    func run(method: String, _ call: inout ExecutorCall) throws {
        for i in call.docs.indices {
            if let text = call.docs[i].text { call.docs[i].text = text.uppercased() }
        }
    }
}
