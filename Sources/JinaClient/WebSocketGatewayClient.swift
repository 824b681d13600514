import HTTPTypes
import HummingbirdWSClient
import JinaProto
import JinaWire
import Logging
import NIOCore
import SwiftProtobuf

/// A client of a gateway's WebSocket protocol, as Jina's Python client speaks it: subprotocol
/// `bytes`, one DataRequestProto per binary message, `\0` after the last, answers until the
/// gateway closes; `/dry_run` answers one StatusProto.
public struct WebSocketGatewayClient: Sendable {
    public let host: String
    public let port: Int
    /// Largest message either way.
    public var maxMessageSize = 256 << 20
    /// WebSocket over TLS (`wss://`) when set.
    public let tls: ClientTLS?

    public init(host: String, port: Int, tls: ClientTLS? = nil) {
        self.host = host
        self.port = port
        self.tls = tls
    }

    private var url: String { "\(tls == nil ? "ws" : "wss")://\(host.contains(":") ? "[\(host)]" : host):\(port)" }

    /// The requests on one connection; the answers in the order they came.
    public func post(_ requests: [FlowRequest]) async throws(ProtoClientError) -> [FlowResponse] {
        var messages: [[UInt8]] = []
        for request in requests {
            do { messages.append(try DataRequestCoding.proto(request).serializedBytes()) } catch {
                throw ProtoClientError(.refused, "cannot encode the request: \(error)")
            }
        }
        var responses: [FlowResponse] = []
        for answer in try await exchange(path: "/", messages + [[0]]) {
            do {
                responses.append(try DataRequestCoding.response(Jina_DataRequestProto(serializedBytes: answer)).response)
            } catch {
                throw ProtoClientError(.refused, "the gateway answered with something that is not a DataRequestProto: \(error)")
            }
        }
        return responses
    }

    /// nil when an empty request went through every executor; else why not.
    public func dryRun() async throws(ProtoClientError) -> String? {
        guard let answer = try await exchange(path: "/dry_run", [[]]).first else {
            throw ProtoClientError(.refused, "the gateway closed /dry_run without an answer")
        }
        let status: Jina_StatusProto
        do { status = try Jina_StatusProto(serializedBytes: answer) } catch {
            throw ProtoClientError(.refused, "the dry run's answer is not a StatusProto: \(error)")
        }
        return status.code == .success ? nil : (status.description_p.isEmpty ? "the dry run failed" : status.description_p)
    }

    /// Sends `messages` as binary messages and collects every binary message until the gateway closes.
    public func exchange(path: String, _ messages: [[UInt8]]) async throws(ProtoClientError) -> [[UInt8]] {
        let received = Collected()
        let logger = Logger(label: "jina.client.ws", factory: { _ in SwiftLogNoOpLogHandler() })
        var headers = HTTPFields()
        headers[.secWebSocketProtocol] = "bytes"
        let limit = maxMessageSize
        if tls != nil, Address.isIPAddress(host) {
            // The WebSocket client sends the host as SNI, which TLS forbids for an IP address.
            throw ProtoClientError(.refused, "wss:// needs the host name the certificate was made for, not the IP address \(host) "
                                   + "(e.g. wss://localhost:\(port)); https:// and grpcs:// take IP addresses")
        }
        let close: WebSocketCloseFrame?
        do {
            close = try await WebSocketClient.connect(
                url: url + path,
                configuration: WebSocketClientConfiguration(maxFrameSize: min(limit, Int(UInt32.max)), additionalHeaders: headers),
                tlsConfiguration: tls?.configuration,
                logger: logger
            ) { inbound, outbound, _ in
                for message in messages { try await outbound.write(.binary(ByteBuffer(bytes: message))) }
                for try await message in inbound.messages(maxSize: limit) {
                    if case .binary(let buffer) = message { received.append(Array(buffer.readableBytesView)) }
                }
            }
        } catch {
            if let tls = ClientTLS.explain(error, host: host) { throw ProtoClientError(.refused, "\(url)\(path): \(tls)") }
            throw ProtoClientError(.unavailable, "cannot reach \(url)\(path): \(error)")
        }
        if let close, close.closeCode != .normalClosure {
            throw ProtoClientError(.refused, "the gateway closed the connection (\(close.closeCode)): \(close.reason ?? "no reason given")")
        }
        return received.values
    }
}

/// Messages gathered by the connection's handler.
private final class Collected: @unchecked Sendable {  // appended from the one handler task, read after it ends
    private(set) var values: [[UInt8]] = []
    func append(_ value: [UInt8]) { values.append(value) }
}
