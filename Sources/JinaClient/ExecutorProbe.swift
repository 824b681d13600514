import JinaWire

/// Checks a `jina executor --port` server the way a Flow would: connect, and read the hello it
/// sends first (a frame, or a JSON line with `framing: lines`).
public enum ExecutorProbe {
    /// The executor's name from its hello; throws when there is no hello within `timeout` ms.
    public static func hello(host: String, port: Int, timeout: Int) async throws -> String {
        try await DedicatedThread.run("jina-ping") { try readHello(host: host, port: port, timeout: timeout) }
    }

    static func readHello(host: String, port: Int, timeout: Int) throws -> String {
        let deadline = Deadline(milliseconds: timeout, what: "waiting for the executor's hello")
        let socket = try ClientSocket.connect(host: host, port: port, deadline: deadline.named(ClientError.connecting))
        defer { socket.close() }
        var bytes: [UInt8] = []
        while true {
            guard try socket.read(into: &bytes, deadline: deadline) > 0 else {
                throw ClientError.connectionClosed(reason: "the executor closed the connection before its hello")
            }
            if let frame = try frame(in: bytes) {
                guard frame.kind == .hello else {
                    throw ClientError.protocolError("expected a hello, got \(frame.header["kind"]?.stringValue ?? "a frame with no kind")")
                }
                return frame.header["name"]?.stringValue ?? "executor"
            }
        }
    }

    /// The first frame in `bytes` once it is complete; nil until then.
    private static func frame(in bytes: [UInt8]) throws -> Frame? {
        do {
            // A line codec hello starts with `{`; a frame starts with its length.
            var decoder = FrameStreamDecoder(framing: bytes.first == UInt8(ascii: "{") ? .lines : .frames, maxFrameSize: 1 << 20)
            decoder.append(bytes)
            return try decoder.next()
        } catch {
            throw ClientError.protocolError("not the executor protocol (\(error))")
        }
    }
}
