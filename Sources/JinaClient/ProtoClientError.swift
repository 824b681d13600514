/// Why a gRPC or WebSocket call to a gateway failed before an answer came back.
public struct ProtoClientError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable {
        /// Nothing answered at the address (refused, unreachable, closed at once).
        case unavailable
        /// No answer within the time allowed.
        case timedOut
        /// The gateway refused the request (e.g. INVALID_ARGUMENT) or broke the protocol.
        case refused
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
