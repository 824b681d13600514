import CJinaSpawn
import JinaExecutor
import Foundation

/// A started child process and our ends of its pipes.
struct SpawnedProcess: Sendable {
    let pid: pid_t
    let stdinFD: Int32
    let stdoutFD: Int32
    let stderrFD: Int32
}

struct SpawnError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// Spawns children from one long-lived thread. The children's parent-death signal fires when
/// the *thread* that forked them exits, so it must not be a pool thread that may come and go.
final class ProcessSpawner: @unchecked Sendable {
    static let shared = ProcessSpawner()

    private let condition = NSCondition()
    private var jobs: [() -> Void] = []

    private init() {
        let thread = Thread { [unowned self] in self.loop() }
        thread.name = "jina-spawner"
        thread.start()
    }

    private func loop() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job()
        }
    }

    func spawn(executable: String, arguments: [String], environment: [String: String], directory: String?) async throws -> SpawnedProcess {
        try await withCheckedThrowingContinuation { continuation in
            condition.lock()
            jobs.append {
                continuation.resume(with: Result { try Self.spawnNow(executable, arguments, environment, directory) })
            }
            condition.signal()
            condition.unlock()
        }
    }

    private static func spawnNow(_ executable: String, _ arguments: [String], _ environment: [String: String], _ directory: String?) throws -> SpawnedProcess {
        var input: [Int32] = [0, 0], output: [Int32] = [0, 0], errors: [Int32] = [0, 0]
        guard jina_pipe(&input) == 0 else { throw SpawnError(message: "cannot create a pipe: \(String(cString: strerror(errno)))") }
        guard jina_pipe(&output) == 0 else {
            close(input[0]); close(input[1])
            throw SpawnError(message: "cannot create a pipe: \(String(cString: strerror(errno)))")
        }
        guard jina_pipe(&errors) == 0 else {
            close(input[0]); close(input[1]); close(output[0]); close(output[1])
            throw SpawnError(message: "cannot create a pipe: \(String(cString: strerror(errno)))")
        }
        // Room for a few requests in flight before a write has to wait (F_SETPIPE_SZ = 1031).
        _ = fcntl(input[1], 1031, 1 << 20)
        _ = fcntl(output[1], 1031, 1 << 20)

        // A working directory other than ours: run through `cd` semantics by changing it in the
        // child would need more C; executors get it as JINA_WORKDIR and paths are absolute.
        var env = environment
        if let directory { env["JINA_WORKDIR"] = directory }
        let argv = [executable] + arguments
        let envp = env.map { "\($0.key)=\($0.value)" }
        var pid: pid_t = 0
        let code = withCStrings(argv) { cArgv in
            withCStrings(envp) { cEnvp in
                jina_spawn(executable, cArgv, cEnvp, input[0], output[1], errors[1], &pid)
            }
        }
        close(input[0]); close(output[1]); close(errors[1])
        if code != 0 {
            close(input[1]); close(output[0]); close(errors[0])
            if pid > 0 { var status: Int32 = 0; waitpid(pid, &status, 0) }
            throw SpawnError(message: "cannot start \(executable): \(String(cString: strerror(code)))")
        }
        return SpawnedProcess(pid: pid, stdinFD: input[1], stdoutFD: output[0], stderrFD: errors[0])
    }
}
