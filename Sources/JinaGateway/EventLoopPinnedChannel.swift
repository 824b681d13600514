import HummingbirdCore
import Logging
import NIOCore

/// Runs each connection's handling, and every task its requests start, on the event loop that
/// owns the connection's socket. Hummingbird otherwise handles a connection on Swift's global
/// pool, so each request crossed threads twice (event loop → pool → event loop) besides the
/// hand-offs from the executors' reader threads, which now resume work on that event loop too.
struct EventLoopPinnedChannel<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value
    let base: Base

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        base.setup(channel: channel, logger: logger)
    }

    func handle(value: Value, logger: Logger) async {
        await withTaskExecutorPreference(EventLoopTaskExecutor(value.channel.eventLoop)) {
            await base.handle(value: value, logger: logger)
        }
    }
}

/// A `TaskExecutor` that runs jobs on one NIO event loop (NIO offers a serial executor only).
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
