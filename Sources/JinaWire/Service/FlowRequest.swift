#if canImport(FoundationEssentials)
import FoundationEssentials  // Date alone: no need for all of Foundation
#else
import Foundation
#endif

/// One request into a Flow: an endpoint, parameters and documents (a JSON array, as bytes).
public struct FlowRequest: Sendable {
    public var requestID: String
    public var endpoint: String
    public var parameters: JSONObject
    public var body: [UInt8]
    public var count: Int
    /// A regex matched against executor names from the start; others pass the request through.
    public var targetExecutor: String?

    public init(requestID: String = FlowRequest.newID(), endpoint: String, parameters: JSONObject = JSONObject(),
                body: [UInt8], count: Int, targetExecutor: String? = nil) {
        self.requestID = requestID
        self.endpoint = endpoint
        self.parameters = parameters
        self.body = body
        self.count = count
        self.targetExecutor = targetExecutor
    }

    /// A random 32-hex-digit id, as Jina's uuid hex.
    public static func newID() -> String { RequestID.make() }
}

/// One executor's part in a request: who, when, and how it ended.
public struct RouteEntry: Sendable {
    public var executor: String
    public var start: Date
    public var end: Date
    /// nil on success; the error status otherwise.
    public var status: JSONObject?

    public init(executor: String, start: Date, end: Date, status: JSONObject?) {
        self.executor = executor
        self.start = start
        self.end = end
        self.status = status
    }
}

/// Why a request failed: the status Jina reports (`description`, `exception`), and which executor.
/// Every layer decides by `kind`; the status is what the client reads.
public struct RequestFailure: Sendable, Error {
    public enum Kind: String, Sendable {
        /// The executor raised; the client gets the exception (HTTP 200 with code 1).
        case executorError
        /// Unreachable or crashed (503) or too slow (504).
        case unavailable, timeout
        /// Its client went away before the answer; nobody reads it.
        case cancelled
    }

    public var kind: Kind
    public var executor: String
    public var status: JSONObject

    public init(kind: Kind, executor: String, status: JSONObject) {
        self.kind = kind
        self.executor = executor
        self.status = status
    }

    public var description: String { status["description"]?.stringValue ?? "failed" }

    /// The request's client went away (or the Flow is stopping) before `executor` answered.
    public static func cancelled(executor: String) -> RequestFailure {
        RequestFailure(kind: .cancelled, executor: executor,
                       status: status(name: "RequestCancelled", message: "the request was cancelled", executor: executor))
    }

    /// Jina's error status: `code` 1, `description` "Name: message", and the `exception`.
    public static func status(name: String, message: String, executor: String) -> JSONObject {
        JSONObject([
            ("code", .number(JSONNumber(1))),
            ("description", .string("\(name): \(message)")),
            ("exception", .object(JSONObject([("name", .string(name)), ("args", .array([.string(message)])),
                                              ("stacks", .array([])), ("executor", .string(executor))]))),
        ])
    }
}

/// What a Flow answers: the documents after the last executor, or the failure with the
/// documents as they were when it happened; and the route so far.
public struct FlowResponse: Sendable {
    public var requestID: String
    public var endpoint: String
    /// The request's `target_executor`, echoed in the response header.
    public var targetExecutor: String?
    public var parameters: JSONObject
    public var body: [UInt8]
    public var count: Int
    public var routes: [RouteEntry]
    public var failure: RequestFailure?

    public init(requestID: String, endpoint: String, targetExecutor: String? = nil, parameters: JSONObject = JSONObject(),
                body: [UInt8], count: Int, routes: [RouteEntry] = [], failure: RequestFailure? = nil) {
        self.requestID = requestID
        self.endpoint = endpoint
        self.targetExecutor = targetExecutor
        self.parameters = parameters
        self.body = body
        self.count = count
        self.routes = routes
        self.failure = failure
    }
}
