import GRPCCore
import GRPCNIOTransportHTTP2Posix
import GRPCProtobuf
import JinaProto
import JinaWire
import SwiftProtobuf

/// A client of a gateway's gRPC protocol, as Jina's Python client calls it: `post` sends one
/// request per `process_single_data` call (concurrent calls share one HTTP/2 connection),
/// `stream` sends many on one `Call` stream; `dryRun` and `health` ask whether the Flow is ready.
public final class GRPCGatewayClient: Sendable {
    private let client: GRPCClient<HTTP2ClientTransport.Posix>
    private let connections: Task<Void, Never>
    private let options: CallOptions

    private let host: String
    private let usesTLS: Bool

    /// - Parameter timeout: milliseconds a call may take (0: no limit); a call also fails at once
    ///   when nothing listens, rather than waiting for the gateway to come up.
    /// - Parameter tls: gRPC over TLS (`grpcs://`) when set.
    public init(host: String, port: Int, timeout: Int = 0, tls: ClientTLS? = nil) throws {
        // Over TLS an IP literal must not go out as SNI: as an IP target, grpc-swift sends none and
        // NIOSSL matches the certificate's IP addresses.
        let target: any ResolvableTarget = switch (tls != nil, host.contains(":"), Address.isIPAddress(host)) {
        case (true, false, true): ResolvableTargets.IPv4.ipv4(host: host, port: port)
        case (true, true, true): ResolvableTargets.IPv6.ipv6(host: host, port: port)
        default: ResolvableTargets.DNS.dns(host: host, port: port)
        }
        self.host = host
        usesTLS = tls != nil
        let transport = try HTTP2ClientTransport.Posix(
            target: target, transportSecurity: tls?.grpcSecurity ?? .plaintext,
            config: .defaults { $0.backoff = .init(initial: .milliseconds(100), max: .seconds(1), multiplier: 1.6, jitter: 0.2) })
        let client = GRPCClient(transport: transport)
        self.client = client
        connections = Task { try? await client.runConnections() }
        var options = CallOptions.defaults
        options.waitForReady = false
        options.maxResponseMessageBytes = Int(Int32.max)
        if timeout > 0 { options.timeout = .milliseconds(timeout) }
        self.options = options
    }

    public func post(_ request: FlowRequest) async throws(ProtoClientError) -> FlowResponse {
        let answer: Jina_DataRequestProto = try await unary(try encode(request), Method.processSingleData)
        return try decode(answer)
    }

    /// The requests on one `Call` stream; the answers in the order they came.
    public func stream(_ requests: [FlowRequest], inOrder: Bool = false) async throws(ProtoClientError) -> [FlowResponse] {
        var encoded: [Jina_DataRequestProto] = []
        for request in requests { encoded.append(try encode(request)) }
        let protos = encoded
        let outgoing = StreamingClientRequest(of: Jina_DataRequestProto.self,
                                              metadata: inOrder ? ["__results_in_order__": "true"] : [:]) { writer in
            try await writer.write(contentsOf: protos)
        }
        let answers: [Jina_DataRequestProto]
        do {
            answers = try await client.bidirectionalStreaming(
                request: outgoing, descriptor: Method.call, serializer: ProtobufSerializer<Jina_DataRequestProto>(),
                deserializer: ProtobufDeserializer<Jina_DataRequestProto>(), options: options
            ) { response in
                var collected: [Jina_DataRequestProto] = []
                for try await answer in response.messages { collected.append(answer) }
                return collected
            }
        } catch {
            throw clientError(error)
        }
        var responses: [FlowResponse] = []
        for answer in answers { responses.append(try decode(answer)) }
        return responses
    }

    /// nil when an empty request went through every executor (`dry_run`); else why not.
    public func dryRun() async throws(ProtoClientError) -> String? {
        let status: Jina_StatusProto = try await unary(Google_Protobuf_Empty(), Method.dryRun)
        return status.code == .success ? nil : (status.description_p.isEmpty ? "the dry run failed" : status.description_p)
    }

    /// `grpc.health.v1.Health/Check` with `service`: true when SERVING.
    public func health(service: String = "") async throws(ProtoClientError) -> Bool {
        var request = Grpc_Health_V1_HealthCheckRequest()
        request.service = service
        let answer: Grpc_Health_V1_HealthCheckResponse = try await unary(request, Method.healthCheck)
        return answer.status == .serving
    }

    /// The endpoints the Flow's executors bind (`endpoint_discovery`).
    public func endpoints() async throws(ProtoClientError) -> [String] {
        let answer: Jina_EndpointsProto = try await unary(Google_Protobuf_Empty(), Method.endpointDiscovery)
        return answer.endpoints
    }

