import Hummingbird

/// A route that sends documents through the Flow, and how it names the endpoint.
enum DataRoute: Equatable {
    /// `/post` (Jina 2's debug route): the endpoint is in the body.
    case post
    /// `/post/{endpoint}` (the Jina 2.0 cookbook's curl): the path names it.
    case postTo(String)
    /// `/default`: the body may name another endpoint (the 3.x client sends unlisted ones here).
    case defaultBinding
    /// `/index`, `/search`, … and every endpoint the executors bind.
    case endpoint(String)

    /// Only `/post` and `/post/{endpoint}` answer a header-less request in Jina 2's shape.
    var isJina2Route: Bool {
        switch self {
        case .post, .postTo: return true
        case .defaultBinding, .endpoint: return false
        }
    }
}

/// The data routes of a Flow (SPEC §5): fixed ones plus `/{endpoint}` for each bound endpoint.
struct DataRoutes {
    static let crud = ["/index", "/search", "/update", "/delete"]

    /// Every data path, as listed in /openapi.json and in a 404's body.
    let paths: [String]

    init(boundEndpoints: [String]) {
        var paths = ["/post", "/post/{endpoint}"] + Self.crud + ["/default"]
        for endpoint in boundEndpoints where !paths.contains(endpoint) && !endpoint.hasPrefix("/post/") && endpoint != "/post" {
            paths.append(endpoint)
        }
        self.paths = paths
    }

    func match(_ path: String) -> DataRoute? {
        if path == "/post" { return .post }
        if path.hasPrefix("/post/"), path.count > "/post/".count { return .postTo(String(path.dropFirst("/post".count))) }
        if path == "/default" { return .defaultBinding }
        return paths.contains(path) ? .endpoint(path) : nil
    }

    /// POST everywhere; Jina 2.0 also answered `PUT /update` and `DELETE /delete`.
    static func methods(for path: String) -> [HTTPRequest.Method] {
        switch path {
        case "/update": return [.post, .put]
        case "/delete": return [.post, .delete]
        default: return [.post]
        }
    }
}
