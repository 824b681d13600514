import Foundation
import JinaClient
import JinaProto
import JinaWire
import SeededRandom
import SwiftProtobuf
import Testing
@testable import JinaGateway

/// The gRPC and WebSocket gateways on a fake Flow, through the Swift clients.
@Suite struct ProtoGatewayTests {
    struct Served {
        let server: GatewayServer
        let flow: FakeFlow
        func port(_ kind: ServedProtocol) -> Int { server.listeners.first { $0.protocol == kind }!.port }
        var grpc: GRPCGatewayClient { get throws { try GRPCGatewayClient(host: "127.0.0.1", port: port(.grpc), timeout: 10_000) } }
        var ws: WebSocketGatewayClient { WebSocketGatewayClient(host: "127.0.0.1", port: port(.websocket)) }
    }

    func serve(started: Bool = true, maxBodySize: Int = 64 << 20) async throws -> Served {
        let flow = FakeFlow()
        let configuration = GatewayConfiguration(listeners: [.init(.http, port: 0), .init(.grpc, port: 0), .init(.websocket, port: 0)],
                                                 maxBodySize: maxBodySize, version: "test")
        let server = try await GatewayServer.start(flow: flow, configuration: configuration)
        if started { server.flowDidStart() }
        return Served(server: server, flow: flow)
    }

    func request(_ texts: [String], endpoint: String = "/index", id: String = RequestID.make()) -> FlowRequest {
        let docs = texts.enumerated().map { JSONValue.object(["id": .string("d\($0)"), "text": .string($1)]) }
        return FlowRequest(requestID: id, endpoint: endpoint, parameters: ["top_k": 3], body: JSONValue.array(docs).jsonBytes, count: docs.count)
    }

    func texts(_ response: FlowResponse) throws -> [String] {
        try JSONParser.parse(response.body).arrayValue!.compactMap { $0["text"]?.stringValue }
    }

    @Test func everyProtocolListensOnItsOwnPort() async throws {
        let served = try await serve()
        defer { Task { _ = await served.server.shutdown(within: .seconds(5)) } }
        #expect(served.server.listeners.map(\.protocol) == [.http, .grpc, .websocket])
        #expect(Set(served.server.listeners.map(\.port)).count == 3)
    }

    @Test func grpcPostRunsThroughTheFlow() async throws {
        let served = try await serve()
        let client = try served.grpc
        defer { client.close() }
        let response = try await client.post(request(["hello", "world"], id: "r1"))
        #expect(response.requestID == "r1")
        #expect(response.failure == nil)
        #expect(try texts(response) == ["HELLO", "WORLD"])
        #expect(response.parameters["top_k"] == 3)
        _ = await served.server.shutdown(within: .seconds(5))
    }

    @Test func aCallStreamAnswersEveryRequestAndInOrderWhenAsked() async throws {
        let served = try await serve()
        let client = try served.grpc
        defer { client.close() }
        let requests = (0..<20).map { request(["t\($0)"], id: "s\($0)") }
        let any = try await client.stream(requests)
        #expect(Set(any.map(\.requestID)) == Set(requests.map(\.requestID)))
        let ordered = try await client.stream(requests, inOrder: true)
        #expect(ordered.map(\.requestID) == requests.map(\.requestID))
        #expect(try ordered.flatMap(texts) == (0..<20).map { "T\($0)" })
        _ = await served.server.shutdown(within: .seconds(5))
    }

    @Test func healthAndDryRunFollowTheFlow() async throws {
        let served = try await serve(started: false)
        let client = try served.grpc
        defer { client.close() }
        #expect(try await client.health() == false)
        #expect(try await client.dryRun() != nil)
        served.server.flowDidStart()
        #expect(try await client.health() == true)
        #expect(try await client.health(service: "jina.JinaRPC") == true)
        #expect(try await client.dryRun() == nil)
        #expect(try await client.endpoints() == ["/hang", "/index"])
        served.flow.state.withLock { $0.ready = false }
        #expect(try await client.health() == false)
        _ = await served.server.shutdown(within: .seconds(5))
    }

    @Test func aClientThatGivesUpCancelsItsRequest() async throws {
        let served = try await serve()
        let client = try GRPCGatewayClient(host: "127.0.0.1", port: served.port(.grpc), timeout: 3_000)
        defer { client.close() }
        await #expect(throws: ProtoClientError.self) { try await client.post(request(["x"], endpoint: "/hang")) }
        let deadline = ContinuousClock.now + .seconds(10)
        while served.flow.state.withLock({ $0.cancelled }) == 0, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        // The request reached the Flow (on a loaded machine it may not within the deadline) and was withdrawn.
        let (posts, cancelled) = served.flow.state.withLock { ($0.posts, $0.cancelled) }
        #expect(posts == cancelled && posts <= 1)
        _ = await served.server.shutdown(within: .seconds(5))
    }

    @Test func drainingLetsRequestsInFlightFinish() async throws {
        let served = try await serve()
        let client = try served.grpc
        defer { client.close() }
        async let slow = client.post(request(["late"], endpoint: "/slow"))
        // Drain once the request is in the Flow (a loaded machine may take a while to get it there).
        let arrived = ContinuousClock.now + .seconds(10)
        while served.flow.state.withLock({ $0.posts }) == 0, ContinuousClock.now < arrived { try await Task.sleep(for: .milliseconds(5)) }
        async let drained = served.server.shutdown(within: .seconds(10))
        #expect(try texts(try await slow) == ["LATE"])
        client.close()  // its connection would otherwise stay open until its own end
        #expect(await drained)
    }

