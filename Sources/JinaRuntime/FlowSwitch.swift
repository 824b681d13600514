import JinaWire
import Synchronization

/// The Flow a gateway serves while `--watch` replaces it with an edited one: each request goes
/// to the Flow current when it arrives; a replaced Flow answers the requests it holds, then
/// stops. So a reload loses no request.
public final class FlowSwitch: FlowService {
    private struct State {
        var current: FlowRuntime
        /// Requests each Flow is answering, by its identity.
        var inFlight: [ObjectIdentifier: Int] = [:]
    }

    private let state: Mutex<State>

    public init(_ runtime: FlowRuntime) {
        state = Mutex(State(current: runtime))
    }

    public var current: FlowRuntime { state.withLock { $0.current } }

    public func post(_ request: FlowRequest) async -> FlowResponse {
        let runtime = state.withLock { state in
            state.inFlight[ObjectIdentifier(state.current), default: 0] += 1
            return state.current
        }
        defer { state.withLock { $0.inFlight[ObjectIdentifier(runtime), default: 1] -= 1 } }
        return await runtime.post(request)
    }

    /// Makes `next` (started) the Flow new requests go to; then waits up to `grace` for the old
    /// one's requests to be answered, and stops it.
    public func replace(with next: FlowRuntime, grace: Duration) async {
        let old = state.withLock { state in
            let old = state.current
            state.current = next
            return old
        }
        let deadline = ContinuousClock.now + grace
        while state.withLock({ $0.inFlight[ObjectIdentifier(old), default: 0] }) > 0, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        await old.stop(grace: grace)
        _ = state.withLock { $0.inFlight.removeValue(forKey: ObjectIdentifier(old)) }
    }

    public var isReady: Bool { current.isReady }
    public var executors: [ExecutorStatus] { current.executors }
    public var boundEndpoints: [String] { current.boundEndpoints }
    public var retryCount: Int { current.retryCount }
}
