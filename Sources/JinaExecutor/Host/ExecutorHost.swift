import CJinaSpawn
import Foundation
import JinaConfig
import JinaWire

/// The child side of the executor protocol: reads calls from a file descriptor, answers them in
/// order, and writes frames to another. stdout is kept for frames: anything else the process
/// writes to fd 1 is redirected to stderr before the first frame.
public final class ExecutorHost: @unchecked Sendable {  // calls go through `lock`
    public let executor: LoadedExecutor
    public let framing: Framing
    public let maxFrameSize: Int
    /// Calls from several TCP clients are answered one at a time.
    private let lock = NSLock()

    public init(executor: LoadedExecutor, framing: Framing = .frames, maxFrameSize: Int = Frame.defaultMaxSize) {
        self.executor = executor
        self.framing = framing
        self.maxFrameSize = maxFrameSize
    }

    /// Serves stdin/stdout until stdin closes or a goodbye arrives; returns the exit status.
    public func serveStdio() -> Int32 {
        let frameOut = dup(STDOUT_FILENO)
        dup2(STDERR_FILENO, STDOUT_FILENO)
        // Exit with the Flow even if it is killed hard (the spawner sets this too; a host started
        // by hand under another parent gets it here).
        _ = jina_watch_parent(SIGKILL, getppid())
        return serve(input: STDIN_FILENO, output: frameOut)
    }

    /// Serves one connection (or stdio): hello, then call → result until EOF.
    public func serve(input: Int32, output: Int32) -> Int32 {
        let channel = FDChannel(input: input, output: output, framing: framing, maxFrameSize: maxFrameSize)
        guard channel.send(executor.hello(maxFrameSize: maxFrameSize)) else { return 1 }
        StartupCode.release()
        while true {
            let frame: Frame?
            do {
                frame = try channel.receive()
            } catch {
                FileHandle.standardError.write(Data("\(executor.spec.name): \(error); closing the connection\n".utf8))
                return 2
            }
            guard let frame else { return 0 }
            switch frame.kind {
            case .call:
                let answer = lock.withLock { executor.handle(frame) }
                guard channel.send(answer) else { return 1 }
            case .goodbye:
                return 0
            default:
                continue  // cancel: calls are answered in order, so there is nothing to drop
            }
        }
    }
}
