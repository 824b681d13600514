/// Why a text is not JSON, and where: `offset` is the 0-based byte offset of the problem (the
/// input's length when the text ends too early).
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var offset: Int
    public var message: String

    public init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }

    /// For example `invalid JSON at byte 17: expected ',' or '}' after an object member`.
    public var description: String { "invalid JSON at byte \(offset): \(message)" }
}
