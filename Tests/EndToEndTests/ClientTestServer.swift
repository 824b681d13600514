import Foundation

/// A tiny HTTP/1.1 server for the client tests: a thread accepts on 127.0.0.1, a thread per
/// connection reads requests (Content-Length bodies) and answers what `handler` says: canned
/// responses, chunked ones, a silent close, or nothing at all. It counts connections and keeps
/// the requests, so tests can see keep-alive at work. `stop()` (also on deinit) ends every thread.
final class ClientTestServer: @unchecked Sendable {  // mutable state behind `lock`
    struct Request: @unchecked Sendable {
        var method: String
        var path: String
        var headers: [String: String]  // names lowercased
        var body: Data
        /// Which connection it came on (0, 1, …) and its number on that connection (0, 1, …).
        var connection: Int
        var indexOnConnection: Int

        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
    }

    enum Reply {
        /// An answer; `chunked` sends the body in chunks of `chunkSize` bytes; `thenClose` closes
        /// the connection afterwards without saying so in a header (as a server closing an idle
        /// keep-alive connection does).
        case respond(status: Int, headers: [(String, String)] = [], body: [UInt8], chunked: Bool = false, chunkSize: Int = 7,
                     thenClose: Bool = false, delay: TimeInterval = 0)
        /// Close the connection at once, without answering.
        case closeWithoutAnswer
        /// Never answer (until the server stops).
        case hang

        static func json(_ object: Any, status: Int = 200, delay: TimeInterval = 0, chunked: Bool = false, thenClose: Bool = false) -> Reply {
            let body = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
            return .respond(status: status, headers: [("Content-Type", "application/json")], body: [UInt8](body), chunked: chunked,
                            thenClose: thenClose, delay: delay)
        }
    }

    let port: Int
    private let listener: TestTCPListener
    /// Listens on 127.0.0.1:`port` (0: a free port).
    init(port: Int = 0, handler: @escaping @Sendable (Request) -> Reply) throws {
        let box = RequestLog()
        listener = try TestTCPListener(port: port) { fd, index in
            Self.serve(fd, index: index, handler: handler, log: box)
        }
        self.port = listener.port
        requestLog = box
    }

    private let requestLog: RequestLog

    /// The requests received so far, shared with the connection threads.
    private final class RequestLog: @unchecked Sendable {
        private let lock = NSLock()
        private var requests: [Request] = []
        func append(_ request: Request) { lock.withLock { requests.append(request) } }
        var all: [Request] { lock.withLock { requests } }
    }

    deinit { stop() }

    /// A port that nothing listens on (bound for a moment, then freed).
    static func freePort() throws -> Int {
        let listener = try TestTCPListener(port: 0) { _, _ in }
        listener.stop()
        return listener.port
    }

    var connectionCount: Int { listener.connectionCount }
    var requests: [Request] { requestLog.all }

    func stop() { listener.stop() }

    private static func serve(_ fd: Int32, index: Int, handler: (Request) -> Reply, log: RequestLog) {
        var buffer: [UInt8] = []
        var count = 0
        while let request = readRequest(fd, buffer: &buffer, connection: index, number: count) {
            count += 1
            log.append(request)
            switch handler(request) {
            case .closeWithoutAnswer:
                shutdown(fd, Int32(SHUT_RDWR))
                return
            case .hang:
                var scratch = [UInt8](repeating: 0, count: 1024)
                while recv(fd, &scratch, scratch.count, 0) > 0 {}
                return
            case .respond(let status, let headers, let body, let chunked, let chunkSize, let thenClose, let delay):
                if delay > 0 { Thread.sleep(forTimeInterval: delay) }
                var head = "HTTP/1.1 \(status) \(status == 200 ? "OK" : "Status")\r\n"
                for (name, value) in headers { head += "\(name): \(value)\r\n" }
                var bytes: [UInt8]
                if chunked {
                    head += "Transfer-Encoding: chunked\r\n\r\n"
                    bytes = Array(head.utf8)
                    var offset = 0
                    while offset < body.count {
                        let piece = body[offset..<min(offset + chunkSize, body.count)]
                        bytes += Array("\(String(piece.count, radix: 16));ext=1\r\n".utf8) + piece + Array("\r\n".utf8)
                        offset += piece.count
                    }
                    bytes += Array("0\r\nX-Trailer: yes\r\n\r\n".utf8)
                } else {
                    head += "Content-Length: \(body.count)\r\n\r\n"
                    bytes = Array(head.utf8) + body
                }
                guard sendAll(fd, bytes) else { return }
                if thenClose {
                    shutdown(fd, Int32(SHUT_RDWR))
                    return
                }
            }
        }
    }

