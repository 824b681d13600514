import JinaRuntime
import JinaWire

/// Sends batches into a Flow running in this process (`flow run`).
struct FlowSender: BatchSender {
    let runtime: FlowRuntime
    let endpoint: String
    let parameters: JSONObject
    let targetExecutor: String?
    /// Write each response's envelope instead of its documents (`--output responses`).
    let writeResponses: Bool

    func send(_ batch: Batch) async -> BatchOutcome {
        let request = FlowRequest(endpoint: endpoint, parameters: parameters, body: batch.body, count: batch.count,
                                  targetExecutor: targetExecutor)
        let response = await runtime.post(request)
        let failure = response.failure.map { "request \(response.requestID) failed at \($0.executor): \($0.description)" }
        return BatchOutcome(output: output(response), failure: failure)
    }

    /// Its documents, one per line (none when it failed), or its envelope.
    private func output(_ response: FlowResponse) -> [UInt8] {
        if writeResponses { return ResponseEnvelope.bytes(response) + [0x0A] }
        guard response.failure == nil, let docs = try? DocumentArray.split(response.body) else { return [] }
        return documentLines(docs, capacity: response.body.count)
    }
}
