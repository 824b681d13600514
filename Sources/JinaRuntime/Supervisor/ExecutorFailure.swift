/// Why a call to an executor got no result: what the client sees, naming the executor. Every
/// layer decides by `kind`, never by the message.
public struct ExecutorFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// The process exited or was killed while it held the call.
        case crashed = "ExecutorCrashed"
        /// No answer within the request's timeout.
        case timeout = "TimeoutError"
        /// Not running (failed to start, or given up after a crash loop), or unreachable.
        case unavailable = "ExecutorUnavailable"
        /// It broke the protocol (garbage on stdout, an oversized frame).
        case protocolError = "ProtocolError"
        /// The Flow is stopping: the executor was stopped on purpose.
        case stopped = "ExecutorStopped"
    }

    public var kind: Kind
    public var executor: String
    public var message: String

    public init(_ kind: Kind, executor: String, _ message: String) {
        self.kind = kind
        self.executor = executor
        self.message = message
    }

    /// The process is gone or was never reached: the same call may succeed on another replica.
    /// A timeout is not retried (the executor may still be working on it), nor is a stop.
    public var isRetriable: Bool { kind == .crashed || kind == .unavailable || kind == .protocolError }

    public var description: String { "\(kind.rawValue): \(message)" }
}

/// How a process ended, in words: `exited with status 3`, `was killed by signal 9 (SIGKILL)`.
func describeExit(_ status: Int32) -> String {
    let signal = status & 0x7F
    if signal == 0 { return "exited with status \((status >> 8) & 0xFF)" }
    let names: [Int32: String] = [1: "SIGHUP", 2: "SIGINT", 3: "SIGQUIT", 4: "SIGILL", 6: "SIGABRT", 7: "SIGBUS", 8: "SIGFPE",
                                  9: "SIGKILL", 11: "SIGSEGV", 13: "SIGPIPE", 14: "SIGALRM", 15: "SIGTERM"]
    return "was killed by signal \(signal)" + (names[signal].map { " (\($0))" } ?? "")
}
