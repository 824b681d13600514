import Foundation
import Testing

/// `jina executor --port` on SIGTERM (what Kubernetes and compose send before they kill): the call
/// it is answering is answered, new connections are refused, and it exits 0 once its connections
/// are closed — for a built-in (in this process) and a Python class (a process per connection).
@Suite struct ExecutorDrainTests {
    static let module = """
        import time
        from jina import Executor, requests

        class Slow(Executor):
            @requests
            def slow(self, docs, **kwargs):
                time.sleep(1.5)
                for d in docs:
                    d.text = 'slow ' + d.text
        """

    /// A Flow's side of one connection: plain TCP to 127.0.0.1.
    final class Connection {
        let fd: Int32
        init(port: Int) throws {
            fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            let rc = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard rc == 0 else {
                close(fd)
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
            var limit = timeval(tv_sec: 10, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        }
        deinit { close(fd) }

        func send(_ bytes: [UInt8]) { _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) } }

        /// Reads until the frames it holds number `count`, or the executor closes the connection.
        func frames(atLeast count: Int) -> (frames: [(header: [String: Any], body: [UInt8])], closed: Bool) {
            var bytes: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n <= 0 { return (TestFiles.frames(bytes), true) }
                bytes += buffer[0..<n]
                if TestFiles.frames(bytes).count >= count { return (TestFiles.frames(bytes), false) }
            }
        }
    }

    static func call(id: Int, text: String) -> [UInt8] {
        TestFiles.frame(header: #"{"v":1,"kind":"call","id":\#(id),"endpoint":"/default","count":1,"parameters":{"ms":1500}}"#,
                        body: Array(#"[{"id":"d\#(id)","text":"\#(text)"}]"#.utf8))
    }

    @Test(arguments: ["builtin", "python"])
    func sigtermAnswersTheCallInProgressThenExitsZero(kind: String) throws {
        let dir = try JinaBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try TestFiles.write(Self.module, to: "slow.py", in: dir)
        try TestFiles.write("jtype: Slow\nmetas:\n  py_modules: [slow.py]\n", to: "slow.yml", in: dir)
        let (marker, environment) = ProcessTable.newMarker()
        defer { ProcessTable.killAll(withMarker: marker) }
        let uses = kind == "builtin" ? "Sleep" : "slow.yml"
        let server = try JinaProcess(["executor", "--uses", uses, "--port", "0"], in: dir, environment: environment)
        defer { server.kill() }
        let port = try server.announcedExecutorPort(timeout: 20)

        let connection = try Connection(port: port)
        #expect(connection.frames(atLeast: 1).frames.first?.header["kind"] as? String == "hello")
        connection.send(Self.call(id: 7, text: "held"))
        usleep(500_000)  // the call is being answered (1.5 s)
        server.signal(SIGTERM)
        usleep(200_000)
        #expect(throws: (any Error).self, "a new connection was accepted while draining") { _ = try Connection(port: port) }

        let (frames, closed) = connection.frames(atLeast: 1)
        let answer = try #require(frames.first, "no answer to the call in progress; stderr: \(server.stderr)")
        #expect(answer.header["kind"] as? String == "result" && answer.header["id"] as? Int == 7, "\(answer.header)")
        if kind == "python" {
            #expect(String(decoding: answer.body, as: UTF8.self).contains("slow held"))
        }
        #expect(closed || connection.frames(atLeast: 2).closed, "the connection stayed open after the drain")
        #expect(server.waitForExit(timeout: 10), "still running after SIGTERM: \(server.stderr)")
        #expect(server.exitStatus == 0, "\(server.stderr)")
        #expect(ProcessTable.survivors(ofMarker: marker, waiting: 2).isEmpty)
    }

    /// A connection that stays busy past --shutdown-timeout does not keep the executor alive.
    @Test func aCallLongerThanTheShutdownTimeoutDoesNotHoldTheExit() throws {
        let (marker, environment) = ProcessTable.newMarker()
        defer { ProcessTable.killAll(withMarker: marker) }
        let server = try JinaProcess(["executor", "--uses", "Sleep", "--port", "0", "--shutdown-timeout", "300"], environment: environment)
        defer { server.kill() }
        let port = try server.announcedExecutorPort()
        let connection = try Connection(port: port)
        _ = connection.frames(atLeast: 1)
        connection.send(TestFiles.frame(header: #"{"v":1,"kind":"call","id":1,"endpoint":"/default","count":1,"parameters":{"ms":20000}}"#,
                                        body: Array(#"[{"id":"a"}]"#.utf8)))
        usleep(300_000)
        server.signal(SIGTERM)
        #expect(server.waitForExit(timeout: 5), "still running 5 s after SIGTERM with --shutdown-timeout 300")
        #expect(server.stderr.contains("still busy after 300 ms"), "\(server.stderr)")
    }
}
