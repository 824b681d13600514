import CJinaSpawn
import Foundation
import JinaWire

/// Serves an executor that runs as its own process (a Python class through the bundled host, an
/// `exec://` program) on a TCP port: each connection gets a fresh process whose stdin and stdout
/// are the connection itself, so the process speaks the executor protocol to the Flow directly,
/// and ends when the Flow hangs up or the server drains (end of input). Its stderr is ours.
public struct ProcessExecutorServer: Sendable {
    public let executable: String
    public let arguments: [String]
    public let environment: [String: String]

    public init(executable: String, arguments: [String], environment: [String: String]) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
    }

    /// Listens and serves until `drain` is stopped (or accepting fails); `ready` gets the bound
    /// port. Processes are spawned from this (long-lived) thread: they die with it. This process
    /// keeps each connection open beside its child, so that a drain can end the child's input
    /// (it answers the call it is in, then exits at the end of input); the connection is closed
    /// when the child is reaped.
    public func serve(host address: String, port: Int, drain: ConnectionDrain, ready: (Int) -> Void) throws {
        try acceptConnections(host: address, port: port, drain: drain, ready: ready) { client in
            do {
                let pid = try spawn(on: client)
                // Reap it when it ends, so no zombie stays behind.
                Thread {
                    var status: Int32 = 0
                    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
                    drain.closed(client)
                }.start()
            } catch {
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                drain.closed(client)
            }
        }
    }

    private func spawn(on client: Int32) throws -> pid_t {
        let argv = [executable] + arguments
        let envp = environment.map { "\($0.key)=\($0.value)" }
        var pid: pid_t = 0
        let code = withCStrings(argv) { cArgv in
            withCStrings(envp) { cEnvp in jina_spawn(executable, cArgv, cEnvp, client, client, STDERR_FILENO, &pid) }
        }
        if code != 0 { throw TCPSocket.Failure(message: "cannot start \(executable): \(String(cString: strerror(code)))") }
        return pid
    }
}
