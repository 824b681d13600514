/// A Swift executor shipped with `jina`, as `lint` and `jina executor list` know it.
public struct BuiltinExecutor: Sendable {
    public struct Parameter: Sendable {
        public var name: String
        public var type: String
        public var defaultValue: String?
        public var summary: String
    }

    public var name: String
    public var summary: String
    public var parameters: [Parameter]
    /// Endpoints it binds; empty means it passes every request through.
    public var endpoints: [String]
}

/// The built-in executor classes a `uses:` or `jtype:` may name.
public enum BuiltinExecutorCatalog {
    public static let all: [BuiltinExecutor] = [
        BuiltinExecutor(name: defaultExecutorClass,
                        summary: "passes every request through unchanged; Jina's default and the usual join executor",
                        parameters: [], endpoints: []),
    ]

    public static func named(_ name: String) -> BuiltinExecutor? {
        all.first { $0.name == name }
    }

    public static var names: [String] { all.map(\.name) }
}
