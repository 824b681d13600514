import Foundation
@testable import JinaClient
import Testing

/// Reading HTTP/1.1 answers on a keep-alive connection, against a loopback server that sends
/// exactly the bytes each test gives.
@Suite struct HTTPConnectionTests {
    private func connect(_ server: LoopbackServer) -> HTTPConnection {
        HTTPConnection(host: "127.0.0.1", port: server.port, connectTimeout: 2_000)
    }

    private func text(_ response: HTTPResponse) -> String { String(decoding: response.body, as: UTF8.self) }

    @Test func contentLengthBodyIsReadExactly() throws {
        let server = try LoopbackServer.http { _, _ in httpAnswer(headers: ["X-Thing: yes"], body: #"{"a":1}"#) }
        let response = try connect(server).ask(.get("/ready"))
        #expect(response.status == 200)
        #expect(response.reason == "OK")
        #expect(text(response) == #"{"a":1}"#)
        #expect(response.header("x-thing") == "yes")
    }

    @Test func requestArrivesWithItsBody() throws {
        let seen = Locked<[LoopbackConnection.Request]>([])
        let server = try LoopbackServer.http { request, _ in
            seen.update { $0.append(request) }
            return httpAnswer()
        }
        _ = try connect(server).ask(.postJSON("/post", body: Array("[1,2]".utf8)))
        let request = try #require(seen.value.first)
        #expect(request.requestLine == "POST /post HTTP/1.1")
        #expect(request.headers["host"] == "127.0.0.1:\(server.port)")
        #expect(request.body == Array("[1,2]".utf8))
    }

    @Test func keepAliveSendsEveryRequestOnOneConnection() throws {
        let server = try LoopbackServer.http { _, _ in httpAnswer(body: "ok") }
        let connection = connect(server)
        for _ in 0..<3 { #expect(text(try connection.ask(.get("/"))) == "ok") }
        #expect(connection.connectCount == 1)
        #expect(server.connectionCount == 1)
    }

    @Test func connectionCloseMeansANewConnectionForTheNextRequest() throws {
        let server = try LoopbackServer { connection in
            _ = connection.readRequest()
            connection.write(httpAnswer(headers: ["Connection: close"], body: "bye"))
        }
        let connection = connect(server)
        #expect(text(try connection.ask(.get("/"))) == "bye")
        #expect(text(try connection.ask(.get("/"))) == "bye")
        #expect(connection.connectCount == 2)
    }

    /// HTTP/1.0 closes after each answer unless it says keep-alive.
    @Test(arguments: [("", 2), ("Connection: keep-alive\r\n", 1)])
    func http10KeepsTheConnectionOnlyWhenItSaysSo(header: String, connections: Int) throws {
        let server = try LoopbackServer.http { _, _ in "HTTP/1.0 200 OK\r\n\(header)Content-Length: 2\r\n\r\nok" }
        let connection = connect(server)
        for _ in 0..<2 { #expect(text(try connection.ask(.get("/"))) == "ok") }
        #expect(connection.connectCount == connections)
    }

    /// Chunk extensions are ignored and trailers read, so the next answer on the connection
    /// starts where it should.
    @Test func chunkedBodyIsReadWhole() throws {
        let server = try LoopbackServer.http { _, _ in
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\nWiki\r\nA\r\npedia is a\r\n0\r\nX-Trailer: yes\r\n\r\n"
        }
        let connection = connect(server)
        #expect(text(try connection.ask(.get("/"))) == "Wikipedia is a")
        #expect(text(try connection.ask(.get("/"))) == "Wikipedia is a")
        #expect(connection.connectCount == 1)
    }

    @Test func bodyWithoutLengthIsReadToTheEndAndTheConnectionDropped() throws {
        let server = try LoopbackServer { connection in
            _ = connection.readRequest()
            connection.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end")
        }
        let connection = connect(server)
        #expect(text(try connection.ask(.get("/"))) == "until the end")
        #expect(text(try connection.ask(.get("/"))) == "until the end")
        #expect(connection.connectCount == 2)
    }

    @Test func informationalAnswersAreSkipped() throws {
        let server = try LoopbackServer.http { _, _ in "HTTP/1.1 100 Continue\r\n\r\n" + httpAnswer("201 Created", body: "made") }
        let response = try connect(server).ask(.postJSON("/", body: []))
        #expect(response.status == 201)
        #expect(text(response) == "made")
    }

    /// 204 and answers to HEAD have no body whatever their headers say.
    @Test func noContentHasNoBody() throws {
        let server = try LoopbackServer.http { request, _ in
            request.requestLine.hasPrefix("HEAD") ? "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n" : "HTTP/1.1 204 No Content\r\n\r\n"
        }
        let connection = connect(server)
        #expect(try connection.ask(.get("/")).status == 204)
        let head = try connection.ask(HTTPRequest(method: "HEAD", path: "/"))
        #expect(head.status == 200 && head.body.isEmpty)
        #expect(try connection.ask(.get("/")).status == 204)
        #expect(connection.connectCount == 1)
    }

    @Test(arguments: [
        ("SSH-2.0-OpenSSH\r\n\r\n", "not an HTTP status line: SSH-2.0-OpenSSH"),
        ("HTTP/1.1 OK\r\n\r\n", "not an HTTP status line: HTTP/1.1 OK"),
        ("HTTP/1.1 200 OK\r\nno colon\r\n\r\n", "bad header line: no colon"),
        ("HTTP/1.1 200 OK\r\nContent-Length: ten\r\n\r\n", "bad Content-Length: ten"),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "bad chunk size: zz"),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabXY\r\n", "a chunk does not end with CRLF"),
    ])
    func answersThatAreNotHTTPAreProtocolErrors(answer: String, message: String) throws {
        let server = try LoopbackServer.http { _, _ in answer }
        #expect(throws: ClientError.protocolError(message)) { try connect(server).ask(.get("/")) }
    }

    @Test func answerCutShortFails() throws {
        let server = try LoopbackServer { connection in
            _ = connection.readRequest()
            connection.write("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc")
        }
        #expect(throws: ClientError.connectionClosed(reason: "the server closed the connection mid-answer")) {
            try connect(server).ask(.get("/"))
        }
    }

    /// On a new connection a close without an answer is a failure: the server may have run the
    /// request, so it is not sent again.
    @Test func freshConnectionClosedWithoutAnswerFails() throws {
        let server = try LoopbackServer { connection in _ = connection.readRequest() }
        #expect(throws: ClientError.connectionClosed(reason: "the server closed the connection without answering (if it serves TLS, use https://)")) {
            try connect(server).ask(.get("/"))
        }
        #expect(server.connectionCount == 1)
    }

    /// A keep-alive connection the server closed while it sat idle is replaced before use.
    @Test func idleConnectionClosedByTheServerIsReplaced() throws {
        let server = try LoopbackServer { connection in
            _ = connection.readRequest()
            connection.write(httpAnswer(body: "once"))  // and close, without a Connection header
        }
        let connection = connect(server)
        #expect(text(try connection.ask(.get("/"))) == "once")
        Thread.sleep(forTimeInterval: 0.05)
        #expect(text(try connection.ask(.get("/"))) == "once")
        #expect(connection.connectCount == 2)
    }

    /// The server closes a reused connection as the request arrives, without a word: nothing was
    /// answered, so the request goes again, once, on a new connection.
    @Test func requestLostOnAReusedConnectionIsSentAgain() throws {
        let server = try LoopbackServer { connection in
            _ = connection.readRequest()
            connection.write(httpAnswer(body: "first"))
            if connection.index == 0 { _ = connection.readRequest() }  // then close unanswered
        }
        let connection = connect(server)
        #expect(text(try connection.ask(.get("/"))) == "first")
        #expect(text(try connection.ask(.get("/"))) == "first")
        #expect(connection.connectCount == 2)
    }

    @Test func silentServerTimesOut() throws {
        let server = try LoopbackServer { connection in connection.waitForClose() }
        let start = ContinuousClock.now
        #expect(throws: ClientError.timedOut(what: "waiting for the response", milliseconds: 200)) {
            try connect(server).send(.get("/"), timeout: 200)
        }
        #expect(ContinuousClock.now - start < .seconds(2))
    }

    @Test func nothingListeningIsConnectionRefused() throws {
        let port = try LoopbackServer.unusedPort()
        let error = #expect(throws: ClientError.self) { try HTTPConnection(host: "127.0.0.1", port: port).ask(.get("/")) }
        #expect(error == .connectionRefused(host: "127.0.0.1", port: port))
        #expect(error?.isConnectFailure == true)
    }
}

extension HTTPConnection {
    /// `send` with a limit, so that a client that waits for bytes that never come fails the
    /// test instead of hanging it.
    func ask(_ request: HTTPRequest) throws -> HTTPResponse { try send(request, timeout: 5_000) }
}

/// A value shared with server threads.
final class Locked<Value: Sendable>: @unchecked Sendable {  // behind `lock`
    private let lock = NSLock()
    private var stored: Value

    init(_ value: Value) { stored = value }

    var value: Value { lock.withLock { stored } }
    func update(_ change: (inout Value) -> Void) { lock.withLock { change(&stored) } }
}
