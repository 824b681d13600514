import Foundation
import Testing

/// The HTTP gateway's data routes (SPEC §5), through the real binary: what Jina 2 and Jina 3
/// clients send, the two response shapes, parameters, target_executor, executor errors and
/// crashes, and every kind of bad request.
@Suite(.serialized) struct GatewayRequestTests {
    /// The Jina 2.0 cookbook's curl, verbatim: a form-urlencoded `-d` body to /post/{endpoint}.
    @Test func theCookbookCurlWorksVerbatim() throws {
        let scene = try GatewayScene(flow: "jtype: Flow\nexecutors:\n  - name: pass\n")
        defer { scene.cleanUp() }
        let gateway = try scene.serve()

        for withHeader in [true, false] {
            let curl = Process()
            curl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            curl.arguments = ["curl", "--request", "POST", "-d", #"{"data": [{"text": "hello world"}]}"#]
                + (withHeader ? ["-H", "Content-Type: application/json"] : []) + ["http://localhost:\(gateway.port)/post/index"]
            let out = Pipe()
            curl.standardOutput = out
            curl.standardError = FileHandle.nullDevice
            try curl.run()
            let body = out.fileHandleForReading.readDataToEndOfFile()
            curl.waitUntilExit()
            #expect(curl.terminationStatus == 0)
            let text = String(decoding: body, as: UTF8.self)
            let response = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any], "\(text)")

            #expect(topLevelKeys(text) == ["header", "parameters", "routes", "data"])
            #expect(response.isJina2Shape, "a header-less request to /post/{endpoint} gets Jina 2's data.docs: \(text)")
            let doc = try #require(response.docs.first)
            #expect(doc.text == "hello world")
            #expect(Self.isHexID(doc.id), "a generated 32-hex id: \(doc)")
            let header = response.header
            #expect(Self.isHexID(header["request_id"] as? String))
            #expect(header["exec_endpoint"] as? String == "/index")
            #expect(header["target_executor"] as? String == "")
            #expect(response.code == 0)
            #expect(response["parameters"] as? [String: Any] != nil)
            let route = try #require(response.routes.first)
            #expect(route["executor"] as? String == "pass")
            for key in ["start_time", "end_time"] {
                let time = try #require(route[key] as? String)
                #expect(time.hasSuffix("Z") && rfc3339Date(time) != nil, "RFC 3339 UTC: \(time)")
            }
        }
        #expect(gateway.stop() == 0)
        scene.expectNoProcessLeft()
    }

    /// What the Jina 3 client sends: a `header`, `exec_endpoint` twice, `parameters` as floats,
    /// docarray-v2 docs with nulls. It gets `data: [...]` with every doc key for key, in order.
    @Test func aJina3RequestGetsTheJina3ShapeWithDocsKeyForKey() throws {
        let scene = try GatewayScene(flow: "jtype: Flow\nexecutors:\n  - name: pass\n")
        defer { scene.cleanUp() }
        let gateway = try scene.serve()

        let doc = #"{"id":"702f87fbf02c620660593e2809294dea","text":"hi","url":null,"embedding":null,"bytes_":null,"zeta":{"b":2,"a":[1.0,2]}}"#
        for (path, endpointKey) in [("/post", "exec_endpoint"), ("/post", "execEndpoint"), ("/index", "exec_endpoint"), ("/default", "execEndpoint")] {
            let body = #"{"header": {"request_id": "712b807ce7074e27af214fd12d4be066", "exec_endpoint": "/index"}, "#
                + #""parameters": {"x": 1.0, "__results__": {}}, "data": [\#(doc)], "\#(endpointKey)": "/index"}"#
            let reply = try gateway.post(path, body)
            #expect(reply.status == 200)
            #expect(reply.headers["content-type"] == "application/json")
            #expect(topLevelKeys(reply.text) == ["header", "parameters", "routes", "data"])
            #expect(reply.text.contains(#""data":[\#(doc)]"#), "docs come back byte for byte: \(reply.text)")
            #expect(reply.text.contains(#""parameters":{"x":1.0,"__results__":{}}"#))
            let response = try reply.json()
            #expect(response.header["request_id"] as? String == "712b807ce7074e27af214fd12d4be066")
            #expect(response.header["exec_endpoint"] as? String == "/index", "\(path) with \(endpointKey)")
            #expect(Set(response.header.keys) == ["request_id", "exec_endpoint", "target_executor", "status"])
            #expect(Set(response.status.keys) == ["code", "description"])
        }

        // Load testers post bare {"data": [...]} to /{endpoint}: Jina 3's shape, ids added.
        let bare = try gateway.post("/search", #"{"data": [{"text": "a"}, "b", "data:text/plain,c"]}"#).json()
        #expect(!bare.isJina2Shape)
        #expect(bare.docs.map(\.text) == ["a", "b", nil])
        #expect(bare.docs.last?["uri"] as? String == "data:text/plain,c")
        #expect(bare.docs.allSatisfy { Self.isHexID($0.id) })
        // Unknown doc keys stay where they are on Jina 3's shape (the document goes on as the
        // client wrote it), and go into tags on Jina 2's.
        let three = try gateway.post("/index", #"{"data": [{"id": "k", "foo": 1, "tags": {"t": 1}}]}"#)
        #expect(three.text.contains(#""data":[{"id": "k", "foo": 1, "tags": {"t": 1}}]"#), "\(three.text)")
        let two = try gateway.post("/index", #"{"data": {"docs": [{"id": "k", "foo": 1, "tags": {"t": 1}}]}}"#)
        #expect(two.text.contains(#""data":{"docs":[{"id":"k","tags":{"t":1,"foo":1}}]}"#), "\(two.text)")
        // A parameters-only request (the 3.x client sends data: []; Jina 2 omits data).
        for body in [#"{"data": [], "parameters": {"k": 1}}"#, #"{"parameters": {"k": 1}}"#, #"{"data": null}"#] {
            let reply = try gateway.post("/index", body)
            #expect(reply.status == 200 && reply.text.contains(#""data":[]"#), "\(body): \(reply.text)")
        }
        #expect(gateway.stop() == 0)
        scene.expectNoProcessLeft()
    }

    /// `parameters[executor name]` is merged over the top level for that executor only.
    @Test func parametersAreScopedByExecutorName() throws {
        let scene = try GatewayScene(flow: """
            jtype: Flow
            executors:
              - name: first
                uses: Echo
              - name: second
                uses: Echo
            """)
        defer { scene.cleanUp() }
        let gateway = try scene.serve()
        // Echo keeps the parameters it got in tags.echo; the last executor's view is what comes back.
        let scoped = try gateway.post("/index", #"{"data": [{"text": "x"}], "parameters": {"top_k": 1.0, "second": {"top_k": 7}}}"#).json()
        let echo = scoped.docs.first?.tags["echo"] as? [String: Any]
        #expect((echo?["parameters"] as? [String: Any])?["top_k"] as? Int == 7)
        let other = try gateway.post("/index", #"{"data": [{"text": "x"}], "parameters": {"top_k": 1.5, "first": {"top_k": 7}}}"#).json()
        let otherEcho = other.docs.first?.tags["echo"] as? [String: Any]
        #expect((otherEcho?["parameters"] as? [String: Any])?["top_k"] as? Double == 1.5)
        #expect(scoped.docs.first?.visited == ["first", "second"])
        #expect(gateway.stop() == 0)
        scene.expectNoProcessLeft()
    }

    /// Only executors whose name matches the regex (from the start) run; the others pass through.
    @Test func targetExecutorSelectsExecutorsInEveryForm() throws {
        let scene = try GatewayScene(flow: """
            jtype: Flow
            executors:
              - name: upper
                uses: UpperCase
              - name: echo
                uses: Echo
            """)
        defer { scene.cleanUp() }
        let gateway = try scene.serve()
        let forms = [
            #"{"data": [{"text": "x"}], "target_executor": "ech"}"#,
            #"{"data": [{"text": "x"}], "targetExecutor": "ech"}"#,
            #"{"data": [{"text": "x"}], "target_peapod": "ech"}"#,
            #"{"data": [{"text": "x"}], "header": {"target_executor": "ech"}}"#,
        ]
        for body in forms {
            let response = try gateway.post("/post", body).json()
            #expect(response.docs.first?.text == "x", "upper did not run: \(body)")
            #expect(response.docs.first?.visited == ["echo"], "\(body)")
            #expect(response.routes.map { $0["executor"] as? String } == ["echo"])
            #expect(response.header["target_executor"] as? String == "ech")
        }
        let notFromTheStart = try gateway.post("/index", #"{"data": [{"text": "x"}], "target_executor": "cho"}"#).json()
        #expect(notFromTheStart.routes.isEmpty && notFromTheStart.docs.first?.text == "x")
        let upperOnly = try gateway.post("/index", #"{"data": [{"text": "x"}], "target_executor": "up"}"#).json()
        #expect(upperOnly.docs.first?.text == "X" && upperOnly.docs.first?.visited == [])
        #expect(gateway.stop() == 0)
        scene.expectNoProcessLeft()
    }

    /// An executor's exception: HTTP 200 in the request's shape, code 1, the exception, the
    /// failing executor's route entry, and the docs as they were.
    @Test func anExecutorErrorIsA200WithCodeOne() throws {
        let scene = try GatewayScene(flow: """
            jtype: Flow
            executors:
              - name: upper
                uses: UpperCase
              - name: fail
                uses: {jtype: Fail, with: {on_text: BOOM}}
              - name: echo
                uses: Echo
            """)
        defer { scene.cleanUp() }
        let gateway = try scene.serve()
        for (path, jina2) in [("/index", false), ("/post/index", true)] {
            let reply = try gateway.post(path, #"{"data": [{"id": "a", "text": "fine"}, {"id": "b", "text": "boom"}]}"#)
            #expect(reply.status == 200)
            #expect(topLevelKeys(reply.text) == ["header", "parameters", "routes", "data"])
            let response = try reply.json()
            #expect(response.isJina2Shape == jina2)
            #expect(response.code == 1)
            let description = response.status["description"] as? String ?? ""
            #expect(description.hasPrefix("FailedOnPurpose: "), "\(description)")
            let exception = response.status["exception"] as? [String: Any] ?? [:]
            #expect(exception["name"] as? String == "FailedOnPurpose")
            #expect(exception["executor"] as? String == "Fail", "the executor class, as in Jina")
            #expect((exception["args"] as? [String])?.isEmpty == false)
            #expect(exception["stacks"] is [String])
            #expect(response.routes.map { $0["executor"] as? String } == ["upper", "fail"])
            #expect(((response.routes.last?["status"] as? [String: Any])?["code"]) as? Int == 1)
            #expect(response.docs.map(\.id) == ["a", "b"])
            #expect(response.docs.map(\.text) == ["FINE", "BOOM"], "the docs as they were when it failed")
        }
        #expect(gateway.stop() == 0)
        scene.expectNoProcessLeft()
    }

    /// A crashed executor fails the request it held with 503 (same JSON, naming it); it is
    /// restarted and later requests succeed.
    @Test func aCrashIs503AndTheFlowKeepsServing() throws {
        let scene = try GatewayScene(flow: """
            jtype: Flow
            executors:
              - name: crash
                uses: {jtype: Crash, with: {on_request: 2}}
            """)
        defer { scene.cleanUp() }
        let gateway = try scene.serve()
        #expect(try gateway.post("/index", #"{"data": [{"id": "one"}]}"#).status == 200)
        let crashed = try gateway.post("/index", #"{"header": {"request_id": "r2"}, "data": [{"id": "two"}]}"#)
        #expect(crashed.status == 503)
        #expect(crashed.headers["content-type"] == "application/json")
        let response = try crashed.json()
        #expect(response.code == 1 && response.header["request_id"] as? String == "r2")
        #expect((response.status["description"] as? String ?? "").contains("crash"), "\(crashed.text)")
        #expect(response.docs.map(\.id) == ["two"])

        var later = 0
        let deadline = Date().addingTimeInterval(10)
        while later == 0 && Date() < deadline {
            if try gateway.post("/index", #"{"data": [{"id": "three"}]}"#).status == 200 { later += 1 }
        }
        #expect(later == 1, "a request after the restart succeeds")
        #expect(gateway.stop() == 0)
        scene.expectNoProcessLeft()
    }

    /// A call past --timeout: 504 with the same JSON; the executor is restarted and serves on.
    @Test func aCallPastTheTimeoutIs504() throws {
        let scene = try GatewayScene(flow: "jtype: Flow\nexecutors:\n  - name: sleep\n    uses: {jtype: Sleep, with: {ms: 0}}\n")
        defer { scene.cleanUp() }
        let gateway = try scene.serve(["--timeout", "300"])
        let reply = try gateway.post("/index", #"{"data": [{"id": "t"}], "parameters": {"ms": 3000}}"#)
        #expect(reply.status == 504)
        #expect(reply.headers["content-type"] == "application/json")
        let response = try reply.json()
        #expect(response.code == 1 && response.docs.map(\.id) == ["t"])
        #expect((response.status["description"] as? String ?? "").contains("300 ms"), "\(reply.text)")
        var served = false
        let deadline = Date().addingTimeInterval(10)
        while !served && Date() < deadline {
            served = try gateway.post("/index", #"{"data": [{"id": "u"}]}"#).status == 200
        }
        #expect(served)
        #expect(gateway.stop() == 0)
        scene.expectNoProcessLeft()
    }

    /// Bad input gets a 4xx with a JSON body that says what is wrong; the server lives on.
    @Test func badRequestsGetClearErrors() throws {
        let scene = try GatewayScene(flow: """
            jtype: Flow
            with: {max_body_size: 200}
            executors:
              - name: pass
            """)
        defer { scene.cleanUp() }
        let gateway = try scene.serve()
        let cases: [(method: String, path: String, body: String, status: Int, says: String)] = [
            ("POST", "/index", #"{"data": [{"text": "a"}"#, 400, "invalid JSON at byte 23"),
            ("POST", "/index", #"{"data": [1,]}"#, 400, "invalid JSON at byte"),
            ("POST", "/index", "", 400, "empty"),
            ("POST", "/index", "[1, 2]", 400, "must be a JSON object"),
            ("POST", "/index", #""text""#, 400, "must be a JSON object"),
            ("POST", "/index", #"{"data": 5}"#, 400, "data must be a list of documents"),
            ("POST", "/index", #"{"data": "hello"}"#, 400, "data must be a list of documents"),
            ("POST", "/index", #"{"data": [true]}"#, 400, "data[0] must be a document"),
            ("POST", "/index", #"{"data": [{"text": 5}]}"#, 400, "data[0].text must be a string, found a number"),
            ("POST", "/index", #"{"data": [{"tags": []}]}"#, 400, "data[0].tags must be an object, found a list"),
            ("POST", "/index", #"{"data": [{"chunks": [{"id": 3}]}]}"#, 400, "data[0].chunks[0].id must be a string"),
            ("POST", "/index", #"{"data": {"docs": 3}}"#, 400, "data.docs must be a list"),
            ("POST", "/index", #"{"data": [], "parameters": [1]}"#, 400, "parameters must be a JSON object"),
            ("POST", "/post", #"{"data": [], "exec_endpoint": 3}"#, 400, "exec_endpoint must be a string"),
            ("POST", "/post", #"{"data": [], "header": []}"#, 400, "header must be a JSON object"),
            ("POST", "/post", #"{"data": [], "header": {"request_id": 7}}"#, 400, "header.request_id must be a string"),
            ("POST", "/index", #"{"data": [], "target_executor": "(["}"#, 400, "not a valid regular expression"),
            ("POST", "/index", "{\"data\": [{\"text\": \"" + String(repeating: "x", count: 300) + "\"}]}", 413, "max_body_size of 200 bytes"),
            ("POST", "/nowhere", "{}", 404, "/post/{endpoint}"),
            ("PUT", "/index", "{}", 405, "POST"),
            ("GET", "/index", "", 405, "POST"),
            ("DELETE", "/update", "{}", 405, "POST, PUT"),
            ("POST", "/status", "{}", 405, "GET"),
        ]
        for c in cases {
            let connection = try GatewayHTTP(port: gateway.port)
            let reply = try connection.send(c.method, c.path, body: c.method == "GET" ? nil : Array(c.body.utf8))
            #expect(reply.status == c.status, "\(c.method) \(c.path) \(c.body.prefix(60)): \(reply.status) \(reply.text)")
            #expect(reply.headers["content-type"] == "application/json", "\(c.path) \(c.body.prefix(60))")
            let error = try reply.json()
            #expect((error["error"] as? String ?? "").contains(c.says), "\(c.body.prefix(60)): \(reply.text)")
            #expect(error["status"] as? Int == c.status)
        }
        let malformed = try gateway.post("/index", #"{"data": [{"text": "a"}"#).json()
        #expect(malformed["offset"] as? Int == 23)
        let unknown = try gateway.post("/nowhere", "{}").json()
        #expect((unknown["routes"] as? [String])?.contains("/post/{endpoint}") == true)
        let wrongMethod = try GatewayHTTP.send(port: gateway.port, "PUT", "/index", json: "{}")
        #expect(wrongMethod.headers["allow"] == "POST")
        // Still serving.
        #expect(try gateway.post("/update", #"{"data": [{"text": "ok"}]}"#).status == 200)
        #expect(try GatewayHTTP.send(port: gateway.port, "PUT", "/update", json: #"{"data": []}"#).status == 200)
        #expect(try GatewayHTTP.send(port: gateway.port, "DELETE", "/delete", json: #"{"data": []}"#).status == 200)
        #expect(gateway.stop() == 0)
        scene.expectNoProcessLeft()
    }

    /// `with: cors: true` (or --cors) adds the CORS headers and answers preflights.
    @Test func corsHeadersWhenAskedFor() throws {
        let scene = try GatewayScene(flow: "jtype: Flow\nwith: {cors: true}\nexecutors:\n  - name: pass\n")
        defer { scene.cleanUp() }
        let gateway = try scene.serve()
        let reply = try gateway.post("/index", #"{"data": []}"#)
        #expect(reply.headers["access-control-allow-origin"] == "*")
        let preflight = try GatewayHTTP.send(port: gateway.port, "OPTIONS", "/index",
                                             headers: ["Origin": "http://example.org", "Access-Control-Request-Method": "POST",
                                                       "Access-Control-Request-Headers": "content-type"])
        #expect(preflight.status == 204)
        #expect(preflight.headers["access-control-allow-origin"] == "*")
        #expect(preflight.headers["access-control-allow-methods"]?.contains("POST") == true)
        #expect(preflight.headers["access-control-allow-headers"] == "content-type")
        #expect(gateway.stop() == 0)

        let plain = try GatewayScene(flow: "jtype: Flow\nexecutors:\n  - name: pass\n")
        defer { plain.cleanUp() }
        let without = try plain.serve()
        #expect(try without.post("/index", #"{"data": []}"#).headers["access-control-allow-origin"] == nil)
        let flagged = try plain.serve(["--cors"])
        #expect(try flagged.post("/index", #"{"data": []}"#).headers["access-control-allow-origin"] == "*")
        #expect(without.stop() == 0 && flagged.stop() == 0)
        scene.expectNoProcessLeft()
        plain.expectNoProcessLeft()
    }

    static func isHexID(_ id: String?) -> Bool {
        guard let id else { return false }
        return id.count == 32 && id.allSatisfy { $0.isHexDigit && !$0.isUppercase }
    }
}

/// An RFC 3339 time with fractional seconds, as Jina writes them.
func rfc3339Date(_ text: String) -> Date? {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return formatter.date(from: text)
}
