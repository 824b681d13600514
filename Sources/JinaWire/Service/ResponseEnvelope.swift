#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// A response as Jina's JSON envelope, written by one writer for every gateway and the CLI:
/// exactly `header` (request id, endpoint, target executor, status), `parameters`, `routes` and
/// `data`. A Jina 3 client parses it as a DataRequest and raises on any other key, at any level.
/// The documents are spliced in as bytes, never decoded.
public enum ResponseEnvelope {
    /// How `data` holds the documents.
    public enum DataShape: Sendable {
        /// `"data": [...]`, what Jina 3 clients parse.
        case list
        /// `"data": {"docs": [...]}`, for Jina 2 clients and the 2.0 cookbook's curl.
        case docsObject
    }

    public static func bytes(_ response: FlowResponse, shape: DataShape = .list) -> [UInt8] {
        bytes(requestID: response.requestID, endpoint: response.endpoint, targetExecutor: response.targetExecutor,
              parameters: response.parameters, routes: response.routes, status: response.failure?.status, body: response.body,
              shape: shape)
    }

    public static func bytes(requestID: String, endpoint: String, targetExecutor: String?, parameters: JSONObject, routes: [RouteEntry],
                             status: JSONObject?, body: [UInt8], shape: DataShape) -> [UInt8] {
        var header = JSONObject([("request_id", .string(requestID)), ("exec_endpoint", .string(endpoint))])
        header["target_executor"] = .string(targetExecutor ?? "")
        header["status"] = .object(Self.status(status))
        var out: [UInt8] = []
        out.reserveCapacity(body.count + 512)
        out += "{\"header\":".utf8
        JSONWriter.write(.object(header), into: &out)
        out += ",\"parameters\":".utf8
        JSONWriter.write(.object(parameters), into: &out)
        out += ",\"routes\":".utf8
        JSONWriter.write(.array(routes.map(route)), into: &out)
        out += ",\"data\":".utf8
        if shape == .docsObject { out += "{\"docs\":".utf8 }
        if body.contains(where: { !isWhitespace($0) }) {
            out += body
        } else {
            out += "[]".utf8
        }
        if shape == .docsObject { out.append(UInt8(ascii: "}")) }
        out.append(UInt8(ascii: "}"))
        return out
    }

    static func route(_ entry: RouteEntry) -> JSONValue {
        .object(JSONObject([
            ("executor", .string(entry.executor)),
            ("start_time", .string(timestamp(entry.start))),
            ("end_time", .string(timestamp(entry.end))),
            ("status", .object(status(entry.status))),
        ]))
    }

    /// A status with only the keys Jina's StatusProto has: `code` (0 or 1), `description`, and
    /// `exception` {name, args, stacks, executor} with string lists.
    public static func status(_ status: JSONObject?) -> JSONObject {
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

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    /// RFC 3339 in UTC with microseconds and a `Z`, as Jina writes timestamps. Written digit by
    /// digit into 27 bytes: two per executor on every answer.
    public static func timestamp(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970
        var whole = time_t(seconds.rounded(.down))
        var parts = tm()
        gmtime_r(&whole, &parts)
        let micros = Int(((seconds - Double(whole)) * 1_000_000).rounded(.down))
        return String(unsafeUninitializedCapacity: 27) { text in
            var at = 0
            func put(_ value: Int, _ width: Int, then separator: UInt8) {
                var value = value
                for i in stride(from: width - 1, through: 0, by: -1) {
                    text[at + i] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                }
                text[at + width] = separator
                at += width + 1
            }
            put(Int(parts.tm_year) + 1900, 4, then: UInt8(ascii: "-"))
            put(Int(parts.tm_mon) + 1, 2, then: UInt8(ascii: "-"))
            put(Int(parts.tm_mday), 2, then: UInt8(ascii: "T"))
            put(Int(parts.tm_hour), 2, then: UInt8(ascii: ":"))
            put(Int(parts.tm_min), 2, then: UInt8(ascii: ":"))
            put(Int(parts.tm_sec), 2, then: UInt8(ascii: "."))
            put(micros, 6, then: UInt8(ascii: "Z"))
            return at
        }
    }
}
