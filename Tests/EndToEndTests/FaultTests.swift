import Foundation
import Testing

/// Executors that crash, hang, break the protocol or never start, and a Flow that is signalled:
/// every request gets exactly one answer, the run ends in bounded time, and no process is left
/// (SPEC §3 "Errors", "Lifecycle"; §8). Each test gives its `jina` a unique JINA_E2E_MARK, which
/// every executor and their children inherit, and looks for it in /proc/*/environ afterwards.
@Suite struct FaultTests {
    /// One test's directory, marker and the checks every fault test makes.
    struct Scene {
        let dir: String
        let marker: String
        let environment: [String: String]

        init() throws {
            dir = try JinaBinary.temporaryDirectory()
            (marker, environment) = ProcessTable.newMarker()
        }

        func flow(_ text: String) throws {
            try TestFiles.write(text, to: "flow.yml", in: dir)
        }

        /// `jina flow run --uses flow.yml args…`, with the marker; returns the run and its wall time.
        func run(_ arguments: [String], stdin: Data? = nil, timeout: TimeInterval = 60) throws -> (run: JinaBinary.Run, seconds: Double) {
            let start = Date()
            let run = try JinaBinary.run(["flow", "run", "--uses", "flow.yml"] + arguments, in: dir, environment: environment,
                                         stdin: stdin, timeout: timeout)
            return (run, Date().timeIntervalSince(start))
        }

        func start(_ arguments: [String], keepStdout: Bool = true) throws -> JinaProcess {
            try JinaProcess(["flow", "run", "--uses", "flow.yml"] + arguments, in: dir, environment: environment, keepStdout: keepStdout)
        }

        /// No process of this test may outlive its Flow (waits up to `grace` s for them to go).
        func expectNoProcessLeft(grace: TimeInterval = 3, sourceLocation: SourceLocation = #_sourceLocation) {
            let left = ProcessTable.survivors(ofMarker: marker, waiting: grace)
            #expect(left.isEmpty, "processes left behind: \(left)", sourceLocation: sourceLocation)
        }

        /// Kills whatever is left, so that a failing test does not leak processes into the next,
        /// and removes the directory.
        func cleanUp() {
            ProcessTable.killAll(withMarker: marker)
            try? FileManager.default.removeItem(atPath: dir)
        }

        /// `count` one-document lines with ids `prefix000`…
        func inputs(_ count: Int, prefix: String = "f") throws {
            try TestFiles.write(TestFiles.jsonl(count: count, idPrefix: prefix), to: "in.jsonl", in: dir)
        }
    }

    /// The `request … failed at …` lines on stderr.
    static func failureLines(_ stderr: String) -> [String] {
        stderr.split(separator: "\n").map(String.init).filter { $0.contains("error: request ") && $0.contains(" failed at ") }
    }

    /// Checks that each of `count` one-document requests got exactly one envelope, in order, and
    /// returns the envelopes' status codes by document id.
    static func oneAnswerEach(_ stdout: String, count: Int, prefix: String = "f",
                              sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Int] {
        let envelopes = try TestFiles.objects(stdout)
        #expect(envelopes.count == count, "\(envelopes.count) envelopes for \(count) requests", sourceLocation: sourceLocation)
        var codes: [String: Int] = [:]
        var order: [String] = []
        for envelope in envelopes {
            let status = (envelope["header"] as? [String: Any])?["status"] as? [String: Any]
            let ids = (envelope["data"] as? [[String: Any]] ?? []).compactMap(\.id)
            #expect(ids.count == 1, "one document per request, also when it failed: \(envelope)", sourceLocation: sourceLocation)
            for id in ids {
                #expect(codes[id] == nil, "two answers for \(id)", sourceLocation: sourceLocation)
                codes[id] = status?["code"] as? Int ?? -1
                order.append(id)
            }
        }
        #expect(order == (0..<count).map { String(format: "\(prefix)%03d", $0) }, sourceLocation: sourceLocation)
        return codes
    }

