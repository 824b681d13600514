import Foundation
import JinaWire

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
}

/// Why a request failed: the status Jina reports (`description`, `exception`), and which executor.
public struct RequestFailure: Sendable, Error {
    public enum Kind: String, Sendable {
        /// The executor raised; the client gets the exception (HTTP 200 with code 1).
        case executorError
        /// Unreachable or crashed (503) or too slow (504).
        case unavailable, timeout
    }

    public var kind: Kind
    public var executor: String
    public var status: JSONObject

    public var description: String { status["description"]?.stringValue ?? "failed" }
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
}
