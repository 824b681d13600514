import HTTPTypes
import HummingbirdWebSocket
import JinaProto
import JinaWire
import NIOCore
import SwiftProtobuf

/// Jina 3's WebSocket protocol, as its client speaks it (subprotocol `bytes`): on `/`, one
/// DataRequestProto per binary message, answered as each completes; a one-byte `\0` message ends
/// the client's requests, and the server closes once every answer is sent. On `/dry_run`, any
/// message is answered with one StatusProto. Other paths stay plain HTTP on the same port.
struct WebSocketGateway: Sendable {
    typealias Handler = WebSocketDataHandler<HTTP1WebSocketUpgradeChannel.Context>

    let runner: ProtoDataRunner
    let maxMessageSize: Int

    /// The client's `\0`: no more requests (Python's `bytes(True)`).
    static let endOfRequests: [UInt8] = [0]

    func shouldUpgrade(_ request: HTTPRequest) -> ShouldUpgradeResult<Handler> {
        let path = request.path.map { String($0.prefix { $0 != "?" }) } ?? "/"
        var headers = HTTPFields()
        // Echo the subprotocol the client offered (RFC 6455); Jina's client accepts either way.
        if let offered = request.headerFields[.secWebSocketProtocol], offered.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == "bytes" }) {
            headers[.secWebSocketProtocol] = "bytes"
        }
        switch path {
        case "/", "": return .upgrade(headers) { inbound, outbound, _ in try await serve(inbound, outbound) }
        case "/dry_run": return .upgrade(headers) { inbound, outbound, _ in try await dryRun(inbound, outbound) }
        default: return .dontUpgrade
        }
    }

    /// Reads requests and runs each as it arrives; one writer sends the answers as they complete.
    private func serve(_ inbound: WebSocketInboundStream, _ outbound: WebSocketOutboundWriter) async throws {
        let (answers, answered) = AsyncStream.makeStream(of: Result<Jina_DataRequestProto, ProtoError>.self)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { answered.finish() }
                var ended = false
                try await withThrowingTaskGroup(of: Void.self) { calls in
                    for try await message in inbound.messages(maxSize: maxMessageSize) {
                        guard case .binary(let buffer) = message else {
                            answered.yield(.failure(ProtoError(.malformed, "send each request as a binary DataRequestProto message (subprotocol 'bytes')")))
                            break
                        }
                        let bytes = Array(buffer.readableBytesView)
                        if bytes == Self.endOfRequests {
                            ended = true
                            break
                        }
                        calls.addTask {
                            do throws(ProtoError) {
                                let request: Jina_DataRequestProto
                                do { request = try Jina_DataRequestProto(serializedBytes: bytes) } catch {
                                    throw ProtoError(.malformed, "a message is not a DataRequestProto: \(error)")
                                }
                                answered.yield(.success(try await runner.answer(request)))
                            } catch {
                                answered.yield(.failure(error))
                            }
                        }
                    }
                    // A client gone without its end marker reads nothing more: withdraw its requests.
                    if !ended { calls.cancelAll() }
                    try await calls.waitForAll()
                }
            }
            var sawError = false
            for await answer in answers {
                switch answer {
                case .success(let proto):
                    sawError = sawError || proto.header.status.code != .success
                    try await outbound.write(.binary(ByteBuffer(bytes: try proto.serializedBytes() as [UInt8])))
                case .failure(let error):
                    group.cancelAll()
                    try await outbound.close(.dataInconsistentWithMessage, reason: Self.closeReason(error.message))
                    return
                }
            }
            try await group.waitForAll()
            // Jina 3.34's client raises BadServer for an error answer only if our close has not
            // reached it yet (it drops the exception when its reader already ended): give it time.
            if sawError { try? await Task.sleep(for: .milliseconds(100)) }
            try await outbound.close(.normalClosure, reason: nil)
        }
    }

    private func dryRun(_ inbound: WebSocketInboundStream, _ outbound: WebSocketOutboundWriter) async throws {
        var messages = inbound.messages(maxSize: maxMessageSize).makeAsyncIterator()
        _ = try await messages.next()
        let status = DataRequestCoding.status(await InfoRoutes.dryRunFailure(flow: runner.flow, flowStarted: runner.flowStarted))
        try await outbound.write(.binary(ByteBuffer(bytes: try status.serializedBytes() as [UInt8])))
        try await outbound.close(.normalClosure, reason: nil)
    }

    /// A close reason fits in 123 bytes (the frame's limit), cut on a character boundary.
    static func closeReason(_ message: String) -> String {
        var reason = ""
        for character in message {
            if reason.utf8.count + String(character).utf8.count > 123 { break }
            reason.append(character)
        }
        return reason
    }
}