    static func description(_ envelope: [String: Any]) -> String {
        ((envelope["header"] as? [String: Any])?["status"] as? [String: Any])?["description"] as? String ?? ""
    }

    // MARK: Executors that die, hang or break the protocol

    /// Crash on_request 3 with one request in flight: the 3rd, 6th and 9th calls fail naming the
    /// executor and its exit status; the executor is restarted and the others succeed.
    @Test func aCrashFailsTheRequestItHeldAndTheExecutorIsRestarted() throws {
        let scene = try Scene()
        defer { scene.cleanUp() }
        try scene.flow("""
            jtype: Flow
            executors:
              - name: crasher
                uses: {jtype: Crash, with: {on_request: 3}}
            """)
        try scene.inputs(10)
        let (run, seconds) = try scene.run(["--inputs", "in.jsonl", "--request-size", "1", "--prefetch", "1", "--timeout", "10000"], timeout: 60)
        #expect(run.status == 1, "\(run.stderr)")
        #expect(seconds < 20)
        let docs = try TestFiles.objects(run.stdout)
        #expect(docs.map { $0.id ?? "" } == ["f000", "f001", "f003", "f004", "f006", "f007", "f009"])
        let failures = Self.failureLines(run.stderr)
        #expect(failures.count == 3, "\(run.stderr)")
        for line in failures {
            #expect(line.contains("failed at crasher") && line.contains("crasher exited with status 3"), "\(line)")
        }
        #expect(run.stderr.contains("3 of 10 requests failed"))
        scene.expectNoProcessLeft()
    }

    /// The same with 8 requests in flight: whatever the crash takes with it, every request gets
    /// exactly one answer (a result or an error envelope).
    @Test func aCrashWithManyRequestsInFlightStillAnswersEachOnce() throws {
        let scene = try Scene()
        defer { scene.cleanUp() }
        try scene.flow("""
            jtype: Flow
            executors:
              - name: up
                uses: UpperCase
              - name: crasher
                uses: {jtype: Crash, with: {on_request: 5}}
              - name: echo
                uses: Echo
            """)
        try scene.inputs(40)
        let (run, seconds) = try scene.run(["--inputs", "in.jsonl", "--request-size", "1", "--output", "responses", "--timeout", "10000"])
        #expect(run.status == 1, "\(run.stderr)")
        #expect(seconds < 30)
        let codes = try Self.oneAnswerEach(run.stdout, count: 40)
        let failed = codes.values.filter { $0 != 0 }.count
        #expect(failed >= 1 && failed < 40, "failed: \(failed)")
        #expect(Self.failureLines(run.stderr).count == failed)
        // A request that failed because of the crash says how the executor ended (SPEC §3); one
        // that never reached the dead process should rather wait for the restart.
        var vague: [String] = []
        for envelope in try TestFiles.objects(run.stdout) where Self.description(envelope) != "" {
            let id = (envelope["data"] as? [[String: Any]])?.first?.id ?? "?"
            if !Self.description(envelope).contains("crasher exited with status 3") { vague.append("\(id): \(Self.description(envelope))") }
            let routes = (envelope["routes"] as? [[String: Any]] ?? []).map { $0["executor"] as? String ?? "" }
            #expect(routes == ["up", "crasher"], "the route so far ends at the executor that failed: \(routes)")
        }
        #expect(vague.isEmpty, "failures that do not say how the executor ended: \(vague)")
        scene.expectNoProcessLeft()
    }

