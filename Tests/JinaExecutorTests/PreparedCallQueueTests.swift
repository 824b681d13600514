import Foundation
import JinaWire
import Testing
@testable import JinaExecutor

/// The hand-over between a host's reader thread and its answering thread.
@Suite struct PreparedCallQueueTests {
    func prepared(_ id: Int) throws -> LoadedExecutor.PreparedCall {
        let executor = try LoadedExecutor(ExecutorSpec(jtype: "Echo", name: "echo"))
        return executor.prepare(Frame(.call, id: id, body: Array("[]".utf8), [("endpoint", .string("/x"))]))
    }

    func id(_ item: PreparedCallQueue.Item) -> Int? {
        if case .call(let call) = item { return call.frame.id }
        return nil
    }

    @Test func itemsComeOutInTheOrderTheyWentIn() throws {
        let queue = PreparedCallQueue(capacity: 4)
        for i in 1...3 { #expect(queue.put(.call(try prepared(i)))) }
        queue.put(.end(2))
        #expect((0..<3).map { _ in id(queue.take()) } == [1, 2, 3])
        guard case .end(let status) = queue.take() else { Issue.record("expected the end"); return }
        #expect(status == 2)
    }

    @Test func aFullQueueHoldsThePutterUntilATakeMakesRoom() throws {
        let queue = PreparedCallQueue(capacity: 1)
        queue.put(.call(try prepared(1)))
        let second = try prepared(2)
        let putter = OnThread { queue.put(.call(second)) }
        #expect(id(queue.take()) == 1)
        #expect(putter.result())
        #expect(id(queue.take()) == 2)
    }

    @Test func closingReleasesAWaitingPutterAndTurnsAwayLaterPuts() throws {
        let queue = PreparedCallQueue(capacity: 1)
        queue.put(.call(try prepared(1)))
        let second = try prepared(2)
        let putter = OnThread { queue.put(.call(second)) }
        queue.close()
        #expect(putter.result() == false)
        #expect(queue.put(.end(0)) == false)
    }

    @Test func theQueueIsIdleOnlyWhileTheTakerWaitsWithNothingQueued() throws {
        let queue = PreparedCallQueue(capacity: 2)
        #expect(!queue.isIdle)  // no taker yet: it may be about to answer
        let taker = OnThread { queue.take() }
        let deadline = Date().addingTimeInterval(10)
        while !queue.isIdle && Date() < deadline { usleep(1000) }
        #expect(queue.isIdle)
        queue.put(.call(try prepared(1)))
        #expect(!queue.isIdle)
        #expect(id(taker.result()) == 1)
        #expect(!queue.isIdle)  // the taker is answering what it took
    }
}
