import Foundation
import JinaWire

/// `Crash`: ends its own process on the `on_request`-th call it receives (counted per process),
/// with `exit_code`, or with a signal when `signal` is given (e.g. `KILL`). For fault tests.
final class CrashExecutor: SwiftExecutor {
    private let onRequest: Int
    private let exitCode: Int32
    private let signalName: String?
    private var calls = 0

    init(with parameters: JSONObject, context: ExecutorContext) {
        onRequest = parameters.int("on_request", or: 1)
        exitCode = Int32(parameters.int("exit_code", or: 3))
        signalName = parameters["signal"]?.stringValue
    }

    static let defaultBindings: [(endpoint: String, method: String)] = [("/default", "crash")]

    func run(method: String, _ call: inout ExecutorCall) throws {
        calls += 1
        guard onRequest > 0, calls % onRequest == 0 else { return }
        switch signalName?.uppercased() {
        case "KILL", "SIGKILL": kill(getpid(), SIGKILL)
        case "SEGV", "SIGSEGV": kill(getpid(), SIGSEGV)
        case "TERM", "SIGTERM": kill(getpid(), SIGTERM)
        default: exit(exitCode)
        }
    }
}
