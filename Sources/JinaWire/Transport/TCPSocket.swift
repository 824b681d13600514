#if canImport(Glibc)
import Glibc
#endif

/// Plain TCP sockets: remote executors (`jina executor --port`), and the HTTP client's connections.
public enum TCPSocket {
    public struct Failure: Error, CustomStringConvertible {
        public let message: String
        public var description: String { message }

        public init(message: String) {
            self.message = message
        }
    }

    /// Why a connection could not be made.
    public enum ConnectError: Error, Sendable, Equatable, CustomStringConvertible {
        case cannotResolve(host: String, reason: String)
        case refused(host: String, port: Int)
        case timedOut(host: String, port: Int)
        case failed(host: String, port: Int, reason: String)

        public var description: String {
            switch self {
            case .cannotResolve(let host, let reason): return "cannot resolve \(host): \(reason)"
            case .refused(let host, let port): return "cannot connect to \(host):\(port): \(String(cString: strerror(ECONNREFUSED)))"
            case .timedOut(let host, let port): return "cannot connect to \(host):\(port): \(String(cString: strerror(ETIMEDOUT)))"
            case .failed(let host, let port, let reason): return "cannot connect to \(host):\(port): \(reason)"
            }
        }
    }

    /// Connects to host:port within `timeout`: the one connect loop of the Flow's workers and the
    /// HTTP client.
    public static func connect(host: String, port: Int, timeout: Duration = .seconds(10)) throws(ConnectError) -> Int32 {
        try connect(host: host, port: port,
                    timeoutMilliseconds: Int32(clamping: timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000))
    }

    /// Connects to host:port, trying each address the name resolves to (IPv4 or IPv6, so
    /// `localhost` works either way), each within `timeoutMilliseconds` (-1: no limit). The socket
    /// is blocking, close-on-exec, with TCP_NODELAY.
    public static func connect(host: String, port: Int, timeoutMilliseconds: Int32) throws(ConnectError) -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let first = list else { throw .cannotResolve(host: host, reason: String(cString: gai_strerror(rc))) }
        defer { freeaddrinfo(list) }
        var lastError = ECONNREFUSED
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry {
            entry = info.pointee.ai_next
            let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), info.pointee.ai_protocol)
            guard fd >= 0 else {
                lastError = errno
                continue
            }
            let code = connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen, timeoutMilliseconds: timeoutMilliseconds)
            if code == 0 {
                var one: Int32 = 1
                setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                return fd
            }
            lastError = code
            close(fd)
        }
        switch lastError {
        case ECONNREFUSED: throw .refused(host: host, port: port)
        case ETIMEDOUT: throw .timedOut(host: host, port: port)
        default: throw .failed(host: host, port: port, reason: String(cString: strerror(lastError)))
        }
    }

    /// Makes a connection to a peer that stops answering fail within about `within`, instead of
    /// the kernel's default of many minutes: keepalive probes while it is idle (TCP_KEEPIDLE,
    /// TCP_KEEPINTVL, TCP_KEEPCNT), and TCP_USER_TIMEOUT while data it was sent goes unacknowledged.
    /// Reads and writes then fail with ETIMEDOUT.
    public static func detectDeadPeer(_ fd: Int32, within: Duration) {
        let seconds = max(Int32(clamping: within.components.seconds), 3)
        func set(_ level: Int32, _ option: Int32, _ value: Int32) {
            var value = value
            setsockopt(fd, level, option, &value, socklen_t(MemoryLayout<Int32>.size))
        }
        set(SOL_SOCKET, SO_KEEPALIVE, 1)
        set(Int32(IPPROTO_TCP), TCP_KEEPIDLE, seconds - 2)
        set(Int32(IPPROTO_TCP), TCP_KEEPINTVL, 1)
        set(Int32(IPPROTO_TCP), TCP_KEEPCNT, 2)
        set(Int32(IPPROTO_TCP), TCP_USER_TIMEOUT, seconds * 1000)
    }

    /// A non-blocking connect waited for with poll(2); 0 or the errno it failed with.
    private static func connect(_ fd: Int32, _ address: UnsafePointer<sockaddr>, _ length: socklen_t, timeoutMilliseconds: Int32) -> Int32 {
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        defer { _ = fcntl(fd, F_SETFL, flags) }
        if Glibc.connect(fd, address, length) == 0 { return 0 }
        guard errno == EINPROGRESS || errno == EINTR else { return errno }
        var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        var ready: Int32
        repeat { ready = poll(&poller, 1, timeoutMilliseconds) } while ready < 0 && errno == EINTR
        if ready == 0 { return ETIMEDOUT }
        var code: Int32 = 0
        var size = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &code, &size)
        return code
    }

    /// A listening socket on host:port (port 0 picks a free one); returns it and the port bound.
    public static func listen(host: String, port: Int) throws -> (fd: Int32, port: Int) {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let info = list else { throw Failure(message: "cannot resolve \(host): \(String(cString: gai_strerror(rc)))") }
        defer { freeaddrinfo(list) }
        let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), info.pointee.ai_protocol)
        guard fd >= 0 else { throw Failure(message: "cannot create a socket: \(String(cString: strerror(errno)))") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        guard bind(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 else {
            let code = errno
            close(fd)
            if code == EADDRINUSE {
                throw Failure(message: "port \(port) on \(host) is already in use; stop what uses it or choose another --port")
            }
            throw Failure(message: "cannot listen on \(host):\(port): \(String(cString: strerror(code)))")
        }
        guard Glibc.listen(fd, 64) == 0 else {
            let code = errno
            close(fd)
            throw Failure(message: "cannot listen on \(host):\(port): \(String(cString: strerror(code)))")
        }
        var address = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(fd, $0, &length) } }
        let family = address.ss_family
        let bound: Int = withUnsafePointer(to: &address) { pointer in
            if family == sa_family_t(AF_INET6) {
                return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin6_port)) }
            }
            return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) }
        }
        return (fd, bound)
    }
}
