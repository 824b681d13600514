import Testing
import JinaWire
@testable import JinaGateway

/// The request rules of SPEC §5, without a server: which endpoint runs, which shape answers,
/// and what a document may hold.
@Suite struct RequestParserTests {
    func parse(_ body: String, _ route: DataRoute) throws -> ParsedRequest {
        try RequestParser.parse(Array(body.utf8), route: route)
    }

    @Test(arguments: [
        // route, body, endpoint, shape
        (DataRoute.postTo("/index"), #"{"data": [{"text": "a"}]}"#, "/index", ResponseShape.jina2),
        (.postTo("/index"), #"{"header": {}, "data": [{"text": "a"}]}"#, "/index", .jina3),
        (.post, #"{"data": []}"#, "/default", .jina2),
        (.post, #"{"execEndpoint": "search", "data": []}"#, "/search", .jina2),
        (.post, #"{"header": {"exec_endpoint": "/foo"}}"#, "/foo", .jina3),
        (.post, #"{"header": null, "exec_endpoint": "/foo"}"#, "/foo", .jina2),
        (.defaultBinding, #"{"data": [{"text": "a"}]}"#, "/default", .jina3),
        (.defaultBinding, #"{"exec_endpoint": "/bar", "data": []}"#, "/bar", .jina3),
        (.endpoint("/index"), #"{"exec_endpoint": "/other", "data": [{"text": "a"}]}"#, "/index", .jina3),
        (.endpoint("/index"), #"{"data": {"docs": [{"text": "a"}]}}"#, "/index", .jina2),
    ])
    func endpointAndShape(route: DataRoute, body: String, endpoint: String, shape: ResponseShape) throws {
        let parsed = try parse(body, route)
        #expect(parsed.flowRequest.endpoint == endpoint)
        #expect(parsed.shape == shape)
    }

    @Test func requestIDParametersAndTarget() throws {
        let parsed = try parse(#"{"header": {"request_id": "r1", "target_executor": "enc.*"}, "parameters": {"x": 1.0}}"#, .post)
        #expect(parsed.flowRequest.requestID == "r1")
        #expect(parsed.flowRequest.targetExecutor == "enc.*")
        #expect(parsed.flowRequest.parameters["x"] == .number(JSONNumber(text: "1.0")!))
        #expect(parsed.flowRequest.count == 0 && parsed.flowRequest.body == Array("[]".utf8))
        let generated = try parse(#"{"target_peapod": ""}"#, .post)
        #expect(generated.flowRequest.requestID.count == 32 && generated.flowRequest.targetExecutor == nil)
    }

    @Test func documentsKeepTheirKeysAndGetIDs() throws {
        let parsed = try parse(#"{"data": [{"text": "a", "zz": null, "id": null}, "b", "s3://bucket/x.png", {"id": "k"}]}"#, .endpoint("/index"))
        let docs = try JSONParser.parse(parsed.flowRequest.body).arrayValue ?? []
        #expect(docs.count == 4 && parsed.flowRequest.count == 4)
        #expect(docs[0].objectValue?.keys == ["text", "zz", "id"])
        #expect(docs[0]["id"]?.stringValue?.count == 32)
        #expect(docs[1].objectValue?.keys == ["id", "text"] && docs[1]["text"] == "b")
        #expect(docs[2]["uri"] == "s3://bucket/x.png")
        #expect(docs[3] == ["id": "k"])
    }

    @Test func unknownKeysBecomeTagsOnlyOnJina2Shape() throws {
        let body = #"{"data": {"docs": [{"id": "a", "foo": 1, "chunks": [{"id": "c", "bar": 2}]}]}}"#
        let docs = try JSONParser.parse(try parse(body, .endpoint("/index")).flowRequest.body)
        #expect(docs[0] == ["id": "a", "chunks": [["id": "c", "tags": ["bar": 2]]], "tags": ["foo": 1]])
        let jina3 = try JSONParser.parse(try parse(#"{"data": [{"id": "a", "foo": 1}]}"#, .endpoint("/index")).flowRequest.body)
        #expect(jina3[0] == ["id": "a", "foo": 1])
    }

    @Test(arguments: [
        (#"{"data": [{"text": 5}]}"#, "data[0].text must be a string, found a number"),
        (#"{"data": [{"embedding": "x"}]}"#, "data[0].embedding must be a list of numbers"),
        (#"{"data": [{"weight": "x"}]}"#, "data[0].weight must be a number"),
        (#"{"data": [{"matches": {}}]}"#, "data[0].matches must be a list of documents"),
        (#"{"data": [{"chunks": ["x"]}]}"#, "data[0].chunks[0] must be a document"),
        (#"{"data": true}"#, "data must be a list of documents"),
        (#"{"data": [], "exec_endpoint": []}"#, "exec_endpoint must be a string"),
        ("  ", "the request body is empty"),
        (#"{"a": }"#, "invalid JSON at byte 6"),
    ])
    func badRequests(body: String, message: String) throws {
        #expect {
            try parse(body, .post)
        } throws: { error in
            let error = try #require(error as? GatewayError)
            return error.status.code == 400 && error.message.contains(message)
        }
    }

    @Test func uriDetection() {
        #expect(DocumentInput.looksLikeURI("https://example.org/a.png"))
        #expect(DocumentInput.looksLikeURI("data:text/plain;base64,aGk="))
        #expect(!DocumentInput.looksLikeURI("hello world"))
        #expect(!DocumentInput.looksLikeURI("see https://example.org"))
        #expect(!DocumentInput.looksLikeURI("a/b"))
    }

    @Test func routes() {
        let routes = DataRoutes(boundEndpoints: ["/foo", "/index"])
        #expect(routes.paths == ["/post", "/post/{endpoint}", "/index", "/search", "/update", "/delete", "/default", "/foo"])
        #expect(routes.match("/post/index") == .postTo("/index"))
        #expect(routes.match("/foo") == .endpoint("/foo"))
        #expect(routes.match("/bar") == nil)
        #expect(GatewayResponder.normalise("/index/") == "/index" && GatewayResponder.normalise("/") == "/")
        #expect(GatewayResponder.normalise("/post/my%20search/") == "/post/my search" && GatewayResponder.normalise("//") == "/")
    }

    @Test func statusKeepsOnlyJinasKeys() {
        let status = ResponseEnvelope.status(["code": 3, "description": "E: x", "extra": 1,
                                           "exception": ["name": "E", "args": ["x", 2], "executor": "e", "more": true]])
        #expect(status == ["code": 1, "description": "E: x",
                           "exception": ["name": "E", "args": ["x", "2"], "stacks": [], "executor": "e"]])
        #expect(ResponseEnvelope.status(nil) == ["code": 0, "description": ""])
    }
}
