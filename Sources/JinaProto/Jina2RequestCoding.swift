import Foundation
import JinaWire
import SwiftProtobuf

/// Jina 2.0's gRPC message (`RequestProto`, on the same `/jina.JinaRPC/Call` path as 3.x) to a
/// `FlowRequest` and a `FlowResponse` back to one. Its documents are Jina 2's own DocumentProto,
/// whose JSON form is what executors read, so they map field by field.
public enum Jina2RequestCoding {
    /// Whether `bytes` hold a 2.0 RequestProto rather than a 3.x DataRequestProto: 2.0 puts its
    /// documents in field 3, where 3.x has `routes`, which 3.x clients never send.
    public static func isJina2(_ bytes: [UInt8]) -> Bool {
        var index = 0
        while index < bytes.count {
            guard let key = varint(bytes, &index) else { return false }
            let field = key >> 3
            switch key & 7 {
            case 0: guard varint(bytes, &index) != nil else { return false }
            case 1: index += 8
            case 2:
                guard let length = varint(bytes, &index), length <= UInt64(bytes.count - index) else { return false }
                if field == 3 { return true }
                index += Int(length)
            case 5: index += 4
            default: return false
            }
        }
        return false
    }

    public static func request(_ proto: Jina2_RequestProto) throws(ProtoError) -> (request: FlowRequest, types: FieldTypes) {
        var types = FieldTypes()
        var docs: [JSONValue] = []
        for doc in proto.data.docs { docs.append(.object(try json(doc, types: &types))) }
        var endpoint = proto.header.execEndpoint
        if endpoint.isEmpty { endpoint = "/default" } else if !endpoint.hasPrefix("/") { endpoint = "/" + endpoint }
        let target = proto.header.targetPeapod
        let request = FlowRequest(requestID: proto.requestID.isEmpty ? FlowRequest.newID() : proto.requestID, endpoint: endpoint,
                                  parameters: StructCoding.json(proto.parameters), body: JSONValue.array(docs).jsonBytes,
                                  count: docs.count, targetExecutor: target.isEmpty ? nil : target)
        return (request, types)
    }

    public static func proto(_ response: FlowResponse, types: FieldTypes = FieldTypes()) throws(ProtoError) -> Jina2_RequestProto {
        var proto = Jina2_RequestProto()
        proto.requestID = response.requestID
        proto.header.execEndpoint = response.endpoint
        if let target = response.targetExecutor { proto.header.targetPeapod = target }
        proto.parameters = StructCoding.proto(response.parameters)
        proto.status = status(response.failure?.status)
        proto.routes = response.routes.map { entry in
            var route = Jina2_RouteProto()
            route.pod = entry.executor
            route.startTime = Google_Protobuf_Timestamp(date: entry.start)
            route.endTime = Google_Protobuf_Timestamp(date: entry.end)
            route.status = status(entry.status)
            return route
        }
        var data = Jina2_RequestProto.DataRequestProto()
        if response.body.contains(where: { $0 > 0x20 }) {
            let value: JSONValue
            do { value = try JSONParser.parse(response.body) } catch { throw ProtoError(.malformed, "the documents are not JSON: \(error)") }
            data.docs = (value.arrayValue ?? []).compactMap { $0.objectValue.map { Self.proto($0, types: types) } }
        }
        proto.data = data
        return proto
    }

    static func status(_ status: JSONObject?) -> Jina2_StatusProto {
        let threeX = DataRequestCoding.status(status)
        var proto = Jina2_StatusProto()
        proto.code = threeX.code == .success ? .success : .error
        proto.description_p = threeX.description_p
        if threeX.hasException {
            proto.exception.name = threeX.exception.name
            proto.exception.args = threeX.exception.args
            proto.exception.stacks = threeX.exception.stacks
            proto.exception.executor = threeX.exception.executor
        }
        return proto
    }

    // MARK: documents

    /// Jina 2's JSON form of a document (what `Document.to_dict()` gave): empty fields left out.
    static func json(_ doc: Jina2_DocumentProto, types: inout FieldTypes) throws(ProtoError) -> JSONObject {
        var object = JSONObject()
        object["id"] = .string(doc.id.isEmpty ? FlowRequest.newID() : doc.id)
        func text(_ key: String, _ value: String) { if !value.isEmpty { object[key] = .string(value) } }
        func number(_ key: String, _ value: UInt32) { if value != 0 { object[key] = .number(JSONNumber(Int(value))) } }
        text("parent_id", doc.parentID)
        text("content_hash", doc.contentHash)
        number("granularity", doc.granularity)
        number("adjacency", doc.adjacency)
        switch doc.content {
        case .buffer(let bytes)?: object["buffer"] = .string(bytes.base64EncodedString())
        case .blob(let array)?: object["blob"] = try ndarray(array, "blob", &types)
        case .text(let value)?: object["text"] = .string(value)
        case .uri(let value)?: object["uri"] = .string(value)
        case nil: break
        }
        if doc.hasEmbedding { object["embedding"] = try ndarray(doc.embedding, "embedding", &types) }
        if doc.weight != 0 { object["weight"] = .number(JSONNumber(doc.weight)) }
        text("mime_type", doc.mimeType)
        text("modality", doc.modality)
        if doc.hasTags { object["tags"] = .object(StructCoding.json(doc.tags)) }
        if !doc.location.isEmpty { object["location"] = .array(doc.location.map { .number(JSONNumber(Int($0))) }) }
        number("offset", doc.offset)
        if doc.hasScores { object["scores"] = scores(doc.scores) }
        if doc.hasEvaluations { object["evaluations"] = scores(doc.evaluations) }
        for (key, nested) in [("chunks", doc.chunks), ("matches", doc.matches)] where !nested.isEmpty {
            var items: [JSONValue] = []
            for item in nested { items.append(.object(try json(item, types: &types))) }
            object[key] = .array(items)
        }
        return object
    }

