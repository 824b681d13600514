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
        var docs = 0
        var failed = 0
        /// From the start of the run to the last result written.
        var seconds = 0.0
        var inputError: String?
    }

    func run() async -> Summary {
        let batches = BatchFeed(reader: reader, requestSize: requestSize, readAhead: prefetch)
        // A slot is freed when a result is written, not when it arrives: answers waiting behind a
        // slow request hold their slots, so memory stays bounded by --prefetch.
        let output = OrderedLines(write: { bytes in
            let written = StandardOutput.write(bytes)
            if !written { batches.stop() }  // the reader of stdout is gone (`| head`)
            return written
        }, written: { batches.release() })
        interrupt.onStop { batches.stop() }
        let failures = FailureCount()
        let runtime = self.runtime
        let writeResponses = self.writeResponses
        var summary = Summary()
        let clock = ContinuousClock()
        let start = clock.now
        await withDiscardingTaskGroup { group in
            var index = 0
            for await batch in batches.stream {
                let request = FlowRequest(endpoint: endpoint, parameters: parameters, body: batch.body, count: batch.count,
                                          targetExecutor: targetExecutor)
                let position = index
                index += 1
                summary.docs += batch.count
                group.addTask {
                    let response = await runtime.post(request)
                    if let failure = response.failure {
                        failures.add()
                        Log.error("request \(response.requestID) failed at \(failure.executor): \(failure.description)")
                    }
                    output.deliver(Self.lines(response, writeResponses: writeResponses), at: position)
                }
            }
            summary.requests = index
        }
        let elapsed = (clock.now - start).components
        summary.seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
        summary.failed = failures.value
        summary.inputError = batches.error
        return summary
    }

    /// What a response writes: its documents, one per line (none when it failed), or its envelope.
    static func lines(_ response: FlowResponse, writeResponses: Bool) -> [UInt8] {
        if writeResponses { return ResponseEnvelope.bytes(response) + [0x0A] }
        guard response.failure == nil, let docs = try? DocumentArray.split(response.body) else { return [] }
        var lines: [UInt8] = []
        lines.reserveCapacity(response.body.count)
        for doc in docs {
            lines += doc
            lines.append(0x0A)
        }
        return lines
    }
}

/// Failed requests, counted from the request tasks.
final class FailureCount: @unchecked Sendable {  // behind `lock`
    private let lock = NSLock()
    private var count = 0

    func add() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
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
