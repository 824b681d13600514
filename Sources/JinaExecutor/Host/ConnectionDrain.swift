import Foundation
import Synchronization

/// The listening socket of `jina executor --port` and the connections open on it, so that a stop
/// (SIGTERM from Kubernetes or compose, SIGINT) drains the server: it accepts no new connection,
/// reads no new call (the Flow sends what it had queued to another replica once the connection
/// closes), answers the calls it is in, and is done once every connection is closed.
public final class ConnectionDrain: Sendable {
    private struct State {
        var listener: Int32 = -1
        var open: Set<Int32> = []
        var stopping = false
    }

    private let state = Mutex(State())

    public init() {}

    public var isStopping: Bool { state.withLock { $0.stopping } }
    public var openConnections: Int { state.withLock { $0.open.count } }

    /// Stops accepting and reading: a blocked accept(2) fails, each connection's reader sees its
    /// end, and a call being answered is still written.
    public func stop() {
        state.withLock { state in
            guard !state.stopping else { return }
            state.stopping = true
            if state.listener >= 0 { shutdown(state.listener, Int32(SHUT_RDWR)) }
            for fd in state.open { shutdown(fd, Int32(SHUT_RD)) }
        }
    }

    /// Waits until every connection is closed, at most `timeout`; whether they all were.
    public func waitUntilClosed(timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while openConnections > 0 {
            if ContinuousClock.now >= deadline { return false }
            usleep(20_000)
        }
        return true
    }

    /// The server listens on `fd`; false when a stop came first.
    func listening(on fd: Int32) -> Bool {
        state.withLock { state in
            state.listener = fd
            if state.stopping { shutdown(fd, Int32(SHUT_RDWR)) }
            return !state.stopping
        }
    }

    /// A connection was accepted; false (and closed) when the server is stopping.
    func opened(_ fd: Int32) -> Bool {
        let accepted = state.withLock { state in
            if !state.stopping { state.open.insert(fd) }
            return !state.stopping
        }
        if !accepted { close(fd) }
        return accepted
    }

    /// A connection is over: closes it.
    func closed(_ fd: Int32) {
        state.withLock { state in
            state.open.remove(fd)
            close(fd)
        }
    }
}
