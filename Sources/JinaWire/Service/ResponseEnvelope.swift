#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// A response as Jina's JSON envelope: `header` (request id, endpoint, status), `parameters`,
/// `routes` and `data` (the documents).
public enum ResponseEnvelope {
    public static func json(_ response: FlowResponse) -> JSONValue {
        var status = JSONObject([("code", .number(JSONNumber(0))), ("description", .string(""))])
        if let failure = response.failure { status = failure.status }
        var header = JSONObject([("request_id", .string(response.requestID)), ("exec_endpoint", .string(response.endpoint))])
        header["target_executor"] = .string(response.targetExecutor ?? "")
        header["status"] = .object(status)
        let docs = (try? JSONParser.parse(response.body)) ?? .array([])
        return .object(JSONObject([
            ("header", .object(header)),
            ("parameters", .object(response.parameters)),
            ("routes", .array(response.routes.map(route))),
            ("data", response.body.isEmpty ? .array([]) : docs),
        ]))
    }

    public static func route(_ entry: RouteEntry) -> JSONValue {
        var object = JSONObject([("executor", .string(entry.executor)), ("start_time", .string(timestamp(entry.start))),
                                 ("end_time", .string(timestamp(entry.end)))])
        object["status"] = .object(entry.status ?? JSONObject([("code", .number(JSONNumber(0))), ("description", .string(""))]))
        return .object(object)
    }

    /// RFC 3339 in UTC with microseconds and a `Z`, as Jina writes timestamps.
    public static func timestamp(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970
        var whole = time_t(seconds.rounded(.down))
        var parts = tm()
        gmtime_r(&whole, &parts)
        let micros = Int(((seconds - Double(whole)) * 1_000_000).rounded(.down))
        func pad(_ n: Int32, _ width: Int) -> String {
            let digits = String(n)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(micros), 6))Z"
    }
}
