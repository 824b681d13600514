import Foundation
import JinaWire

/// docarray's DocProto to and from the JSON documents the Flow carries. Decoding learns each
/// field's type (`FieldTypes`); encoding uses it, so that what the client sent comes back in the
/// same types: a float32 embedding as a float32 `ndarray_embedding`, bytes as bytes, a tuple as a
/// tuple. A field the request did not have is typed from its JSON value.
public enum DocumentCoding {
    // MARK: protobuf → JSON

    /// The document as a JSON object: `id` first, then the fields by name. Bytes become base64
    /// text, arrays nested number lists, None null.
    public static func json(_ doc: Docarray_DocProto, types: inout FieldTypes) throws(ProtoError) -> JSONObject {
        var object = JSONObject()
        if let id = doc.data["id"] { object["id"] = try json(id, name: "id", types: &types) }
        for name in doc.data.keys.sorted() where name != "id" {
            object[name] = try json(doc.data[name]!, name: name, types: &types)
        }
        return object
    }

    static func json(_ node: Docarray_NodeProto, name: String, types: inout FieldTypes) throws(ProtoError) -> JSONValue {
        let tag = node.docarrayType.map { _ in node.type }
        var nested = FieldTypes()
        let kind: FieldType.Kind
        let value: JSONValue
        switch node.content {
        case nil:
            return .null  // None says nothing about the field's type
        case .text(let text):
            (kind, value) = (.text, .string(text))
        case .integer(let number):
            (kind, value) = (.integer, .number(JSONNumber(Int(number))))
        case .float(let number):
            (kind, value) = (.float, JSONNumber(finite: number).map(JSONValue.number) ?? .null)
        case .boolean(let flag):
            (kind, value) = (.boolean, .bool(flag))
        case .blob(let bytes):
            (kind, value) = (.blob, .string(bytes.base64EncodedString()))
        case .ndarray(let array):
            (kind, value) = (.ndarray(dtype: array.dense.dtype), try DenseArrayCoding.decode(array.dense))
        case .doc(let doc):
            (kind, value) = (.doc, .object(try json(doc, types: &nested)))
        case .docArray(let list):
            var docs: [JSONValue] = []
            for doc in list.docs { docs.append(.object(try json(doc, types: &nested))) }
            (kind, value) = (.docArray, .array(docs))
        case .list(let list), .set(let list), .tuple(let list):
            var items: [JSONValue] = []
            for item in list.data { items.append(try json(item, name: FieldTypes.elementKey, types: &nested)) }
            let listKind: FieldType.Kind = if case .set = node.content { .set } else if case .tuple = node.content { .tuple } else { .list }
            (kind, value) = (listKind, .array(items))
        case .dict(let dict):
            var object = JSONObject()
            for key in dict.data.keys.sorted() { object[key] = try json(dict.data[key]!, name: key, types: &nested) }
            (kind, value) = (.dict, .object(object))
        }
        types.learn(name, FieldType(kind: kind, tag: tag, nested: nested.fields.isEmpty ? nil : nested))
        return value
    }

    // MARK: JSON → protobuf

    /// The JSON document as a DocProto, each field typed as the request typed it, else by its value.
    public static func proto(_ object: JSONObject, types: FieldTypes) -> Docarray_DocProto {
        var doc = Docarray_DocProto()
        for (name, value) in object {
            doc.data[name] = node(value, name: name, type: types[name], topLevel: true)
        }
        return doc
    }

    static func node(_ value: JSONValue, name: String, type: FieldType?, topLevel: Bool = false) -> Docarray_NodeProto {
        var node = Docarray_NodeProto()
        let nested = type?.nested ?? FieldTypes()
        switch (value, type?.kind) {
        case (.null, _):
            return node
        case (.bool(let flag), _):
            node.boolean = flag
        case (.string(let text), .blob?):
            if let bytes = Data(base64Encoded: text) { node.blob = bytes } else { node.text = text }
        case (.string(let text), _):
            node.text = text
        case (.number(let number), let kind):
            node.content = numberContent(number, kind: kind)
        case (.array(let items), .ndarray(let dtype)?):
            if let dense = DenseArrayCoding.encode(value, dtype: dtype) {
                node.ndarray = ndarray(dense)
            } else {
                node.list = list(items, nested)
            }
        case (.array(let items), .docArray?):
            node.docArray = docList(items, nested) ?? Docarray_DocListProto()
        case (.array(let items), .set?):
            node.set = list(items, nested)
        case (.array(let items), .tuple?):
            node.tuple = list(items, nested)
        case (.array(let items), .list?):
            node.list = list(items, nested)
        case (.array(let items), _):
            if topLevel, Self.arrayFields.contains(name), let dense = DenseArrayCoding.encode(value, dtype: name == "embedding" ? "<f8" : inferredDType(value)) {
                node.ndarray = ndarray(dense)
                node.type = name == "embedding" ? "ndarray_embedding" : "ndarray"
                return node
            }
            if !items.isEmpty, let docs = docList(items, nested) { node.docArray = docs } else { node.list = list(items, nested) }
        case (.object(let object), .doc?):
            node.doc = proto(object, types: nested)
        case (.object(let object), _):
            var dict = Docarray_DictOfAnyProto()
            for (key, item) in object { dict.data[key] = self.node(item, name: key, type: nested[key]) }
            node.dict = dict
        }
        if let tag = type?.tag {
            node.type = tag
        } else if topLevel, name == "id", case .text? = node.content {
            node.type = "id"
        }
        return node
    }

    /// Fields that hold tensors in Jina's and docarray's documents: number lists there are ndarrays.
    static let arrayFields: Set<String> = ["embedding", "tensor", "blob"]

    private static func numberContent(_ number: JSONNumber, kind: FieldType.Kind?) -> Docarray_NodeProto.OneOf_Content {
        let text = number.text
        let written = !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" })
        if kind != .float, written || kind == .integer, let int = number.int, let small = Int32(exactly: int) {
            return .integer(small)
        }
        return .float(number.double)
    }

    /// float64 for numbers written with a fraction or exponent, int64 for whole ones.
    private static func inferredDType(_ value: JSONValue) -> String {
        var probe = value
        while case .array(let items) = probe, let first = items.first { probe = first }
        if case .number(let number) = probe, !number.text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) { return "<i8" }
        return "<f8"
    }

    private static func ndarray(_ dense: Docarray_DenseNdArrayProto) -> Docarray_NdArrayProto {
        var array = Docarray_NdArrayProto()
        array.dense = dense
        return array
    }

    private static func list(_ items: [JSONValue], _ types: FieldTypes) -> Docarray_ListOfAnyProto {
        var list = Docarray_ListOfAnyProto()
        let element = types[FieldTypes.elementKey]
        list.data = items.map { node($0, name: FieldTypes.elementKey, type: element) }
        return list
    }

    /// The items as documents, or nil when one is not an object.
    private static func docList(_ items: [JSONValue], _ types: FieldTypes) -> Docarray_DocListProto? {
        var list = Docarray_DocListProto()
        for item in items {
            guard case .object(let object) = item else { return nil }
            list.docs.append(proto(object, types: types))
        }
        return list
    }
}
