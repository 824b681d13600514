import Foundation
import Testing
@testable import JinaProto
import JinaWire
import SeededRandom
import SwiftProtobuf

@Suite struct DataRequestCodingTests {
    /// `Client.post('/index', DocList[TextDoc]([...]), parameters={'top_k': 3})` as it arrives.
    func clientRequest(docsAsBytes: Bool = false) throws -> Jina_DataRequestProto {
        var request = Jina_DataRequestProto()
        request.header.requestID = "0cb83e8d"
        request.header.execEndpoint = "/index"
        request.parameters = StructCoding.proto(["top_k": 3, "__results__": [:]])
        var docs = Docarray_DocListProto()
        docs.docs = [doc(["id": Node.text("a", type: "id"), "text": Node.text("hello"), "url": Node.none,
                          "embedding": Node.float32([1, 2], type: "ndarray_embedding")])]
        if docsAsBytes { request.data.docsBytes = try docs.serializedBytes() } else { request.data.docs = docs }
        return request
    }

    @Test func aClientRequestBecomesAFlowRequest() throws {
        let decoded = try DataRequestCoding.request(clientRequest())
        let request = decoded.flowRequest
        #expect(request.requestID == "0cb83e8d")
        #expect(request.endpoint == "/index")
        #expect(request.targetExecutor == nil)
        #expect(request.parameters == ["__results__": [:], "top_k": 3])
        #expect(request.count == 1)
        #expect(String(decoding: request.body, as: UTF8.self) == #"[{"id":"a","embedding":[1.0,2.0],"text":"hello","url":null}]"#)
        #expect(!decoded.docsAsBytes)
    }

    @Test func noEndpointMeansTheDefaultBindingAndIdsAreGiven() throws {
        var proto = Jina_DataRequestProto()
        proto.data.docs.docs = [doc(["text": Node.text("no id")])]
        let request = try DataRequestCoding.request(proto).flowRequest
        #expect(request.endpoint == "/default")
        #expect(request.requestID.count == 32)
        let docs = try JSONParser.parse(request.body)
        #expect(docs[0]?["id"]?.stringValue?.count == 32)
    }

    @Test func theAnswerKeepsTheRequestsTypesAndForm() throws {
        for asBytes in [false, true] {
            let decoded = try DataRequestCoding.request(clientRequest(docsAsBytes: asBytes))
            let body = Array(#"[{"id":"a","text":"HELLO","embedding":[3,4],"url":null}]"#.utf8)
            let start = Date(timeIntervalSince1970: 1_700_000_000)
            let response = FlowResponse(requestID: "0cb83e8d", endpoint: "/index", parameters: ["__results__": ["up": ["n": 1]]],
                                        body: body, count: 1,
                                        routes: [RouteEntry(executor: "up", start: start, end: start.addingTimeInterval(0.5), status: nil)])
            let answer = try DataRequestCoding.proto(response, answering: decoded)
            #expect(answer.header.requestID == "0cb83e8d")
            #expect(answer.header.status.code == .success)
            #expect(answer.routes.map(\.executor) == ["up"])
            #expect(answer.routes[0].endTime.timeIntervalSince1970 == 1_700_000_000.5)
            #expect(StructCoding.json(answer.parameters) == ["__results__": ["up": ["n": 1]]])
            let docs: Docarray_DocListProto
            if asBytes { docs = try Docarray_DocListProto(serializedBytes: answer.data.docsBytes) } else { docs = answer.data.docs }
            #expect(docs.docs[0].data["embedding"] == Node.float32([3, 4], type: "ndarray_embedding"))
            #expect(docs.docs[0].data["id"] == Node.text("a", type: "id"))
            #expect(docs.docs[0].data["url"] == Node.none)
        }
    }

    @Test func anExecutorErrorIsAnErrorStatusNamingIt() throws {
        let failure = RequestFailure(kind: .executorError, executor: "boom",
                                     status: RequestFailure.status(name: "ValueError", message: "bad input", executor: "boom"))
        let response = FlowResponse(requestID: "r", endpoint: "/", body: [], count: 0, failure: failure)
        let status = try DataRequestCoding.proto(response).header.status
        #expect(status.code == .error)
        #expect(status.description_p == "ValueError: bad input")
        #expect(status.exception.name == "ValueError")
        #expect(status.exception.args == ["bad input"])
        #expect(status.exception.executor == "boom")
        #expect(DataRequestCoding.json(status)["exception"]?["executor"] == "boom")
    }

    @Test func parametersKeepWholeNumbersWhole() {
        var value = Google_Protobuf_Struct()
        value.fields["top_k"] = Google_Protobuf_Value(numberValue: 3)
        value.fields["ratio"] = Google_Protobuf_Value(numberValue: 0.5)
        value.fields["nested"] = Google_Protobuf_Value(structValue: StructCoding.proto(["list": [1, "a", true, nil]]))
        #expect(JSONValue.object(StructCoding.json(value)).jsonString == #"{"nested":{"list":[1,"a",true,null]},"ratio":0.5,"top_k":3}"#)
    }

    @Test func malformedDocsBytesAreAnError() {
        var proto = Jina_DataRequestProto()
        proto.data.docsBytes = Data([0x0A, 0xFF])
        #expect(throws: ProtoError.self) { try DataRequestCoding.request(proto) }
    }

    /// Mutated requests either fail to parse or decode: never a crash.
    @Test func fuzzedBytesNeverCrash() throws {
        let valid: [UInt8] = try clientRequest().serializedBytes()
        var random = SplitMix64(seed: 14)
        var decoded = 0
        for _ in 0..<3000 {
            var bytes = valid
            for _ in 0...random.next(below: 6) {
                let at = random.next(below: bytes.count)
                switch random.next(below: 3) {
                case 0: bytes[at] = UInt8(truncatingIfNeeded: random.next())
                case 1: bytes.remove(at: at)
                default: bytes.insert(UInt8(truncatingIfNeeded: random.next()), at: at)
                }
                if bytes.isEmpty { break }
            }
            guard let proto = try? Jina_DataRequestProto(serializedBytes: bytes) else { continue }
            if (try? DataRequestCoding.request(proto)) != nil { decoded += 1 }
        }
        #expect(decoded > 0)
    }
}
