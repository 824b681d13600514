import Hummingbird
import JinaWire

/// Which JSON layout a response takes (SPEC §5, "Response shape rule").
enum ResponseShape {
    /// `"data": {"docs": [...]}`, for Jina 2 clients and the 2.0 cookbook's curl.
    case jina2
    /// `"data": [...]`, what Jina 3 clients parse.
    case jina3

    /// The response as JSON with exactly `header`, `parameters`, `routes` and `data`: a Jina 3
    /// client parses the rest as a DataRequest and raises on any other key, at any level. The
    /// documents are spliced in as the Flow returned them, without decoding them.
    func body(for answer: DataAnswer) -> [UInt8] {
        var header = JSONObject([("request_id", .string(answer.requestID)), ("exec_endpoint", .string(answer.endpoint))])
        header["target_executor"] = .string(answer.targetExecutor ?? "")
        header["status"] = .object(Self.status(answer.failure?.status))
        let routes = answer.routes.map { route in
            JSONValue.object(JSONObject([
                ("executor", .string(route.executor)),
                ("start_time", .string(ResponseEnvelope.timestamp(route.start))),
                ("end_time", .string(ResponseEnvelope.timestamp(route.end))),
                ("status", .object(Self.status(route.status))),
            ]))
        }
        var out: [UInt8] = []
        out.reserveCapacity(answer.body.count + 512)
        out += "{\"header\":".utf8
        JSONWriter.write(.object(header), into: &out)
        out += ",\"parameters\":".utf8
        JSONWriter.write(.object(answer.parameters), into: &out)
        out += ",\"routes\":".utf8
        JSONWriter.write(.array(routes), into: &out)
        out += ",\"data\":".utf8
        if self == .jina2 { out += "{\"docs\":".utf8 }
        if answer.body.contains(where: { !isJSONWhitespace($0) }) {
            out += answer.body
        } else {
            out += "[]".utf8
        }
        if self == .jina2 { out.append(UInt8(ascii: "}")) }
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// A status with only the keys Jina's StatusProto has: `code` (0 or 1), `description`, and
    /// `exception` {name, args, stacks, executor} with string lists.
    static func status(_ status: JSONObject?) -> JSONObject {
        guard let status else { return JSONObject([("code", .number(0)), ("description", .string(""))]) }
        var clean = JSONObject([("code", .number(status["code"]?.intValue == 0 ? 0 : 1)),
                                ("description", .string(status["description"]?.stringValue ?? ""))])
        if let exception = status["exception"]?.objectValue {
            func strings(_ value: JSONValue?) -> JSONValue {
                .array((value?.arrayValue ?? []).map { .string($0.stringValue ?? $0.jsonString) })
            }
            clean["exception"] = .object(JSONObject([
                ("name", .string(exception["name"]?.stringValue ?? "")),
                ("args", strings(exception["args"])),
                ("stacks", strings(exception["stacks"])),
                ("executor", .string(exception["executor"]?.stringValue ?? "")),
            ]))
        }
        return clean
    }
}
