import Foundation

/// A host and port as users write them: `HOST:PORT`, `[::1]:PORT`, optionally with `http://`,
/// `grpc://` or `ws://` (over TLS: `https://`, `grpcs://`, `wss://`) in front and a `/` behind
/// (what a gateway's ready line prints).
public struct Address: Sendable, Equatable, CustomStringConvertible {
    /// The protocol an address names by its scheme.
    public enum Scheme: String, Sendable, CaseIterable {
        case http, grpc, ws
    }

    public var host: String
    public var port: Int?
    /// nil when the address has no scheme (HTTP, for a gateway).
    public var scheme: Scheme?
    /// Over TLS: `https://`, `grpcs://`, `wss://`.
    public var tls: Bool

    public init(host: String, port: Int?, scheme: Scheme? = nil, tls: Bool = false) {
        self.host = host
        self.port = port
        self.scheme = scheme
        self.tls = tls
    }

    /// The schemes as written, with the protocol and whether TLS is on.
    static let schemes: [String: (Scheme, tls: Bool)] = [
        "http": (.http, false), "https": (.http, true), "grpc": (.grpc, false), "grpcs": (.grpc, true),
        "ws": (.ws, false), "websocket": (.ws, false), "wss": (.ws, true),
    ]

    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    public init(parsing text: String) throws {
        var rest = Substring(text)
        tls = false
        if let separator = rest.range(of: "://") {
            let name = rest[..<separator.lowerBound].lowercased()
            guard let (scheme, tls) = Self.schemes[name] else {
                throw Invalid(description: "'\(text)': \(name):// is not supported; use http://, grpc://, ws:// or, over TLS, https://, grpcs://, wss://")
            }
            self.scheme = scheme
            self.tls = tls
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
        return scheme.map { "\($0.rawValue)\(tls ? "s" : "")://\(address)" } ?? (tls ? "https://\(address)" : address)
    }

    /// True when the host is an IPv4 or IPv6 literal: TLS sends no SNI for it (RFC 6066) and
    /// checks the certificate's IP address entries instead of its DNS names.
    public var hostIsIPAddress: Bool { Self.isIPAddress(host) }

    static func isIPAddress(_ host: String) -> Bool {
        var v4 = in_addr(), v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }
}
