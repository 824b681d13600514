import JinaWire

/// The envelope `--output responses` writes for a request that got no envelope back (the
/// gateway was unreachable, or answered an HTTP error with a plain error body): Jina's shape,
/// with an error status and no documents.
public enum FailureEnvelope {
    public static func json(requestID: String, endpoint: String, targetExecutor: String?, parameters: JSONObject,
                            exceptionName: String, message: String) -> [UInt8] {
        let exception = JSONObject([("name", .string(exceptionName)), ("args", .array([.string(message)])), ("stacks", .array([])),
                                    ("executor", .string(""))])
        let status = JSONObject([("code", .number(JSONNumber(1))), ("description", .string("\(exceptionName): \(message)")),
                                 ("exception", .object(exception))])
        let header = JSONObject([("request_id", .string(requestID)), ("exec_endpoint", .string(endpoint)),
                                 ("target_executor", .string(targetExecutor ?? "")), ("status", .object(status))])
        return JSONValue.object(JSONObject([("header", .object(header)), ("parameters", .object(parameters)), ("routes", .array([])),
                                            ("data", .array([]))])).jsonBytes
    }
}
