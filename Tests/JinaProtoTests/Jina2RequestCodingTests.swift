import Foundation
import Testing
@testable import JinaProto
import JinaWire
import SwiftProtobuf

/// Jina 2.0's gRPC request, told apart from 3.x's on the same path, and its documents.
@Suite struct Jina2RequestCodingTests {
    func jina2Request() -> Jina2_RequestProto {
        var doc = Jina2_DocumentProto()
        doc.id = "d1"
        doc.text = "hello"
        doc.embedding.dense.buffer = [Float(0.5), 2].withUnsafeBufferPointer { Data(buffer: $0) }
        doc.embedding.dense.shape = [2]
        doc.embedding.dense.dtype = "<f4"
        doc.tags = StructCoding.proto(["k": "v", "n": 2])
        var chunk = Jina2_DocumentProto()
        chunk.id = "c1"
        chunk.buffer = Data([1, 2, 3])
        chunk.granularity = 1
        doc.chunks = [chunk]
        var score = Jina2_NamedScoreProto()
        score.value = 0.75
        score.opName = "cosine"
        doc.scores.values["cosine"] = score
        var request = Jina2_RequestProto()
        request.requestID = "r2"
        request.data.docs = [doc]
        request.header.execEndpoint = "/search"
        request.header.targetPeapod = "enc.*"
        request.parameters = StructCoding.proto(["top_k": 5])
        return request
    }

    @Test func aJina2RequestIsToldApartFromA3xOne() throws {
        #expect(Jina2RequestCoding.isJina2(try jina2Request().serializedBytes()))
        var threeX = Jina_DataRequestProto()
        threeX.header.requestID = "r3"
        threeX.header.execEndpoint = "/index"
        threeX.data.docs.docs = [Docarray_DocProto()]
        threeX.parameters = StructCoding.proto(["a": 1])
        #expect(!Jina2RequestCoding.isJina2(try threeX.serializedBytes()))
        #expect(!Jina2RequestCoding.isJina2([0x1A, 0x7F]))  // field 3 claiming more bytes than there are
    }

    @Test func itsDocumentsAreJina2sJSON() throws {
        let (request, types) = try Jina2RequestCoding.request(jina2Request())
        #expect(request.requestID == "r2")
        #expect(request.endpoint == "/search")
        #expect(request.targetExecutor == "enc.*")
        #expect(request.parameters == ["top_k": 5])
        let doc = try JSONParser.parse(request.body)[0]
        #expect(doc?["text"] == "hello")
        #expect(doc?["embedding"] == [0.5, 2.0])
        #expect(doc?["tags"] == ["k": "v", "n": 2])
        #expect(doc?["chunks"]?[0]?["buffer"] == "AQID")
        #expect(doc?["chunks"]?[0]?["granularity"] == 1)
        #expect(doc?["scores"]?["cosine"]?["value"] == 0.75)
        #expect(doc?["scores"]?["cosine"]?["op_name"] == "cosine")
        #expect(types["embedding"]?.kind == .ndarray(dtype: "<f4"))
    }

    @Test func theAnswerGoesBackInJina2sLayout() throws {
        let original = jina2Request()
        let (request, types) = try Jina2RequestCoding.request(original)
        let response = FlowResponse(requestID: request.requestID, endpoint: request.endpoint, parameters: request.parameters,
                                    body: request.body, count: request.count)
        let answer = try Jina2RequestCoding.proto(response, types: types)
        #expect(answer.data.docs == original.data.docs)
        #expect(answer.status.code == .success)
        #expect(answer.requestID == "r2")
        let failed = FlowResponse(requestID: "r", endpoint: "/", body: [], count: 0,
                                  failure: RequestFailure(kind: .executorError, executor: "enc",
                                                          status: RequestFailure.status(name: "KeyError", message: "x", executor: "enc")))
        let error = try Jina2RequestCoding.proto(failed).status
        #expect(error.code == .error)
        #expect(error.exception.executor == "enc")
        #expect(error.description_p == "KeyError: x")
    }
}
