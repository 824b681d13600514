/// An error that belongs to one document, not to its request: an executor that cannot serve one
/// document but can serve the others (a query with nothing to search for) records it on that
/// document and gives it no result, instead of failing the whole request. docarray has no error
/// field, so it travels where every Jina client keeps what it does not know: in
/// `tags["__error__"]`, as `{"executor", "name", "message"}`.
public struct DocumentError: Sendable, Equatable, CustomStringConvertible {
    public static let tag = "__error__"

    public var executor: String
    /// The kind of error, as Jina names exceptions (`ValueError`).
    public var name: String
    public var message: String

    public init(executor: String, name: String = "ValueError", message: String) {
        self.executor = executor
        self.name = name
        self.message = message
    }

    public var description: String { "\(name): \(message)" }

    var json: JSONValue {
        .object(JSONObject([("executor", .string(executor)), ("name", .string(name)), ("message", .string(message))]))
    }

    init?(_ value: JSONValue?) {
        guard let message = value?["message"]?.stringValue else { return nil }
        self.init(executor: value?["executor"]?.stringValue ?? "", name: value?["name"]?.stringValue ?? "Error", message: message)
    }
}

extension Document {
    /// This document's own error; setting nil removes it (and `tags`, when nothing else is in them).
    public var error: DocumentError? {
        get { DocumentError(fields["tags"]?[DocumentError.tag]) }
        set {
            var tags = self.tags
            tags[DocumentError.tag] = newValue?.json
            fields["tags"] = tags.isEmpty ? nil : .object(tags)
        }
    }
}
