import JinaWire

/// `Fail`: raises an error for chosen documents (`on_text`: text containing it; `on_ids`: these
/// ids) or for every call (`always: true`). For tests of error reporting.
final class FailExecutor: SwiftExecutor {
    private let settings: JSONObject

    init(with parameters: JSONObject, context: ExecutorContext) {
        settings = parameters
    }

    static let defaultBindings: [(endpoint: String, method: String)] = [("/default", "fail")]

    func run(method: String, _ call: inout ExecutorCall) throws {
        let options = settings.overlaid(by: call.parameters)
        let message = options.string("message", or: "failing on purpose")
        if options["always"]?.boolValue == true { throw ExecutorError("FailedOnPurpose", message) }
        let text = options["on_text"]?.stringValue
        let ids = Set(options["on_ids"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        for doc in call.docs {
            if let text, !text.isEmpty, doc.text?.contains(text) == true {
                throw ExecutorError("FailedOnPurpose", "\(message): document \(doc.id ?? "?") contains '\(text)'")
            }
            if let id = doc.id, ids.contains(id) {
                throw ExecutorError("FailedOnPurpose", "\(message): document \(id)")
            }
        }
    }
}