    /// Mutated requests are answered or refused, never a crash; the gateway goes on serving.
    @Test func fuzzedMessagesAreAnsweredOrRefused() async throws {
        let served = try await serve()
        let client = try served.grpc
        defer { client.close() }
        let valid: [UInt8] = try DataRequestCoding.proto(request(["fuzz"])).serializedBytes()
        var random = SplitMix64(seed: 1414)
        var refused = 0, answered = 0
        for _ in 0..<300 {
            var bytes = valid
            for _ in 0...random.next(below: 8) where !bytes.isEmpty {
                let at = random.next(below: bytes.count)
                if random.next(below: 2) == 0 { bytes[at] = UInt8(truncatingIfNeeded: random.next()) } else { bytes.remove(at: at) }
            }
            do {
                _ = try await client.sendRaw(bytes)
                answered += 1
            } catch {
                #expect(error.kind == .refused, "\(error)")
                refused += 1
            }
        }
        #expect(refused > 0 && answered > 0)
        #expect(try texts(try await client.post(request(["still here"]))) == ["STILL HERE"])
        _ = await served.server.shutdown(within: .seconds(5))
    }

    @Test func aMessageOverMaxBodySizeIsRefused() async throws {
        let served = try await serve(maxBodySize: 4096)
        let client = try served.grpc
        defer { client.close() }
        await #expect(throws: ProtoClientError.self) { try await client.post(request([String(repeating: "x", count: 10_000)])) }
        #expect(try texts(try await client.post(request(["small"]))) == ["SMALL"])
        _ = await served.server.shutdown(within: .seconds(5))
    }

    @Test func webSocketAnswersEachRequestThenCloses() async throws {
        let served = try await serve()
        let responses = try await served.ws.post([request(["a"], id: "w1"), request(["b"], id: "w2"), request(["c"], id: "w3")])
        #expect(responses.map(\.requestID).sorted() == ["w1", "w2", "w3"])
        #expect(try responses.sorted { $0.requestID < $1.requestID }.flatMap(texts) == ["A", "B", "C"])
        #expect(try await served.ws.dryRun() == nil)
        _ = await served.server.shutdown(within: .seconds(5))
    }

    @Test func aWebSocketMessageThatIsNotARequestClosesWithTheReason() async throws {
        let served = try await serve()
        let error = await #expect(throws: ProtoClientError.self) { try await served.ws.exchange(path: "/", [[0xFF, 0xFF, 0xFF]]) }
        #expect(error?.description.contains("not a DataRequestProto") == true, "\(String(describing: error))")
        #expect(try await served.ws.post([request(["ok"])]).count == 1)
        _ = await served.server.shutdown(within: .seconds(5))
    }

    @Test func metricsCountEveryProtocol() async throws {
        let served = try await serve()
        let client = try served.grpc
        defer { client.close() }
        _ = try await client.post(request(["m"]))
        _ = try await served.ws.post([request(["n"])])
        let (_, metrics) = try await RawHTTP.exchange(port: served.port(.http), "GET", "/metrics", "")
        #expect(metrics.contains(#"jina_requests_total{endpoint="/index",status="200"} 2"#), "\(metrics)")
        _ = await served.server.shutdown(within: .seconds(5))
    }
}

/// A Jina 2.0 client's `Call` messages are answered in Jina 2.0's layout, beside 3.x's on one stream.
@Suite struct Jina2GRPCTests {
    @Test func jina2AndJina3MessagesShareTheCallPath() async throws {
        let served = try await ProtoGatewayTests().serve()
        let client = try served.grpc
        defer { client.close() }
        var doc = Jina2_DocumentProto()
        doc.id = "two"
        doc.text = "from jina 2"
        var jina2 = Jina2_RequestProto()
        jina2.requestID = "r2"
        jina2.header.execEndpoint = "/index"
        jina2.data.docs = [doc]
        let jina3 = try DataRequestCoding.proto(ProtoGatewayTests().request(["from jina 3"], id: "r3"))
        let answers = try await client.callRaw([try jina2.serializedBytes(), try jina3.serializedBytes()])
        #expect(answers.count == 2)
        for answer in answers {
            if Jina2RequestCoding.isJina2(answer) {
                let proto = try Jina2_RequestProto(serializedBytes: answer)
                #expect(proto.requestID == "r2")
                #expect(proto.data.docs.map(\.text) == ["FROM JINA 2"])
            } else {
                let proto = try Jina_DataRequestProto(serializedBytes: answer)
                #expect(proto.header.requestID == "r3")
            }
        }
        _ = await served.server.shutdown(within: .seconds(5))
    }
}

@Suite struct GRPCShutdownTests {
    /// An idle client connection (Jina's client keeps its channel) does not hold up a drain.
    @Test func anIdleClientConnectionDoesNotHoldUpShutdown() async throws {
        let served = try await ProtoGatewayTests().serve()
        let client = try served.grpc
        defer { client.close() }
        #expect(try await client.health())
        let started = ContinuousClock.now
        let drained = await served.server.shutdown(within: .seconds(10))
        let took = ContinuousClock.now - started
        #expect(drained)
        // Held up, it would take the whole 10 s budget; a loaded 2-core machine has taken 3 s
        // to drain an unheld one, so the bound leaves room for that and no more.
        #expect(took < .seconds(8), "shutdown took \(took)")
    }
}
