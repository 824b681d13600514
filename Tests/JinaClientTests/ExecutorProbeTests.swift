import Foundation
@testable import JinaClient
import Testing

/// `jina ping executor`: connect and read the hello an executor sends first, as a frame or as a
/// JSON line (`framing: lines`).
@Suite struct ExecutorProbeTests {
    /// A frame on the wire (docs/protocol.md): header length and body length as big-endian
    /// u32, then the header's JSON and the body.
    private static func frame(_ header: String) -> [UInt8] {
        func u32(_ n: Int) -> [UInt8] { [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: n >> $0) } }
        return u32(header.utf8.count) + u32(0) + Array(header.utf8)
    }

    /// A server that sends `greeting` (in two pieces, as a network may) and then listens.
    private static func server(sending greeting: [UInt8]) throws -> LoopbackServer {
        try LoopbackServer { connection in
            connection.write(Array(greeting.prefix(5)))
            Thread.sleep(forTimeInterval: 0.02)
            connection.write(Array(greeting.dropFirst(5)))
            connection.waitForClose()
        }
    }

    private func hello(_ server: LoopbackServer, timeout: Int = 2_000) async throws -> String {
        try await ExecutorProbe.hello(host: "127.0.0.1", port: server.port, timeout: timeout)
    }

    @Test func helloFrameGivesTheExecutorsName() async throws {
        let server = try Self.server(sending: Self.frame(#"{"v":1,"kind":"hello","name":"encoder","endpoints":["/index"]}"#))
        #expect(try await hello(server) == "encoder")
    }

    @Test func helloLineGivesTheExecutorsName() async throws {
        let server = try Self.server(sending: Array(#"{"v":1,"kind":"hello","name":"awk-exec"}"# .utf8) + [0x0A])
        #expect(try await hello(server) == "awk-exec")
    }

    @Test func helloWithoutANameIsAnExecutor() async throws {
        let server = try Self.server(sending: Self.frame(#"{"v":1,"kind":"hello"}"#))
        #expect(try await hello(server) == "executor")
    }

    @Test func anotherFrameFirstIsNotTheProtocol() async throws {
        let server = try Self.server(sending: Self.frame(#"{"v":1,"kind":"result","id":1}"#))
        await #expect(throws: ClientError.protocolError("expected a hello, got result")) { try await hello(server) }
    }

    @Test func garbageIsNotTheProtocol() async throws {
        let server = try Self.server(sending: Array("{this is not json\n".utf8))
        let error = await #expect(throws: ClientError.self) { try await hello(server) }
        guard case .protocolError(let message) = error else {
            Issue.record("expected a protocol error, got \(String(describing: error))")
            return
        }
        #expect(message.hasPrefix("not the executor protocol ("), "\(message)")
    }

    @Test func closingBeforeTheHelloFails() async throws {
        let server = try LoopbackServer { _ in }
        await #expect(throws: ClientError.connectionClosed(reason: "the executor closed the connection before its hello")) {
            try await hello(server)
        }
    }

    @Test func silenceTimesOut() async throws {
        let server = try LoopbackServer { connection in connection.waitForClose() }
        await #expect(throws: ClientError.timedOut(what: "waiting for the executor's hello", milliseconds: 200)) {
            try await hello(server, timeout: 200)
        }
    }

    @Test func nothingListeningIsRefused() async throws {
        let port = try LoopbackServer.unusedPort()
        await #expect(throws: ClientError.connectionRefused(host: "127.0.0.1", port: port)) {
            try await ExecutorProbe.hello(host: "127.0.0.1", port: port, timeout: 1_000)
        }
    }
}
