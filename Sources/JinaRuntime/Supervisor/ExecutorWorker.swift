import Foundation
import JinaWire
import Synchronization

/// How a worker reaches its executor: a child process on pipes, or a remote `jina executor --port`.
enum WorkerTarget: Sendable {
    case process(executable: String, arguments: [String], environment: [String: String], directory: String?)
    /// `patient`: nothing listening yet is waited for (a service named by DNS, still starting).
    case remote(host: String, port: Int, patient: Bool)
}

/// One executor process (one shard replica, head or tail): the driver of a `WorkerStateMachine`.
/// It spawns the process, reads its frames on a thread of its own, matches results to calls by
/// id, and performs what the machine decides (fail the calls a dead process held, restart it
/// after a backoff, give up on a crash loop).
final class ExecutorWorker: Sendable {
    let label: String
    let target: WorkerTarget
    let framing: Framing
    /// How long to wait for hello; nil waits forever (`timeout_ready: -1`).
    let readyTimeout: Duration?
    /// Calls the balancer chose this worker for, waiting for a permit or sent: a retired
    /// replica is stopped once none are left.
    let chosen = Atomic<Int>(0)
    /// Told when the process ends or the connection is lost or refused (a remote's refresher
    /// then looks its name up again).
    let onLost: @Sendable () -> Void
    /// Bounds the calls in flight to this worker (backpressure).
    let permits: AsyncSemaphore

    static let stderrTailLines = 20
    /// Counts every hello received and every process ended, in all workers: what an executor
    /// says it binds can only have changed when this has (`FlowRuntime.boundEndpoints` caches).
    static let hellosChanged = Atomic<Int>(0)

    /// Everything that changes, behind one mutex.
    private struct Core {
        var machine: WorkerStateMachine
        var pid: pid_t?
        var writer: PipeWriter?
        var pending: [Int: CheckedContinuation<Frame, Error>] = [:]
        /// Calls withdrawn (cancelled) that the process may still be working on.
        var withdrawn = Set<Int>()
        var readyWaiters: [Int: CheckedContinuation<Void, Error>] = [:]
        /// Fires when the current process has ended (a new one per process).
        var exited = Signal()
        var nextID = 1
        var stderrTail: [String] = []
        var hello: Frame?
        var maxFrameSize = Frame.defaultMaxSize

        mutating func token() -> Int {
            defer { nextID += 1 }
            return nextID
        }

        var tailSuffix: String {
            stderrTail.isEmpty ? "" : "; its last output:\n    " + stderrTail.suffix(10).joined(separator: "\n    ")
        }
    }

    /// An action with what it needs taken out of the core, to be performed outside the lock.
    private enum Effect {
        case launch(Int)
        case discard(pid_t?, PipeWriter?)
        case resume([CheckedContinuation<Void, Error>])
        case failWaiters([CheckedContinuation<Void, Error>], ExecutorFailure)
        case failCalls([CheckedContinuation<Frame, Error>], ExecutorFailure)
        case kill(pid_t?, PipeWriter?)
        case closeInput(PipeWriter?)
        case restart(after: Duration)
        case log(WorkerStateMachine.LogLevel, String)
    }

    private let core: Mutex<Core>

    init(label: String, target: WorkerTarget, framing: Framing, readyTimeout: Duration?, maxCalls: Int = 8,
         onLost: @escaping @Sendable () -> Void = {}) {
        self.onLost = onLost
        self.permits = AsyncSemaphore(maxCalls)
        self.label = label
        self.target = target
        self.framing = framing
        self.readyTimeout = readyTimeout
        core = Mutex(Core(machine: WorkerStateMachine(label: label)))
    }

    // MARK: What others read

    var state: WorkerStateMachine.State { core.withLock { $0.machine.state } }
    var restarts: Int { core.withLock { $0.machine.restarts } }
    var hello: Frame? { core.withLock { $0.hello } }
    /// Calls sent and not yet answered (the load balancer picks the least).
    var inFlight: Int { core.withLock { $0.pending.count } }

    // MARK: Driving the machine

