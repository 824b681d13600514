/// One message of the executor protocol (SPEC §4): a JSON header and a body of bytes.
///
/// The body of `call`, `result` and `error` is a JSON array of Documents, kept as bytes so a
/// router can forward and concatenate it without decoding documents.
public struct Frame: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// Executor → Flow, once, when ready: name, endpoints, max frame size.
        case hello
        /// Flow → executor: run an endpoint on the body's documents.
        case call
        /// Executor → Flow: the documents after the call.
        case result
        /// Executor → Flow: the call failed; `status` says why, the body holds the documents as they were.
        case error
        /// Flow → executor: the answer to this call is no longer wanted.
        case cancel
        /// Flow → executor: finish what is in flight, then exit.
        case goodbye
    }

    /// The protocol version this build speaks.
    public static let version = 1
    /// The default cap on one frame (header + body), 64 MiB.
    public static let defaultMaxSize = 64 << 20

    public var header: JSONObject
    public var body: [UInt8]

    public init(header: JSONObject, body: [UInt8] = []) {
        self.header = header
        self.body = body
    }

    public init(_ kind: Kind, id: Int? = nil, body: [UInt8] = [], _ fields: [(String, JSONValue)] = []) {
        var header = JSONObject([("v", .number(JSONNumber(Self.version))), ("kind", .string(kind.rawValue))])
        if let id { header["id"] = .number(JSONNumber(id)) }
        for (key, value) in fields { header[key] = value }
        self.init(header: header, body: body)
    }

    public var kind: Kind? { header["kind"]?.stringValue.flatMap(Kind.init(rawValue:)) }
    public var id: Int? { header["id"]?.intValue }
    public var endpoint: String? { header["endpoint"]?.stringValue }
    /// How many documents the body holds, when the sender says.
    public var count: Int? { header["count"]?.intValue }
    public var parameters: JSONObject { header["parameters"]?.objectValue ?? JSONObject() }
    public var status: JSONObject? { header["status"]?.objectValue }
}
