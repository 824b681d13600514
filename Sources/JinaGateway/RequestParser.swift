import Foundation
import JinaWire

/// A data request read from its HTTP body, ready for the Flow.
struct ParsedRequest: Sendable {
    var flowRequest: FlowRequest
    var shape: ResponseShape
}

/// Reads a data route's body: `data`, `parameters`, the endpoint, `target_executor` and
/// `header.request_id`, in the spellings Jina 2 and 3 clients send. The body is JSON whatever
/// the Content-Type says (`curl -d` sends form-urlencoded). Unknown body keys are ignored.
enum RequestParser {
    static func parse(_ bytes: [UInt8], route: DataRoute) throws(GatewayError) -> ParsedRequest {
        guard bytes.contains(where: { !isJSONWhitespace($0) }) else {
            throw .badRequest("the request body is empty; send a JSON object such as {\"data\": [{\"text\": \"hello\"}]}")
        }
        if let scanned = DocumentPassThrough(bytes) {
            let fields = try fields(of: scanned.members, route: route)
            let shape = fields.shape(on: route, wrapped: false)  // `data` is a list here
            if let documents = scanned.body(unknownKeys: shape == .jina3) {
                return ParsedRequest(flowRequest: fields.request(body: documents.body, count: documents.count), shape: shape)
            }
        }
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw .badRequest("the request body is \(error)", [("offset", .number(JSONNumber(error.offset)))])
        }
        guard case .object(let body) = value else {
            throw .badRequest("the request body must be a JSON object such as {\"data\": [...]}, found \(kindName(value))")
        }
        let fields = try fields(of: body, route: route)
        let input = try DocumentInput.items(of: body["data"])
        let shape = fields.shape(on: route, wrapped: input.wrapped)
        let docs = try DocumentInput.documents(input.items, unknownKeysToTags: shape == .jina2)
        return ParsedRequest(flowRequest: fields.request(body: JSONValue.array(docs).jsonBytes, count: docs.count), shape: shape)
    }

    /// What a body says besides its documents.
    private struct Fields {
        var header: JSONObject?
        var requestID: String
        var endpoint: String
        var parameters: JSONObject
        var target: String?

        /// A top-level `header` marks a Jina 3 client; `{"docs": [...]}` (`wrapped`) is Jina 2's
        /// layout anywhere.
        func shape(on route: DataRoute, wrapped: Bool) -> ResponseShape {
            wrapped || (route.isJina2Route && header == nil) ? .jina2 : .jina3
        }

        func request(body: [UInt8], count: Int) -> FlowRequest {
            FlowRequest(requestID: requestID, endpoint: endpoint, parameters: parameters, body: body, count: count, targetExecutor: target)
        }
    }

    private static func fields(of body: JSONObject, route: DataRoute) throws(GatewayError) -> Fields {
        let header = try header(of: body)
        let endpoint = try endpoint(for: route, body: body, header: header)
        let requestID = try string(header.flatMap { member($0, "request_id", "requestId") }, "header.request_id") ?? FlowRequest.newID()
        return Fields(header: header, requestID: requestID, endpoint: endpoint, parameters: try parameters(of: body),
                      target: try targetExecutor(of: body, header: header))
    }

    private static func header(of body: JSONObject) throws(GatewayError) -> JSONObject? {
        switch body["header"] {
        case nil, .null?: return nil
        case .object(let header)?: return header
        case let other?: throw .badRequest("header must be a JSON object, found \(kindName(other))", [("field", "header")])
        }
    }

    /// The path names the endpoint on `/{endpoint}` and `/post/{endpoint}`; on `/post` and
    /// `/default` the body does, and none (or "") means the default binding.
    private static func endpoint(for route: DataRoute, body: JSONObject, header: JSONObject?) throws(GatewayError) -> String {
        switch route {
        case .postTo(let endpoint), .endpoint(let endpoint):
            return endpoint
        case .post, .defaultBinding:
            var named = try string(member(body, "exec_endpoint", "execEndpoint"), "exec_endpoint")
            if named == nil, let header {
                named = try string(member(header, "exec_endpoint", "execEndpoint"), "header.exec_endpoint")
            }
            guard let named, !named.isEmpty else { return "/default" }
            return named.hasPrefix("/") ? named : "/" + named
        }
    }

    private static func parameters(of body: JSONObject) throws(GatewayError) -> JSONObject {
        switch body["parameters"] {
        case nil, .null?: return JSONObject()
        case .object(let parameters)?: return parameters
        case let other?: throw .badRequest("parameters must be a JSON object, found \(kindName(other))", [("field", "parameters")])
        }
    }

    /// `target_executor` (3.x), `target_peapod` (2.x), camelCase, or in the header; a regex.
    private static func targetExecutor(of body: JSONObject, header: JSONObject?) throws(GatewayError) -> String? {
        var pattern: String?
        for key in ["target_executor", "targetExecutor", "target_peapod", "targetPeapod"] where pattern == nil {
            pattern = try string(body[key], key)
        }
        if pattern == nil, let header {
            pattern = try string(member(header, "target_executor", "targetExecutor"), "header.target_executor")
        }
        guard let pattern, !pattern.isEmpty else { return nil }
        do {
            _ = try NSRegularExpression(pattern: pattern)
        } catch {
            throw .badRequest("target_executor is not a valid regular expression: \(pattern)", [("field", "target_executor")])
        }
        return pattern
    }

    /// The member under its snake_case or camelCase name (Jina's JSON accepts both).
    private static func member(_ object: JSONObject, _ snake: String, _ camel: String) -> JSONValue? {
        object[snake] ?? object[camel]
    }

    /// A string member; nil when absent or null, 400 when it is another type.
    private static func string(_ value: JSONValue?, _ field: String) throws(GatewayError) -> String? {
        switch value {
        case nil, .null?: return nil
        case .string(let text)?: return text
        case let other?: throw .badRequest("\(field) must be a string, found \(kindName(other))", [("field", .string(field))])
        }
    }
}

/// "a number", "a list", …: how error messages name a JSON value's type.
func kindName(_ value: JSONValue) -> String {
    switch value {
    case .null: return "null"
    case .bool: return "a boolean"
    case .number: return "a number"
    case .string: return "a string"
    case .array: return "a list"
    case .object: return "an object"
    }
}

func isJSONWhitespace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
}
