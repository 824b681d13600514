import JinaClient
import Testing

/// What users read when a request gets no answer, and which failures are safe to retry.
@Suite struct ClientErrorTests {
    @Test(arguments: [
        (ClientError.cannotResolve(host: "gw", reason: "Name or service not known"), "cannot resolve gw: Name or service not known"),
        (.connectionRefused(host: "gw", port: 80), "connection refused"),
        (.cannotConnect(host: "gw", port: 80, reason: "Network is unreachable"), "cannot connect: Network is unreachable"),
        (.timedOut(what: "waiting for the response", milliseconds: 250), "timed out after 250 ms waiting for the response"),
        (.connectionClosed(reason: "the server closed the connection"), "connection closed: the server closed the connection"),
        (.protocolError("bad chunk size: zz"), "bad answer: bad chunk size: zz"),
        (.notReady(seconds: 5, last: "HTTP 503"), "not ready after 5 s (last: HTTP 503)"),
        (.notReady(seconds: 0.25, last: "connection refused"), "not ready after 0.2 s (last: connection refused)"),
        (.closed, "the client was closed"),
    ])
    func describesItself(error: ClientError, description: String) {
        #expect(error.description == description)
    }

    /// Only a failure to connect proves nothing was sent.
    @Test(arguments: [
        (ClientError.cannotResolve(host: "gw", reason: ""), true),
        (.connectionRefused(host: "gw", port: 80), true),
        (.cannotConnect(host: "gw", port: 80, reason: ""), true),
        (.timedOut(what: "connecting", milliseconds: 1), true),
        (.timedOut(what: "waiting for the response", milliseconds: 1), false),
        (.connectionClosed(reason: ""), false),
        (.protocolError(""), false),
        (.notReady(seconds: 1, last: ""), false),
        (.closed, false),
    ])
    func connectFailures(error: ClientError, isConnectFailure: Bool) {
        #expect(error.isConnectFailure == isConnectFailure)
    }
}
