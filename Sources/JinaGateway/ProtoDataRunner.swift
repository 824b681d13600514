import Foundation
import JinaProto
import JinaWire

/// Runs one of Jina 3's protobuf data requests through the Flow and answers in kind: documents
/// typed as the request typed them, Jina's status on failure. The gRPC and WebSocket gateways
/// share it, and the metrics the HTTP gateway keeps (by the HTTP status a failure would have had).
struct ProtoDataRunner: Sendable {
    let flow: any FlowService
    let metrics: GatewayMetrics
    let flowStarted: LockedBool

    /// - Parameter gone: fires when the client gave up; the request's calls are then withdrawn.
    func answer(_ proto: Jina_DataRequestProto, cancelledBy gone: Signal? = nil) async throws(ProtoError) -> Jina_DataRequestProto {
        let request = try DataRequestCoding.request(proto)
        let answer = await run(request.flowRequest, cancelledBy: gone)
        return try DataRequestCoding.proto(answer.flowResponse, answering: request)
    }

    /// One message of a `Call` stream: Jina 3's DataRequestProto, or Jina 2.0's RequestProto
    /// (told apart by its fields), answered in the same layout.
    func answer(bytes: [UInt8], cancelledBy gone: Signal? = nil) async throws(ProtoError) -> [UInt8] {
        do {
            guard Jina2RequestCoding.isJina2(bytes) else {
                let proto: Jina_DataRequestProto
                do { proto = try Jina_DataRequestProto(serializedBytes: bytes) } catch {
                    throw ProtoError(.malformed, "a message is not a DataRequestProto: \(error)")
                }
                return try await answer(proto, cancelledBy: gone).serializedBytes()
            }
            let proto: Jina2_RequestProto
            do { proto = try Jina2_RequestProto(serializedBytes: bytes) } catch {
                throw ProtoError(.malformed, "a message is not a Jina 2 RequestProto: \(error)")
            }
            let (request, types) = try Jina2RequestCoding.request(proto)
            let answer = await run(request, cancelledBy: gone)
            return try Jina2RequestCoding.proto(answer.flowResponse, types: types).serializedBytes()
        } catch let error as ProtoError {
            throw error
        } catch {
            throw ProtoError(.malformed, "cannot serialize the answer: \(error)")
        }
    }

    /// Runs the request (refused while the Flow starts), counted in the metrics.
    func run(_ request: FlowRequest, cancelledBy gone: Signal?) async -> DataAnswer {
        let started = ContinuousClock.now
        metrics.requestStarted()
        let answer: DataAnswer
        if flowStarted.value {
            let flow = self.flow
            if let gone {
                answer = DataAnswer(await cancelling({ await flow.post(request) }, when: { await gone.wait() }))
            } else {
                answer = DataAnswer(await flow.post(request))
            }
        } else {
            answer = DataAnswer(unavailable: request, "the Flow is still starting; ask grpc.health.v1.Health/Check")
        }
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let label = DataRoutes(boundEndpoints: flow.boundEndpoints).paths.contains(request.endpoint) ? request.endpoint : "other"
        metrics.requestFinished(endpoint: label, status: Int(answer.httpStatus.code), errorKind: answer.errorKind, seconds: seconds,
                                routes: answer.routes)
        return answer
    }
}

extension DataAnswer {
    /// The answer as the Flow's response, for the protobuf gateways.
    var flowResponse: FlowResponse {
        FlowResponse(requestID: requestID, endpoint: endpoint, targetExecutor: targetExecutor, parameters: parameters, body: body,
                     count: 0, routes: routes,
                     failure: failure.map { RequestFailure(kind: $0.kind, executor: $0.status["exception"]?["executor"]?.stringValue ?? "",
                                                           status: $0.status) })
    }
}
