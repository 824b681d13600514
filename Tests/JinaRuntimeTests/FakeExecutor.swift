import Foundation
import JinaWire
import Synchronization

/// An executor served over loopback TCP from inside the test (what `jina executor --port`
/// is to a Flow): it says hello, then answers each call as `behaviour` says. It records the
/// calls and cancels it sees, so tests can assert what reached the executor.
final class FakeExecutor: Sendable {
    enum Reply: Sendable {
        /// Documents back, after an optional delay.
        case result([UInt8], after: Duration = .zero)
        /// The executor raised: an error frame.
        case error(String)
        /// Close the connection without answering: the process "died" holding the call.
        case die
    }

    let name: String
    let port: Int
    private let listener: Int32
    private let behaviour: @Sendable (Frame) -> Reply
    /// What its hello says it binds.
    private let endpoints: [String]
    private let seen = Mutex<(calls: Int, cancels: [Int], connections: [Int32])>((0, [], []))

    /// Listens on `host` (any 127.x address is loopback) at `port` (0: a free one).
    init(name: String, host: String = "127.0.0.1", port: Int = 0, endpoints: [String] = ["/default"],
         behaviour: @escaping @Sendable (Frame) -> Reply) throws {
        self.name = name
        self.endpoints = endpoints
        self.behaviour = behaviour
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        // The same port again after a close (an executor that comes back), past TIME_WAIT.
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr(host)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound, listen(fd, 16) == 0 else { throw POSIXError(.EADDRNOTAVAIL) }
        listener = fd
        self.port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    var calls: Int { seen.withLock { $0.calls } }
    var cancels: [Int] { seen.withLock { $0.cancels } }

    /// Stops accepting and drops every connection.
    func close() {
        shutdown(listener, Int32(SHUT_RDWR))
        for fd in seen.withLock({ $0.connections }) { shutdown(fd, Int32(SHUT_RDWR)) }
    }

    private func acceptLoop() {
        while true {
            let fd = accept(listener, nil, nil)
            if fd < 0 {
                if errno == EINTR { continue }
                return
            }
            seen.withLock { $0.connections.append(fd) }
            let thread = Thread { [self] in serve(fd) }
            thread.start()
        }
    }

    private func serve(_ fd: Int32) {
        let writeLock = NSLock()
        @Sendable func send(_ frame: Frame) {
            let bytes = FrameEncoder.encode(frame)
            writeLock.withLock { _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) } }
        }
        send(Frame(.hello, [("name", .string(name)), ("endpoints", .array(endpoints.map(JSONValue.string)))]))
        var decoder = FrameDecoder()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        reading: while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            decoder.append(Array(buffer[0..<n]))
            while let frame = try? decoder.next() {
                switch frame.kind {
                case .cancel:
                    seen.withLock { $0.cancels.append(frame.id ?? -1) }
                case .call:
                    seen.withLock { $0.calls += 1 }
                    switch behaviour(frame) {
                    case .die:
                        break reading
                    case .error(let message):
                        let status = RequestFailure.status(name: "ValueError", message: message, executor: name)
                        send(Frame(.error, id: frame.id, body: frame.body, [("status", .object(status))]))
                    case .result(let body, let delay):
                        let answer = Frame(.result, id: frame.id, body: body)
                        if delay == .zero { send(answer) } else {
                            Thread.detachNewThread {
                                Thread.sleep(forTimeInterval: Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18)
                                send(answer)
                            }
                        }
                    }
                default:
                    break
                }
            }
        }
        seen.withLock { $0.connections.removeAll { $0 == fd } }
        Glibc.close(fd)
    }
}
