import Foundation
import JinaRuntime

/// Turns SIGINT and SIGTERM into a request to stop reading inputs; requests in flight finish.
/// A second SIGINT exits at once.
final class InterruptWatcher: @unchecked Sendable {
    private let lock = NSLock()
    private var received: Int32?
    private var sources: [DispatchSourceSignal] = []
    private var handlers: [@Sendable () -> Void] = []

    init() {
        for sig in [SIGINT, SIGTERM] {
            Glibc.signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [weak self] in self?.handle(sig) }
            source.resume()
            sources.append(source)
        }
    }

    private func handle(_ sig: Int32) {
        let again = lock.withLock { () -> Bool in
            defer { received = received ?? sig }
            return received != nil
        }
        if again && sig == SIGINT { exit(130) }
        Log.warning("\(sig == SIGINT ? "interrupted" : "terminated"): finishing the requests in flight")
        for handler in lock.withLock({ handlers }) { handler() }
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
