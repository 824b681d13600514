import JinaClient
import JinaWire

/// Sends batches as Flow requests: into a Flow running in this process (`flow run`), or to a
/// gateway over gRPC or WebSocket (`client post --protocol`), which answer Flow responses too.
struct FlowSender: BatchSender {
    let post: @Sendable (FlowRequest) async throws -> FlowResponse
    let endpoint: String
    let parameters: JSONObject
    let targetExecutor: String?
    /// Write each response's envelope instead of its documents (`--output responses`).
    let writeResponses: Bool

    func send(_ batch: Batch) async -> BatchOutcome {
        let request = FlowRequest(endpoint: endpoint, parameters: parameters, body: batch.body, count: batch.count,
                                  targetExecutor: targetExecutor)
        let response: FlowResponse
        do {
            response = try await post(request)
        } catch {
            let kind = (error as? ProtoClientError)?.kind
            let output = writeResponses
                ? FailureEnvelope.json(requestID: request.requestID, endpoint: endpoint, targetExecutor: targetExecutor, parameters: parameters,
                                       exceptionName: kind == .timedOut ? "TimeoutError" : "ConnectionError", message: "\(error)") + [0x0A]
                : []
            return BatchOutcome(output: output, failure: "request \(request.requestID) failed: \(error)", stopsInputs: kind == .unavailable)
        }
        let failure = response.failure.map { failure in
            "request \(response.requestID) failed" + (failure.executor.isEmpty ? "" : " at \(failure.executor)") + ": \(failure.description)"
        }
        let docs = response.failure == nil ? (try? batch.split(response.body)) ?? [] : []
        let output = writeResponses ? ResponseEnvelope.bytes(response) + [0x0A] : documentLines(docs, capacity: response.body.count)
        return BatchOutcome(output: output, failure: failure, documentErrors: documentErrors(docs))
    }
}
