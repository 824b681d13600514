import Foundation
import JinaWire

/// Serves one executor on a TCP port: each connection gets a hello and then the same frame loop
/// as stdio; calls from all connections are answered one at a time.
public struct ExecutorServer: Sendable {
    public let host: ExecutorHost

    public init(host: ExecutorHost) {
        self.host = host
    }

    /// Listens and serves until `drain` is stopped (or accepting fails); `ready` gets the bound
    /// port. Connections may still be open when it returns: `drain` says when they are closed.
    public func serve(host address: String, port: Int, drain: ConnectionDrain, ready: (Int) -> Void) throws {
        let executorHost = host
        try acceptConnections(host: address, port: port, drain: drain, ready: ready) { client in
            Thread {
                _ = executorHost.serve(input: client, output: client)
                drain.closed(client)
            }.start()
        }
    }
}

/// Listens on `address:port`, tells `ready` the bound port, and hands each accepted connection
/// (TCP_NODELAY set) to `handle`, which owns it and tells `drain` when it is closed; until the
/// drain stops the server, or accepting fails.
func acceptConnections(host address: String, port: Int, drain: ConnectionDrain, ready: (Int) -> Void,
                       _ handle: (Int32) -> Void) throws {
    let (fd, bound) = try TCPSocket.listen(host: address, port: port)
    defer { close(fd) }
    guard drain.listening(on: fd) else { return }
    ready(bound)
    while true {
        let client = accept(fd, nil, nil)
        if client < 0 {
            if drain.isStopping { return }
            if errno == EINTR || errno == ECONNABORTED { continue }
            throw TCPSocket.Failure(message: "accept failed: \(String(cString: strerror(errno)))")
        }
        var one: Int32 = 1
        setsockopt(client, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        guard drain.opened(client) else { return }
        handle(client)
    }
}

/// Calls `body` with a NULL-terminated C array of the strings (argv, envp for `jina_spawn`).
package func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
    var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    pointers.append(nil)
    defer { for p in pointers { free(p) } }
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}
