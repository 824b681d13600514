import Foundation
import Testing
@testable import JinaProto
import JinaWire

/// Builders for docarray nodes, as the Jina 3 client's docarray writes them.
enum Node {
    static func text(_ value: String, type: String? = nil) -> Docarray_NodeProto {
        var node = Docarray_NodeProto()
        node.text = value
        if let type { node.type = type }
        return node
    }
    static func float32(_ values: [Float], shape: [UInt32]? = nil, type: String) -> Docarray_NodeProto {
        var node = Docarray_NodeProto()
        node.ndarray.dense.buffer = values.withUnsafeBufferPointer { Data(buffer: $0) }
        node.ndarray.dense.shape = shape ?? [UInt32(values.count)]
        node.ndarray.dense.dtype = "<f4"
        node.type = type
        return node
    }
    static func content(_ content: Docarray_NodeProto.OneOf_Content) -> Docarray_NodeProto {
        var node = Docarray_NodeProto()
        node.content = content
        return node
    }
    static let none = Docarray_NodeProto()
}

func doc(_ fields: [String: Docarray_NodeProto]) -> Docarray_DocProto {
    var doc = Docarray_DocProto()
    doc.data = fields
    return doc
}

@Suite struct DocumentCodingTests {
    /// A TextDoc as `DocList[TextDoc]` sends it: every field present, None as an empty node.
    let textDoc = doc([
        "id": Node.text("3306c57c", type: "id"), "text": Node.text("hello"), "url": Node.none,
        "embedding": Node.float32([0.5, -1.25, 0.1], type: "ndarray_embedding"), "bytes_": Node.none,
    ])

    @Test func executorsSeeJinaShapedJSON() throws {
        var types = FieldTypes()
        let json = try DocumentCoding.json(textDoc, types: &types)
        #expect(JSONValue.object(json).jsonString == #"{"id":"3306c57c","bytes_":null,"embedding":[0.5,-1.25,0.1],"text":"hello","url":null}"#)
        #expect(types["embedding"] == FieldType(kind: .ndarray(dtype: "<f4"), tag: "ndarray_embedding"))
        #expect(types["id"] == FieldType(kind: .text, tag: "id"))
        #expect(types["url"] == nil)
    }

    @Test func whatTheClientSentComesBackInItsTypes() throws {
        var tags = Docarray_DictOfAnyProto()
        tags.data = ["count": Node.content(.integer(3)), "ratio": Node.content(.float(1.0)), "ok": Node.content(.boolean(true)),
                     "label": Node.text("x")]
        var pair = Docarray_ListOfAnyProto()
        pair.data = [Node.content(.integer(1)), Node.text("a")]
        var chunks = Docarray_DocListProto()
        chunks.docs = [doc(["id": Node.text("c1", type: "id"), "embedding": Node.float32([1, 2, 3, 4], shape: [2, 2], type: "ndarray")])]
        let original = doc([
            "id": Node.text("d1", type: "id"), "tags": Node.content(.dict(tags)), "pair": Node.content(.tuple(pair)),
            "raw": Node.content(.blob(Data([0, 1, 254, 255]))), "chunks": Node.content(.docArray(chunks)),
            "nested": Node.content(.doc(doc(["id": Node.text("n1", type: "id"), "score": Node.content(.float(0.25))]))),
            "missing": Node.none,
        ])
        var types = FieldTypes()
        let json = try DocumentCoding.json(original, types: &types)
        #expect(json["raw"] == .string("AAH+/w=="))
        #expect(json["chunks"]?[0]?["embedding"] == [[1.0, 2.0], [3.0, 4.0]])
        #expect(DocumentCoding.proto(json, types: types) == original)
    }

    @Test func fieldsAnExecutorAddsAreTypedFromTheirJSON() throws {
        let answer: JSONValue = [
            "id": "q", "embedding": [0.5, 1], "tags": ["k": 7, "big": 12345678901, "f": 2.5],
            "matches": [["id": "m1", "scores": ["cosine": ["value": 0.9]]]], "tensor": [[1, 2], [3, 4]], "words": ["a", "b"],
            "empty": [],
        ]
        let proto = DocumentCoding.proto(answer.objectValue!, types: FieldTypes())
        #expect(proto.data["id"] == Node.text("q", type: "id"))
        #expect(proto.data["embedding"]?.type == "ndarray_embedding")
        #expect(proto.data["embedding"]?.ndarray.dense.dtype == "<f8")
        #expect(proto.data["tensor"]?.type == "ndarray")
        #expect(proto.data["tensor"]?.ndarray.dense.dtype == "<i8")
        #expect(proto.data["tensor"]?.ndarray.dense.shape == [2, 2])
        #expect(proto.data["tags"]?.dict.data["k"]?.integer == 7)
        #expect(proto.data["tags"]?.dict.data["big"]?.float == 12345678901)
        #expect(proto.data["tags"]?.dict.data["f"]?.float == 2.5)
        #expect(proto.data["matches"]?.docArray.docs.first?.data["id"] == Node.text("m1", type: "id"))
        #expect(proto.data["matches"]?.docArray.docs.first?.data["scores"]?.dict.data["cosine"]?.dict.data["value"]?.float == 0.9)
        #expect(proto.data["words"]?.list.data == [Node.text("a"), Node.text("b")])
        #expect(proto.data["empty"]?.list.data == [])
    }

    @Test func aFloat32EmbeddingComesBackFloat32AfterAnExecutorRewroteIt() throws {
        var types = FieldTypes()
        _ = try DocumentCoding.json(textDoc, types: &types)
        let rewritten: JSONValue = ["id": "3306c57c", "text": "HELLO", "embedding": [1, 0.5]]
        let proto = DocumentCoding.proto(rewritten.objectValue!, types: types)
        #expect(proto.data["embedding"] == Node.float32([1, 0.5], type: "ndarray_embedding"))
    }
}
