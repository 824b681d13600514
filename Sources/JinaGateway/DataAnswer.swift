import Hummingbird
import JinaWire

/// What a data route answers: a Flow's response, or the refusal of a request that could not run.
struct DataAnswer: Sendable {
    var requestID: String
    var endpoint: String
    var targetExecutor: String?
    var parameters: JSONObject
    /// The documents as a JSON array.
    var body: [UInt8]
    var routes: [RouteEntry]
    /// nil on success; else the error status and its kind.
    var failure: (kind: RequestFailure.Kind, status: JSONObject)?

    init(_ response: FlowResponse) {
        requestID = response.requestID
        endpoint = response.endpoint
        targetExecutor = response.targetExecutor
        parameters = response.parameters
        body = response.body
        routes = response.routes
        failure = response.failure.map { ($0.kind, $0.status) }
        if failure == nil, (try? DocumentArray.count(body)) == nil {
            // Never send invalid JSON on: say which executor broke it.
            let executor = routes.last?.executor ?? ""
            let message = "\(executor) returned documents that are not a JSON list"
            failure = (.executorError, RequestFailure.status(name: "ProtocolError", message: message, executor: executor))
            body = []
        }
    }

    /// The request, unrun, with an `unavailable` error (the Flow is still starting).
    init(unavailable request: FlowRequest, _ message: String) {
        requestID = request.requestID
        endpoint = request.endpoint
        targetExecutor = request.targetExecutor
        parameters = request.parameters
        body = request.body
        routes = []
        failure = (.unavailable, RequestFailure.status(name: "Unavailable", message: message, executor: ""))
    }

    /// What nginx logs for a request whose client went away; nobody reads it.
    static let clientClosedRequest = HTTPResponse.Status(code: 499, reasonPhrase: "Client Closed Request")

    var httpStatus: HTTPResponse.Status {
        switch failure?.kind {
        case nil, .executorError?: return .ok  // an executor's exception is in header.status
        case .unavailable?: return .serviceUnavailable
        case .timeout?: return .gatewayTimeout
        // Nobody reads it (the client went away); 499 as nginx logs a closed request.
        case .cancelled?: return Self.clientClosedRequest
        }
    }

    /// For metrics: executor_error, unavailable or timeout.
    var errorKind: String? {
        switch failure?.kind {
        case nil: return nil
        case .executorError?: return "executor_error"
        case .unavailable?: return "unavailable"
        case .timeout?: return "timeout"
        case .cancelled?: return "cancelled"
        }
    }
}
