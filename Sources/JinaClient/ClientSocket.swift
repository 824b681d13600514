import Foundation
import JinaWire
import NIOCore

/// One outgoing TCP connection whose every wait has a deadline: the socket is non-blocking and
/// poll(2) does the waiting, so connect, write and read all give up on time. With TLS, the same
/// reads and writes carry the encrypted bytes of a `TLSLayer`.
final class ClientSocket {
    private(set) var fd: Int32
    private var scratch = [UInt8](repeating: 0, count: 64 * 1024)
    private var tls: TLSLayer?

    private init(fd: Int32) {
        self.fd = fd
    }

    deinit { close() }

    /// Connects to host:port (each address the name resolves to) before the deadline; the socket
    /// is then non-blocking, and poll(2) does every later wait.
    static func connect(host: String, port: Int, deadline: Deadline, tls: ClientTLS? = nil) throws -> ClientSocket {
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
        let socket = ClientSocket(fd: fd)
        if let tls { try socket.handshake(tls, host: host, deadline: deadline) }
        return socket
    }

    /// The TLS handshake, before the deadline; throws `ClientError.tls` when it fails.
    private func handshake(_ settings: ClientTLS, host: String, deadline: Deadline) throws {
        do {
            guard let peer = Self.peerAddress(fd) else { throw ClientError.cannotConnect(host: host, port: 0, reason: "no peer address") }
            let layer = try TLSLayer(context: settings.context, serverName: ClientTLS.serverName(for: host), peer: peer)
            tls = layer
            try sendRaw(layer.outbound(), deadline: deadline)
            var cipher: [UInt8] = []
            while !layer.handshakeDone {
                cipher.removeAll(keepingCapacity: true)
                guard try readRaw(into: &cipher, deadline: deadline) > 0 else {
                    throw ClientError.tls(reason: "the gateway closed the connection during the TLS handshake; is it serving TLS?")
                }
                do { try layer.receive(cipher[...]) } catch {
                    try? sendRaw(layer.outbound(), deadline: deadline)  // the alert that says why, if any
                    throw error
                }
                try sendRaw(layer.outbound(), deadline: deadline)
            }
        } catch let error as ClientError {
            throw error
        } catch {
            throw ClientError.tls(reason: ClientTLS.explain(error, host: host) ?? "TLS: \(error)")
        }
    }

    /// Sends all of `bytes` (encrypted first, over TLS).
    func write(_ bytes: [UInt8], deadline: Deadline) throws {
        guard let tls else { return try sendRaw(bytes, deadline: deadline) }
        do { try tls.send(bytes) } catch { throw ClientError.connectionClosed(reason: "TLS: \(error)") }
        try sendRaw(try tls.outbound(), deadline: deadline)
    }

    /// Appends what arrives (decrypted, over TLS) to `buffer`; returns how many bytes, 0 at end of stream.
    func read(into buffer: inout [UInt8], deadline: Deadline) throws -> Int {
        guard let tls else { return try readRaw(into: &buffer, deadline: deadline) }
        var cipher: [UInt8] = []
        while true {
            let count = try tls.plaintext(into: &buffer)
            if count > 0 { return count }
            if tls.isClosed { return 0 }
            cipher.removeAll(keepingCapacity: true)
            guard try readRaw(into: &cipher, deadline: deadline) > 0 else { return 0 }
            do { try tls.receive(cipher[...]) } catch { throw ClientError.connectionClosed(reason: "TLS: \(error)") }
            // TLS may answer by itself (a key update); send it.
            try sendRaw(try tls.outbound(), deadline: deadline)
        }
    }

    private func sendRaw(_ bytes: [UInt8], deadline: Deadline) throws {
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

    /// Appends what arrives on the socket (up to 64 KiB) to `buffer`; returns how many bytes, 0 at end of stream.
    private func readRaw(into buffer: inout [UInt8], deadline: Deadline) throws -> Int {
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
        guard poll(&entry, 1, 0) != 0 else { return false }
        guard let tls else { return true }
        // Over TLS the server may send records of its own on an idle connection (TLS 1.3 session
        // tickets): take them in; the connection is closed only when the peer closed, or
        // application bytes nobody asked for are waiting.
        var cipher: [UInt8] = []
        var unasked: [UInt8] = []
        while poll(&entry, 1, 0) > 0 {
            cipher.removeAll(keepingCapacity: true)
            guard let n = try? readRaw(into: &cipher, deadline: Deadline(milliseconds: 1, what: "reading")), n > 0,
                  (try? tls.receive(cipher[...])) != nil,
                  let plain = try? tls.plaintext(into: &unasked), plain == 0, !tls.isClosed else { return true }
        }
        return false
    }

    /// The address of the other end, for NIOSSL to match a certificate's IP addresses against.
    static func peerAddress(_ fd: Int32) -> SocketAddress? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let rc = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getpeername(fd, $0, &length) }
        }
        guard rc == 0 else { return nil }
        switch Int32(storage.ss_family) {
        case AF_INET:
            let address = withUnsafeBytes(of: storage) { $0.load(as: sockaddr_in.self) }
            return SocketAddress(address, host: "")
        case AF_INET6:
            let address = withUnsafeBytes(of: storage) { $0.load(as: sockaddr_in6.self) }
            return SocketAddress(address, host: "")
        default:
            return nil
        }
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
        if let tls, fd >= 0 {
            // close_notify, best effort: the server then sees a clean TLS shutdown.
            tls.close()
            if let bytes = try? tls.outbound(), !bytes.isEmpty {
                _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress!, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
            }
        }
        tls = nil
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
    }
}
