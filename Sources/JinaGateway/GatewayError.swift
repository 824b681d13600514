import Hummingbird
import JinaWire

/// A request the gateway refuses before it reaches the Flow, and the 4xx that says why:
/// `{"error": "<what is wrong>", "status": 400, …details}`.
struct GatewayError: Error {
    var status: HTTPResponse.Status
    var message: String
    /// Extra members that help to fix the request: `offset`, `routes`, `allowed`, `limit`.
    var details: [(String, JSONValue)] = []

    static func badRequest(_ message: String, _ details: [(String, JSONValue)] = []) -> GatewayError {
        GatewayError(status: .badRequest, message: message, details: details)
    }

    var json: JSONValue {
        .object(JSONObject([("error", .string(message)), ("status", .number(JSONNumber(status.code)))] + details))
    }
}
