import Foundation

/// The client side of one WebSocket exchange (RFC 6455) on a `ClientSocket`: the same sockets,
/// deadlines and TLS as the HTTP client (`wss://` checks certificates as `https://` does, and an
/// IP address goes out without SNI), so a server that closes early or never answers is an error
/// in time, not a hang. What the gateway's protocol needs: binary messages out, every binary
/// message in until the server's close frame.
struct WebSocketConnection {
    /// What the server said when it closed.
    struct Close: Equatable {
        var code: UInt16
        var reason: String

        /// The code with its RFC 6455 name, for messages.
        var codeDescription: String {
            let names: [UInt16: String] = [1000: "normal closure", 1001: "going away", 1002: "protocol error", 1003: "unacceptable data",
                                           1007: "data inconsistent with message", 1008: "policy violation", 1009: "message too big",
                                           1011: "unexpected server error"]
            return names[code].map { "\(code) \($0)" } ?? String(code)
        }
    }

    /// Connects (the upgrade included), sends `messages`, and reads until the server closes.
    static func exchange(host: String, port: Int, path: String, tls: ClientTLS?, messages: [[UInt8]], maxMessageSize: Int,
                         connectTimeout: Int, timeout: Int) throws -> (messages: [[UInt8]], close: Close?) {
        let deadline = Deadline(milliseconds: timeout, what: "waiting for the WebSocket answer")
        let connecting = Deadline(milliseconds: connectTimeout, what: ClientError.connecting).earliest(deadline.named(ClientError.connecting))
        let socket = try ClientSocket.connect(host: host, port: port, deadline: connecting, tls: tls)
        defer { socket.close() }
        var inbox: [UInt8] = []
        try upgrade(socket, host: host, port: port, path: path, tls: tls != nil, inbox: &inbox, deadline: connecting)
        for message in messages { try socket.write(frame(opcode: 0x2, message), deadline: deadline.named("sending the request")) }

        var received: [[UInt8]] = []
        var message: [UInt8]?
        var position = 0
        while true {
            guard let (fin, opcode, payload) = try nextFrame(inbox, &position, maxMessageSize: maxMessageSize) else {
                inbox.removeFirst(position)
                position = 0
                guard try socket.read(into: &inbox, deadline: deadline) > 0 else { return (received, nil) }
                continue
            }
            switch opcode {
            case 0x0, 0x1, 0x2:
                if opcode != 0x0 { message = opcode == 0x2 ? [] : nil }
                if var current = message {
                    guard current.count + payload.count <= maxMessageSize else {
                        throw ClientError.protocolError("a message larger than \(maxMessageSize) bytes")
                    }
                    current += payload
                    message = current
                }
                if fin, let complete = message {
                    received.append(complete)
                    message = nil
                }
            case 0x8:
                let code = payload.count >= 2 ? UInt16(payload[0]) << 8 | UInt16(payload[1]) : 1005
                let reason = payload.count > 2 ? String(decoding: payload[2...], as: UTF8.self) : ""
                // Answer the close, as the protocol asks; the server then closes the connection.
                try? socket.write(frame(opcode: 0x8, payload.count >= 2 ? Array(payload[0..<2]) : []), deadline: deadline)
                return (received, Close(code: code, reason: reason))
            case 0x9:
                try socket.write(frame(opcode: 0xA, payload), deadline: deadline)
            case 0xA:
                break
            default:
                throw ClientError.protocolError("a WebSocket frame with the unknown opcode \(opcode)")
            }
        }
    }

    /// Sends the upgrade request and reads the 101 answer; what follows it stays in `inbox`.
    private static func upgrade(_ socket: ClientSocket, host: String, port: Int, path: String, tls: Bool, inbox: inout [UInt8],
                                deadline: Deadline) throws {
        let key = Data((0..<16).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
        let authority = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        let request = "GET \(path) HTTP/1.1\r\nHost: \(authority)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: \(key)\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: bytes\r\nUser-Agent: jina-swift\r\n\r\n"
        try socket.write(Array(request.utf8), deadline: deadline.named("sending the WebSocket upgrade"))
        let end: Int
        while true {
            if let found = headEnd(inbox) {
                end = found
                break
            }
            if inbox.count > HTTPConnection.maxHeaderLine { throw ClientError.protocolError("the upgrade answer's head is longer than 64 KiB") }
            guard try socket.read(into: &inbox, deadline: deadline.named("waiting for the WebSocket upgrade")) > 0 else {
                throw ClientError.connectionClosed(reason: "the server closed the connection instead of answering the WebSocket upgrade"
                                                   + (tls ? "" : " (if it serves TLS, use wss://)"))
            }
        }
        let head = String(decoding: inbox[..<end], as: UTF8.self)
        inbox.removeFirst(end + 4)
        let lines = head.components(separatedBy: "\r\n")
        let status = lines[0].split(separator: " ", maxSplits: 2)
        guard status.count >= 2, status[0].hasPrefix("HTTP/1.") else {
            throw ClientError.protocolError("not an HTTP answer to the WebSocket upgrade: \(lines[0].prefix(100))")
        }
        guard status[1] == "101" else {
            throw ClientError.protocolError("the server answered '\(lines[0])' instead of switching to WebSocket (is this the gateway's WebSocket port?)")
        }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()] = line[line.index(after: colon)...]
                .trimmingCharacters(in: .whitespaces)
        }
        guard headers["upgrade"]?.lowercased() == "websocket",
              headers["sec-websocket-accept"] == Data(SHA1.hash(Array((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").utf8))).base64EncodedString()
        else {
            throw ClientError.protocolError("the server's 101 answer is not a WebSocket upgrade (wrong Upgrade or Sec-WebSocket-Accept)")
        }
    }

    /// The index of the `\r\n\r\n` that ends the head.
    private static func headEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for i in 0...(bytes.count - 4) where bytes[i] == 13 && bytes[i + 1] == 10 && bytes[i + 2] == 13 && bytes[i + 3] == 10 { return i }
        return nil
    }

    /// A client frame: final, masked (clients must mask), with `payload`.
    static func frame(opcode: UInt8, _ payload: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x80 | opcode]
        out.reserveCapacity(payload.count + 14)
        switch payload.count {
        case 0..<126: out.append(0x80 | UInt8(payload.count))
        case 126...0xFFFF: out += [0x80 | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        default:
            out.append(0x80 | 127)
            for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8((UInt64(payload.count) >> UInt64(shift)) & 0xFF)) }
        }
        let mask = (0..<4).map { _ in UInt8.random(in: 0...255) }
        out += mask
        for (i, byte) in payload.enumerated() { out.append(byte ^ mask[i & 3]) }
        return out
    }

