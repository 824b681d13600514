#if canImport(Glibc)
import Glibc
#endif
import JinaConfig

/// The replicas behind a remote entry's addresses: a name that resolves to several IPv4
/// addresses (a compose service with replicas, a Kubernetes headless Service) is one replica
/// per address; an IP address, or a name with one address, stays as written (unless
/// `everyAddress`: a refreshed name is followed address by address, however many it has).
enum RemoteResolver {
    /// A name's IPv4 addresses; none when it does not resolve.
    typealias Lookup = @Sendable (String) -> [String]

    /// The replicas, or nil when a name did not resolve this time (a refresh then keeps what it
    /// has rather than dropping replicas over a resolver's hiccup).
    static func resolvedReplicas(of remotes: [RemoteAddress], lookup: Lookup = ipv4Addresses(of:)) -> [RemoteAddress]? {
        // Each name looked up once (getaddrinfo may take seconds), then expanded from the answers.
        var answers: [String: [String]] = [:]
        for remote in remotes where !isAddressLiteral(remote.host) && answers[remote.host] == nil {
            let addresses = lookup(remote.host)
            if addresses.isEmpty { return nil }
            answers[remote.host] = addresses
        }
        let resolved = answers
        return replicas(of: remotes, lookup: { resolved[$0] ?? [] }, everyAddress: true)
    }

    static func replicas(of remotes: [RemoteAddress], lookup: Lookup = ipv4Addresses(of:), everyAddress: Bool = false) -> [RemoteAddress] {
        var seen = Set<String>()
        var out: [RemoteAddress] = []
        for remote in remotes {
            let addresses = isAddressLiteral(remote.host) ? [] : lookup(remote.host)
            let expanded = addresses.count > (everyAddress ? 0 : 1) ? addresses.map { RemoteAddress(host: $0, port: remote.port) } : [remote]
            for address in expanded where seen.insert(address.description).inserted { out.append(address) }
        }
        return out
    }

    /// Whether `host` is an IPv4 or IPv6 address as written, not a name (no lookup).
    static func isAddressLiteral(_ host: String) -> Bool {
        var v4 = in_addr(), v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }

    /// The IPv4 addresses a name resolves to, in the resolver's order, without repeats; none for
    /// an address literal or a name that does not resolve (connecting then says why).
    static func ipv4Addresses(of host: String) -> [String] {
        var hints = addrinfo()
        hints.ai_family = AF_INET
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0, let first = list else { return [] }
        defer { freeaddrinfo(first) }
        var addresses: [String] = []
        var node: UnsafeMutablePointer<addrinfo>? = first
        while let current = node {
            if let address = current.pointee.ai_addr, current.pointee.ai_family == AF_INET {
                var text = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
                let ipv4 = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
                var copy = ipv4
                if inet_ntop(AF_INET, &copy, &text, socklen_t(INET_ADDRSTRLEN)) != nil {
                    let string = String(cString: text)
                    if !addresses.contains(string) { addresses.append(string) }
                }
            }
            node = current.pointee.ai_next
        }
        return addresses
    }
}
