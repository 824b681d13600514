@testable import JinaClient
import Testing

/// The time limits behind every socket wait, and how they read in errors.
@Suite struct DeadlineTests {
    @Test func noLimitWaitsForeverAndIsNeverPast() {
        for deadline in [Deadline.none("x"), Deadline(milliseconds: 0, what: "x"), Deadline(milliseconds: -5, what: "x")] {
            #expect(deadline.pollTimeout == -1)
            #expect(!deadline.isPast)
        }
    }

    @Test func pollTimeoutIsWhatIsLeftInWholeMilliseconds() {
        let deadline = Deadline(milliseconds: 60_000, what: "x")
        #expect((59_000...60_000).contains(deadline.pollTimeout))
        #expect(!deadline.isPast)
    }

    @Test func pastDeadlineLeavesZero() async throws {
        let deadline = Deadline(milliseconds: 20, what: "x")
        try await Task.sleep(for: .milliseconds(50))
        #expect(deadline.pollTimeout == 0)
        #expect(deadline.isPast)
    }

    @Test func earliestKeepsTheDescriptionOfTheOneThatEndsFirst() {
        let connect = Deadline(milliseconds: 50, what: "connecting")
        let request = Deadline(milliseconds: 60_000, what: "waiting for the response")
        #expect(connect.earliest(request).what == "connecting")
        #expect(request.earliest(connect).what == "connecting")
        #expect(Deadline.none("n").earliest(request).what == "waiting for the response")
        #expect(request.earliest(.none("n")).what == "waiting for the response")
    }

    @Test func namedKeepsTheEndAndTheLimit() {
        let named = Deadline(milliseconds: 60_000, what: "waiting for the response").named("sending the request")
        #expect(named.pollTimeout > 59_000)
        #expect(named.error == .timedOut(what: "sending the request", milliseconds: 60_000))
    }
}
