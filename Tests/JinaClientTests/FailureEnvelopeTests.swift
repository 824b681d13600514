import JinaClient
import JinaWire
import Testing

/// The envelope `--output responses` writes for a request that got none back: Jina's shape.
@Suite struct FailureEnvelopeTests {
    @Test func isJinasEnvelopeWithAnErrorStatus() {
        let json = FailureEnvelope.json(requestID: "r1", endpoint: "/index", targetExecutor: nil,
                                        parameters: JSONObject([("k", .string("v"))]), exceptionName: "ConnectionError",
                                        message: "connection refused")
        #expect(String(decoding: json, as: UTF8.self) == #"{"header":{"request_id":"r1","exec_endpoint":"/index","target_executor":"","#
                + #""status":{"code":1,"description":"ConnectionError: connection refused","exception":{"name":"ConnectionError","#
                + #""args":["connection refused"],"stacks":[],"executor":""}}},"parameters":{"k":"v"},"routes":[],"data":[]}"#)
    }

    @Test func readsBackAsAFailedResponse() {
        let json = FailureEnvelope.json(requestID: "r2", endpoint: "/", targetExecutor: "enc", parameters: JSONObject(),
                                        exceptionName: "TimeoutError", message: "timed out")
        let response = GatewayResponse(httpStatus: 200, body: json)
        #expect(!response.succeeded)
        #expect(response.requestID == "r2")
        #expect(response.status.exceptionName == "TimeoutError")
        #expect(response.documentCount == 0)
    }
}