    static func proto(_ object: JSONObject, types: FieldTypes) -> Jina2_DocumentProto {
        var doc = Jina2_DocumentProto()
        for (key, value) in object {
            switch (key, value) {
            case ("id", .string(let v)): doc.id = v
            case ("parent_id", .string(let v)): doc.parentID = v
            case ("content_hash", .string(let v)): doc.contentHash = v
            case ("granularity", .number(let n)): doc.granularity = UInt32(clamping: n.int ?? 0)
            case ("adjacency", .number(let n)): doc.adjacency = UInt32(clamping: n.int ?? 0)
            case ("buffer", .string(let v)): doc.buffer = Data(base64Encoded: v) ?? Data(v.utf8)
            case ("blob", .array): if let array = ndarray(value, types["blob"]) { doc.blob = array }
            case ("text", .string(let v)): doc.text = v
            case ("uri", .string(let v)): doc.uri = v
            case ("embedding", .array): if let array = ndarray(value, types["embedding"]) { doc.embedding = array }
            case ("weight", .number(let n)): doc.weight = Float(n.double)
            case ("mime_type", .string(let v)): doc.mimeType = v
            case ("modality", .string(let v)): doc.modality = v
            case ("tags", .object(let v)): doc.tags = StructCoding.proto(v)
            case ("location", .array(let items)): doc.location = items.compactMap { $0.intValue.map { UInt32(clamping: $0) } }
            case ("offset", .number(let n)): doc.offset = UInt32(clamping: n.int ?? 0)
            case ("scores", .object(let v)): doc.scores = scores(v)
            case ("evaluations", .object(let v)): doc.evaluations = scores(v)
            case ("chunks", .array(let items)): doc.chunks = items.compactMap { $0.objectValue.map { proto($0, types: types) } }
            case ("matches", .array(let items)): doc.matches = items.compactMap { $0.objectValue.map { proto($0, types: types) } }
            default: break  // a field Jina 2's DocumentProto has no place for
            }
        }
        return doc
    }

    private static func ndarray(_ array: Jina2_NdArrayProto, _ name: String, _ types: inout FieldTypes) throws(ProtoError) -> JSONValue {
        var dense = Docarray_DenseNdArrayProto()
        dense.buffer = array.dense.buffer
        dense.shape = array.dense.shape
        dense.dtype = array.dense.dtype
        types.learn(name, FieldType(kind: .ndarray(dtype: dense.dtype)))
        return try DenseArrayCoding.decode(dense)
    }

    /// Numbers as the request's array was typed, else float32 (Jina 2's usual dtype).
    private static func ndarray(_ value: JSONValue, _ type: FieldType?) -> Jina2_NdArrayProto? {
        var dtype = "<f4"
        if case .ndarray(let known)? = type?.kind { dtype = known }
        guard let dense = DenseArrayCoding.encode(value, dtype: dtype) else { return nil }
        var array = Jina2_NdArrayProto()
        array.dense.buffer = dense.buffer
        array.dense.shape = dense.shape
        array.dense.dtype = dense.dtype
        return array
    }

    private static func scores(_ mapping: Jina2_NamedScoreMappingProto) -> JSONValue {
        func score(_ s: Jina2_NamedScoreProto) -> JSONValue {
            var object = JSONObject([("value", .number(JSONNumber(s.value)))])
            if !s.opName.isEmpty { object["op_name"] = .string(s.opName) }
            if !s.description_p.isEmpty { object["description"] = .string(s.description_p) }
            if !s.refID.isEmpty { object["ref_id"] = .string(s.refID) }
            if !s.operands.isEmpty { object["operands"] = .array(s.operands.map(score)) }
            return .object(object)
        }
        return .object(JSONObject(mapping.values.keys.sorted().map { ($0, score(mapping.values[$0]!)) }))
    }

    private static func scores(_ object: JSONObject) -> Jina2_NamedScoreMappingProto {
        func score(_ value: JSONValue) -> Jina2_NamedScoreProto {
            var s = Jina2_NamedScoreProto()
            s.value = Float(value["value"]?.doubleValue ?? 0)
            s.opName = value["op_name"]?.stringValue ?? ""
            s.description_p = value["description"]?.stringValue ?? ""
            s.refID = value["ref_id"]?.stringValue ?? ""
            s.operands = value["operands"]?.arrayValue?.map(score) ?? []
            return s
        }
        var mapping = Jina2_NamedScoreMappingProto()
        for (name, value) in object { mapping.values[name] = score(value) }
        return mapping
    }

    private static func varint(_ bytes: [UInt8], _ index: inout Int) -> UInt64? {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while index < bytes.count, shift < 64 {
            let byte = bytes[index]
            index += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
        return nil
    }
}
