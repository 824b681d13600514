/// Why a protobuf request cannot become a Flow request: the gateway answers INVALID_ARGUMENT
/// (gRPC) or closes the WebSocket with this message.
public struct ProtoError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable {
        /// The bytes are not the message they should be.
        case malformed
        /// An ndarray whose dtype, shape or buffer does not add up.
        case badArray
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
