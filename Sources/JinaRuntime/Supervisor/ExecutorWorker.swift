import Foundation
import JinaConfig
import JinaWire

/// How a worker reaches its executor: a child process on pipes, or a remote `jina executor --port`.
enum WorkerTarget: Sendable {
    case process(executable: String, arguments: [String], environment: [String: String], directory: String?)
    case remote(host: String, port: Int)
}

/// One executor process (one shard replica, head or tail): starts it, waits for its hello, sends
/// calls and matches results by id, fails exactly the calls it held when it dies, and restarts it
/// with backoff until it crash-loops.
final class ExecutorWorker: @unchecked Sendable {
    let label: String
    let target: WorkerTarget
    let framing: ExecutorEntry.Framing
    /// How long to wait for hello; nil waits forever (`timeout_ready: -1`).
    let readyTimeout: Duration?

    static let maxRestartsInWindow = 5
    static let restartWindow = Duration.seconds(60)
    static let stderrTailLines = 20

    private enum State { case idle, starting, ready, restarting, failed(String), stopped }

    private let lock = NSLock()
    private var state = State.idle
    private var stopping = false
    private var everReady = false
    private var generation = 0
    private var pid: pid_t?
    private var writer: PipeWriter?
    private var running = false
    private var pending: [Int: CheckedContinuation<Frame, Error>] = [:]
    private var readyWaiters: [CheckedContinuation<Void, Error>] = []
    private var nextID = 1
    private var crashes: [ContinuousClock.Instant] = []
    /// Calls answered by the current process: one that did work before it died is not looping.
    private var answeredSinceLaunch = 0
    private var stderrTail: [String] = []
    private var helloFrame: Frame?
    var hello: Frame? { lock.withLock { helloFrame } }
    private(set) var restarts = 0
    private var maxFrameSize = Frame.defaultMaxSize

    init(label: String, target: WorkerTarget, framing: ExecutorEntry.Framing, readyTimeout: Duration?) {
        self.label = label
        self.target = target
        self.framing = framing
        self.readyTimeout = readyTimeout
    }

    /// Calls sent and not yet answered (the load balancer picks the least).
    var inFlight: Int { lock.withLock { pending.count } }

    var isUsable: Bool {
        lock.withLock {
            if case .failed = state { return false }
            if case .stopped = state { return false }
            return true
        }
    }

    /// `starting`, `ready`, `restarting`, `failed: why`, `stopped`: for /ready and logs.
    var stateDescription: String {
        lock.withLock {
            switch state {
            case .idle: return "idle"
            case .starting: return "starting"
            case .ready: return "ready"
            case .restarting: return "restarting"
            case .failed(let why): return "failed: \(why)"
            case .stopped: return "stopped"
            }
        }
    }

    var recentStderr: [String] { lock.withLock { stderrTail } }

    // MARK: Start

    /// Starts the executor and waits for its hello.
    func start() async throws {
        lock.withLock { state = .starting }
        try await launch()
        try await waitUntilReady(timeout: readyTimeout)
    }

    private func launch() async throws {
        let gen = lock.withLock { () -> Int in generation += 1; return generation }
        switch target {
        case .process(let executable, let arguments, let environment, let directory):
            let process: SpawnedProcess
            do {
                process = try await ProcessSpawner.shared.spawn(executable: executable, arguments: arguments,
                                                                 environment: environment, directory: directory)
            } catch {
                fail(gen, "\(error)")
                throw ExecutorFailure(.unavailable, executor: label, "\(label) could not start: \(error)")
            }
            let abandoned = lock.withLock { () -> Bool in
                if stopping { return true }
                pid = process.pid
                writer = PipeWriter(fd: process.stdinFD)
                running = true
                return false
            }
            if abandoned {
                // The Flow gave up while this one was being spawned: nobody will read its hello.
                kill(-process.pid, SIGKILL)
                var status: Int32 = 0
                while waitpid(process.pid, &status, 0) < 0 && errno == EINTR {}
                close(process.stdinFD); close(process.stdoutFD); close(process.stderrFD)
                failWaitersOnStop()
                throw ExecutorFailure(.unavailable, executor: label, "\(label) stopped")
            }
            startReader(fd: process.stdoutFD, generation: gen)
            startStderrReader(fd: process.stderrFD)
        case .remote(let host, let port):
            let fd: Int32
            do {
                fd = try TCPSocket.connect(host: host, port: port)
            } catch {
                fail(gen, "\(error)")
                throw ExecutorFailure(.unavailable, executor: label, "\(label): \(error)")
            }
            lock.withLock {
                pid = nil
                writer = PipeWriter(fd: dup(fd))
                running = true
            }
            startReader(fd: fd, generation: gen)
        }
    }

