import Foundation
import JinaWire
import SwiftProtobuf

/// A decoded DataRequestProto: the Flow request, and how to write its answer in kind.
public struct ProtoRequest: Sendable {
    public var flowRequest: FlowRequest
    /// How the request typed its documents' fields.
    public var types: FieldTypes
    /// The documents came as `docs_bytes`; the answer's go the same way.
    public var docsAsBytes: Bool
}

/// Jina 3's DataRequestProto to a `FlowRequest` and a `FlowResponse` back to one, as the gRPC
/// and WebSocket gateways (and their clients) exchange them.
public enum DataRequestCoding {
    public static func request(_ proto: Jina_DataRequestProto) throws(ProtoError) -> ProtoRequest {
        var docList: Docarray_DocListProto
        var asBytes = false
        switch proto.data.documents {
        case nil: docList = Docarray_DocListProto()
        case .docs(let docs)?: docList = docs
        case .docsBytes(let bytes)?:
            asBytes = true
            do {
                docList = try Docarray_DocListProto(serializedBytes: bytes)
            } catch {
                throw ProtoError(.malformed, "data.docs_bytes is not a serialized DocListProto: \(error)")
            }
        }
        var types = FieldTypes()
        var docs: [JSONValue] = []
        docs.reserveCapacity(docList.docs.count)
        for doc in docList.docs {
            var object = try DocumentCoding.json(doc, types: &types)
            if object["id"] == nil || object["id"] == .null { object["id"] = .string(FlowRequest.newID()) }
            docs.append(.object(object))
        }
        let header = proto.header
        var endpoint = header.hasExecEndpoint ? header.execEndpoint : ""
        if endpoint.isEmpty { endpoint = "/default" } else if !endpoint.hasPrefix("/") { endpoint = "/" + endpoint }
        let request = FlowRequest(requestID: header.requestID.isEmpty ? FlowRequest.newID() : header.requestID,
                                  endpoint: endpoint, parameters: StructCoding.json(proto.parameters),
                                  body: JSONValue.array(docs).jsonBytes, count: docs.count,
                                  targetExecutor: header.hasTargetExecutor && !header.targetExecutor.isEmpty ? header.targetExecutor : nil)
        return ProtoRequest(flowRequest: request, types: types, docsAsBytes: asBytes)
    }

    /// The request as a DataRequestProto: what a client sends.
    public static func proto(_ request: FlowRequest) throws(ProtoError) -> Jina_DataRequestProto {
        var proto = Jina_DataRequestProto()
        proto.header.requestID = request.requestID
        proto.header.execEndpoint = request.endpoint
        if let target = request.targetExecutor { proto.header.targetExecutor = target }
        proto.parameters = StructCoding.proto(request.parameters)
        proto.data.docs = try docList(request.body, types: FieldTypes())
        return proto
    }

    /// The answer to `request`: header with status, parameters, routes and the documents typed
    /// as the request typed them.
    public static func proto(_ response: FlowResponse, answering request: ProtoRequest? = nil) throws(ProtoError) -> Jina_DataRequestProto {
        var proto = Jina_DataRequestProto()
        proto.header.requestID = response.requestID
        proto.header.execEndpoint = response.endpoint
        if let target = response.targetExecutor { proto.header.targetExecutor = target }
        proto.header.status = status(response.failure?.status)
        proto.parameters = StructCoding.proto(response.parameters)
        proto.routes = response.routes.map(route)
        let docs = try docList(response.body, types: request?.types ?? FieldTypes())
        if request?.docsAsBytes == true {
            do { proto.data.docsBytes = try docs.serializedBytes() } catch {
                throw ProtoError(.malformed, "cannot serialize the documents: \(error)")
            }
        } else {
            proto.data.docs = docs
        }
        return proto
    }

    /// The answer's documents as JSON, its status and routes: what a client reads.
    public static func response(_ proto: Jina_DataRequestProto) throws(ProtoError) -> (response: FlowResponse, documents: [JSONObject]) {
        let request = try Self.request(proto)
        var docs: [JSONObject] = []
        if case .array(let items) = (try? JSONParser.parse(request.flowRequest.body)) ?? .null {
            docs = items.compactMap(\.objectValue)
        }
        var response = FlowResponse(requestID: request.flowRequest.requestID, endpoint: request.flowRequest.endpoint,
                                    targetExecutor: request.flowRequest.targetExecutor, parameters: request.flowRequest.parameters,
                                    body: request.flowRequest.body, count: docs.count)
        if proto.header.status.code != .success {
            response.failure = RequestFailure(kind: .executorError, executor: proto.header.status.exception.executor,
                                              status: json(proto.header.status))
        }
        return (response, docs)
    }

    /// Jina's status as protobuf: SUCCESS, or ERROR with the description and exception.
    public static func status(_ status: JSONObject?) -> Jina_StatusProto {
        var proto = Jina_StatusProto()
        let clean = ResponseEnvelope.status(status)
        proto.code = clean["code"]?.intValue == 0 ? .success : .error
        proto.description_p = clean["description"]?.stringValue ?? ""
        if let exception = clean["exception"]?.objectValue {
            proto.exception.name = exception["name"]?.stringValue ?? ""
            proto.exception.args = exception["args"]?.arrayValue?.compactMap(\.stringValue) ?? []
            proto.exception.stacks = exception["stacks"]?.arrayValue?.compactMap(\.stringValue) ?? []
            proto.exception.executor = exception["executor"]?.stringValue ?? ""
        }
        return proto
    }

    /// The status as Jina's JSON (`code`, `description`, `exception`).
    public static func json(_ status: Jina_StatusProto) -> JSONObject {
        var object = JSONObject([("code", .number(JSONNumber(status.code.rawValue))), ("description", .string(status.description_p))])
        if status.hasException {
            let exception = status.exception
            object["exception"] = .object(JSONObject([
                ("name", .string(exception.name)), ("args", .array(exception.args.map(JSONValue.string))),
                ("stacks", .array(exception.stacks.map(JSONValue.string))), ("executor", .string(exception.executor)),
            ]))
        }
        return object
    }

    static func route(_ entry: RouteEntry) -> Jina_RouteProto {
        var route = Jina_RouteProto()
        route.executor = entry.executor
        route.startTime = Google_Protobuf_Timestamp(date: entry.start)
        route.endTime = Google_Protobuf_Timestamp(date: entry.end)
        route.status = status(entry.status)
        return route
    }

    private static func docList(_ body: [UInt8], types: FieldTypes) throws(ProtoError) -> Docarray_DocListProto {
        var list = Docarray_DocListProto()
        guard body.contains(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) else { return list }
        let value: JSONValue
        do { value = try JSONParser.parse(body) } catch {
            throw ProtoError(.malformed, "the documents are not JSON: \(error)")
        }
        for item in value.arrayValue ?? [] {
            if case .object(let object) = item { list.docs.append(DocumentCoding.proto(object, types: types)) }
        }
        return list
    }
}
