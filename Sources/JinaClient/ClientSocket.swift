import Foundation

/// One outgoing TCP connection whose every wait has a deadline: the socket is non-blocking and
/// poll(2) does the waiting, so connect, write and read all give up on time.
final class ClientSocket {
    private(set) var fd: Int32
    private var scratch = [UInt8](repeating: 0, count: 64 * 1024)

    private init(fd: Int32) {
        self.fd = fd
    }

    deinit { close() }

    /// Connects to host:port, trying each address the name resolves to (so `localhost` works
    /// whether the server listens on IPv4 or IPv6).
    static func connect(host: String, port: Int, deadline: Deadline) throws -> ClientSocket {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, list != nil else { throw ClientError.cannotResolve(host: host, reason: String(cString: gai_strerror(rc))) }
        defer { freeaddrinfo(list) }
        var lastError = ECONNREFUSED
        var entry = list
        while let info = entry?.pointee {
            entry = info.ai_next
            let fd = socket(info.ai_family, info.ai_socktype | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue),
                            info.ai_protocol)
            guard fd >= 0 else {
                lastError = errno
                continue
            }
            let socket = ClientSocket(fd: fd)
            let code = try socket.finishConnect(Glibc.connect(fd, info.ai_addr, info.ai_addrlen) == 0 ? 0 : errno, deadline: deadline)
            if code == 0 {
                var one: Int32 = 1
                setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                return socket
            }
            lastError = code
        }
        if lastError == ECONNREFUSED { throw ClientError.connectionRefused(host: host, port: port) }
        throw ClientError.cannotConnect(host: host, port: port, reason: String(cString: strerror(lastError)))
    }

    /// Waits for a non-blocking connect to end; returns 0 or the errno it failed with.
    private func finishConnect(_ started: Int32, deadline: Deadline) throws -> Int32 {
        guard started == EINPROGRESS || started == EINTR else { return started }
        try wait(for: Int16(POLLOUT), until: deadline)
        var code: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &code, &length)
        return code
    }

    /// Sends all of `bytes`.
    func write(_ bytes: [UInt8], deadline: Deadline) throws {
        var offset = 0
        try bytes.withUnsafeBytes { raw in
            while offset < raw.count {
                let n = send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if n > 0 {
                    offset += n
                } else if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                    try wait(for: Int16(POLLOUT), until: deadline)
                } else if n < 0 && errno == EINTR {
                    continue
                } else {
                    throw ClientError.connectionClosed(reason: String(cString: strerror(errno)))
                }
            }
        }
    }

    /// Appends what arrives (up to 64 KiB) to `buffer`; returns how many bytes, 0 at end of stream.
    func read(into buffer: inout [UInt8], deadline: Deadline) throws -> Int {
        while true {
            let n = scratch.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
            if n >= 0 {
                buffer.append(contentsOf: scratch[0..<n])
                return n
            }
            switch errno {
            case EAGAIN, EWOULDBLOCK: try wait(for: Int16(POLLIN), until: deadline)
            case EINTR: continue
            default: throw ClientError.connectionClosed(reason: String(cString: strerror(errno)))
            }
        }
    }

    /// True when the peer has closed (or reset) an idle connection: it is readable, and reading
    /// would give end of stream or an error. Bytes waiting unasked on an idle connection also
    /// make it unusable, so they count as closed too.
    var peerHasClosed: Bool {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, 0) != 0
    }

    private func wait(for events: Int16, until deadline: Deadline) throws {
        var entry = pollfd(fd: fd, events: events, revents: 0)
        while true {
            let rc = poll(&entry, 1, deadline.pollTimeout)
            if rc > 0 { return }
            if rc == 0 { throw deadline.error }
            if errno != EINTR { throw ClientError.connectionClosed(reason: String(cString: strerror(errno))) }
        }
    }

    func close() {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
    }
}
