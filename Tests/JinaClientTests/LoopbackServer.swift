import Foundation

/// A TCP server on 127.0.0.1 (by default on a free port) for the client's tests: each accepted connection runs
/// `serve` on a thread of its own with the raw socket, so a test can answer anything, well-formed
/// HTTP or not. `stop()` (also on deinit) shuts every socket down and waits for the threads.
final class LoopbackServer: @unchecked Sendable {  // mutable state behind `lock`
    let port: Int
    private let fd: Int32
    private let serve: @Sendable (LoopbackConnection) -> Void
    private let lock = NSLock()
    private var accepted: [Int32] = []
    private var stopped = false
    private let threads = DispatchGroup()

    /// `port` 0: the kernel picks a free one.
    init(port: Int = 0, serve: @escaping @Sendable (LoopbackConnection) -> Void) throws {
        self.serve = serve
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            close(fd)
            throw POSIXError(.EADDRNOTAVAIL)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(fd, $0, &length) } }
        self.port = Int(UInt16(bigEndian: address.sin_port))
        self.fd = fd
        startThread { [self] in acceptLoop() }
    }

    deinit { stop() }

    /// Connections accepted so far.
    var connectionCount: Int { lock.withLock { accepted.count } }

    /// A port that nothing listens on: bound for a moment, then freed.
    static func unusedPort() throws -> Int {
        let server = try LoopbackServer { _ in }
        server.stop()
        return server.port
    }

    func stop() {
        let fds = lock.withLock { () -> [Int32] in
            if stopped { return [] }
            stopped = true
            return [fd] + accepted
        }
        guard !fds.isEmpty else { return }
        for fd in fds { shutdown(fd, Int32(SHUT_RDWR)) }
        _ = threads.wait(timeout: .now() + 5)
        for fd in fds { close(fd) }
    }

    private func startThread(_ body: @escaping @Sendable () -> Void) {
        threads.enter()
        Thread { [threads] in
            body()
            threads.leave()
        }.start()
    }

    private func acceptLoop() {
        while true {
            let client = accept(fd, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            let index = lock.withLock { () -> Int? in
                guard !stopped else { return nil }
                accepted.append(client)
                return accepted.count - 1
            }
            guard let index else {
                close(client)
                return
            }
            startThread { [self] in
                serve(LoopbackConnection(fd: client, index: index))
                shutdown(client, Int32(SHUT_RDWR))
            }
        }
    }
}

/// One accepted connection, as the server's script sees it. The server closes the socket.
struct LoopbackConnection: Sendable {
    let fd: Int32
    /// 0 for the first connection the server accepted, then 1, …
    let index: Int

    /// A request as it arrived: the head's lines and the Content-Length body.
    struct Request: Sendable {
        var requestLine: String
        var headers: [String: String]  // names lowercased
        var body: [UInt8]
    }

    /// Reads one request; nil when the client closed the connection first.
    func readRequest() -> Request? {
        var head: [UInt8] = []
        while !head.ends(with: [13, 10, 13, 10]) {
            guard let byte = readByte() else { return nil }
            head.append(byte)
        }
        let lines = String(decoding: head, as: UTF8.self).components(separatedBy: "\r\n").filter { !$0.isEmpty }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body: [UInt8] = []
        for _ in 0..<(Int(headers["content-length"] ?? "0") ?? 0) {
            guard let byte = readByte() else { return nil }
            body.append(byte)
        }
        return Request(requestLine: lines.first ?? "", headers: headers, body: body)
    }

    /// One byte at a time: slow, but never reads past the request (tests send little).
    private func readByte() -> UInt8? {
        var byte: UInt8 = 0
        return recv(fd, &byte, 1, 0) == 1 ? byte : nil
    }

    func write(_ text: String) { write(Array(text.utf8)) }

    func write(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            offset += n
        }
    }

    /// Waits until the client closes (or the server stops): a peer that answers nothing.
    func waitForClose() {
        while readByte() != nil {}
    }
}

extension LoopbackServer {
    /// A server that answers each request on every connection with the text `answer` gives
    /// (raw HTTP, written as is); nil closes the connection without an answer.
    static func http(port: Int = 0, _ answer: @escaping @Sendable (LoopbackConnection.Request, LoopbackConnection) -> String?) throws
        -> LoopbackServer {
        try LoopbackServer(port: port) { connection in
            while let request = connection.readRequest() {
                guard let text = answer(request, connection) else { return }
                connection.write(text)
            }
        }
    }
}

/// An HTTP/1.1 answer with a Content-Length body, as raw text.
func httpAnswer(_ status: String = "200 OK", headers: [String] = [], body: String = "") -> String {
    (["HTTP/1.1 \(status)"] + headers + ["Content-Length: \(body.utf8.count)"]).joined(separator: "\r\n") + "\r\n\r\n" + body
}

extension [UInt8] {
    func ends(with suffix: [UInt8]) -> Bool { count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix }
}
