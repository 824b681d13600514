import Foundation

/// A child started with posix_spawn, its output going to a log file. Waited for with
/// waitpid so exit times are exact (Foundation's Process reports exits through a run loop).
final class ChildProcess {
    let pid: pid_t
    let logPath: String
    private(set) var exitStatus: Int32?

    struct SpawnError: Error, CustomStringConvertible { let description: String }

    /// `environment` entries are added to this process's environment. Standard output goes to
    /// `stdout` (default: the log), standard error to the log.
    init(_ executable: String, _ arguments: [String], environment: [String: String] = [:], stdout: String? = nil, log: String) throws {
        logPath = log
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, log, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if let stdout {
            posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        } else {
            posix_spawn_file_actions_adddup2(&actions, 2, 1)
        }

        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var child: pid_t = 0
        let rc = posix_spawn(&child, executable, &actions, nil, argv, envp)
        guard rc == 0 else { throw SpawnError(description: "cannot start \(executable): \(String(cString: strerror(rc)))") }
        pid = child
    }

    /// Waits up to `timeout` seconds; true when it has exited.
    @discardableResult
    func wait(timeout: Double) -> Bool {
        if exitStatus != nil { return true }
        let deadline = Bench.now() + timeout
        repeat {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                exitStatus = status
                return true
            }
            usleep(500)
        } while Bench.now() < deadline
        return false
    }

    func signal(_ signal: Int32) { kill(pid, signal) }

    /// The log's last lines, for error messages.
    func logTail(_ bytes: Int = 1500) -> String {
        let data = FileManager.default.contents(atPath: logPath) ?? Data()
        return String(decoding: data.suffix(bytes), as: UTF8.self)
    }
}
