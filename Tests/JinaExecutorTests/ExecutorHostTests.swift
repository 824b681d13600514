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

    /// Serves `input` to an UpperCase host, writing it and reading the answers meanwhile (more than
    /// a pipe holds must not block anyone); the status and every frame the host wrote.
    func upperCaseHost(framing: Framing = .frames, readsAhead: Bool) throws -> ExecutorHost {
        ExecutorHost(executor: try LoadedExecutor(ExecutorSpec(jtype: "UpperCase", name: "up")), framing: framing,
                     readsAhead: readsAhead)
    }

    func serve(_ input: [UInt8], framing: Framing = .frames, readsAhead: Bool) throws -> (status: Int32, frames: [Frame]) {
        let host = try upperCaseHost(framing: framing, readsAhead: readsAhead)
        var toHost: [Int32] = [0, 0], fromHost: [Int32] = [0, 0]
        #expect(pipe(&toHost) == 0 && pipe(&fromHost) == 0)
        let (hostIn, writeEnd, hostOut, readEnd) = (toHost[0], toHost[1], fromHost[1], fromHost[0])
        let output = OnThread { [UInt8](FileHandle(fileDescriptor: readEnd).readDataToEndOfFile()) }
        let written = OnThread { _ = Descriptor.writeAll(writeEnd, input); close(writeEnd) }
        let status = host.serve(input: hostIn, output: hostOut)
        close(hostOut)
        written.result()
        var decoder = FrameStreamDecoder(framing: framing)
        decoder.append(output.result())
        close(hostIn); close(readEnd)
        var frames: [Frame] = []
        while let frame = try decoder.next() { frames.append(frame) }
        return (status, frames)
    }

    func encoded(_ frames: [Frame], _ framing: Framing = .frames) -> [UInt8] {
        frames.flatMap { framing.encode($0) }
    }

    @Test(arguments: [false, true]) func theHostSaysHelloThenAnswersInOrderAndEndsAtEndOfInput(readingAhead: Bool) throws {
        let (status, frames) = try serve(encoded((1...3).map { call("/x", "[{\"text\":\"t\($0)\"}]", id: $0) }), readsAhead: readingAhead)
        #expect(status == 0)
        #expect(frames.first?.kind == .hello)
        #expect(frames.first?.header["endpoints"]?.arrayValue?.contains(.string("/default")) == true)
        #expect(frames.dropFirst().map(\.id) == [1, 2, 3])
        #expect(try frames.dropFirst().map { try texts($0) } == [["T1"], ["T2"], ["T3"]])
    }

    @Test(arguments: [false, true]) func manyCallsWrittenAtOnceAreAllAnsweredInTheOrderTheyCame(readingAhead: Bool) throws {
        // Far more calls than the host prepares ahead, written at once.
        let (status, frames) = try serve(encoded((1...200).map { call("/x", "[{\"text\":\"d\($0)\"}]", id: $0) }), readsAhead: readingAhead)
        #expect(status == 0)
        #expect(frames.dropFirst().map(\.id) == Array(1...200))
        #expect(try frames.dropFirst().map { try texts($0) } == (1...200).map { ["D\($0)"] })
    }

    @Test(arguments: [false, true]) func aCallWithBadDocumentsIsAnsweredWithAnErrorInItsPlaceAndTheNextCallsStillAnswer(readingAhead: Bool) throws {
        let input = [call("/x", #"[{"text":"a"}]"#, id: 1), call("/x", #"{"text":"not a list"}"#, id: 2),
                     call("/x", #"[{"text":"c"}]"#, id: 3)]
        let (status, frames) = try serve(encoded(input), readsAhead: readingAhead)
        #expect(status == 0)
        let answers = Array(frames.dropFirst())
        #expect(answers.map(\.id) == [1, 2, 3])
        #expect(answers.map(\.kind) == [.result, .error, .result])
        #expect(answers[1].status?["exception"]?["name"]?.stringValue == "BadDocuments")
        #expect(try texts(answers[2]) == ["C"])
    }

    @Test(arguments: [false, true]) func aGoodbyeEndsTheHostAfterTheCallsBeforeItAreAnsweredAndNothingAfterItIs(readingAhead: Bool) throws {
        let input = [call("/x", #"[{"text":"a"}]"#, id: 1), call("/x", #"[{"text":"b"}]"#, id: 2),
                     Frame(.goodbye), call("/x", #"[{"text":"late"}]"#, id: 3)]
        let (status, frames) = try serve(encoded(input), readsAhead: readingAhead)
        #expect(status == 0)
        #expect(frames.dropFirst().map(\.id) == [1, 2])
    }

    @Test(arguments: [false, true]) func aFrameThatCannotBeReadEndsTheHostWithStatus2AfterTheCallsBeforeIt(readingAhead: Bool) throws {
        let input = encoded([call("/x", #"[{"text":"a"}]"#, id: 1)], .lines) + Array("this is not a frame\n".utf8)
        let (status, frames) = try serve(input, framing: .lines, readsAhead: readingAhead)
        #expect(status == 2)
        #expect(frames.dropFirst().map(\.id) == [1])
    }

    @Test(arguments: [false, true]) func whenNobodyReadsTheAnswersTheHostReturns1InsteadOfWaitingForMoreCalls(readingAhead: Bool) throws {
        _ = signal(SIGPIPE, SIG_IGN)  // the answer's write fails with EPIPE instead of killing the tests
        let host = try upperCaseHost(readsAhead: readingAhead)
        var sockets: [Int32] = [0, 0], fromHost: [Int32] = [0, 0]
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &sockets) == 0 && pipe(&fromHost) == 0)
        let (input, output) = (sockets[0], fromHost[1])
        let served = OnThread { host.serve(input: input, output: output) }
        var hello = [UInt8](repeating: 0, count: 65536)
        #expect(hello.withUnsafeMutableBytes { read(fromHost[0], $0.baseAddress, $0.count) } > 0)
        close(fromHost[0])
        // The client stays connected and silent after its call: only the failed answer can end the host.
        #expect(Descriptor.writeAll(sockets[1], encoded([call("/x", #"[{"text":"a"}]"#, id: 1)])))
        #expect(served.result() == 1)
        close(sockets[0]); close(sockets[1]); close(fromHost[1])
    }

    /// An indexer checkpoints its database when it is released: that must happen when the caller
    /// lets go of the host, before the process exits, not when a reading thread ends.
    @Test(arguments: [false, true]) func onceServeReturnsTheCallerHoldsTheLastReferenceToTheHost(readingAhead: Bool) throws {
        var toHost: [Int32] = [0, 0], fromHost: [Int32] = [0, 0]
        #expect(pipe(&toHost) == 0 && pipe(&fromHost) == 0)
        defer { close(toHost[0]); close(fromHost[0]); close(fromHost[1]) }
        #expect(Descriptor.writeAll(toHost[1], encoded([call("/x", #"[{"text":"a"}]"#, id: 1)])))
        close(toHost[1])
        weak var released: ExecutorHost?
        do {
            let host = try upperCaseHost(readsAhead: readingAhead)
            released = host
            #expect(host.serve(input: toHost[0], output: fromHost[1]) == 0)
        }
        #expect(released == nil)
    }

    @Test func runtimeArgsTravelInTheSpecAndComeBackTheSame() throws {
        var spec = ExecutorSpec(jtype: "Echo", name: "echo")
        spec.runtime = RuntimeArgs(name: "echo", shardId: 1, shards: 2, replicaId: 1, replicas: 3)
        let back = try #require(ExecutorSpec(json: try JSONParser.parse(spec.json.jsonBytes)))
        #expect(back == spec)
        #expect(back.runtime?.shardId == 1 && back.runtime?.replicas == 3)
    }
}