    /// Sends `bytes` as the message of a `process_single_data` call, whatever they are (tests of bad input).
    public func sendRaw(_ bytes: [UInt8]) async throws(ProtoClientError) -> [UInt8] {
        do {
            return try await client.unary(request: ClientRequest(message: bytes), descriptor: Method.processSingleData,
                                          serializer: RawSerializer(), deserializer: RawDeserializer(), options: options) {
                try $0.message
            }
        } catch {
            throw clientError(error)
        }
    }

    /// Sends `messages` as they are on one `Call` stream and returns the answers' bytes (a Jina
    /// 2.0 client's messages, or bad input, in tests).
    public func callRaw(_ messages: [[UInt8]]) async throws(ProtoClientError) -> [[UInt8]] {
        let outgoing = StreamingClientRequest(of: [UInt8].self) { writer in try await writer.write(contentsOf: messages) }
        do {
            return try await client.bidirectionalStreaming(request: outgoing, descriptor: Method.call, serializer: RawSerializer(),
                                                           deserializer: RawDeserializer(), options: options) { response in
                var collected: [[UInt8]] = []
                for try await answer in response.messages { collected.append(answer) }
                return collected
            }
        } catch {
            throw clientError(error)
        }
    }

    public func close() {
        client.beginGracefulShutdown()
        connections.cancel()
    }

    private func unary<Input: SwiftProtobuf.Message & Sendable, Output: SwiftProtobuf.Message & Sendable>(
        _ input: Input, _ method: MethodDescriptor
    ) async throws(ProtoClientError) -> Output {
        do {
            return try await client.unary(request: ClientRequest(message: input), descriptor: method,
                                          serializer: ProtobufSerializer<Input>(), deserializer: ProtobufDeserializer<Output>(),
                                          options: options) { try $0.message }
        } catch {
            throw clientError(error)
        }
    }

    private func encode(_ request: FlowRequest) throws(ProtoClientError) -> Jina_DataRequestProto {
        do { return try DataRequestCoding.proto(request) } catch { throw ProtoClientError(.refused, error.message) }
    }

    private func decode(_ answer: Jina_DataRequestProto) throws(ProtoClientError) -> FlowResponse {
        do { return try DataRequestCoding.response(answer).response } catch { throw ProtoClientError(.refused, error.message) }
    }

    private func clientError(_ error: any Error) -> ProtoClientError {
        if let tls = ClientTLS.explain(error, host: host) { return ProtoClientError(.unavailable, tls) }
        var failure = Self.clientError(error)
        // A gateway served over TLS closes a plaintext HTTP/2 connection before its preface.
        if !usesTLS, failure.message.contains("connection preface") { failure.message += " (if it serves TLS, use grpcs://)" }
        return failure
    }

    static func clientError(_ error: any Error) -> ProtoClientError {
        guard let rpc = error as? RPCError else { return ProtoClientError(.refused, "\(error)") }
        switch rpc.code {
        case .unavailable: return ProtoClientError(.unavailable, "the gateway is unavailable: \(rpc.message)")
        case .deadlineExceeded: return ProtoClientError(.timedOut, "no answer in time: \(rpc.message)")
        default: return ProtoClientError(.refused, "\(rpc.code): \(rpc.message)")
        }
    }

    enum Method {
        static let call = MethodDescriptor(fullyQualifiedService: "jina.JinaRPC", method: "Call")
        static let processSingleData = MethodDescriptor(fullyQualifiedService: "jina.JinaSingleDataRequestRPC", method: "process_single_data")
        static let dryRun = MethodDescriptor(fullyQualifiedService: "jina.JinaGatewayDryRunRPC", method: "dry_run")
        static let endpointDiscovery = MethodDescriptor(fullyQualifiedService: "jina.JinaDiscoverEndpointsRPC", method: "endpoint_discovery")
        static let healthCheck = MethodDescriptor(fullyQualifiedService: "grpc.health.v1.Health", method: "Check")
    }
}

/// Bytes as they are, for sending what is not a valid message.
private struct RawSerializer: MessageSerializer {
    func serialize<Bytes: GRPCContiguousBytes>(_ message: [UInt8]) throws -> Bytes { Bytes(message) }
}

private struct RawDeserializer: MessageDeserializer {
    func deserialize<Bytes: GRPCContiguousBytes>(_ serializedMessageBytes: Bytes) throws -> [UInt8] {
        serializedMessageBytes.withUnsafeBytes { Array($0) }
    }
}