    private static func sendAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }

    private static func readRequest(_ fd: Int32, buffer: inout [UInt8], connection: Int, number: Int) -> Request? {
        let separator: [UInt8] = [13, 10, 13, 10]
        var scratch = [UInt8](repeating: 0, count: 64 * 1024)
        func more() -> Bool {
            let n = recv(fd, &scratch, scratch.count, 0)
            if n <= 0 { return false }
            buffer += scratch[0..<n]
            return true
        }
        var headEnd: Int?
        while headEnd == nil {
            if buffer.count >= 4 {
                headEnd = (0...(buffer.count - 4)).first { Array(buffer[$0..<($0 + 4)]) == separator }
            }
            if headEnd == nil && !more() { return nil }
        }
        let lines = String(decoding: buffer[0..<headEnd!], as: UTF8.self).components(separatedBy: "\r\n")
        let parts = lines[0].split(separator: " ")
        guard parts.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        let bodyStart = headEnd! + 4
        while buffer.count < bodyStart + length {
            if !more() { return nil }
        }
        let body = Data(buffer[bodyStart..<(bodyStart + length)])
        buffer.removeFirst(bodyStart + length)
        return Request(method: String(parts[0]), path: String(parts[1]), headers: headers, body: body, connection: connection,
                       indexOnConnection: number)
    }

    // MARK: A canned gateway

    /// What a gateway answers to `POST /post`: the 3.x envelope echoing the request's header,
    /// with each document's text upper-cased (as the UpperCase executor does).
    static func gatewayEnvelope(for request: Request, status: [String: Any] = ["code": 0, "description": ""],
                                routes: [[String: Any]] = []) -> [String: Any] {
        let body = request.json
        let header = body["header"] as? [String: Any] ?? [:]
        let docs = (body["data"] as? [[String: Any]] ?? []).map { doc -> [String: Any] in
            var doc = doc
            if let text = doc["text"] as? String { doc["text"] = text.uppercased() }
            return doc
        }
        return [
            "header": ["request_id": header["request_id"] ?? "", "exec_endpoint": body["execEndpoint"] ?? "",
                       "target_executor": header["target_executor"] ?? "", "status": status],
            "parameters": body["parameters"] ?? [:],
            "routes": routes,
            "data": docs,
        ]
    }
}

/// A TCP listener on 127.0.0.1 for tests: each accepted connection runs `serve(fd, index)` on a
/// thread of its own. `stop()` shuts every socket down, waits for the threads and closes them.
final class TestTCPListener: @unchecked Sendable {  // mutable state behind `lock`
    let port: Int
    private let fd: Int32
    private let serve: @Sendable (Int32, Int) -> Void
    private let lock = NSLock()
    private var connections: [Int32] = []
    private var stopped = false
    private let threads = DispatchGroup()

    init(port: Int, serve: @escaping @Sendable (Int32, Int) -> Void) throws {
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
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "cannot listen on port \(port)"])
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(fd, $0, &length) } }
        self.port = Int(UInt16(bigEndian: address.sin_port))
        self.fd = fd
        startThread { [self] in acceptLoop() }
    }

    deinit { stop() }

    var connectionCount: Int { lock.withLock { connections.count } }

    func stop() {
        let fds = lock.withLock { () -> [Int32] in
            if stopped { return [] }
            stopped = true
            return [fd] + connections
        }
        guard !fds.isEmpty else { return }
        for fd in fds { shutdown(fd, Int32(SHUT_RDWR)) }
        _ = threads.wait(timeout: .now() + 5)
        for fd in fds { close(fd) }
    }

    private func startThread(_ body: @escaping @Sendable () -> Void) {
        threads.enter()
        let thread = Thread { [threads] in
            body()
            threads.leave()
        }
        thread.start()
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
                connections.append(client)
                return connections.count - 1
            }
            guard let index else {
                close(client)
                return
            }
            startThread { [self] in
                serve(client, index)
                shutdown(client, Int32(SHUT_RDWR))
            }
        }
    }
}