    /// Waits until the worker is ready; fails when it failed or did not say hello in time.
    func waitUntilReady(timeout: Duration?) async throws {
        let timer = timeout.map { limit in
            Task { [weak self] in
                try await Task.sleep(for: limit)
                self?.readyTimedOut(after: limit)
            }
        }
        defer { timer?.cancel() }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
            lock.lock()
            switch state {
            case .ready:
                lock.unlock()
                continuation.resume()
            case .failed(let why):
                lock.unlock()
                continuation.resume(throwing: ExecutorFailure(.unavailable, executor: label, why))
            case .stopped:
                lock.unlock()
                continuation.resume(throwing: ExecutorFailure(.unavailable, executor: label, "\(label) is stopped"))
            default:
                readyWaiters.append(continuation)
                lock.unlock()
            }
        }
    }

    private func readyTimedOut(after limit: Duration) {
        lock.lock()
        guard !everReady, case .starting = state else { lock.unlock(); return }
        let ms = limit.components.seconds * 1000 + limit.components.attoseconds / 1_000_000_000_000_000
        let why = "\(label) did not say hello within \(ms) ms (timeout_ready)" + tailSuffix()
        state = .failed(why)
        let waiters = readyWaiters
        readyWaiters = []
        let victim = pid
        lock.unlock()
        for w in waiters { w.resume(throwing: ExecutorFailure(.unavailable, executor: label, why)) }
        if let victim { kill(victim, SIGKILL) }
    }

    // MARK: Calls

    /// Sends one call and returns its result or error frame.
    func call(_ frame: Frame, timeout: Duration?) async throws -> Frame {
        // The process may go away between "ready" and sending: then wait for its successor.
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
        let (id, gen, limit) = lock.withLock { () -> (Int, Int, Int) in
            let id = nextID
            nextID += 1
            return (id, generation, maxFrameSize)
        }
        frame.header["id"] = .number(JSONNumber(id))
        let bytes = framing == .frames ? FrameEncoder.encode(frame) : LineCodec.encode(frame)
        if bytes.count > limit {
            throw ExecutorFailure(.protocolError, executor: label,
                                  "a request of \(bytes.count) bytes exceeds \(label)'s frame limit of \(limit) bytes")
        }
        let timer = timeout.map { limit in
            Task { [weak self] in
                try await Task.sleep(for: limit)
                self?.callTimedOut(id: id, generation: gen, after: limit)
            }
        }
        defer { timer?.cancel() }
        do {
            return try await withCheckedThrowingContinuation { continuation in
                lock.lock()
                guard gen == generation, running, let writer else {
                    lock.unlock()
                    continuation.resume(throwing: NotSent())
                    return
                }
                pending[id] = continuation
                lock.unlock()
                // If the write fails the process is gone or going: its end of output fails this
                // call with how it ended, like the other calls it held.
                writer.send(bytes)
            }
        } catch is NotSent {
            return nil
        }
    }

    /// A call past its timeout fails; the executor is restarted, since calls are answered in
    /// order and every later one is stuck behind it.
    private func callTimedOut(id: Int, generation gen: Int, after limit: Duration) {
        lock.lock()
        guard gen == generation, let continuation = pending.removeValue(forKey: id) else { lock.unlock(); return }
        let victim = pid
        // No new call may reach the process being killed; the calls queued behind the stuck one
        // will never be answered by it.
        let queued = pending
        pending = [:]
        running = false
        if !stopping { state = .restarting }
        lock.unlock()
        let ms = limit.components.seconds * 1000 + limit.components.attoseconds / 1_000_000_000_000_000
        continuation.resume(throwing: ExecutorFailure(.timeout, executor: label, "\(label) did not answer within \(ms) ms; restarting it"))
        for (_, c) in queued {
            c.resume(throwing: ExecutorFailure(.unavailable, executor: label,
                                               "\(label) was restarted because an earlier request timed out; this one was queued behind it"))
        }
        if let victim { kill(-victim, SIGKILL) } else { abortConnection(gen, "timed out") }
    }

    // MARK: Reading

    private func startReader(fd: Int32, generation gen: Int) {
        let thread = Thread { [self] in
            var decoder = FrameDecoder(maxFrameSize: Frame.defaultMaxSize)
            var lines: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 256 * 1024)
            var reason = "closed its output"
            reading: while true {
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n < 0 && errno == EAGAIN {
                    // A socket shares O_NONBLOCK with the writer's dup: wait for data instead.
                    var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                    _ = poll(&poller, 1, -1)
                    continue
                }
                if n <= 0 { break }
                do {
                    if framing == .frames {
                        buffer.withUnsafeBytes { decoder.append(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
                        while let frame = try decoder.next() { received(frame, generation: gen) }
                    } else {
                        lines.append(contentsOf: buffer[0..<n])
                        while let newline = lines.firstIndex(of: UInt8(ascii: "\n")) {
                            let line = Array(lines[..<newline])
                            lines.removeFirst(newline + 1)
                            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
                            received(try LineCodec.decode(line), generation: gen)
                        }
                        if lines.count > Frame.defaultMaxSize { throw FrameError.tooLarge(size: lines.count, limit: Frame.defaultMaxSize) }
                    }
                } catch {
                    reason = "broke the protocol: \(error)"
                    break reading
                }
            }
            close(fd)
            connectionEnded(generation: gen, reason: reason)
        }
        thread.name = "jina-read-\(label)"
        thread.start()
    }

    private func startStderrReader(fd: Int32) {
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
        }
        thread.name = "jina-stderr-\(label)"
        thread.start()
    }

    private func logStderr(_ line: String) {
        lock.withLock {
            stderrTail.append(line)
            if stderrTail.count > Self.stderrTailLines { stderrTail.removeFirst() }
        }
        Log.executor(label, line)
    }

    private func received(_ frame: Frame, generation gen: Int) {
        switch frame.kind {
        case .hello:
            lock.lock()
            guard gen == generation else { lock.unlock(); return }
            helloFrame = frame
            maxFrameSize = frame.header["max_frame"]?.intValue ?? Frame.defaultMaxSize
            if stopping { lock.unlock(); return }
            state = .ready
            everReady = true
            let waiters = readyWaiters
            readyWaiters = []
            lock.unlock()
            for w in waiters { w.resume() }
        case .result, .error:
            guard let id = frame.id else { return }
            let continuation = lock.withLock { () -> CheckedContinuation<Frame, Error>? in
                guard gen == generation else { return nil }
                answeredSinceLaunch += 1
                return pending.removeValue(forKey: id)
            }
            continuation?.resume(returning: frame)
        default:
            break
        }
    }

    // MARK: Exit and restart

    /// The executor's output ended: reap it, fail what it held, and restart it unless stopping.
    private func connectionEnded(generation gen: Int, reason: String) {
        let victim = lock.withLock { gen == generation ? pid : nil }
        let brokeProtocol = reason.hasPrefix("broke the protocol")
        var why = reason
        if let victim {
            if reason != "closed its output" { kill(-victim, SIGKILL) }
            let exit = describeExit(reap(victim, killAfter: .seconds(2)))
            // Whatever it started (its process group) goes with it.
            kill(-victim, SIGKILL)
            why = brokeProtocol ? "\(reason) (so it was killed)" : exit
        }
        lock.lock()
        guard gen == generation else { lock.unlock(); return }
        running = false
        pid = nil
        writer?.close()
        writer = nil
        let held = pending
        pending = [:]
        let description: String
        if stopping {
            state = .stopped
            description = "\(label) stopped"
        } else if !everReady {
            description = "\(label) \(why) before it was ready" + tailSuffix()
            state = .failed(description)
        } else {
            let now = ContinuousClock.now
            // A crash loop is dying again and again without answering anything; a process that
            // served calls before it died starts the count afresh.
            if answeredSinceLaunch > 0 { crashes = [] }
            answeredSinceLaunch = 0
            crashes = crashes.filter { now - $0 < Self.restartWindow } + [now]
            if crashes.count > Self.maxRestartsInWindow {
                description = "\(label) \(why); it crashed \(crashes.count) times within \(Self.restartWindow.components.seconds) s, giving up"
                state = .failed(description)
            } else {
                description = "\(label) \(why)"
                state = .restarting
            }
        }
        let waiters: [CheckedContinuation<Void, Error>]
        if case .restarting = state { waiters = [] } else { waiters = readyWaiters; readyWaiters = [] }
        let shouldRestart: Bool
        if case .restarting = state { shouldRestart = true } else { shouldRestart = false }
        let attempt = crashes.count
        lock.unlock()

        let kind: ExecutorFailure.Kind = brokeProtocol ? .protocolError : .crashed
        let message = brokeProtocol ? "\(label) \(reason); restarting it" : "\(label) \(why) while it held this request"
        for (_, c) in held { c.resume(throwing: ExecutorFailure(kind, executor: label, message)) }
        for w in waiters { w.resume(throwing: ExecutorFailure(.unavailable, executor: label, description)) }
        if stoppingNow { return }
        if shouldRestart {
            Log.warning("\(description); restarting")
            let delay = Duration.milliseconds(min(100 << max(attempt - 1, 0), 5_000))
            Task { [self] in
                try? await Task.sleep(for: delay)
                if lock.withLock({ stopping }) { return }
                lock.withLock { restarts += 1 }
                try? await launch()
            }
        } else if !description.hasSuffix("stopped") {
            Log.error(description)
        }
    }

    private var stoppingNow: Bool { lock.withLock { stopping } }

    /// Marks a launch that failed before it ran.
    private func fail(_ gen: Int, _ why: String) {
        lock.lock()
        guard gen == generation else { lock.unlock(); return }
        if everReady && !stopping {
            state = .restarting
            lock.unlock()
            // Treat like a crash: try again with backoff.
            connectionEnded(generation: gen, reason: why)
            return
        }
        let description = "\(label) could not start: \(why)"
        state = .failed(description)
        let waiters = readyWaiters
        readyWaiters = []
        lock.unlock()
        for w in waiters { w.resume(throwing: ExecutorFailure(.unavailable, executor: label, description)) }
    }

    private func abortConnection(_ gen: Int, _ why: String) {
        let w = lock.withLock { gen == generation ? writer : nil }
        w?.close()
    }

    private func tailSuffix() -> String {
        stderrTail.isEmpty ? "" : "; its last output:\n    " + stderrTail.suffix(10).joined(separator: "\n    ")
    }

    // MARK: Stop

    /// Closes stdin, waits up to `grace` for the process to exit, then TERM, then KILL.
    func stop(grace: Duration) async {
        let (victim, w) = lock.withLock { () -> (pid_t?, PipeWriter?) in
            stopping = true
            if !running { state = .stopped }
            return (pid, writer)
        }
        w?.close()
        guard let victim else {
            failWaitersOnStop()
            return
        }
        if await waitForExit(of: victim, within: grace) { failWaitersOnStop(); return }
        kill(-victim, SIGTERM)
        if await waitForExit(of: victim, within: .seconds(1)) { failWaitersOnStop(); return }
        kill(-victim, SIGKILL)
        _ = await waitForExit(of: victim, within: .seconds(2))
        failWaitersOnStop()
    }

    /// Kills the process at once (the Flow is going away without a drain); a start still
    /// waiting for its hello ends now.
    func killNow() {
        let (victim, waiters) = lock.withLock { () -> (pid_t?, [CheckedContinuation<Void, Error>]) in
            stopping = true
            let w = readyWaiters
            readyWaiters = []
            return (pid, w)
        }
        if let victim { kill(-victim, SIGKILL) }
        for w in waiters { w.resume(throwing: ExecutorFailure(.unavailable, executor: label, "\(label) stopped")) }
    }

    private func waitForExit(of victim: pid_t, within limit: Duration) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if lock.withLock({ pid != victim || !running }) { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return lock.withLock { pid != victim || !running }
    }

    private func failWaitersOnStop() {
        let waiters = lock.withLock { () -> [CheckedContinuation<Void, Error>] in
            state = .stopped
            let w = readyWaiters
            readyWaiters = []
            return w
        }
        for w in waiters { w.resume(throwing: ExecutorFailure(.unavailable, executor: label, "\(label) stopped")) }
    }

    /// waitpid with a deadline: KILL after it, so a process that closed stdout but lingers is reaped.
    private func reap(_ victim: pid_t, killAfter limit: Duration) -> Int32 {
        var status: Int32 = 0
        let deadline = ContinuousClock.now + limit
        while true {
            let r = waitpid(victim, &status, WNOHANG)
            if r == victim { return status }
            if r < 0 && errno != EINTR { return status }
            if ContinuousClock.now > deadline {
                kill(victim, SIGKILL)
                while waitpid(victim, &status, 0) < 0 && errno == EINTR {}
                return status
            }
            usleep(2_000)
        }
    }
}