    private func handle(_ event: WorkerStateMachine.Event) {
        let effects = core.withLock { core -> [Effect] in
            core.machine.handle(event).map { action in
                switch action {
                case .launch(let g): return .launch(g)
                case .discardLaunch:
                    defer { core.pid = nil; core.writer = nil }
                    return .discard(core.pid, core.writer)
                case .resumeReadyWaiters:
                    defer { core.readyWaiters = [:] }
                    return .resume(Array(core.readyWaiters.values))
                case .failReadyWaiters(let failure):
                    defer { core.readyWaiters = [:] }
                    return .failWaiters(Array(core.readyWaiters.values), failure)
                case .failHeldCalls(let failure):
                    defer { core.pending = [:] }
                    return .failCalls(Array(core.pending.values), failure)
                case .killProcess: return .kill(core.pid, core.writer)
                case .closeInput: return .closeInput(core.writer)
                case .scheduleRestart(let delay): return .restart(after: delay)
                case .log(let level, let message): return .log(level, message)
                }
            }
        }
        for effect in effects { perform(effect) }
    }

    private func perform(_ effect: Effect) {
        switch effect {
        case .launch(let g):
            Task { await launch(generation: g) }
        case .discard(let pid, let writer):
            writer?.close()
            if let pid { kill(-pid, SIGKILL) }
        case .resume(let waiters):
            for w in waiters { w.resume() }
        case .failWaiters(let waiters, let failure):
            for w in waiters { w.resume(throwing: failure) }
        case .failCalls(let calls, let failure):
            for c in calls { c.resume(throwing: failure) }
        case .kill(let pid, let writer):
            if let pid { kill(-pid, SIGKILL) } else { writer?.abort() }
        case .closeInput(let writer):
            // A remote executor's socket stays open through our reader's descriptor: end it.
            if case .remote = target { writer?.abort() } else { writer?.close() }
        case .restart(let delay):
            Task {
                try? await Task.sleep(for: delay)
                handle(.restartDue)
            }
        case .log(.warning, let message):
            Log.emit(.warning, message, executor: label)
        case .log(.error, let message):
            Log.emit(.error, message, executor: label)
        }
    }

    // MARK: Start

    /// Starts the executor and waits for its hello.
    func start() async throws {
        handle(.start)
        try await waitUntilReady(timeout: readyTimeout)
    }

