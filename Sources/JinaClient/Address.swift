/// A host and port as users write them: `HOST:PORT`, `[::1]:PORT`, optionally with `http://`,
/// `grpc://` or `ws://` in front and a `/` behind (what a gateway's ready line prints).
public struct Address: Sendable, Equatable, CustomStringConvertible {
    /// The protocol an address names by its scheme.
    public enum Scheme: String, Sendable, CaseIterable {
        case http, grpc, ws
    }

    public var host: String
    public var port: Int?
    /// nil when the address has no scheme (HTTP, for a gateway).
    public var scheme: Scheme?

    public init(host: String, port: Int?, scheme: Scheme? = nil) {
        self.host = host
        self.port = port
        self.scheme = scheme
    }

    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    public init(parsing text: String) throws {
        var rest = Substring(text)
        if let separator = rest.range(of: "://") {
            let name = rest[..<separator.lowerBound].lowercased()
            guard let scheme = Scheme(rawValue: name == "websocket" ? "ws" : name) else {
                throw Invalid(description: "'\(text)': \(name):// is not supported; use http://, grpc:// or ws://")
            }
            self.scheme = scheme
            rest = rest[separator.upperBound...]
        }
        while rest.hasSuffix("/") { rest = rest.dropLast() }
        var portText: Substring?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw Invalid(description: "'\(text)': missing ']'") }
            host = String(rest[rest.index(after: rest.startIndex)..<close])
            let after = rest[rest.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw Invalid(description: "'\(text)': expected ':PORT' after ']'") }
                portText = after.dropFirst()
            }
        } else if let colon = rest.lastIndex(of: ":"), rest.firstIndex(of: ":") == colon {
            host = String(rest[..<colon])
            portText = rest[rest.index(after: colon)...]
        } else {
            host = String(rest)
        }
        if host.isEmpty { throw Invalid(description: "'\(text)': no host") }
        if let portText {
            guard let port = Int(portText), (1...65535).contains(port) else {
                throw Invalid(description: "'\(text)': the port must be a number from 1 to 65535")
            }
            self.port = port
        }
    }

    public var description: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        let address = port.map { "\(shownHost):\($0)" } ?? shownHost
        return scheme.map { "\($0.rawValue)://\(address)" } ?? address
    }
}
