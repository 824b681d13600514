/// How a request reaches the shards of an executor (SPEC §3).
public enum Polling: String, Sendable, CaseIterable {
    case any = "ANY"
    case all = "ALL"
    case allAsync = "ALL_ASYNC"

    /// Case-insensitive, as Jina parses enums.
    public init?(caseInsensitive text: String) {
        self.init(rawValue: text.uppercased())
    }
}

/// One polling for every endpoint, or one per endpoint with `*` as the fallback (Jina 3 form).
public struct PollingSpec: Sendable, Equatable {
    public var fallback: Polling
    public var byEndpoint: [(endpoint: String, polling: Polling)]

    public init(_ fallback: Polling = .any, byEndpoint: [(endpoint: String, polling: Polling)] = []) {
        self.fallback = fallback
        self.byEndpoint = byEndpoint
    }

    public func polling(for endpoint: String) -> Polling {
        byEndpoint.first { $0.endpoint == endpoint }?.polling ?? fallback
    }

    /// `ALL`, or `/index: ANY, /search: ALL, *: ANY`.
    public var description: String {
        if byEndpoint.isEmpty { return fallback.rawValue }
        return (byEndpoint.map { "\($0.endpoint): \($0.polling.rawValue)" } + ["*: \(fallback.rawValue)"]).joined(separator: ", ")
    }

    public static func == (a: PollingSpec, b: PollingSpec) -> Bool {
        a.fallback == b.fallback && a.byEndpoint.map(\.endpoint) == b.byEndpoint.map(\.endpoint)
            && a.byEndpoint.map(\.polling) == b.byEndpoint.map(\.polling)
    }
}
