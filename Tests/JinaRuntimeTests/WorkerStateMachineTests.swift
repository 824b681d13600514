import Testing
@testable import JinaRuntime

/// The rules of one executor slot's life, event by event.
@Suite struct WorkerStateMachineTests {
    typealias Machine = WorkerStateMachine
    let t0 = ContinuousClock.now

    /// A machine whose first process has said hello.
    func ready() -> Machine {
        var m = Machine(label: "enc")
        _ = m.handle(.start)
        _ = m.handle(.launched(generation: 1))
        _ = m.handle(.hello(generation: 1))
        return m
    }

    func crash(_ m: inout Machine, at offset: Duration, signal: String = "was killed by signal 9 (SIGKILL)") -> [Machine.Action] {
        m.handle(.ended(generation: m.generation, .exited(signal), at: t0 + offset, tail: ""))
    }

    @Test func startLaunchesTheFirstProcessAndWaitsForItsHello() {
        var m = Machine(label: "enc")
        #expect(m.handle(.start) == [.launch(generation: 1)])
        #expect(m.state == .starting)
        #expect(m.handle(.launched(generation: 1)) == [])
        #expect(!m.acceptsCalls)
        #expect(m.handle(.hello(generation: 1)) == [.resumeReadyWaiters])
        #expect(m.state == .ready)
        #expect(m.acceptsCalls)
    }

    @Test func aProcessThatCannotBeSpawnedFailsTheStart() {
        var m = Machine(label: "enc")
        _ = m.handle(.start)
        let failure = ExecutorFailure(.unavailable, executor: "enc", "enc could not start: no such file")
        #expect(m.handle(.launchFailed(generation: 1, why: "no such file", at: t0)) == [.failReadyWaiters(failure)])
        #expect(m.state == .failed(failure))
    }

    @Test func dyingBeforeHelloFailsTheStartWithItsLastOutput() {
        var m = Machine(label: "enc")
        _ = m.handle(.start)
        _ = m.handle(.launched(generation: 1))
        let actions = m.handle(.ended(generation: 1, .exited("exited with status 3"), at: t0, tail: "; its last output:\n    boom"))
        let failure = ExecutorFailure(.unavailable, executor: "enc", "enc exited with status 3 before it was ready; its last output:\n    boom")
        #expect(actions.contains(.failReadyWaiters(failure)))
        #expect(m.state == .failed(failure))
        #expect(!actions.contains { if case .scheduleRestart = $0 { return true } else { return false } })
    }

