import Foundation
import JinaRuntime

/// Turns SIGINT and SIGTERM into a request to stop reading inputs; requests in flight finish.
/// A second SIGINT exits at once.
final class InterruptWatcher: @unchecked Sendable {
    private let lock = NSLock()
    private var received: Int32?
    private var sources: [DispatchSourceSignal] = []

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
    }

    var stopRequested: Bool { lock.withLock { received != nil } }
    var signal: Int32? { lock.withLock { received } }
}
