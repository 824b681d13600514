import Foundation

/// One keep-alive HTTP/1.1 connection, used by one request at a time (not thread-safe: a pool
/// hands it to one thread at a time). It connects on first use; when the server has closed it
/// while it sat idle, the next request opens a new one, so callers never see a stale connection.
public final class HTTPConnection {
    public let host: String
    public let port: Int
    /// Milliseconds to connect (0: no limit besides the request's own).
    public let connectTimeout: Int
    /// How many times it has connected (1 while keep-alive holds).
    public private(set) var connectCount = 0
    /// HTTPS when set.
    public let tls: ClientTLS?

    private var socket: ClientSocket?
    /// Bytes read but not consumed yet, from `position` on.
    private var inbox: [UInt8] = []
    private var position = 0
    /// Set once the current answer has begun to arrive: failing before that, on a reused
    /// connection, means the server had closed it, and the request can go again on a new one.
    private var answerStarted = false

    /// Responses larger than this are refused rather than buffered.
    static let maxBodySize = 1 << 30
    static let maxHeaderLine = 64 * 1024
    static let maxHeaderCount = 200

    public init(host: String, port: Int, connectTimeout: Int = 3_000, tls: ClientTLS? = nil) {
        self.host = host
        self.port = port
        self.connectTimeout = connectTimeout
        self.tls = tls
    }

    deinit { close() }

    /// Sends `request` and reads the whole response. `timeout` milliseconds (0: none) bound the
    /// whole exchange, connecting included.
    public func send(_ request: HTTPRequest, timeout: Int = 0) throws -> HTTPResponse {
        let deadline = Deadline(milliseconds: timeout, what: "waiting for the response")
        if let socket, socket.peerHasClosed || position < inbox.count { close() }
        let reused = socket != nil
        do {
            return try exchange(request, deadline: deadline)
        } catch let error as ClientError {
            guard reused, !answerStarted, case .connectionClosed = error else { throw error }
            // The server closed the idle connection as the request went out: nothing of it was
            // answered, so it goes again, once, on a new connection.
            return try exchange(request, deadline: deadline)
        }
    }

    public func close() {
        socket?.close()
        socket = nil
        inbox.removeAll(keepingCapacity: true)
        position = 0
    }

    private func exchange(_ request: HTTPRequest, deadline: Deadline) throws -> HTTPResponse {
        answerStarted = false
        do {
            if socket == nil {
                let connectDeadline = Deadline(milliseconds: connectTimeout, what: ClientError.connecting)
                socket = try ClientSocket.connect(host: host, port: port, deadline: connectDeadline.earliest(deadline.named(ClientError.connecting)),
                                                tls: tls)
                connectCount += 1
            }
            try socket!.write(request.serialized(host: host, port: port), deadline: deadline.named("sending the request"))
            let (response, keepAlive) = try readResponse(method: request.method, deadline: deadline)
            if !keepAlive { close() }
            return response
        } catch {
            close()  // after a failure the connection's state is unknown
            throw error
        }
    }

    // MARK: Reading a response

