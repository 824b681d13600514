/// A host and port as users write them: `HOST:PORT`, `[::1]:PORT`, optionally with `http://`
/// in front and a `/` behind (what a gateway's ready line prints).
public struct Address: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int?

    public init(host: String, port: Int?) {
        self.host = host
        self.port = port
    }

    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    public init(parsing text: String) throws {
        var rest = Substring(text)
        if rest.lowercased().hasPrefix("https://") { throw Invalid(description: "https is not supported; use http://") }
        if rest.lowercased().hasPrefix("http://") { rest = rest.dropFirst(7) }
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
        return port.map { "\(shownHost):\($0)" } ?? shownHost
    }
}
