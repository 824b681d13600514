import JinaConfig

/// Why a Flow cannot be exported as it is: which entry, and what to do about it.
public struct DeployError: Error, Sendable, CustomStringConvertible {
    public var location: SourceLocation
    public var message: String

    public init(_ location: SourceLocation, _ message: String) {
        self.location = location
        self.message = message
    }

    /// `file:line:col: error: message`, as lint prints a diagnostic.
    public var description: String { "\(location.file):\(location.mark.line):\(location.mark.column): error: \(message)" }
}
