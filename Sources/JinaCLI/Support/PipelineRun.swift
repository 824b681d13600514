import Foundation
import JinaClient
import JinaRuntime
import JinaWire

/// Streams batches from a reader through a running Flow with a bounded number of requests in
/// flight, and writes the results in input order.
struct PipelineRun {
    let runtime: FlowRuntime
    let reader: InputReader
    let endpoint: String
    let requestSize: Int
    let prefetch: Int
    let parameters: JSONObject
    let targetExecutor: String?
    let writeResponses: Bool
    let interrupt: InterruptWatcher

    struct Summary {
        var requests = 0
        var failed = 0
        var inputError: String?
    }

    func run() async -> Summary {
        let batches = BatchFeed(reader: reader, requestSize: requestSize, readAhead: prefetch)
        // A slot is freed when a result is written, not when it arrives: answers waiting behind a
        // slow request hold their slots, so memory stays bounded by --prefetch.
        let output = OrderedOutput(writeResponses: writeResponses, written: { batches.release() }, readerGone: { batches.stop() })
        let runtime = self.runtime
        interrupt.onStop { batches.stop() }
        var summary = Summary()
        await withDiscardingTaskGroup { group in
            var index = 0
            for await batch in batches.stream {
                let request = FlowRequest(endpoint: endpoint, parameters: parameters, body: batch.body, count: batch.count,
                                          targetExecutor: targetExecutor)
                let position = index
                index += 1
                group.addTask {
                    let response = await runtime.post(request)
                    output.deliver(response, at: position)
                }
            }
            summary.requests = index
        }
        output.finish()
        summary.failed = output.failures
        summary.inputError = batches.error
        return summary
    }
}

/// Reads batches on a thread of its own, so a slow or blocked input (a terminal, a pipe) never
/// holds up the Flow and an interrupt ends the stream at once. At most `slots` batches are read
/// ahead of the ones answered: the reader waits for a slot before reading the next.
final class BatchFeed: @unchecked Sendable {
    let stream: AsyncStream<(body: [UInt8], count: Int)>
    private let continuation: AsyncStream<(body: [UInt8], count: Int)>.Continuation
    private let slots: DispatchSemaphore
    private let lock = NSLock()
    private var stopped = false
    private var failure: String?

    init(reader: InputReader, requestSize: Int, readAhead: Int) {
        (stream, continuation) = AsyncStream.makeStream(of: (body: [UInt8], count: Int).self, bufferingPolicy: .unbounded)
        // Start at zero and signal up: libdispatch traps when a semaphore is freed below the
        // value it was created with, which a reader blocked in wait() leaves it at.
        slots = DispatchSemaphore(value: 0)
        for _ in 0..<max(1, readAhead) { slots.signal() }
        let thread = Thread { [self] in
            while true {
                slots.wait()
                if lock.withLock({ stopped }) { break }
                do {
                    guard let batch = try reader.nextBatch(requestSize) else { break }
                    if lock.withLock({ stopped }) { break }
                    continuation.yield(batch)
                } catch {
                    lock.withLock { failure = "\(error)" }
                    break
                }
            }
            continuation.finish()
        }
        thread.name = "jina-inputs"
        thread.start()
    }

    /// A request was answered: one more batch may be read.
    func release() { slots.signal() }

    /// Ends the stream now; batches already sent still run.
    func stop() {
        lock.withLock { stopped = true }
        continuation.finish()
        slots.signal()
    }

    var error: String? { lock.withLock { failure } }
}

/// Writes responses in request order however they arrive: a small reorder buffer, bounded by
/// the requests in flight.
final class OrderedOutput: @unchecked Sendable {
    private let lock = NSLock()
    private var waiting: [Int: FlowResponse] = [:]
    private var next = 0
    private var buffer: [UInt8] = []
    private let writeResponses: Bool
    private let written: @Sendable () -> Void
    private let readerGone: @Sendable () -> Void
    private var closed = false
    private(set) var failures = 0

    init(writeResponses: Bool, written: @escaping @Sendable () -> Void = {}, readerGone: @escaping @Sendable () -> Void = {}) {
        self.writeResponses = writeResponses
        self.written = written
        self.readerGone = readerGone
    }

    func deliver(_ response: FlowResponse, at position: Int) {
        lock.withLock {
            waiting[position] = response
            while let ready = waiting.removeValue(forKey: next) {
                write(ready)
                next += 1
                written()
            }
            // Results go out as they are ready, so a pipe reader sees them while inputs still come.
            flush()
        }
    }

    func finish() {
        lock.withLock { flush() }
    }

    private func write(_ response: FlowResponse) {
        if let failure = response.failure {
            failures += 1
            Log.error("request \(response.requestID) failed at \(failure.executor): \(failure.description)")
        }
        if writeResponses {
            buffer += ResponseEnvelope.json(response).jsonBytes
            buffer.append(0x0A)
            return
        }
        guard response.failure == nil, let docs = try? DocumentArray.split(response.body) else { return }
        for doc in docs {
            buffer += doc
            buffer.append(0x0A)
        }
    }

    /// A reader that went away (`| head`) ends the output and the reading of inputs, quietly.
    private func flush() {
        guard !buffer.isEmpty else { return }
        if !closed && !StandardOutput.write(buffer) {
            closed = true
            readerGone()
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
