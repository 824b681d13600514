import JinaClient
import JinaWire
import Testing

/// A gateway's answer (SPEC §5): documents stay the bytes they came as; the status comes from
/// the envelope's header, or from HTTP when there is no envelope.
@Suite struct GatewayResponseTests {
    private func response(_ body: String, httpStatus: Int = 200, reason: String = "OK") -> GatewayResponse {
        GatewayResponse(httpStatus: httpStatus, reason: reason, body: Array(body.utf8))
    }

    private func documents(_ response: GatewayResponse) -> [String] {
        response.documents.map { String(decoding: $0, as: UTF8.self) }
    }

    @Test func jina3EnvelopeIsSplitIntoDocumentsAsTheyCame() {
        let answer = response("""
            {"header": {"request_id": "r1", "exec_endpoint": "/index", "status": {"code": 0, "description": ""}},
             "parameters": {"top_k": 3}, "routes": [{"executor": "enc"}],
             "data": [ {"id":"a", "text":"x, \\"y\\" ]"} ,{"id":"b","embedding":[1.0,2e3]} ]}
            """)
        #expect(answer.succeeded)
        #expect(answer.isEnvelope)
        #expect(answer.requestID == "r1")
        #expect(answer.endpoint == "/index")
        #expect(answer.parameters["top_k"]?.intValue == 3)
        #expect(answer.routes.count == 1)
        #expect(answer.documentCount == 2)
        #expect(documents(answer) == [#"{"id":"a", "text":"x, \"y\" ]"}"#, #"{"id":"b","embedding":[1.0,2e3]}"#])
    }

    @Test func jina2DataHoldsItsDocumentsUnderDocs() {
        let answer = response(#"{"header": {"requestId": "r2"}, "data": {"docs": [{"id": "a"}, {"id": "b"}]}}"#)
        #expect(answer.succeeded)
        #expect(documents(answer) == [#"{"id": "a"}"#, #"{"id": "b"}"#])
    }

    @Test(arguments: [#"{"header": {}, "data": null}"#, #"{"header": {}, "data": []}"#, #"{"header": {}}"#])
    func noDocumentsIsNoDocuments(body: String) {
        let answer = response(body)
        #expect(answer.succeeded)
        #expect(answer.documentCount == 0)
    }

    /// An executor's exception: the failed route names the executor by its name in the Flow.
    @Test func executorErrorNamesTheExecutorOfTheFailedRoute() {
        let answer = response("""
            {"header": {"request_id": "r3", "status": {"code": 1, "description": "ValueError: bad",
              "exception": {"name": "ValueError", "executor": "MyClass"}}},
             "routes": [{"executor": "gateway", "status": {"code": 0}}, {"executor": "enc", "status": {"code": 1}}],
             "data": [{"id": "a"}]}
            """)
        #expect(!answer.succeeded)
        #expect(answer.status.code == 1)
        #expect(answer.status.description == "ValueError: bad")
        #expect(answer.status.exceptionName == "ValueError")
        #expect(answer.status.executor == "enc")
        #expect(answer.documentCount == 1, "documents of a failed request are still there")
    }

    @Test func withoutRoutesTheExceptionNamesTheExecutor() {
        let answer = response(#"{"header": {"status": {"code": 1, "description": "d", "exception": {"executor": "MyClass"}}}}"#)
        #expect(answer.status.executor == "MyClass")
    }

    /// Jina 2 spells codes as names; anything but SUCCESS is a failure.
    @Test(arguments: [("\"SUCCESS\"", 0), ("\"ERROR\"", 1), ("\"ERROR_CHAINED\"", 1), ("0", 0), ("3", 3), ("1.0", 1)])
    func statusCodesInEveryShape(code: String, expected: Int) {
        #expect(response(#"{"header": {"status": {"code": \#(code)}}}"#).status.code == expected)
    }

    @Test func topLevelStatusAndRequestIdOfJina2() {
        let answer = response(#"{"requestId": "r4", "status": {"code": "ERROR", "description": "boom"}}"#)
        #expect(answer.requestID == "r4")
        #expect(answer.status.code == 1)
        #expect(answer.status.description == "boom")
        #expect(!answer.isEnvelope)
    }

    /// An HTTP error without an envelope: its message from the shapes servers use.
    @Test(arguments: [
        (#"{"detail": "Not Found"}"#, "HTTP 404: Not Found"),
        (#"{"error": {"message": "no such endpoint"}}"#, "HTTP 404: no such endpoint"),
        (#"{"error": "plain"}"#, "HTTP 404: plain"),
        (#"{"message": "m"}"#, "HTTP 404: m"),
        (#"{"detail": [{"loc": ["body"]}]}"#, #"HTTP 404: [{"loc":["body"]}]"#),
        ("not json\nat all", "HTTP 404 Nope: not json at all"),
        ("", "HTTP 404 Nope"),
    ])
    func httpErrorsAreFailuresWithTheirMessage(body: String, description: String) {
        let answer = response(body, httpStatus: 404, reason: "Nope")
        #expect(!answer.succeeded)
        #expect(answer.status.code == 1)
        #expect(answer.status.description == description)
        #expect(answer.status.executor == nil)
    }

    @Test func httpErrorWithAnEnvelopeKeepsItsStatus() {
        let answer = response(#"{"header": {"status": {"code": 1, "description": "Timeout: enc"}}, "data": []}"#, httpStatus: 504)
        #expect(!answer.succeeded)
        #expect(answer.status.description == "Timeout: enc")
    }

    @Test func httpErrorWithASuccessCodeStillFails() {
        let answer = response(#"{"header": {"status": {"code": 0}}}"#, httpStatus: 500, reason: "Internal Server Error")
        #expect(!answer.succeeded)
        #expect(answer.status.code == 1)
        #expect(answer.status.description == #"HTTP 500 Internal Server Error: {"header": {"status": {"code": 0}}}"#)
    }

    @Test func answerThatIsNotAnObjectFails() {
        let answer = response("[1, 2]")
        #expect(!answer.succeeded)
        #expect(answer.status.description == "the answer is not a JSON object: [1, 2]")
        let long = response(String(repeating: "x", count: 300))
        #expect(long.status.description == "the answer is not a JSON object: " + String(repeating: "x", count: 200) + "…")
    }

    @Test func dataThatIsNotAListOfDocumentsFails() {
        let answer = response(#"{"header": {}, "data": [{"id": "a"}, oops]}"#)
        #expect(!answer.succeeded)
        #expect(answer.status.description.hasPrefix("its data is not a list of documents: "), "\(answer.status.description)")
    }

    /// `--output responses` writes the envelope on one line; line breaks inside JSON are only
    /// whitespace between tokens (a string cannot hold a raw one), so the JSON stays the same.
    @Test func envelopeLineHasNoLineBreaks() {
        let answer = response("{\r\n  \"header\": {},\n  \"data\": [{\"text\": \"a\\nb\"}]\n}")
        #expect(answer.envelopeLine.map { String(decoding: $0, as: UTF8.self) } == #"{  "header": {},  "data": [{"text": "a\nb"}]}"#)
        #expect(response(#"{"detail": "x"}"#, httpStatus: 400).envelopeLine == nil)
    }
}
