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

    /// Whether a second thread reads and decodes calls ahead (the executor's `readsAhead` unless given).
    public let readsAhead: Bool

    public init(executor: LoadedExecutor, framing: Framing = .frames, maxFrameSize: Int = Frame.defaultMaxSize,
                readsAhead: Bool? = nil) {
        self.executor = executor
        self.framing = framing
        self.maxFrameSize = maxFrameSize
        self.readsAhead = readsAhead ?? executor.readsAhead
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

    /// Serves one connection (or stdio): hello, then call → result until EOF. An executor that
    /// `readsAhead` gets a second thread: while it answers a call, the next ones are read and
    /// their documents decoded (`LoadedExecutor.prepare`), so an indexer parses request N+1 while
    /// SQLite stores request N.
    public func serve(input: Int32, output: Int32) -> Int32 {
        let channel = FDChannel(input: input, output: output, framing: framing, maxFrameSize: maxFrameSize)
        guard channel.send(executor.hello(maxFrameSize: maxFrameSize)) else { return 1 }
        StartupCode.release()
        guard readsAhead else { return readCalls(from: channel, handingTo: nil) }
        let calls = PreparedCallQueue(capacity: 2)
        let readerDone = DispatchSemaphore(value: 0)
        // The reader holds the host only while it reads: once `serve` returns, the caller's
        // reference is the last, so the executor closes (an indexer checkpoints its database)
        // when the caller lets go of it, not whenever this thread happens to end.
        let reader = Thread { [weak self] in
            let status = self?.readCalls(from: channel, handingTo: calls) ?? 0
            calls.put(.end(status))
            readerDone.signal()
        }
        reader.name = "jina-calls"
        reader.start()
        defer { calls.close() }
        while true {
            switch calls.take() {
            case .call(let prepared):
                let answer = lock.withLock { executor.answer(prepared) }
                guard channel.send(answer) else {
                    // The other side is gone. The caller closes `input` next, and its number may
                    // be reused, so the reader must be out of read(2) first: shutdown ends a
                    // socket's read; stdio's process exits instead.
                    if shutdown(input, Int32(SHUT_RD)) == 0 {
                        calls.close()
                        readerDone.wait()
                    }
                    return 1
                }
            case .end(let status):
                readerDone.wait()
                return status
            }
        }
    }

    /// Reads frames until the input ends or a goodbye comes, and answers each call, or hands it
    /// to `answerer` when more calls are waiting to be read; returns the exit status.
    private func readCalls(from channel: FDChannel, handingTo answerer: PreparedCallQueue?) -> Int32 {
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
                let prepared = executor.prepare(frame)
                // With nothing to read ahead, answering here spares the hand-over: two thread
                // switches a call (docs/benchmarks.md, "An executor reads ahead"). A busy answerer
                // is asked first: it settles the matter without hasMoreInput's poll(2).
                if let answerer, !answerer.isIdle || channel.hasMoreInput() {
                    guard answerer.put(.call(prepared)) else { return 1 }
                } else {
                    guard channel.send(lock.withLock({ executor.answer(prepared) })) else { return 1 }
                }
            case .goodbye:
                return 0
            default:
                continue  // cancel: calls are answered in order, so there is nothing to drop
            }
        }
    }
}
