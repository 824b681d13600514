/// The life of one executor slot (a shard replica, head or tail) as a pure function: events in,
/// a new state and the actions to perform out. No I/O, no clock, no locks: `ExecutorWorker`
/// drives it under its mutex and performs the actions, and the unit tests read as its rules.
///
/// One process at a time, numbered by `generation`; an event about an older generation (a late
/// hello, the end of a process already replaced) changes nothing.
struct WorkerStateMachine: Sendable {
    /// What readiness reports see.
    enum State: Sendable, Equatable {
        /// Not started yet.
        case idle
        /// The first process is starting; not ready before its hello.
        case starting
        /// Its process said hello and takes calls.
        case ready
        /// The process died (or is being killed); a successor comes after a backoff. Calls wait.
        case restarting
        /// It will not run: it never started, did not say hello in time, or crash-looped.
        case failed(ExecutorFailure)
        /// Stopped on purpose.
        case stopped
    }

    /// How a process ended, as the reader of its output saw it.
    enum Ending: Sendable, Equatable {
        /// It exited or was killed: `exited with status 3`, `was killed by signal 9 (SIGKILL)`.
        case exited(String)
        /// It wrote something that is not a frame, and was killed for it.
        case brokeProtocol(String)
    }

    enum Event: Sendable, Equatable {
        case start
        /// The process of this generation runs (or the connection is open).
        case launched(generation: Int)
        case launchFailed(generation: Int, why: String, at: ContinuousClock.Instant)
        case hello(generation: Int)
        /// The process answered a call.
        case answered(generation: Int)
        /// A call was not answered in time: the process is replaced, since later calls queue behind it.
        case callTimedOut(generation: Int)
        /// No hello within `timeout_ready`; `tail` is the stderr tail to quote.
        case readyTimedOut(generation: Int, milliseconds: Int64, tail: String)
        case ended(generation: Int, Ending, at: ContinuousClock.Instant, tail: String)
        /// The backoff after a crash has passed.
        case restartDue
        /// Close the process's input and let it finish (the driver escalates to TERM and KILL).
        case stop
        /// Kill at once: the Flow is going away without a drain.
        case kill
    }

    enum LogLevel: Sendable, Equatable { case warning, error }

    enum Action: Sendable, Equatable {
        case launch(generation: Int)
        /// A process spawned while the worker was stopping: kill and reap it unseen.
        case discardLaunch
        case resumeReadyWaiters
        case failReadyWaiters(ExecutorFailure)
        /// Fail every call the process held (sent, not answered).
        case failHeldCalls(ExecutorFailure)
        case killProcess
        case closeInput
        case scheduleRestart(after: Duration)
        case log(LogLevel, String)
    }

    static let maxCrashesInWindow = 5
    static let crashWindow = Duration.seconds(60)

    let label: String
    private(set) var state = State.idle
    private(set) var generation = 0
    private(set) var restarts = 0
    private(set) var stopping = false
    /// A process of the current generation is running (spawned and not yet ended).
    private(set) var processAlive = false
    private var everReady = false
    private var crashes: [ContinuousClock.Instant] = []
    /// Calls answered by the current process: one that did work before it died is not looping.
    private var answeredSinceLaunch = 0

    init(label: String) {
        self.label = label
    }

    /// Calls may be sent now.
    var acceptsCalls: Bool { state == .ready && processAlive && !stopping }

