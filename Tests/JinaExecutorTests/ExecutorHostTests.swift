import Foundation
import JinaWire
import Testing
@testable import JinaExecutor

/// The executor side of the protocol (SPEC §4), without a Flow: what a host answers to calls.
@Suite struct ExecutorHostTests {
    func call(_ endpoint: String, _ docs: String, id: Int = 1, _ fields: [(String, JSONValue)] = []) -> Frame {
        Frame(.call, id: id, body: Array(docs.utf8), [("endpoint", .string(endpoint))] + fields)
    }

    func texts(_ frame: Frame) throws -> [String] {
        try DocumentArray.decode(frame.body).map { $0.text ?? "" }
    }

    @Test func aBuiltinAnswersItsCallWithTheDocumentsAndTheirCount() throws {
        let executor = try LoadedExecutor(ExecutorSpec(jtype: "UpperCase", name: "up"))
        let answer = executor.handle(call("/index", #"[{"text":"a b"},{"text":"c"}]"#, id: 7))
        #expect(answer.kind == .result)
        #expect(answer.id == 7)
        #expect(answer.count == 2)
        #expect(try texts(answer) == ["A B", "C"])
    }

    @Test func anEndpointNothingBindsIsAnsweredUnchangedWithoutSendingTheDocumentsBack() throws {
        let executor = try LoadedExecutor(ExecutorSpec(jtype: "BaseExecutor", name: "base"))
        let answer = executor.handle(call("/anything", #"[{"text":"a"}]"#))
        #expect(answer.kind == .result)
        #expect(answer.body.isEmpty && answer.count == nil)
    }

    @Test func anExecutorErrorIsAnErrorFrameWithJinasStatusAndTheDocumentsAsTheyCame() throws {
        let spec = ExecutorSpec(jtype: "Fail", with: JSONObject([("always", .bool(true)), ("message", .string("nope"))]), name: "failer")
        let executor = try LoadedExecutor(spec)
        let docs = #"[{"text":"a"}]"#
        let answer = executor.handle(call("/index", docs, [("count", .number(1))]))
        #expect(answer.kind == .error)
        #expect(answer.status?["description"]?.stringValue == "FailedOnPurpose: nope")
        #expect(answer.status?["exception"]?["executor"]?.stringValue == "failer")
        #expect(answer.body == Array(docs.utf8))
        #expect(answer.count == 1)
    }

    @Test func documentsThatAreNotAListAreRefusedAsBadDocuments() throws {
        let executor = try LoadedExecutor(ExecutorSpec(jtype: "UpperCase", name: "up"))
        let answer = executor.handle(call("/index", #"{"text":"a"}"#))
        #expect(answer.kind == .error)
        #expect(answer.status?["exception"]?["name"]?.stringValue == "BadDocuments")
    }

    @Test func splitsBecomeTheDocsMatrixOfAJoin() {
        let docs = (0..<5).map { Document(JSONObject([("id", .string("d\($0)"))])) }
        let matrix = LoadedExecutor.matrix(docs, splits: .array([.number(2), .number(3)]))
        #expect(matrix?.map { $0.map { $0.id ?? "" } } == [["d0", "d1"], ["d2", "d3", "d4"]])
        #expect(LoadedExecutor.matrix(docs, splits: nil) == nil)
    }

    @Test func anUnknownClassIsAnErrorNamingIt() {
        #expect(throws: (any Error).self) { try LoadedExecutor(ExecutorSpec(jtype: "NoSuchThing", name: "x")) }
    }

    @Test func theHostSaysHelloThenAnswersInOrderAndEndsAtEndOfInput() throws {
        let executor = try LoadedExecutor(ExecutorSpec(jtype: "UpperCase", name: "up"))
        let host = ExecutorHost(executor: executor, framing: .lines)
        var toHost: [Int32] = [0, 0], fromHost: [Int32] = [0, 0]
        #expect(pipe(&toHost) == 0 && pipe(&fromHost) == 0)
        var input = [UInt8]()
        for i in 1...3 { input += Framing.lines.encode(call("/x", "[{\"text\":\"t\(i)\"}]", id: i)) }
        #expect(Descriptor.writeAll(toHost[1], input))
        close(toHost[1])
        let status = host.serve(input: toHost[0], output: fromHost[1])
        close(fromHost[1])
        #expect(status == 0)
        var decoder = FrameStreamDecoder(framing: .lines)
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fromHost[0], $0.baseAddress, $0.count) }
            if n <= 0 { break }
            decoder.append(Array(buffer[0..<n]))
        }
        var frames: [Frame] = []
        while let frame = try decoder.next() { frames.append(frame) }
        #expect(frames.first?.kind == .hello)
        #expect(frames.first?.header["endpoints"]?.arrayValue?.contains(.string("/default")) == true)
        #expect(frames.dropFirst().map(\.id) == [1, 2, 3])
        #expect(try frames.dropFirst().map { try texts($0) } == [["T1"], ["T2"], ["T3"]])
    }

    @Test func runtimeArgsTravelInTheSpecAndComeBackTheSame() throws {
        var spec = ExecutorSpec(jtype: "Echo", name: "echo")
        spec.runtime = RuntimeArgs(name: "echo", shardId: 1, shards: 2, replicaId: 1, replicas: 3)
        let back = try #require(ExecutorSpec(json: try JSONParser.parse(spec.json.jsonBytes)))
        #expect(back == spec)
        #expect(back.runtime?.shardId == 1 && back.runtime?.replicas == 3)
    }
}