    /// The next whole frame from `position` in `bytes` (advancing it), or nil until it has all arrived.
    static func nextFrame(_ bytes: [UInt8], _ position: inout Int, maxMessageSize: Int) throws -> (fin: Bool, opcode: UInt8, payload: [UInt8])? {
        var at = position
        guard bytes.count - at >= 2 else { return nil }
        let fin = bytes[at] & 0x80 != 0, opcode = bytes[at] & 0x0F, masked = bytes[at + 1] & 0x80 != 0
        var length = Int(bytes[at + 1] & 0x7F)
        at += 2
        if length >= 126 {
            let size = length == 126 ? 2 : 8
            guard bytes.count - at >= size else { return nil }
            var value: UInt64 = 0
            for byte in bytes[at..<(at + size)] { value = value << 8 | UInt64(byte) }
            guard value <= UInt64(maxMessageSize) else { throw ClientError.protocolError("a WebSocket frame of \(value) bytes is too large") }
            length = Int(value)
            at += size
        }
        let mask: [UInt8]
        if masked {
            guard bytes.count - at >= 4 else { return nil }
            mask = Array(bytes[at..<(at + 4)])
            at += 4
        } else {
            mask = []
        }
        guard bytes.count - at >= length else { return nil }
        var payload = Array(bytes[at..<(at + length)])
        if masked { for i in payload.indices { payload[i] ^= mask[i & 3] } }
        position = at + length
        return (fin, opcode, payload)
    }
}

/// SHA-1, for the one thing WebSocket uses it for: checking the server's Sec-WebSocket-Accept
/// (RFC 6455 §4.1). Not for security; the packages this client has expose no SHA-1 (NIO keeps
/// its own internal), and one hash does not warrant swift-crypto.
enum SHA1 {
    static func hash(_ message: [UInt8]) -> [UInt8] {
        var h: [UInt32] = [0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476, 0xC3D2_E1F0]
        var data = message
        let bitLength = UInt64(message.count) * 8
        data.append(0x80)
        while data.count % 64 != 56 { data.append(0) }
        for shift in stride(from: 56, through: 0, by: -8) { data.append(UInt8((bitLength >> UInt64(shift)) & 0xFF)) }
        var w = [UInt32](repeating: 0, count: 80)
        for chunk in stride(from: 0, to: data.count, by: 64) {
            for i in 0..<16 {
                w[i] = UInt32(data[chunk + 4 * i]) << 24 | UInt32(data[chunk + 4 * i + 1]) << 16
                    | UInt32(data[chunk + 4 * i + 2]) << 8 | UInt32(data[chunk + 4 * i + 3])
            }
            for i in 16..<80 { w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotatedLeft(1) }
            var (a, b, c, d, e) = (h[0], h[1], h[2], h[3], h[4])
            for i in 0..<80 {
                let (f, k): (UInt32, UInt32) = switch i {
                case 0..<20: ((b & c) | (~b & d), 0x5A82_7999)
                case 20..<40: (b ^ c ^ d, 0x6ED9_EBA1)
                case 40..<60: ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC)
                default: (b ^ c ^ d, 0xCA62_C1D6)
                }
                let temp = a.rotatedLeft(5) &+ f &+ e &+ k &+ w[i]
                (e, d, c, b, a) = (d, c, b.rotatedLeft(30), a, temp)
            }
            h[0] = h[0] &+ a; h[1] = h[1] &+ b; h[2] = h[2] &+ c; h[3] = h[3] &+ d; h[4] = h[4] &+ e
        }
        return h.flatMap { word in [24, 16, 8, 0].map { UInt8((word >> UInt32($0)) & 0xFF) } }
    }
}

private extension UInt32 {
    func rotatedLeft(_ n: UInt32) -> UInt32 { self << n | self >> (32 - n) }
}
