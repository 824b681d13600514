import Foundation

/// A TCP server for `jina ping executor` tests: connection number k (0, 1, …) gets `script(k)`:
/// a hello frame, an immediate close, or silence.
final class PingTestServer: @unchecked Sendable {
    enum Action { case hello(String), close, silent }

    let port: Int
    private let server: TestTCPListener

    init(script: @escaping @Sendable (Int) -> Action) throws {
        server = try TestTCPListener(port: 0) { fd, index in
            switch script(index) {
            case .hello(let name):
                let frame = TestFiles.frame(header: #"{"v":1,"kind":"hello","name":"\#(name)","endpoints":["/default"]}"#)
                _ = frame.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                var scratch = [UInt8](repeating: 0, count: 256)
                while recv(fd, &scratch, scratch.count, 0) > 0 {}
            case .close:
                break
            case .silent:
                var scratch = [UInt8](repeating: 0, count: 256)
                while recv(fd, &scratch, scratch.count, 0) > 0 {}
            }
        }
        port = server.port
    }

    var connectionCount: Int { server.connectionCount }

    func stop() { server.stop() }
}
