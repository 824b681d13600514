import Foundation

/// A child started with posix_spawn and waited for with waitpid, so exit times are exact
/// (Foundation's Process reports exits through a run loop). Its standard error goes to a log file.
final class ChildProcess {
    /// Where standard input or output goes.
    enum Stream {
        case null
        case file(String)
        /// A pipe whose other end this process holds (`input` / `output`).
        case pipe
    }

    let pid: pid_t
    let logPath: String
    /// This process's end of the child's stdin / stdout when they are pipes.
    private(set) var input: Int32?
    let output: Int32?
    private(set) var exitStatus: Int32?

    struct SpawnError: Error, CustomStringConvertible { let description: String }

    /// `environment` entries are added to this process's environment. Standard output goes to
    /// `stdout` (nil: the log), standard error to the log.
    init(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
         stdin: Stream = .null, stdout: Stream? = nil, log: String) throws {
        logPath = log
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var childEnds: [Int32] = []
        defer { childEnds.forEach { close($0) } }

        func pipeEnds() throws -> (read: Int32, write: Int32) {
            var fds: [Int32] = [0, 0]
            guard pipe(&fds) == 0 else { throw SpawnError(description: "pipe: \(String(cString: strerror(errno)))") }
            // Not inherited by other children (the dup2 in the file actions gives the child its copy).
            for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            return (fds[0], fds[1])
        }
        switch stdin {
        case .null, .file: posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        case .pipe: break
        }
        var input: Int32?
        if case .pipe = stdin {
            let ends = try pipeEnds()
            posix_spawn_file_actions_adddup2(&actions, ends.read, 0)
            childEnds.append(ends.read)
            input = ends.write
        }
        posix_spawn_file_actions_addopen(&actions, 2, log, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var output: Int32?
        switch stdout {
        case nil: posix_spawn_file_actions_adddup2(&actions, 2, 1)
        case .null?: posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        case .file(let path)?: posix_spawn_file_actions_addopen(&actions, 1, path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        case .pipe?:
            let ends = try pipeEnds()
            posix_spawn_file_actions_adddup2(&actions, ends.write, 1)
            childEnds.append(ends.write)
            output = ends.read
        }
        self.input = input
        self.output = output

        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var child: pid_t = 0
        let rc = posix_spawn(&child, executable, &actions, nil, argv, envp)
        guard rc == 0 else {
            [input, output].compactMap { $0 }.forEach { close($0) }
            throw SpawnError(description: "cannot start \(executable): \(String(cString: strerror(rc)))")
        }
        pid = child
    }

    deinit {
        [input, output].compactMap { $0 }.forEach { close($0) }
    }

    /// Closes the child's stdin (its end of input).
    func closeInput() {
        if let input { close(input) }
        input = nil
    }

    /// Writes all of `bytes` to the child's stdin.
    func write(_ bytes: [UInt8]) throws {
        guard let input else { throw SpawnError(description: "stdin is not a pipe") }
        guard Bench.writeAll(input, bytes) else {
            throw SpawnError(description: "writing to the child: \(String(cString: strerror(errno)))")
        }
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
            usleep(200)
        } while Bench.now() < deadline
        return false
    }

    func signal(_ signal: Int32) { kill(pid, signal) }

    /// The log's text now.
    var log: String { String(decoding: FileManager.default.contents(atPath: logPath) ?? Data(), as: UTF8.self) }

    /// The log's last lines, for error messages.
    func logTail(_ bytes: Int = 1500) -> String {
        let data = FileManager.default.contents(atPath: logPath) ?? Data()
        return String(decoding: data.suffix(bytes), as: UTF8.self)
    }
}
