import JinaWire

/// `GET /openapi.json`: an OpenAPI 3 description of the gateway. The Jina 3 client reads only
/// `paths` and sends to a path that has a `post` operation, so every data route has one.
enum OpenAPIDocument {
    static func json(routes: DataRoutes, configuration: GatewayConfiguration) -> JSONValue {
        var paths = JSONObject()
        for path in routes.paths {
            var operations = JSONObject()
            for method in DataRoutes.methods(for: path) {
                operations[method.rawValue.lowercased()] = dataOperation(path)
            }
            paths[path] = .object(operations)
        }
        let info: [(String, String)] = [
            ("/", "Liveness: answers {}"), ("/ping", "Liveness: answers {}"),
            ("/ready", "200 when every executor is ready, else 503 with each executor's state"),
            ("/status", "Version, executors and uptime"),
            ("/dry_run", "Sends an empty request through every executor: {\"code\": 0} when the Flow works"),
            ("/metrics", "Prometheus metrics"), ("/openapi.json", "This document"),
            ("/docs", "This API as a page: the routes, and a form that sends a request"),
        ]
        for (path, summary) in info where paths[path] == nil {
            paths[path] = .object(JSONObject([("get", .object(JSONObject([
                ("summary", .string(summary)),
                ("responses", .object(JSONObject([("200", .object(JSONObject([("description", .string("OK"))])))]))),
            ])))]))
        }
        var infoObject = JSONObject([("title", .string(configuration.title ?? "Jina Flow")), ("version", .string(configuration.version))])
        if let description = configuration.description { infoObject["description"] = .string(description) }
        return .object(JSONObject([
            ("openapi", .string("3.0.3")),
            ("info", .object(infoObject)),
            ("paths", .object(paths)),
            ("components", .object(JSONObject([("schemas", .object(JSONObject([
                ("DataRequest", requestSchema), ("DataResponse", responseSchema),
            ])))]))),
        ]))
    }

    private static func dataOperation(_ path: String) -> JSONValue {
        var operation = JSONObject([
            ("summary", .string(path == "/post" || path == "/default"
                ? "Send documents to the endpoint named in the body (exec_endpoint), else the default binding"
                : path == "/post/{endpoint}" ? "Send documents to {endpoint}" : "Send documents to \(path)")),
            ("requestBody", .object(JSONObject([("required", .bool(true)), ("content", jsonContent("DataRequest"))]))),
            ("responses", .object(JSONObject([
                ("200", response("The documents after the Flow, or an executor's error in header.status (code 1)")),
                ("400", error("The body is not a valid request")),
                ("413", error("The body is larger than the Flow's max_body_size")),
                ("503", response("An executor is unavailable")),
                ("504", response("An executor did not answer in time")),
            ]))),
        ])
        if path == "/post/{endpoint}" {
            operation["parameters"] = .array([.object(JSONObject([
                ("name", .string("endpoint")), ("in", .string("path")), ("required", .bool(true)),
                ("schema", .object(JSONObject([("type", .string("string"))]))),
            ]))])
        }
        return .object(operation)
    }

    private static func jsonContent(_ schema: String) -> JSONValue {
        .object(JSONObject([("application/json", .object(JSONObject([
            ("schema", .object(JSONObject([("$ref", .string("#/components/schemas/\(schema)"))]))),
        ])))]))
    }

    private static func response(_ description: String) -> JSONValue {
        .object(JSONObject([("description", .string(description)), ("content", jsonContent("DataResponse"))]))
    }

    private static func error(_ description: String) -> JSONValue {
        .object(JSONObject([("description", .string(description))]))
    }

    private static func object(_ properties: [(String, JSONValue)]) -> JSONValue {
        .object(JSONObject([("type", .string("object")), ("properties", .object(JSONObject(properties)))]))
    }

    private static func type(_ name: String) -> JSONValue {
        .object(JSONObject([("type", .string(name))]))
    }

    private static let requestSchema = object([
        ("data", .object(JSONObject([("description", .string("A list of documents, one document, or {\"docs\": [...]}"))]))),
        ("parameters", type("object")),
        ("exec_endpoint", type("string")),
        ("target_executor", type("string")),
        ("header", object([("request_id", type("string")), ("exec_endpoint", type("string")), ("target_executor", type("string"))])),
    ])

    private static let responseSchema = object([
        ("header", object([("request_id", type("string")), ("exec_endpoint", type("string")), ("target_executor", type("string")),
                           ("status", object([("code", type("integer")), ("description", type("string")), ("exception", type("object"))]))])),
        ("parameters", type("object")),
        ("routes", .object(JSONObject([("type", .string("array")), ("items", type("object"))]))),
        ("data", .object(JSONObject([("description", .string("The documents: a list, or {\"docs\": [...]} for Jina 2 clients"))]))),
    ])
}
