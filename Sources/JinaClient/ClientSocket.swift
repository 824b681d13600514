import Foundation
import JinaWire

/// One outgoing TCP connection whose every wait has a deadline: the socket is non-blocking and
/// poll(2) does the waiting, so connect, write and read all give up on time.
final class ClientSocket {
    private(set) var fd: Int32
    private var scratch = [UInt8](repeating: 0, count: 64 * 1024)

    private init(fd: Int32) {
        self.fd = fd
    }

    deinit { close() }

    /// Connects to host:port (each address the name resolves to) before the deadline; the socket
    /// is then non-blocking, and poll(2) does every later wait.
    static func connect(host: String, port: Int, deadline: Deadline) throws -> ClientSocket {
        let fd: Int32
        do {
            fd = try TCPSocket.connect(host: host, port: port, timeoutMilliseconds: deadline.pollTimeout)
        } catch {
            switch error {
            case .cannotResolve(let host, let reason): throw ClientError.cannotResolve(host: host, reason: reason)
            case .refused: throw ClientError.connectionRefused(host: host, port: port)
            case .timedOut: throw deadline.error
            case .failed(_, _, let reason): throw ClientError.cannotConnect(host: host, port: port, reason: reason)
            }
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        return ClientSocket(fd: fd)
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