    mutating func handle(_ event: Event) -> [Action] {
        switch event {
        case .start:
            guard state == .idle else { return [] }
            if stopping { return finishStop() }
            state = .starting
            generation += 1
            return [.launch(generation: generation)]

        case .launched(let g):
            guard g == generation else { return [] }
            if stopping { return [.discardLaunch] + finishStop() }
            processAlive = true
            answeredSinceLaunch = 0
            return []

        case .launchFailed(let g, let why, let now):
            guard g == generation else { return [] }
            if stopping { return finishStop() }
            if everReady { return crashed(how: "could not be restarted: \(why)", held: nil, at: now) }
            return fail(ExecutorFailure(.unavailable, executor: label, "\(label) could not start: \(why)"))

        case .hello(let g):
            guard g == generation, processAlive, !stopping, state == .starting || state == .restarting else { return [] }
            state = .ready
            everReady = true
            return [.resumeReadyWaiters]

        case .answered(let g):
            if g == generation { answeredSinceLaunch += 1 }
            return []

        case .callTimedOut(let g):
            guard g == generation, processAlive else { return [] }
            if !stopping, state == .ready { state = .restarting }
            return [.failHeldCalls(ExecutorFailure(.unavailable, executor: label,
                                                   "\(label) was restarted because an earlier request timed out; this one was queued behind it")),
                    .killProcess]

        case .readyTimedOut(let g, let ms, let tail):
            guard g == generation, !everReady, state == .starting else { return [] }
            let failure = ExecutorFailure(.unavailable, executor: label, "\(label) did not say hello within \(ms) ms (timeout_ready)" + tail)
            return fail(failure) + [.killProcess]

        case .ended(let g, let ending, let now, let tail):
            guard g == generation, processAlive else { return [] }
            processAlive = false
            return ended(ending, at: now, tail: tail)

        case .restartDue:
            guard state == .restarting, !processAlive, !stopping else { return [] }
            generation += 1
            restarts += 1
            return [.launch(generation: generation)]

        case .stop:
            stopping = true
            return processAlive ? [.closeInput] : finishStop()

        case .kill:
            stopping = true
            let stopped = ExecutorFailure(.stopped, executor: label, "\(label) stopped")
            return processAlive ? [.killProcess, .failReadyWaiters(stopped)] : finishStop()
        }
    }

    private mutating func ended(_ ending: Ending, at now: ContinuousClock.Instant, tail: String) -> [Action] {
        let how: String
        let held: ExecutorFailure
        switch ending {
        case .exited(let exit):
            how = exit
            held = ExecutorFailure(.crashed, executor: label, "\(label) \(exit) while it held this request")
        case .brokeProtocol(let why):
            how = "broke the protocol: \(why) (so it was killed)"
            held = ExecutorFailure(.protocolError, executor: label, "\(label) broke the protocol: \(why); restarting it")
        }
        if stopping {
            return [.failHeldCalls(ExecutorFailure(.stopped, executor: label, "\(label) stopped"))] + finishStop()
        }
        if case .failed = state { return [.failHeldCalls(held)] }
        if !everReady {
            return [.failHeldCalls(held)] + fail(ExecutorFailure(.unavailable, executor: label, "\(label) \(how) before it was ready" + tail))
        }
        return crashed(how: how, held: held, at: now)
    }

    /// A crash of a process that had been ready: restart after a backoff, unless it is looping
    /// (dying again and again without answering anything).
    private mutating func crashed(how: String, held: ExecutorFailure?, at now: ContinuousClock.Instant) -> [Action] {
        let heldActions = held.map { [Action.failHeldCalls($0)] } ?? []
        if answeredSinceLaunch > 0 { crashes = [] }
        answeredSinceLaunch = 0
        crashes = crashes.filter { now - $0 < Self.crashWindow } + [now]
        if crashes.count > Self.maxCrashesInWindow {
            let message = "\(label) \(how); it crashed \(crashes.count) times within \(Self.crashWindow.components.seconds) s, giving up"
            return heldActions + fail(ExecutorFailure(.unavailable, executor: label, message), log: true)
        }
        state = .restarting
        return heldActions + [.log(.warning, "\(label) \(how); restarting"), .scheduleRestart(after: Self.backoff(attempt: crashes.count))]
    }

    /// 100 ms, doubling per crash in the window, at most 5 s.
    static func backoff(attempt: Int) -> Duration {
        .milliseconds(min(100 << max(attempt - 1, 0), 5_000))
    }

    /// A failure before the Flow was up is reported by the start; one later is logged here.
    private mutating func fail(_ failure: ExecutorFailure, log: Bool = false) -> [Action] {
        state = .failed(failure)
        return [.failReadyWaiters(failure)] + (log ? [.log(.error, failure.message)] : [])
    }

    private mutating func finishStop() -> [Action] {
        state = .stopped
        return [.failReadyWaiters(ExecutorFailure(.stopped, executor: label, "\(label) stopped"))]
    }
}
