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
        let started = ContinuousClock.now
        metrics.requestStarted()
        let answer: DataAnswer
        if flowStarted.value {
            let flow = self.flow, flowRequest = request.flowRequest
            if let gone {
                answer = DataAnswer(await cancelling({ await flow.post(flowRequest) }, when: { await gone.wait() }))
            } else {
                answer = DataAnswer(await flow.post(flowRequest))
            }
        } else {
            answer = DataAnswer(unavailable: request.flowRequest, "the Flow is still starting; ask grpc.health.v1.Health/Check")
        }
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let endpoint = request.flowRequest.endpoint
        let label = DataRoutes(boundEndpoints: flow.boundEndpoints).paths.contains(endpoint) ? endpoint : "other"
        metrics.requestFinished(endpoint: label, status: Int(answer.httpStatus.code), errorKind: answer.errorKind, seconds: seconds,
                                routes: answer.routes)
        return try DataRequestCoding.proto(answer.flowResponse, answering: request)
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
