import JinaProto
import JinaWire
import SwiftProtobuf

/// A client of a gateway's WebSocket protocol, as Jina's Python client speaks it: subprotocol
/// `bytes`, one DataRequestProto per binary message, `\0` after the last, answers until the
/// gateway closes; `/dry_run` answers one StatusProto. Each exchange is one connection
/// (`WebSocketConnection`, on a thread of its own).
public struct WebSocketGatewayClient: Sendable {
    public let host: String
    public let port: Int
    /// Largest message either way.
    public var maxMessageSize = 256 << 20
    /// WebSocket over TLS (`wss://`) when set.
    public let tls: ClientTLS?
    /// Milliseconds an exchange may take, connecting included (0: no limit).
    public let timeout: Int

    public init(host: String, port: Int, tls: ClientTLS? = nil, timeout: Int = 0) {
        self.host = host
        self.port = port
        self.tls = tls
        self.timeout = timeout
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
        let (host, port, tls, limit, timeout, url) = (host, port, tls, maxMessageSize, timeout, url + path)
        let answer: (messages: [[UInt8]], close: WebSocketConnection.Close?)
        do {
            answer = try await DedicatedThread.run("jina-ws") {
                try WebSocketConnection.exchange(host: host, port: port, path: path, tls: tls, messages: messages, maxMessageSize: limit,
                                                 connectTimeout: 3_000, timeout: timeout)
            }
        } catch let error as ClientError {
            switch error {
            case .timedOut: throw ProtoClientError(.timedOut, "\(url): \(error)")
            case .tls: throw ProtoClientError(.unavailable, "\(url): \(error)")
            default: throw ProtoClientError(.unavailable, "cannot reach \(url): \(error)")
            }
        } catch {
            throw ProtoClientError(.unavailable, "cannot reach \(url): \(error)")
        }
        guard let close = answer.close else {
            throw ProtoClientError(.unavailable, "\(url): the gateway closed the connection without a WebSocket close frame")
        }
        if close.code != 1000 {
            throw ProtoClientError(.refused, "the gateway closed the connection (\(close.codeDescription)): \(close.reason.isEmpty ? "no reason given" : close.reason)")
        }
        return answer.messages
    }
}
