import JinaWire

/// A gateway's answer to one request (SPEC §5): the HTTP status, what the envelope's header
/// says, and the documents kept as the bytes they came in (split, never decoded).
public struct GatewayResponse: Sendable {
    /// `header.status`: code 0 is success, 1 an error.
    public struct Status: Sendable, Equatable {
        public var code: Int
        public var description: String
        /// The exception's type name (`ValueError`, …), when the gateway sent one.
        public var exceptionName: String?
        /// The executor it happened in, by its name in the Flow (its failed route), else as the
        /// exception names it; nil when it is the gateway's own answer.
        public var executor: String?
    }

    public var httpStatus: Int
    public var requestID: String?
    public var endpoint: String?
    public var status: Status
    public var parameters: JSONObject
    public var routes: [JSONValue]
    /// The whole response body.
    public let body: [UInt8]
    /// Where each document lies in `body`.
    public let documentRanges: [Range<Int>]
    /// True when the body is Jina's envelope (it has a `header`).
    public let isEnvelope: Bool

    public var succeeded: Bool { httpStatus == 200 && status.code == 0 }
    public var documentCount: Int { documentRanges.count }

    /// Each document's JSON text, as it came.
    public var documents: [ArraySlice<UInt8>] { documentRanges.map { body[$0] } }

    /// The envelope on one line for JSON Lines: a JSON text holds raw line breaks only as
    /// whitespace between tokens, so dropping them keeps it the same JSON. nil when the answer
    /// was no envelope.
    public var envelopeLine: [UInt8]? {
        isEnvelope ? body.filter { $0 != 0x0A && $0 != 0x0D } : nil
    }

    public init(httpStatus: Int, reason: String = "", body: [UInt8]) {
        self.httpStatus = httpStatus
        self.body = body
        let parsed = try? JSONMembers.ranges(body)
        let members = parsed ?? []
        func value(_ key: String) -> JSONValue? {
            guard let range = members.first(where: { $0.key == key })?.value, key != "data" else { return nil }
            return try? body.withUnsafeBytes { raw throws(JSONParseError) in try JSONParser.parse(UnsafeRawBufferPointer(rebasing: raw[range])) }
        }
        let header = value("header")?.objectValue
        isEnvelope = header != nil
        requestID = (header?["request_id"] ?? header?["requestId"] ?? value("requestId"))?.stringValue
        endpoint = (header?["exec_endpoint"] ?? header?["execEndpoint"])?.stringValue
        parameters = value("parameters")?.objectValue ?? JSONObject()
        routes = value("routes")?.arrayValue ?? []

        var ranges: [Range<Int>] = []
        var dataProblem: String?
        if let data = members.first(where: { $0.key == "data" })?.value {
            do { ranges = try Self.documentRanges(in: body, data: data) } catch { dataProblem = "its data is not a list of documents: \(error)" }
        }
        documentRanges = ranges

        let statusObject = (header?["status"] ?? value("status"))?.objectValue
        let exception = statusObject?["exception"]?.objectValue
        var status = Status(code: statusObject?["code"].flatMap(Self.integer) ?? 0,
                            description: statusObject?["description"]?.stringValue ?? "",
                            exceptionName: exception?["name"]?.stringValue,
                            executor: Self.failedExecutor(in: routes) ?? exception?["executor"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 })
        if httpStatus != 200 {
            status.code = status.code == 0 ? 1 : status.code
            if status.description.isEmpty {
                status.description = "HTTP \(httpStatus)" + (Self.errorMessage(value: value).map { ": \($0)" } ?? " \(reason)\(Self.bodyExcerpt(body))")
            }
        } else if parsed == nil {
            status.code = 1
            status.description = "the answer is not a JSON object\(Self.bodyExcerpt(body))"
        } else if let dataProblem {
            status.code = 1
            status.description = dataProblem
        }
        self.status = status
    }

    /// The ranges of the documents of `data`: a list (3.x), or `{"docs": [...]}` (2.x), or null.
    private static func documentRanges(in body: [UInt8], data: Range<Int>) throws -> [Range<Int>] {
        let first = body[data.lowerBound]
        if first == UInt8(ascii: "n") { return [] }
        if first == UInt8(ascii: "{") {
            let inner = try JSONMembers.ranges(Array(body[data]))
            guard let docs = inner.first(where: { $0.key == "docs" })?.value else { return [] }
            return try documentRanges(in: body, data: (docs.lowerBound + data.lowerBound)..<(docs.upperBound + data.lowerBound))
        }
        let relative = try body.withUnsafeBytes { raw throws(JSONParseError) in
            try JSONParser.arrayElementRanges(UnsafeRawBufferPointer(rebasing: raw[data]))
        }
        return relative.map { ($0.lowerBound + data.lowerBound)..<($0.upperBound + data.lowerBound) }
    }

    /// A status code: a number (0 success), or Jina 2's enum names (SUCCESS, ERROR, …).
    private static func integer(_ value: JSONValue) -> Int? {
        value.intValue ?? value.doubleValue.map { Int($0) } ?? value.stringValue.map { $0 == "SUCCESS" ? 0 : 1 }
    }

    /// The executor of the first route whose status is not success.
    private static func failedExecutor(in routes: [JSONValue]) -> String? {
        routes.first { route in (route["status"]?["code"].flatMap(integer) ?? 0) != 0 }?["executor"]?.stringValue
    }

    /// What an error body says, in the shapes servers use: `error` (text or an object with a
    /// `message`), `detail`, `message`, `description`.
    private static func errorMessage(value: (String) -> JSONValue?) -> String? {
        for key in ["error", "detail", "message", "description"] {
            guard let found = value(key) else { continue }
            if let text = found.stringValue { return text }
            if let text = found["message"]?.stringValue ?? found["description"]?.stringValue { return text }
            if !found.isNull { return found.jsonString }
        }
        return nil
    }

    private static func bodyExcerpt(_ body: [UInt8]) -> String {
        let text = String(decoding: body.prefix(200), as: UTF8.self).split(whereSeparator: \.isNewline).joined(separator: " ")
        return text.isEmpty ? "" : ": \(text)\(body.count > 200 ? "…" : "")"
    }
}