    @Test func aCrashBySignalNamesTheSignal() throws {
        let scene = try Scene()
        defer { scene.cleanUp() }
        try scene.flow("""
            jtype: Flow
            executors:
              - name: killer
                uses: {jtype: Crash, with: {on_request: 2, signal: KILL}}
            """)
        try scene.inputs(5)
        let (run, _) = try scene.run(["--inputs", "in.jsonl", "--request-size", "1", "--prefetch", "1", "--output", "responses",
                                      "--timeout", "10000"])
        #expect(run.status == 1, "\(run.stderr)")
        let codes = try Self.oneAnswerEach(run.stdout, count: 5)
        #expect(codes == ["f000": 0, "f001": 1, "f002": 0, "f003": 1, "f004": 0])
        let failures = Self.failureLines(run.stderr)
        #expect(failures.count == 2)
        #expect(failures.allSatisfy { $0.contains("killer") && $0.contains("SIGKILL") }, "\(failures)")
        scene.expectNoProcessLeft()
    }

    /// Sleep 60 s with --timeout 500: every request fails with a TimeoutError and the run ends in seconds.
    @Test func aHangingExecutorTimesOut() throws {
        let scene = try Scene()
        defer { scene.cleanUp() }
        try scene.flow("""
            jtype: Flow
            executors:
              - name: sleeper
                uses: {jtype: Sleep, with: {ms: 60000}}
            """)
        try scene.inputs(3)
        let (run, seconds) = try scene.run(["--inputs", "in.jsonl", "--request-size", "1", "--timeout", "500", "--output", "responses"],
                                           timeout: 60)
        #expect(run.status == 1, "\(run.stderr)")
        #expect(seconds < 10, "took \(seconds) s")
        let codes = try Self.oneAnswerEach(run.stdout, count: 3)
        #expect(codes.values.allSatisfy { $0 == 1 })
        let failures = Self.failureLines(run.stderr)
        #expect(failures.count == 3)
        #expect(failures.allSatisfy { $0.contains("failed at sleeper") }, "\(failures)")
        #expect(failures.contains { $0.contains("TimeoutError: sleeper did not answer within 500 ms") }, "\(failures)")
        scene.expectNoProcessLeft()
    }

    /// Calls queued behind a hung call are lost when the Flow kills the executor for the timeout.
    /// They are not crashes: the executor did not crash, the Flow killed it. Each such request
    /// should fail as timed out (or be retried on the restarted executor), not as
    /// "ExecutorCrashed: … was killed by signal 9 (SIGKILL)". The input is paced (150 ms apart)
    /// so that the later calls are still waiting when the first one's timeout fires.
    @Test func callsQueuedBehindAHungCallAreNotReportedAsCrashes() throws {
        let scene = try Scene()
        defer { scene.cleanUp() }
        try scene.flow("""
            jtype: Flow
            executors:
              - name: sleeper
                uses: {jtype: Sleep, with: {ms: 60000}}
            """)
        let jina = try scene.start(["--inputs", "-", "--request-size", "1", "--timeout", "500", "--output", "responses"])
        defer { jina.kill() }
        for line in TestFiles.jsonl(count: 3, idPrefix: "f").split(separator: "\n") {
            jina.write(line + "\n")
            usleep(150_000)
        }
        let run = jina.finish(timeout: 20)
        #expect(run.status == 1, "\(run.stderr)")
        let codes = try Self.oneAnswerEach(run.stdout, count: 3)
        #expect(codes.values.allSatisfy { $0 == 1 })
        let crashes = Self.failureLines(run.stderr).filter { $0.contains("ExecutorCrashed") || $0.contains("SIGKILL") }
        #expect(crashes.isEmpty, "timeouts reported as crashes: \(crashes)")
        scene.expectNoProcessLeft()
    }

