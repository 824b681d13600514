/// Why a request to a gateway or an executor got no answer.
public enum ClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The name did not resolve.
    case cannotResolve(host: String, reason: String)
    /// Nothing listens there (yet): the one failure worth retrying while a Flow starts.
    case connectionRefused(host: String, port: Int)
    /// Any other failure to connect (unreachable network, …).
    case cannotConnect(host: String, port: Int, reason: String)
    /// No answer within the time allowed; `what` says for what (connecting, the response).
    case timedOut(what: String, milliseconds: Int)
    /// The peer closed the connection (or reset it) before the answer was complete.
    case connectionClosed(reason: String)
    /// The peer answered something that is not the protocol.
    case protocolError(String)
    /// The Flow did not become ready in time; `last` is what the last probe saw.
    case notReady(seconds: Double, last: String)
    /// The client was closed while the request waited.
    case closed
    /// The TLS handshake failed (a certificate not trusted, a server that does not speak TLS);
    /// `reason` says which and what to do.
    case tls(reason: String)

    public var description: String {
        switch self {
        case .cannotResolve(let host, let reason): return "cannot resolve \(host): \(reason)"
        case .connectionRefused: return "connection refused"
        case .cannotConnect(_, _, let reason): return "cannot connect: \(reason)"
        case .timedOut(let what, let ms): return "timed out after \(ms) ms \(what)"
        case .connectionClosed(let reason): return "connection closed: \(reason)"
        case .protocolError(let message): return "bad answer: \(message)"
        case .notReady(let seconds, let last): return "not ready after \(Self.seconds(seconds)) s (last: \(last))"
        case .closed: return "the client was closed"
        case .tls(let reason): return reason
        }
    }

    /// True when connecting failed, so nothing was sent and a retry cannot run anything twice.
    public var isConnectFailure: Bool {
        switch self {
        case .cannotResolve, .connectionRefused, .cannotConnect, .tls: return true
        case .timedOut(let what, _): return what == Self.connecting
        default: return false
        }
    }

    static let connecting = "connecting"

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }
}
