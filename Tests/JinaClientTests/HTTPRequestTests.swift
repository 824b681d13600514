@testable import JinaClient
import Testing

/// What goes on the wire: always Host, a Content-Length whenever there is (or may be) a body,
/// and keep-alive.
@Suite struct HTTPRequestTests {
    @Test func getHasNoContentLength() {
        let bytes = HTTPRequest.get("/ready").serialized(host: "127.0.0.1", port: 8080)
        #expect(String(decoding: bytes, as: UTF8.self) == """
            GET /ready HTTP/1.1\r
            Host: 127.0.0.1:8080\r
            User-Agent: jina-swift\r
            Accept: application/json\r
            Connection: keep-alive\r
            \r

            """)
    }

    @Test func postCarriesItsBodyAndLength() {
        let bytes = HTTPRequest.postJSON("/post", body: Array(#"{"data":[]}"#.utf8)).serialized(host: "gateway", port: 80)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix("POST /post HTTP/1.1\r\nHost: gateway:80\r\n"))
        #expect(text.contains("\r\nContent-Type: application/json\r\n"))
        #expect(text.hasSuffix("\r\nContent-Length: 11\r\nConnection: keep-alive\r\n\r\n{\"data\":[]}"))
    }

    /// A POST without a body still says so, or a server would wait for one.
    @Test func emptyPostSaysContentLengthZero() {
        let text = String(decoding: HTTPRequest(method: "POST", path: "/x").serialized(host: "h", port: 1), as: UTF8.self)
        #expect(text.contains("\r\nContent-Length: 0\r\n"))
    }

    @Test func ipv6HostIsBracketedInTheHostHeader() {
        let text = String(decoding: HTTPRequest.get("/").serialized(host: "::1", port: 9000), as: UTF8.self)
        #expect(text.contains("\r\nHost: [::1]:9000\r\n"))
    }

    @Test func headerLookupIgnoresCaseAndReadsTokenLists() {
        let response = HTTPResponse(status: 200, headers: [("Connection", "Upgrade, Keep-Alive"), ("X-A", "1"), ("x-a", "2")])
        #expect(response.header("x-a") == "1")
        #expect(response.header("missing") == nil)
        #expect(response.header("connection", contains: "keep-alive"))
        #expect(response.header("CONNECTION", contains: "upgrade"))
        #expect(!response.header("Connection", contains: "close"))
    }
}
