/// A Jina Document (SPEC §6) as the JSON object it travels as, with typed access to the fields
/// executors use. Fields are kept in their written order, unknown fields untouched, so what an
/// executor does not change goes out as it came in.
public struct Document: Sendable, Equatable {
    public var fields: JSONObject

    public init(_ fields: JSONObject = JSONObject()) {
        self.fields = fields
    }

    public init(text: String) {
        self.init(JSONObject([("text", .string(text))]))
    }

    public var id: String? {
        get { fields["id"]?.stringValue }
        set { fields["id"] = newValue.map(JSONValue.string) }
    }

    public var text: String? {
        get { fields["text"]?.stringValue }
        set { fields["text"] = newValue.map(JSONValue.string) }
    }

    public var uri: String? {
        get { fields["uri"]?.stringValue }
        set { fields["uri"] = newValue.map(JSONValue.string) }
    }

    public var tags: JSONObject {
        get { fields["tags"]?.objectValue ?? JSONObject() }
        set { fields["tags"] = .object(newValue) }
    }

    /// The embedding as floats, from a nested list or the `{"dense": {buffer, shape, dtype}}` form;
    /// set writes a plain list. nil when absent or not numeric.
    public var embedding: [Float]? {
        get { fields["embedding"].flatMap(NDArray.floats(from:)) }
        set { fields["embedding"] = newValue.map(NDArray.list(from:)) }
    }

    public var chunks: [Document] {
        get { Self.documents(fields["chunks"]) }
        set { fields["chunks"] = .array(newValue.map { .object($0.fields) }) }
    }

    public var matches: [Document] {
        get { Self.documents(fields["matches"]) }
        set { fields["matches"] = .array(newValue.map { .object($0.fields) }) }
    }

    /// `scores[name].value`.
    public func score(_ name: String) -> Double? {
        fields["scores"]?[name]?["value"]?.doubleValue
    }

    public mutating func setScore(_ name: String, _ value: Double) {
        var scores = fields["scores"]?.objectValue ?? JSONObject()
        scores[name] = .object(JSONObject([("value", .number(JSONNumber(value)))]))
        fields["scores"] = .object(scores)
    }

    private static func documents(_ value: JSONValue?) -> [Document] {
        value?.arrayValue?.compactMap { $0.objectValue.map(Document.init) } ?? []
    }
}