    /// A call that times out gets the executor restarted (calls are answered in order, so all
    /// behind it would be stuck); the request after it goes to the new process and succeeds.
    /// Five timeouts in one run, one request at a time: the race this catches (the next request
    /// sent to the process being killed) is not lost every time, so one timeout alone would often
    /// pass; five is the most the supervisor restarts within a minute before it gives up.
    @Test func afterATimeoutTheExecutorIsRestartedAndLaterRequestsSucceed() throws {
        let scene = try Scene()
        defer { scene.cleanUp() }
        let script = try #require(try TestFiles.writeFrameExecutor(in: scene.dir), "python3 is needed for exec:// test executors")
        try scene.flow("""
            jtype: Flow
            executors:
              - name: stuck
                uses: exec://\(script) hang-on-1
            """)
        try scene.inputs(50)
        let (run, seconds) = try scene.run(["--inputs", "in.jsonl", "--request-size", "1", "--prefetch", "1", "--output", "responses",
                                            "--timeout", "300"], timeout: 60)
        #expect(run.status == 1, "\(run.stderr)")
        #expect(seconds < 15, "took \(seconds) s")
        let codes = try Self.oneAnswerEach(run.stdout, count: 50)
        let hanging = Set((0..<5).map { String(format: "f%03d", $0 * 10 + 1) })
        let wrong = codes.filter { ($0.value != 0) != hanging.contains($0.key) }.keys.sorted()
        #expect(wrong.isEmpty, "failed or not as they should: \(wrong)\n\(run.stderr)")
        let failures = Self.failureLines(run.stderr)
        #expect(failures.count == 5 && failures.allSatisfy { $0.contains("stuck") && $0.contains("TimeoutError") }, "\(run.stderr)")
        scene.expectNoProcessLeft()
    }

    /// An executor that raises fails only the request it raised on, with its exception, and keeps serving.
    @Test func anExecutorErrorFailsOnlyItsRequest() throws {
        let scene = try Scene()
        defer { scene.cleanUp() }
        try scene.flow("""
            jtype: Flow
            executors:
              - name: up
                uses: UpperCase
              - name: picky
                uses: {jtype: Fail, with: {on_ids: [f001], message: not this one}}
              - name: echo
                uses: Echo
            """)
        try scene.inputs(4)
        let (run, _) = try scene.run(["--inputs", "in.jsonl", "--request-size", "1", "--output", "responses", "--timeout", "5000"])
        #expect(run.status == 1)
        let codes = try Self.oneAnswerEach(run.stdout, count: 4)
        #expect(codes == ["f000": 0, "f001": 1, "f002": 0, "f003": 0])
        let envelopes = try TestFiles.objects(run.stdout)
        #expect(Self.description(envelopes[1]) == "FailedOnPurpose: not this one: document f001", "\(envelopes[1])")
        let routes = (envelopes[1]["routes"] as? [[String: Any]] ?? []).map { $0["executor"] as? String ?? "" }
        #expect(routes == ["up", "picky"])
        let failures = Self.failureLines(run.stderr)
        #expect(failures.count == 1 && failures[0].contains("failed at picky"), "\(run.stderr)")
        scene.expectNoProcessLeft()
    }

    /// An exec:// program that says hello, then answers a call with text instead of a frame.
    @Test func garbageOnStdoutIsAProtocolError() throws {
        let scene = try Scene()
        defer { scene.cleanUp() }
        let script = try #require(try TestFiles.writeFrameExecutor(in: scene.dir), "python3 is needed for exec:// test executors")
        try scene.flow("""
            jtype: Flow
            executors:
              - name: chatty
                uses: exec://\(script) garbage
            """)
        try scene.inputs(3)
        // One request at a time: each meets a fresh process (what a request sent while the broken
        // one is being killed gets is aCrashWithManyRequestsInFlightStillAnswersEachOnce's business).
        let (run, seconds) = try scene.run(["--inputs", "in.jsonl", "--request-size", "1", "--prefetch", "1", "--output", "responses",
                                            "--timeout", "20000"],
                                           timeout: 60)
        #expect(run.status == 1, "\(run.stderr)")
        #expect(seconds < 15, "took \(seconds) s: a protocol error must not wait for the timeout")
        let codes = try Self.oneAnswerEach(run.stdout, count: 3)
        #expect(codes.values.allSatisfy { $0 == 1 })
        let failures = Self.failureLines(run.stderr)
        #expect(failures.count == 3)
        #expect(failures.allSatisfy { $0.contains("chatty") && $0.contains("ProtocolError") }, "\(run.stderr)")
        scene.expectNoProcessLeft()
    }