    @Test func aCrashFailsTheHeldCallsAndRestartsAfterABackoff() {
        var m = ready()
        let actions = crash(&m, at: .seconds(1))
        #expect(actions == [
            .failHeldCalls(ExecutorFailure(.crashed, executor: "enc", "enc was killed by signal 9 (SIGKILL) while it held this request")),
            .log(.warning, "enc was killed by signal 9 (SIGKILL); restarting"),
            .scheduleRestart(after: .milliseconds(100)),
        ])
        #expect(m.state == .restarting)
        #expect(!m.acceptsCalls)
        #expect(m.handle(.restartDue) == [.launch(generation: 2)])
        #expect(m.restarts == 1)
        _ = m.handle(.launched(generation: 2))
        #expect(m.handle(.hello(generation: 2)) == [.resumeReadyWaiters])
        #expect(m.state == .ready)
    }

    @Test func eventsAboutAReplacedProcessChangeNothing() {
        var m = ready()
        _ = crash(&m, at: .seconds(1))
        _ = m.handle(.restartDue)
        #expect(m.handle(.hello(generation: 1)) == [])
        #expect(m.handle(.ended(generation: 1, .exited("exited with status 0"), at: t0, tail: "")) == [])
        #expect(m.handle(.callTimedOut(generation: 1)) == [])
        #expect(m.state == .restarting)
    }

    @Test func theBackoffDoublesUpToFiveSeconds() {
        #expect((1...8).map { Machine.backoff(attempt: $0) } == [100, 200, 400, 800, 1600, 3200, 5000, 5000].map { .milliseconds($0) })
    }

    @Test func crashingAgainAndAgainWithoutAnsweringGivesUp() {
        var m = ready()
        for i in 1...Machine.maxCrashesInWindow {
            _ = crash(&m, at: .seconds(i))
            #expect(m.state == .restarting)
            _ = m.handle(.restartDue)
            _ = m.handle(.launched(generation: m.generation))
        }
        let actions = crash(&m, at: .seconds(10))
        let failure = ExecutorFailure(.unavailable, executor: "enc",
                                      "enc was killed by signal 9 (SIGKILL); it crashed 6 times within 60 s, giving up")
        #expect(m.state == .failed(failure))
        #expect(actions.contains(.failReadyWaiters(failure)))
        #expect(actions.contains(.log(.error, failure.message)))
        #expect(m.handle(.restartDue) == [])
    }

    @Test func aProcessThatAnsweredBeforeDyingIsNotLooping() {
        var m = ready()
        for i in 1...20 {
            _ = m.handle(.answered(generation: m.generation))
            _ = crash(&m, at: .seconds(i))
            #expect(m.state == .restarting, "crash \(i)")
            _ = m.handle(.restartDue)
            _ = m.handle(.launched(generation: m.generation))
            _ = m.handle(.hello(generation: m.generation))
        }
    }

    @Test func crashesOlderThanTheWindowAreForgotten() {
        var m = ready()
        for i in 0..<10 {
            _ = crash(&m, at: .seconds(i * 20))
            #expect(m.state == .restarting, "crash \(i)")
            _ = m.handle(.restartDue)
            _ = m.handle(.launched(generation: m.generation))
        }
    }

    @Test func garbageOnStdoutIsAProtocolErrorAndARestart() {
        var m = ready()
        let actions = m.handle(.ended(generation: 1, .brokeProtocol("bad frame header"), at: t0, tail: ""))
        #expect(actions.first == .failHeldCalls(ExecutorFailure(.protocolError, executor: "enc",
                                                                "enc broke the protocol: bad frame header; restarting it")))
        #expect(m.state == .restarting)
    }

    @Test func aTimedOutCallReplacesTheProcessAndFailsTheCallsQueuedBehindIt() {
        var m = ready()
        let actions = m.handle(.callTimedOut(generation: 1))
        #expect(actions == [.failHeldCalls(ExecutorFailure(.unavailable, executor: "enc",
                                                           "enc was restarted because an earlier request timed out; this one was queued behind it")),
                            .killProcess])
        #expect(m.state == .restarting)
        #expect(!m.acceptsCalls)
        let ended = crash(&m, at: .seconds(1))
        #expect(ended.contains(.scheduleRestart(after: .milliseconds(100))))
    }

    @Test func noHelloInTimeFailsAndKillsTheProcess() {
        var m = Machine(label: "enc")
        _ = m.handle(.start)
        _ = m.handle(.launched(generation: 1))
        let failure = ExecutorFailure(.unavailable, executor: "enc", "enc did not say hello within 500 ms (timeout_ready)")
        #expect(m.handle(.readyTimedOut(generation: 1, milliseconds: 500, tail: "")) == [.failReadyWaiters(failure), .killProcess])
        // Its death by our KILL does not replace the reason.
        _ = crash(&m, at: .seconds(1))
        #expect(m.state == .failed(failure))
    }

    @Test func aReadyTimeoutAfterHelloIsIgnored() {
        var m = ready()
        #expect(m.handle(.readyTimedOut(generation: 1, milliseconds: 500, tail: "")) == [])
        #expect(m.state == .ready)
    }

    @Test func stopClosesTheInputAndTheEndIsAStopNotACrash() {
        var m = ready()
        #expect(m.handle(.stop) == [.closeInput])
        #expect(!m.acceptsCalls)
        let stopped = ExecutorFailure(.stopped, executor: "enc", "enc stopped")
        #expect(crash(&m, at: .seconds(1), signal: "exited with status 0") == [.failHeldCalls(stopped), .failReadyWaiters(stopped)])
        #expect(m.state == .stopped)
        #expect(m.handle(.restartDue) == [])
    }

    @Test func stopDuringStartDiscardsTheProcessBeingSpawned() {
        var m = Machine(label: "enc")
        _ = m.handle(.start)
        let stopped = ExecutorFailure(.stopped, executor: "enc", "enc stopped")
        #expect(m.handle(.stop) == [.failReadyWaiters(stopped)])
        #expect(m.state == .stopped)
        #expect(m.handle(.launched(generation: 1)) == [.discardLaunch, .failReadyWaiters(stopped)])
        #expect(!m.processAlive)
    }

    @Test func stopDuringTheBackoffEndsAtOnceWithoutARestart() {
        var m = ready()
        _ = crash(&m, at: .seconds(1))
        #expect(m.handle(.stop) == [.failReadyWaiters(ExecutorFailure(.stopped, executor: "enc", "enc stopped"))])
        #expect(m.handle(.restartDue) == [])
        #expect(m.state == .stopped)
    }

    @Test func killEndsAStartStillWaitingForHello() {
        var m = Machine(label: "enc")
        _ = m.handle(.start)
        _ = m.handle(.launched(generation: 1))
        let stopped = ExecutorFailure(.stopped, executor: "enc", "enc stopped")
        #expect(m.handle(.kill) == [.killProcess, .failReadyWaiters(stopped)])
        #expect(m.handle(.hello(generation: 1)) == [])
    }

    @Test func aRestartThatCannotSpawnCountsAsACrash() {
        var m = ready()
        _ = crash(&m, at: .seconds(1))
        _ = m.handle(.restartDue)
        let actions = m.handle(.launchFailed(generation: 2, why: "fork failed", at: t0 + .seconds(2)))
        #expect(actions == [.log(.warning, "enc could not be restarted: fork failed; restarting"), .scheduleRestart(after: .milliseconds(200))])
        #expect(m.state == .restarting)
    }
}