    private func launch(generation g: Int) async {
        switch target {
        case .process(let executable, let arguments, let environment, let directory):
            let process: SpawnedProcess
            do {
                process = try await ProcessSpawner.shared.spawn(executable: executable, arguments: arguments,
                                                                 environment: environment, directory: directory)
            } catch {
                handle(.launchFailed(generation: g, why: "\(error)", at: .now))
                return
            }
            core.withLock { core in
                core.pid = process.pid
                core.writer = PipeWriter(fd: process.stdinFD)
                core.exited = Signal()
            }
            // The machine hears of the process before its reader can report its end.
            handle(.launched(generation: g))
            guard core.withLock({ $0.machine.processAlive && $0.machine.generation == g }) else {
                // Discarded (the worker is stopping; it was killed): reap it here, unseen.
                var status: Int32 = 0
                while waitpid(process.pid, &status, 0) < 0 && errno == EINTR {}
                close(process.stdoutFD)
                close(process.stderrFD)
                return
            }
            let stderrRead = DispatchSemaphore(value: 0)
            startStderrReader(fd: process.stderrFD, done: stderrRead)
            startReader(fd: process.stdoutFD, pid: process.pid, generation: g, stderrRead: stderrRead)
        case .remote(let host, let port, let patient):
            var fd: Int32 = -1
            // At the start, an executor named by DNS (a container service) that is not listening
            // yet is waited for, with backoff, up to timeout_ready; an IP address that refuses
            // fails at once. A connection lost after it was ready is made again until the worker
            // stops, whatever the error (the host restarts, its link comes back): a replica that
            // is down for a while is not given up as a crash loop.
            let reconnecting = core.withLock { $0.machine.restarts > 0 }
            let deadline = reconnecting ? nil : readyTimeout.map { ContinuousClock.now + $0 }
            var delay = Duration.milliseconds(100)
            var warned = false
            while fd < 0 {
                do {
                    fd = try TCPSocket.connect(host: host, port: port, timeout: readyTimeout ?? .seconds(10))
                } catch {
                    let notYet = switch error { case .refused, .cannotResolve: true; default: reconnecting }
                    let wanted = core.withLock { $0.machine.generation == g && !$0.machine.stopping }
                    if !notYet || !(patient || reconnecting) || !wanted || Task.isCancelled
                        || deadline.map({ ContinuousClock.now + delay >= $0 }) == true {
                        handle(.launchFailed(generation: g, why: "\(error)", at: .now))
                        onLost()
                        return
                    }
                    if !warned {
                        let limit = reconnecting ? "" : readyTimeout.map { " up to \($0) (timeout_ready)" } ?? ""
                        Log.warning("\(label): \(error); \(reconnecting ? "reconnecting" : "waiting for it")\(limit)")
                        warned = true
                        if reconnecting { onLost() }
                    }
                    try? await Task.sleep(for: delay)
                    delay = min(delay * 2, .seconds(1))
                }
            }
            // A host that vanishes (power, link) sends no reset: find out within seconds, so
            // the calls it holds are retried elsewhere instead of waiting for their timeout.
            TCPSocket.detectDeadPeer(fd, within: .seconds(3))
            core.withLock { core in
                core.pid = nil
                core.writer = PipeWriter(fd: dup(fd))
                core.exited = Signal()
            }
            handle(.launched(generation: g))
            guard core.withLock({ $0.machine.processAlive && $0.machine.generation == g }) else {
                close(fd)
                return
            }
            startReader(fd: fd, pid: nil, generation: g)
        }
    }

