import JinaClient
import JinaWire

/// Sends batches to a Flow's gateway over HTTP (`client post`).
struct GatewaySender: BatchSender {
    let client: GatewayClient
    let endpoint: String
    let parameters: JSONObject
    let targetExecutor: String?
    /// Write each response's envelope instead of its documents (`--output responses`).
    let writeResponses: Bool

    func send(_ batch: Batch) async -> BatchOutcome {
        let requestID = RequestID.make()
        do {
            let response = try await client.post(endpoint: endpoint, docs: batch.body, parameters: parameters,
                                                 targetExecutor: targetExecutor, requestID: requestID)
            var failure: String?
            if !response.succeeded {
                let place = response.status.executor.map { " at \($0)" } ?? (response.httpStatus != 200 ? " at the gateway" : "")
                failure = "request \(response.requestID ?? requestID) failed\(place): \(response.status.description)"
            }
            return BatchOutcome(output: output(response, requestID: requestID), failure: failure,
                                documentErrors: response.succeeded ? documentErrors(response.documents) : [])
        } catch {
            let connecting = (error as? ClientError)?.isConnectFailure ?? false
            let timedOut = if case ClientError.timedOut = error { true } else { false }
            let output = writeResponses
                ? failureEnvelope(requestID, timedOut ? "TimeoutError" : "ConnectionError", "\(error)") : []
            return BatchOutcome(output: output, failure: "request \(requestID) failed: \(error)", stopsInputs: connecting)
        }
    }

    /// Its documents, one per line (none when it failed), or its envelope.
    private func output(_ response: GatewayResponse, requestID: String) -> [UInt8] {
        if writeResponses {
            guard let line = response.envelopeLine else { return failureEnvelope(requestID, "HTTPError", response.status.description) }
            return line + [0x0A]
        }
        guard response.succeeded else { return [] }
        return documentLines(response.documents, capacity: response.body.count)
    }

    /// Jina's envelope for a request that got none back (unreachable, or an HTTP error body).
    private func failureEnvelope(_ requestID: String, _ exceptionName: String, _ message: String) -> [UInt8] {
        FailureEnvelope.json(requestID: requestID, endpoint: endpoint, targetExecutor: targetExecutor, parameters: parameters,
                             exceptionName: exceptionName, message: message) + [0x0A]
    }
}
