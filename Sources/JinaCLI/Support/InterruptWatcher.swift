import Foundation
import JinaRuntime
import JinaWire
import UnixSignals

/// Turns SIGINT and SIGTERM (through swift-service-lifecycle's UnixSignals) into a request to
/// stop reading inputs; requests in flight finish. A second SIGINT exits at once.
final class InterruptWatcher: @unchecked Sendable {  // state behind `lock`
    private let lock = NSLock()
    private var received: Int32?
    private var handlers: [@Sendable () -> Void] = []
    private var listener: Task<Void, Never>?
    private let stop = Signal()

    init() {
        // Ignored at once, so a signal before the listener runs does not kill the process.
        for sig in [SIGINT, SIGTERM] { Glibc.signal(sig, SIG_IGN) }
        listener = Task { [weak self] in
            for await sig in await UnixSignalsSequence(trapping: .sigint, .sigterm) {
                self?.handle(sig == .sigint ? SIGINT : SIGTERM)
            }
        }
    }

    deinit { listener?.cancel() }

    /// Treats the end of standard input as SIGTERM (read on a thread of its own; what arrives
    /// is discarded).
    func stopWhenStdinCloses() {
        let thread = Thread { [weak self] in
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
            }
            self?.handle(SIGTERM)
        }
        thread.name = "jina-stdin-lifeline"
        thread.start()
    }

    private func handle(_ sig: Int32) {
        let again = lock.withLock { () -> Bool in
            defer { received = received ?? sig }
            return received != nil
        }
        if again && sig == SIGINT { exit(130) }
        Log.warning("\(sig == SIGINT ? "interrupted" : "terminated"): finishing the requests in flight")
        for handler in lock.withLock({ handlers }) { handler() }
        stop.fire()
    }

    /// Returns once a stop is requested (at once if it already was), or when the task is cancelled.
    func stopped() async {
        await stop.wait()
    }

    /// Runs `handler` when a stop is requested (at once if it already was).
    func onStop(_ handler: @escaping @Sendable () -> Void) {
        let already = lock.withLock { () -> Bool in
            handlers.append(handler)
            return received != nil
        }
        if already { handler() }
    }

    var stopRequested: Bool { lock.withLock { received != nil } }
    var signal: Int32? { lock.withLock { received } }
}