    /// Waits until the worker is ready; fails when it failed, stopped, or did not say hello in
    /// time. Cancelling the waiting task ends the wait.
    func waitUntilReady(timeout: Duration?) async throws {
        let timer = timeout.map { limit in
            Task { [weak self] in
                try await Task.sleep(for: limit)
                guard let self else { return }
                let (g, tail) = core.withLock { ($0.machine.generation, $0.tailSuffix) }
                let ms = limit.components.seconds * 1000 + limit.components.attoseconds / 1_000_000_000_000_000
                handle(.readyTimedOut(generation: g, milliseconds: ms, tail: tail))
            }
        }
        defer { timer?.cancel() }
        let token = core.withLock { $0.token() }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
                let outcome = core.withLock { core -> Result<Void, Error>? in
                    switch core.machine.state {
                    case .ready: return .success(())
                    case .failed(let failure): return .failure(failure)
                    case .stopped: return .failure(ExecutorFailure(.stopped, executor: label, "\(label) stopped"))
                    default:
                        if Task.isCancelled { return .failure(CancellationError()) }
                        core.readyWaiters[token] = continuation
                        return nil
                    }
                }
                if let outcome { continuation.resume(with: outcome) }
            }
        } onCancel: {
            core.withLock { $0.readyWaiters.removeValue(forKey: token) }?.resume(throwing: CancellationError())
        }
    }

    // MARK: Calls

    /// Sends one call and returns its result or error frame. A call waits while its process is
    /// being replaced; cancelling the task withdraws the call (a `cancel` frame tells the executor).
    func call(_ frame: Frame, timeout: Duration?) async throws -> Frame {
        while true {
            try await waitUntilReady(timeout: nil)
            if let answer = try await attempt(frame, timeout: timeout) { return answer }
        }
    }

    /// Not sent because the process was being replaced.
    private struct NotSent: Error {}

    /// Sends the call to the current process; nil when there was none to send it to.
    private func attempt(_ frame: Frame, timeout: Duration?) async throws -> Frame? {
        var frame = frame
        let (id, g, limit) = core.withLock { core in (core.token(), core.machine.generation, core.maxFrameSize) }
        frame.header["id"] = .number(JSONNumber(id))
        let bytes = framing.encode(frame)
        if bytes.count > limit {
            throw ExecutorFailure(.protocolError, executor: label,
                                  "a request of \(bytes.count) bytes exceeds \(label)'s frame limit of \(limit) bytes")
        }
        let timer = timeout.map { limit in
            Task { [weak self] in
                try await Task.sleep(for: limit)
                self?.callTimedOut(id: id, generation: g, after: limit)
            }
        }
        defer { timer?.cancel() }
        do {
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { continuation in
                    let writer = core.withLock { core -> PipeWriter? in
                        guard g == core.machine.generation, core.machine.acceptsCalls, let writer = core.writer else { return nil }
                        core.pending[id] = continuation
                        return writer
                    }
                    guard let writer else { return continuation.resume(throwing: NotSent()) }
                    if Task.isCancelled { return withdraw(id) }
                    // If the write fails the process is gone or going: its end of output fails this
                    // call with how it ended, like the other calls it held.
                    writer.send(bytes)
                }
            } onCancel: {
                withdraw(id)
            }
        } catch is NotSent {
            return nil
        }
    }

    /// The caller went away: fail the call with CancellationError and tell the executor.
    private func withdraw(_ id: Int) {
        let (continuation, writer) = core.withLock { core in
            let continuation = core.pending.removeValue(forKey: id)
            if continuation != nil { core.withdrawn.insert(id) }
            return (continuation, core.writer)
        }
        guard let continuation else { return }
        continuation.resume(throwing: CancellationError())
        writer?.send(framing.encode(Frame(.cancel, id: id)))
    }

    /// A call past its timeout fails; the executor is restarted, since calls are answered in
    /// order and every later one is stuck behind it.
    private func callTimedOut(id: Int, generation g: Int, after limit: Duration) {
        guard let continuation = core.withLock({ core in g == core.machine.generation ? core.pending.removeValue(forKey: id) : nil }) else {
            return
        }
        let ms = limit.components.seconds * 1000 + limit.components.attoseconds / 1_000_000_000_000_000
        continuation.resume(throwing: ExecutorFailure(.timeout, executor: label, "\(label) did not answer within \(ms) ms; restarting it"))
        handle(.callTimedOut(generation: g))
    }

    // MARK: Reading

    /// `stderrRead`: signalled when the process's stderr is read to its end, so that its last
    /// words are in the tail its end reports.
    private func startReader(fd: Int32, pid: pid_t?, generation g: Int, stderrRead: DispatchSemaphore? = nil) {
        let thread = Thread { [self] in
            var decoder = FrameStreamDecoder(framing: framing)
            // Left uninitialised: only the pages a read fills are ever touched (an idle Flow
            // would otherwise hold 256 KB of zeros per executor).
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 * 1024, alignment: 16)
            defer { buffer.deallocate() }
            var ending = WorkerStateMachine.Ending.exited("closed its output")
            reading: while true {
                let n = read(fd, buffer.baseAddress, buffer.count)
                if n < 0 && errno == EINTR { continue }
                if n < 0 && errno == EAGAIN {
                    // A socket shares O_NONBLOCK with the writer's dup: wait for data instead.
                    var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                    _ = poll(&poller, 1, -1)
                    continue
                }
                if n <= 0 { break }
                do {
                    decoder.append(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
                    while let frame = try decoder.next() { received(frame, generation: g) }
                } catch {
                    ending = .brokeProtocol("\(error)")
                    break reading
                }
            }
            close(fd)
            if let pid {
                if case .brokeProtocol = ending { kill(-pid, SIGKILL) }
                let exit = describeExit(Self.reap(pid, killAfter: .seconds(2)))
                // Whatever it started (its process group) goes with it.
                kill(-pid, SIGKILL)
                if case .exited = ending { ending = .exited(exit) }
                // Its group is gone, so its stderr ends at once; bounded all the same.
                _ = stderrRead?.wait(timeout: .now() + 1)
            }
            processEnded(generation: g, ending)
        }
        thread.name = "jina-read-\(label)"
        thread.start()
    }

    private func processEnded(generation g: Int, _ ending: WorkerStateMachine.Ending) {
        let ended = core.withLock { core -> (tail: String, exited: Signal)? in
            guard g == core.machine.generation else { return nil }
            core.writer?.close()
            core.writer = nil
            core.pid = nil
            core.withdrawn = []
            return (core.tailSuffix, core.exited)
        }
        guard let ended else { return }
        Self.hellosChanged.add(1, ordering: .releasing)
        handle(.ended(generation: g, ending, at: .now, tail: ended.tail))
        ended.exited.fire()
        onLost()
    }

    private func startStderrReader(fd: Int32, done: DispatchSemaphore) {
        let thread = Thread { [self] in
            var pendingLine: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 16 * 1024)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                pendingLine.append(contentsOf: buffer[0..<n])
                while let newline = pendingLine.firstIndex(of: UInt8(ascii: "\n")) {
                    logStderr(String(decoding: pendingLine[..<newline], as: UTF8.self))
                    pendingLine.removeFirst(newline + 1)
                }
                if pendingLine.count > 64 * 1024 {
                    logStderr(String(decoding: pendingLine, as: UTF8.self))
                    pendingLine.removeAll()
                }
            }
            if !pendingLine.isEmpty { logStderr(String(decoding: pendingLine, as: UTF8.self)) }
            close(fd)
            done.signal()
        }
        thread.name = "jina-stderr-\(label)"
        thread.start()
    }

    private func logStderr(_ line: String) {
        core.withLock { core in
            core.stderrTail.append(line)
            if core.stderrTail.count > Self.stderrTailLines { core.stderrTail.removeFirst() }
        }
        Log.executor(label, line)
    }

    private func received(_ frame: Frame, generation g: Int) {
        switch frame.kind {
        case .hello:
            core.withLock { core in
                guard g == core.machine.generation else { return }
                core.hello = frame
                core.maxFrameSize = frame.header["max_frame"]?.intValue ?? Frame.defaultMaxSize
            }
            Self.hellosChanged.add(1, ordering: .releasing)
            handle(.hello(generation: g))
        case .result, .error:
            guard let id = frame.id else { return }
            let continuation = core.withLock { core -> CheckedContinuation<Frame, Error>? in
                guard g == core.machine.generation else { return nil }
                _ = core.machine.handle(.answered(generation: g))
                core.withdrawn.remove(id)
                return core.pending.removeValue(forKey: id)
            }
            continuation?.resume(returning: frame)
        default:
            break
        }
    }

    // MARK: Stop

    /// Closes stdin, waits up to `grace` for the process to exit, then TERM, then KILL.
    /// A process busy only with calls nobody wants any more (withdrawn) gets no grace: TERM at once.
    func stop(grace: Duration) async {
        let abandoned = core.withLock { $0.pending.isEmpty && !$0.withdrawn.isEmpty }
        let grace = abandoned ? .zero : grace
        handle(.stop)
        if await waitForExit(within: grace) { return }
        let pid = core.withLock { $0.pid }
        if let pid { kill(-pid, SIGTERM) } else { core.withLock { $0.writer }?.close() }
        if await waitForExit(within: .seconds(1)) { return }
        if let pid { kill(-pid, SIGKILL) }
        _ = await waitForExit(within: .seconds(2))
    }

    /// Kills the process at once (the Flow is going away without a drain); a start still
    /// waiting for its hello ends now.
    func killNow() {
        handle(.kill)
    }

    /// True when the process has ended (or there is none) within `limit`.
    private func waitForExit(within limit: Duration) async -> Bool {
        guard let exited = core.withLock({ $0.machine.processAlive ? $0.exited : nil }) else { return true }
        return await exited.wait(upTo: limit)
    }

    /// waitpid that kills the process if it lingers past `limit` after closing its output.
    private static func reap(_ pid: pid_t, killAfter limit: Duration) -> Int32 {
        let killer = DispatchWorkItem { kill(pid, SIGKILL) }
        let ms = Int(limit.components.seconds * 1000)
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(ms), execute: killer)
        defer { killer.cancel() }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return status
    }
}