    /// Text on stdout before the hello: the Flow cannot start, and the message says the executor
    /// broke the protocol (not only that it "was killed by signal 9", which the Flow did itself).
    @Test func garbageBeforeHelloIsReportedAsAProtocolError() throws {
        let scene = try Scene()
        defer { scene.cleanUp() }
        let script = try #require(try TestFiles.writeFrameExecutor(in: scene.dir), "python3 is needed for exec:// test executors")
        try scene.flow("""
            jtype: Flow
            executors:
              - name: chatty
                uses: exec://\(script) garbage-before-hello
                timeout_ready: 10000
            """)
        try scene.inputs(1)
        let (run, seconds) = try scene.run(["--inputs", "in.jsonl"], timeout: 60)
        #expect(run.status == 78, "\(run.stderr)")
        #expect(seconds < 8)
        #expect(run.stderr.contains("chatty"))
        #expect(run.stderr.lowercased().contains("protocol"), "the reason is lost: \(run.stderr)")
        scene.expectNoProcessLeft()
    }

    /// A result frame whose header claims a body of 100 MiB (over the 64 MiB cap).
    @Test func anOversizedFrameIsAProtocolError() throws {
        let scene = try Scene()
        defer { scene.cleanUp() }
        let script = try #require(try TestFiles.writeFrameExecutor(in: scene.dir), "python3 is needed for exec:// test executors")
        try scene.flow("""
            jtype: Flow
            executors:
              - name: bloated
                uses: exec://\(script) oversized
            """)
        try scene.inputs(2)
        // One request at a time: each meets a fresh process (what a request sent while the broken
        // one is being killed gets is aCrashWithManyRequestsInFlightStillAnswersEachOnce's business).
        let (run, seconds) = try scene.run(["--inputs", "in.jsonl", "--request-size", "1", "--prefetch", "1", "--output", "responses",
                                            "--timeout", "20000"],
                                           timeout: 60)
        #expect(run.status == 1, "\(run.stderr)")
        #expect(seconds < 15, "took \(seconds) s")
        let codes = try Self.oneAnswerEach(run.stdout, count: 2)
        #expect(codes.values.allSatisfy { $0 == 1 })
        let failures = Self.failureLines(run.stderr)
        #expect(failures.count == 2)
        #expect(failures.allSatisfy { $0.contains("bloated") && $0.contains("ProtocolError") && $0.contains("exceeds the limit") },
                "\(run.stderr)")
        scene.expectNoProcessLeft()
    }

    // MARK: Executors that do not start

    @Test func anExecutorThatNeverSaysHelloFailsTheStartWithItsStderr() throws {
        let scene = try Scene()
        defer { scene.cleanUp() }
        try TestFiles.write("#!/bin/sh\necho 'loading the model, please wait' >&2\necho 'still loading: 42%' >&2\nexec sleep 120\n",
                            to: "mute.sh", in: scene.dir, executable: true)
        try scene.flow("""
            jtype: Flow
            executors:
              - name: silent
                uses: exec://./mute.sh
                timeout_ready: 1000
            """)
        try scene.inputs(1)
        let (run, seconds) = try scene.run(["--inputs", "in.jsonl"], timeout: 30)
        #expect(run.status == 78, "\(run.stderr)")
        #expect(seconds < 5, "took \(seconds) s")
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.contains("silent did not say hello within 1000 ms"), "\(run.stderr)")
        #expect(run.stderr.contains("loading the model, please wait") && run.stderr.contains("still loading: 42%"))
        scene.expectNoProcessLeft()
    }

    /// The executor's own children go with it: a shell script killed at timeout_ready leaves no
    /// `sleep` behind (executors run in their own process group).
    @Test func anExecutorsChildProcessesDoNotOutliveTheFlow() throws {
        let scene = try Scene()
        defer { scene.cleanUp() }
        try TestFiles.write("#!/bin/sh\necho 'starting a helper' >&2\nsleep 120\n", to: "parent.sh", in: scene.dir, executable: true)
        try scene.flow("""
            jtype: Flow
            executors:
              - name: parent
                uses: exec://./parent.sh
                timeout_ready: 500
            """)
        try scene.inputs(1)
        let (run, _) = try scene.run(["--inputs", "in.jsonl"], timeout: 30)
        #expect(run.status == 78, "\(run.stderr)")
        scene.expectNoProcessLeft()
    }

    @Test func aMissingProgramIsAConfigError() throws {
        let scene = try Scene()
        defer { scene.cleanUp() }
        try scene.flow("""
            jtype: Flow
            executors:
              - name: ok
                uses: Echo
              - name: ghost
                uses: exec://./no-such-executor.sh --flag
            """)
        try scene.inputs(1)
        let (run, seconds) = try scene.run(["--inputs", "in.jsonl"], timeout: 30)
        #expect(run.status == 78)
        #expect(seconds < 5)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.contains("flow.yml:6:") && run.stderr.contains("no-such-executor.sh") && run.stderr.contains("not found"),
                "\(run.stderr)")
        scene.expectNoProcessLeft()
    }

    /// One executor fails at once while another would take 30 s to be ready: the Flow gives up at
    /// once, names the one that failed with its stderr, and stops the slow ones.
    @Test func oneExecutorFailingToStartStopsTheFlowFast() throws {
        let scene = try Scene()
        defer { scene.cleanUp() }
        try TestFiles.write("#!/bin/sh\necho 'warming up' >&2\nexec sleep 120\n", to: "slow.sh", in: scene.dir, executable: true)
        try scene.flow("""
            jtype: Flow
            executors:
              - name: slowpoke
                uses: exec://./slow.sh
                timeout_ready: 30000
              - name: napper
                uses: {jtype: Sleep, with: {ms: 50}}
                shards: 2
              - name: broken
                uses: {jtype: Segmenter, with: {unit: word}}
            """)
        try scene.inputs(1)
        let (run, seconds) = try scene.run(["--inputs", "in.jsonl"], timeout: 60)
        #expect(run.status == 78, "\(run.stderr)")
        #expect(seconds < 5, "took \(seconds) s; the slow executor must not be waited for")
        let report = run.stderr.components(separatedBy: "the Flow could not start").last ?? ""
        #expect(report.contains("broken") && report.contains("unit must be 'sentence' or 'paragraph'"), "\(run.stderr)")
        #expect(!report.contains("slowpoke"), "only the executor that failed is blamed: \(report)")
        scene.expectNoProcessLeft()
    }

    /// A remote executor that cannot be reached fails the start at once; the Flow does not wait
    /// for the other executors' timeout_ready (10 min by default), nor blame them.
    @Test func anUnreachableRemoteExecutorFailsTheStartFast() throws {
        let scene = try Scene()
        defer { scene.cleanUp() }
        try scene.flow("""
            jtype: Flow
            executors:
              - name: faraway
                host: 127.0.0.1
                port: 1
              - name: near
                uses: Echo
              - name: nearer
                uses: UpperCase
            """)
        try scene.inputs(1)
        let (run, seconds) = try scene.run(["--inputs", "in.jsonl"], timeout: 12)
        #expect(run.status == 78, "exit \(run.status) after \(seconds) s: \(run.stderr)")
        #expect(seconds < 5, "took \(seconds) s")
        let report = run.stderr.components(separatedBy: "the Flow could not start").last ?? ""
        #expect(report.contains("faraway") && report.contains("127.0.0.1:1"), "\(run.stderr)")
        #expect(!report.contains("near did not say hello"), "a healthy executor is blamed: \(report)")
        scene.expectNoProcessLeft()
    }

    /// SIGTERM while an executor takes long to be ready (a model loading): the Flow stops at
    /// once instead of waiting for timeout_ready, and leaves nothing behind.
    @Test func sigtermDuringASlowStartStopsTheFlow() throws {
        let scene = try Scene()
        defer { scene.cleanUp() }
        try TestFiles.write("#!/bin/sh\necho 'loading a big model' >&2\nexec sleep 120\n", to: "slow.sh", in: scene.dir, executable: true)
        try scene.flow("""
            jtype: Flow
            executors:
              - name: heavy
                uses: exec://./slow.sh
                timeout_ready: 60000
              - name: light
                uses: Echo
            """)
        try scene.inputs(1)
        let jina = try scene.start(["--inputs", "in.jsonl"])
        defer { jina.kill() }
        #expect(jina.waitForStderr(containing: "loading a big model", timeout: 10))
        let signalled = Date()
        jina.signal(SIGTERM)
        let exited = jina.waitForExit(timeout: 5)
        #expect(exited, "still starting 5 s after SIGTERM")
        if exited {
            #expect(Date().timeIntervalSince(signalled) < 5)
            #expect(jina.exitStatus != 0, "nothing was done: not a success")
        }
        jina.kill()
        scene.expectNoProcessLeft()
    }

    // MARK: Signals to the Flow

    /// Four shards of a 1 s Sleep with four requests in flight; stdin is a pipe that keeps
    /// delivering. SIGINT: the requests in flight finish and are written, nothing fails, exit 130.
    @Test(arguments: [SIGINT, SIGTERM])
    func aSignalMidStreamFinishesTheRequestsInFlight(signal: Int32) throws {
        let scene = try Scene()
        defer { scene.cleanUp() }
        try scene.flow("""
            jtype: Flow
            executors:
              - name: napper
                uses: {jtype: Sleep, with: {ms: 1000}}
                shards: 4
                polling: ANY
            """)
        let jina = try scene.start(["--inputs", "-", "--request-size", "1", "--prefetch", "4", "--shutdown-timeout", "5000"])
        defer { jina.kill() }
        // Everything up: jina and its four executors.
        let deadline = Date().addingTimeInterval(10)
        while ProcessTable.pids(withMarker: scene.marker).count < 5 && Date() < deadline { usleep(10_000) }
        #expect(ProcessTable.pids(withMarker: scene.marker).count == 5)
        jina.write(TestFiles.jsonl(count: 4, idPrefix: "s"))
        // A slow writer that goes on until jina exits (so a reader waiting for input is not what we test here).
        let writer = Thread {
            var i = 4
            while jina.isRunning && i < 200 {
                usleep(100_000)
                if !jina.write("{\"id\":\"s\(String(format: "%03d", i))\"}\n") { break }
                i += 1
            }
        }
        writer.start()
        usleep(400_000)
        let signalled = Date()
        jina.signal(signal)
        let exited = jina.waitForExit(timeout: 15)
        let seconds = Date().timeIntervalSince(signalled)
        #expect(exited, "still running 15 s after the signal")
        jina.closeStdin()
        #expect(seconds < 5, "took \(seconds) s after the signal")
        let status = jina.exitStatus
        if signal == SIGINT {
            #expect(status == 130, "\(jina.stderr)")
        } else {
            // SIGTERM: a graceful stop; observed: 0 when nothing failed.
            #expect(status == 0 || status == 1, "\(jina.stderr)")
        }
        let ids = try TestFiles.objects(jina.stdout).map { $0.id ?? "" }
        #expect(ids.count >= 4, "the 4 requests in flight must be finished and written: \(ids)")
        #expect(ids == (0..<ids.count).map { String(format: "s%03d", $0) }, "in order, none lost: \(ids)")
        #expect(Self.failureLines(jina.stderr).isEmpty, "\(jina.stderr)")
        scene.expectNoProcessLeft()
    }

    /// SIGINT while `flow run --inputs -` waits for more input on a pipe that stays open: it
    /// stops reading, finishes what it has, and exits 130 (Ctrl-C on `tail -f x | jina flow run --inputs -`).
    @Test func sigintWhileWaitingForInputExitsPromptly() throws {
        let scene = try Scene()
        defer { scene.cleanUp() }
        try scene.flow("""
            jtype: Flow
            executors:
              - name: napper
                uses: {jtype: Sleep, with: {ms: 100}}
            """)
        let jina = try scene.start(["--inputs", "-", "--request-size", "1"])
        defer { jina.kill() }
        jina.write(TestFiles.jsonl(count: 2, idPrefix: "w"))
        usleep(1_500_000)
        jina.signal(SIGINT)
        let exited = jina.waitForExit(timeout: 5)
        #expect(exited, "still running 5 s after SIGINT, waiting for input")
        jina.closeStdin()
        jina.waitForExit(timeout: 10)
        if exited {
            #expect(jina.exitStatus == 130)
            #expect(try TestFiles.objects(jina.stdout).map { $0.id ?? "" } == ["w000", "w001"])
        }
        scene.expectNoProcessLeft()
    }

    /// SIGINT while a request is stuck in a slow executor: past --shutdown-timeout the request is
    /// cancelled downstream (not waited for), reported as cancelled, and the run exits 130.
    @Test func requestsStillInFlightPastTheShutdownTimeoutAreCancelled() throws {
        let scene = try Scene()
        defer { scene.cleanUp() }
        try scene.flow("""
            jtype: Flow
            executors:
              - name: stuck
                uses: {jtype: Sleep, with: {ms: 60000}}
            """)
        try TestFiles.write(TestFiles.jsonl(count: 1), to: "in.jsonl", in: scene.dir)
        let jina = try scene.start(["--inputs", "in.jsonl", "--shutdown-timeout", "300"])
        defer { jina.kill() }
        usleep(1_000_000)
        jina.signal(SIGINT)
        #expect(jina.waitForExit(timeout: 15), "still running 15 s after SIGINT with a 300 ms shutdown timeout")
        #expect(jina.exitStatus == 130)
        #expect(jina.stderr.contains("did not finish within 300 ms; cancelling them"), "\(jina.stderr)")
        #expect(jina.stderr.contains("RequestCancelled"), "\(jina.stderr)")
        scene.expectNoProcessLeft()
    }

    /// SIGKILL leaves the Flow no time to clean up: its executors must still go (they watch their parent).
    @Test func sigkillToTheFlowTakesItsExecutorsWithIt() throws {
        let scene = try Scene()
        defer { scene.cleanUp() }
        try scene.flow("""
            jtype: Flow
            executors:
              - name: a
                uses: {jtype: Sleep, with: {ms: 200}}
              - name: b
                uses: Echo
                shards: 2
                uses_after: BaseExecutor
            """)
        let jina = try scene.start(["--inputs", "-", "--request-size", "1"])
        defer { jina.kill() }
        jina.write(TestFiles.jsonl(count: 3, idPrefix: "k"))
        let deadline = Date().addingTimeInterval(10)
        while ProcessTable.pids(withMarker: scene.marker).count < 5 && Date() < deadline { usleep(10_000) }
        let before = ProcessTable.pids(withMarker: scene.marker)
        #expect(before.count == 5, "jina, a, b/shard-0, b/shard-1, b/tail: \(before.map { ProcessTable.commandLine(of: $0) })")
        #expect(before.filter { $0 != jina.pid }.allSatisfy { ProcessTable.commandLine(of: $0).contains("executor --stdio") })
        jina.signal(SIGKILL)
        #expect(jina.waitForExit(timeout: 5))
        #expect(jina.exitStatus == 128 + SIGKILL)
        let left = ProcessTable.survivors(ofMarker: scene.marker, waiting: 1)
        #expect(left.isEmpty, "still alive 1 s after the Flow was killed: \(left)")
    }
}
