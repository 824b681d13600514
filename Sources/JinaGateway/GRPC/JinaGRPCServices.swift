import Foundation
import GRPCCore
import GRPCProtobuf
import JinaProto
import JinaWire
import SwiftProtobuf
import Synchronization

/// The RPCs a Jina 3 client calls on a gateway (see docs/grpc.md), registered by hand: the
/// messages are generated, the five methods are not worth a code generator.
struct JinaGRPCServices: RegistrableRPCService {
    let runner: ProtoDataRunner
    let version: String
    /// Set when the gateway drains: gRPC then cancels every RPC, but requests in flight finish.
    let stopping: LockedBool
    /// RPCs being handled, so that a drain knows when only idle connections are left.
    let active: ActiveRPCs

    private var flow: any FlowService { runner.flow }

    /// A client's `Call` stream keeps at most this many requests in the Flow unless it asks for
    /// fewer with `__prefetch__`; more wait to be read (HTTP/2 flow control holds the client).
    static let maxInFlightPerStream = 1000

    func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
        // Bytes in and out: a Call message is Jina 3's DataRequestProto or Jina 2.0's RequestProto.
        router.registerHandler(forMethod: Method.call, deserializer: RawBytesDeserializer(), serializer: RawBytesSerializer()) { request, _ in
            StreamingServerResponse { writer in
                try await whileClientWaits { gone in try await call(request, writer: writer, gone: gone) }
                return [:]
            }
        }
        registerUnary(Method.processSingleData, &router) { (request: Jina_DataRequestProto) in
            try await whileClientWaits { gone in
                do throws(ProtoError) { return try await runner.answer(request, cancelledBy: gone) } catch { throw error.rpcError }
            }
        }
        registerUnary(Method.dryRun, &router) { (_: Google_Protobuf_Empty) in
            DataRequestCoding.status(await InfoRoutes.dryRunFailure(flow: flow, flowStarted: runner.flowStarted))
        }
        registerUnary(Method.endpointDiscovery, &router) { (_: Google_Protobuf_Empty) in
            var endpoints = Jina_EndpointsProto()
            endpoints.endpoints = flow.boundEndpoints
            return endpoints
        }
        registerUnary(Method.status, &router) { (_: Google_Protobuf_Empty) in
            var info = Jina_JinaInfoProto()
            info.jina = ["jina": version, "implementation": "jina (Swift)", "platform": "Linux"]
            return info
        }
        // Jina's gateway answers SERVING for any service name once it is up; so does this one.
        registerUnary(Method.healthCheck, &router) { (_: Grpc_Health_V1_HealthCheckRequest) in
            var answer = Grpc_Health_V1_HealthCheckResponse()
            answer.status = runner.flowStarted.value && flow.isReady ? .serving : .notServing
            return answer
        }
    }

    /// `jina.JinaRPC/Call`: each request runs as it arrives (up to the stream's prefetch), each
    /// answer goes back as it completes, or in request order with `__results_in_order__: true`.
    private func call(_ request: StreamingServerRequest<[UInt8]>, writer: RPCWriter<[UInt8]>, gone: Signal) async throws {
        let inOrder = request.metadata[stringValues: "__results_in_order__"].contains { $0.lowercased() == "true" }
        let prefetch = request.metadata[stringValues: "__prefetch__"].compactMap { Int($0) }.first.flatMap { $0 > 0 ? $0 : nil }
        let limit = min(prefetch ?? Self.maxInFlightPerStream, Self.maxInFlightPerStream)
        let (answers, answered) = AsyncStream.makeStream(of: (Int, Result<[UInt8], ProtoError>).self)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { answered.finish() }
                try await withThrowingTaskGroup(of: Void.self) { calls in
                    var index = 0, inFlight = 0
                    for try await message in request.messages {
                        if inFlight == limit {
                            try await calls.next()
                            inFlight -= 1
                        }
                        let position = index
                        calls.addTask {
                            do throws(ProtoError) { answered.yield((position, .success(try await runner.answer(bytes: message, cancelledBy: gone)))) } catch {
                                answered.yield((position, .failure(error)))
                            }
                        }
                        index += 1
                        inFlight += 1
                    }
                    try await calls.waitForAll()
                }
            }
            var waiting: [Int: [UInt8]] = [:]
            var next = 0
            for await (position, result) in answers {
                // A request that is not a DataRequest the Flow can run ends the stream.
                let answer: [UInt8]
                switch result {
                case .success(let success): answer = success
                case .failure(let failure): throw failure.rpcError
                }
                guard inOrder else {
                    try await writer.write(answer)
                    continue
                }
                waiting[position] = answer
                while let ready = waiting.removeValue(forKey: next) {
                    try await writer.write(ready)
                    next += 1
                }
            }
            try await group.waitForAll()
        }
    }

    /// Runs `body` with a signal that fires when the client gives up on the RPC (it went away, or
    /// its deadline passed), so that its requests are withdrawn; not when the gateway drains.
    private func whileClientWaits<T>(_ body: (Signal) async throws -> T) async throws -> T {
        active.enter()
        defer { active.leave() }
        let gone = Signal()
        let stopping = self.stopping
        return try await withRPCCancellationHandler {
            try await body(gone)
        } onCancelRPC: {
            if !stopping.value { gone.fire() }
        }
    }

    private func registerUnary<Input: SwiftProtobuf.Message & Sendable, Output: SwiftProtobuf.Message & Sendable, Transport: ServerTransport>(
        _ method: MethodDescriptor, _ router: inout RPCRouter<Transport>, _ body: @escaping @Sendable (Input) async throws -> Output
    ) {
        router.registerHandler(forMethod: method, deserializer: ProtobufDeserializer<Input>(), serializer: ProtobufSerializer<Output>()) {
            request, _ in
            let message = try await ServerRequest(stream: request).message
            return StreamingServerResponse(single: ServerResponse(message: try await body(message)))
        }
    }

    enum Method {
        static let call = MethodDescriptor(fullyQualifiedService: "jina.JinaRPC", method: "Call")
        static let processSingleData = MethodDescriptor(fullyQualifiedService: "jina.JinaSingleDataRequestRPC", method: "process_single_data")
        static let dryRun = MethodDescriptor(fullyQualifiedService: "jina.JinaGatewayDryRunRPC", method: "dry_run")
        static let endpointDiscovery = MethodDescriptor(fullyQualifiedService: "jina.JinaDiscoverEndpointsRPC", method: "endpoint_discovery")
        static let status = MethodDescriptor(fullyQualifiedService: "jina.JinaInfoRPC", method: "_status")
        static let healthCheck = MethodDescriptor(fullyQualifiedService: "grpc.health.v1.Health", method: "Check")
    }
}

extension ProtoError {
    /// How a bad request ends its RPC.
    var rpcError: RPCError { RPCError(code: .invalidArgument, message: message) }
}

/// A Call message as it came: which layout it has is decided per message.
struct RawBytesDeserializer: MessageDeserializer {
    func deserialize<Bytes: GRPCContiguousBytes>(_ serializedMessageBytes: Bytes) throws -> [UInt8] {
        serializedMessageBytes.withUnsafeBytes { Array($0) }
    }
}

struct RawBytesSerializer: MessageSerializer {
    func serialize<Bytes: GRPCContiguousBytes>(_ message: [UInt8]) throws -> Bytes { Bytes(message) }
}

/// How many RPCs are being handled.
final class ActiveRPCs: Sendable {
    private let count = Mutex(0)

    func enter() { count.withLock { $0 += 1 } }
    func leave() { count.withLock { $0 -= 1 } }
    var isIdle: Bool { count.withLock { $0 == 0 } }
}
