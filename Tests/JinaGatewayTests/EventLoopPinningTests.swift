import Foundation
import JinaClient
import JinaWire
import NIOPosix
import Synchronization
import Testing
@testable import JinaGateway

/// A request over HTTP or WebSocket runs on the event loop that read it, from start to end: the
/// Flow's work, its child tasks and what resumes after waiting on another thread (the executors'
/// readers) all come back to that loop, instead of crossing to Swift's global pool and back.
@Suite struct EventLoopPinningTests {
    /// Records, at each step of a request, whether it ran on an event loop and on which.
    final class WhereFlow: FlowService {
        let seen = Mutex<[(step: String, loop: ObjectIdentifier?)]>([])

        func note(_ step: String) {
            let loop = MultiThreadedEventLoopGroup.currentEventLoop.map { ObjectIdentifier($0) }
            seen.withLock { $0.append((step, loop)) }
        }

        func post(_ request: FlowRequest) async -> FlowResponse {
            note("start")
            // An answer that arrives on another thread, as an executor's reader delivers it.
            await withCheckedContinuation { continuation in
                Thread.detachNewThread { continuation.resume() }
            }
            note("resumed")
            await withTaskGroup(of: Void.self) { group in
                group.addTask { self.note("child") }
            }
            return FlowResponse(requestID: request.requestID, endpoint: request.endpoint, body: request.body, count: request.count)
        }

        var isReady: Bool { true }
        var executors: [ExecutorStatus] { [] }
        var boundEndpoints: [String] { ["/index"] }
        var retryCount: Int { 0 }
    }

    func serve(_ flow: WhereFlow, _ kind: ServedProtocol) async throws -> GatewayServer {
        let server = try await GatewayServer.start(flow: flow, configuration: GatewayConfiguration(listeners: [.init(kind, port: 0)],
                                                                                                   version: "test"))
        server.flowDidStart()
        return server
    }

    func expectOneLoop(_ flow: WhereFlow) {
        let seen = flow.seen.withLock { $0 }
        #expect(seen.map(\.step) == ["start", "resumed", "child"])
        #expect(seen.allSatisfy { $0.loop != nil }, "steps off the event loop: \(seen.filter { $0.loop == nil }.map(\.step))")
        #expect(Set(seen.map(\.loop)).count == 1, "a request moved between event loops")
    }

    @Test func anHTTPRequestStaysOnItsEventLoop() async throws {
        let flow = WhereFlow()
        let server = try await serve(flow, .http)
        let (status, _) = try await RawHTTP.exchange(port: server.port, "POST", "/index", #"{"data":[{"text":"a"}]}"#)
        #expect(status == 200)
        expectOneLoop(flow)
        _ = await server.shutdown(within: .seconds(5))
    }

    @Test func aWebSocketRequestStaysOnItsEventLoop() async throws {
        let flow = WhereFlow()
        let server = try await serve(flow, .websocket)
        let request = FlowRequest(requestID: "r1", endpoint: "/index", parameters: [:],
                                  body: Array(#"[{"id":"d","text":"a"}]"#.utf8), count: 1)
        let responses = try await WebSocketGatewayClient(host: "127.0.0.1", port: server.port).post([request])
        #expect(responses.map(\.requestID) == ["r1"])
        expectOneLoop(flow)
        _ = await server.shutdown(within: .seconds(5))
    }
}