    private func readResponse(method: String, deadline: Deadline) throws -> (HTTPResponse, keepAlive: Bool) {
        inbox.removeFirst(position)
        position = 0
        while true {
            let statusLine = try readLine(deadline: deadline)
            let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]), (100...999).contains(status) else {
                throw ClientError.protocolError("not an HTTP status line: \(statusLine.prefix(100))")
            }
            let headers = try readHeaders(deadline: deadline)
            // 1xx (100 Continue, …): the real answer follows.
            if status < 200 { continue }
            var response = HTTPResponse(status: status, reason: parts.count > 2 ? String(parts[2]) : "", headers: headers)
            var keepAlive = parts[0] == "HTTP/1.1" ? !response.header("Connection", contains: "close")
                : response.header("Connection", contains: "keep-alive")
            if method == "HEAD" || status == 204 || status == 304 {
                // No body.
            } else if response.header("Transfer-Encoding", contains: "chunked") {
                response.body = try readChunkedBody(deadline: deadline)
            } else if let length = response.header("Content-Length") {
                guard let count = Int(length.trimmingCharacters(in: .whitespaces)), count >= 0 else {
                    throw ClientError.protocolError("bad Content-Length: \(length)")
                }
                response.body = try readExactly(count, deadline: deadline)
            } else {
                response.body = try readToEnd(deadline: deadline)
                keepAlive = false
            }
            return (response, keepAlive)
        }
    }

    private func readHeaders(deadline: Deadline) throws -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = []
        while true {
            let line = try readLine(deadline: deadline)
            if line.isEmpty { return headers }
            guard let colon = line.firstIndex(of: ":"), headers.count < Self.maxHeaderCount else {
                throw ClientError.protocolError(headers.count < Self.maxHeaderCount ? "bad header line: \(line.prefix(100))" : "too many headers")
            }
            headers.append((String(line[..<colon]).trimmingCharacters(in: .whitespaces),
                            String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)))
        }
    }

    /// `size CRLF data CRLF` … `0 CRLF` trailers `CRLF`.
    private func readChunkedBody(deadline: Deadline) throws -> [UInt8] {
        var body: [UInt8] = []
        while true {
            let line = try readLine(deadline: deadline)
            let digits = line.prefix { $0 != ";" }.trimmingCharacters(in: .whitespaces)
            guard let size = Int(digits, radix: 16), size >= 0 else { throw ClientError.protocolError("bad chunk size: \(line.prefix(40))") }
            if size == 0 {
                _ = try readHeaders(deadline: deadline)  // trailers
                return body
            }
            guard body.count + size <= Self.maxBodySize else { throw ClientError.protocolError("the response body is too large") }
            body += try readExactly(size, deadline: deadline)
            guard try readLine(deadline: deadline).isEmpty else { throw ClientError.protocolError("a chunk does not end with CRLF") }
        }
    }

    // MARK: Buffered bytes

    /// Reads more into the inbox; false at end of stream.
    private func fill(deadline: Deadline) throws -> Bool {
        guard let socket else { throw ClientError.connectionClosed(reason: "not connected") }
        let n = try socket.read(into: &inbox, deadline: deadline)
        if n > 0 { answerStarted = true }
        return n > 0
    }

    private func readLine(deadline: Deadline) throws -> String {
        var searched = position
        while true {
            if let newline = inbox[searched...].firstIndex(of: 0x0A) {
                var end = newline
                if end > position && inbox[end - 1] == 0x0D { end -= 1 }
                let line = String(decoding: inbox[position..<end], as: UTF8.self)
                position = newline + 1
                return line
            }
            searched = inbox.count
            if inbox.count - position > Self.maxHeaderLine { throw ClientError.protocolError("a header line is longer than 64 KiB") }
            guard try fill(deadline: deadline) else { throw endOfStream() }
        }
    }

    private func readExactly(_ count: Int, deadline: Deadline) throws -> [UInt8] {
        guard count <= Self.maxBodySize else { throw ClientError.protocolError("a response body of \(count) bytes is too large") }
        if position > 0 {
            inbox.removeFirst(position)
            position = 0
        }
        inbox.reserveCapacity(count)
        while inbox.count < count {
            guard try fill(deadline: deadline) else { throw endOfStream() }
        }
        let bytes = Array(inbox[0..<count])
        position = count
        return bytes
    }

    private func readToEnd(deadline: Deadline) throws -> [UInt8] {
        while try fill(deadline: deadline) {
            guard inbox.count - position <= Self.maxBodySize else { throw ClientError.protocolError("the response body is too large") }
        }
        let bytes = Array(inbox[position...])
        position = inbox.count
        return bytes
    }

    private func endOfStream() -> ClientError {
        if answerStarted { return .connectionClosed(reason: "the server closed the connection mid-answer") }
        // A gateway served over TLS closes a plaintext connection that way.
        return .connectionClosed(reason: "the server closed the connection" + (tls == nil ? " without answering (if it serves TLS, use https://)" : ""))
    }
}
