import Foundation
import JinaRuntime
import JinaWire

/// Streams batches from the inputs through a sender with at most `prefetch` batches in flight
/// or waiting for their turn in the output, and writes the results to stdout in input order.
/// Failed batches are counted and logged; SIGINT or SIGTERM stop the inputs and let the batches
/// in flight finish. `flow run` and `client post` differ only in their sender.
struct BatchPipeline {
    let reader: InputReader
    let requestSize: Int
    let prefetch: Int
    let interrupt: InterruptWatcher
    /// A progress line on stderr (a terminal), or nil.
    let progress: ProgressBar?
    /// After a stop (SIGINT, SIGTERM), how long the batches in flight may take before they are
    /// cancelled (their executor calls withdrawn); nil waits for them.
    var drainLimit: Duration? = nil

    func run(_ sender: some BatchSender) async -> PipelineSummary {
        let batches = BatchFeed(reader: reader, requestSize: requestSize, readAhead: prefetch)
        let progress = self.progress
        let sharesTerminal = progress != nil && Terminal.isTerminal(STDOUT_FILENO)
        // A batch's slot is freed when its output is written, not when it is answered: a slow
        // request then holds back new ones instead of letting answers pile up behind it.
        let output = OrderedLines(write: { bytes in
            let written = sharesTerminal ? progress!.interrupting { StandardOutput.write(bytes) } : StandardOutput.write(bytes)
            if !written { batches.stop() }  // the reader of stdout is gone (`| head`)
            return written
        }, written: { batches.release() })
        interrupt.onStop { batches.stop() }
        let failures = FailureTally()
        var summary = PipelineSummary(showedProgress: progress != nil)
        progress?.start()
        let clock = ContinuousClock()
        let start = clock.now
        let sent = await cancellingAfterStop(drainLimit) {
        await withDiscardingTaskGroup { group -> (requests: Int, docs: Int) in
            var sent = (requests: 0, docs: 0)
            for await batch in batches.stream {
                let position = sent.requests
                sent.requests += 1
                sent.docs += batch.count
                group.addTask {
                    let outcome = await sender.send(batch)
                    progress?.record(docs: batch.count, failed: outcome.failure != nil)
                    if let failure = outcome.failure {
                        failures.add(stoppingInputs: outcome.stopsInputs)
                        if outcome.stopsInputs { batches.stop() }
                    }
                    failures.addDocuments(outcome.documentErrors.count)
                    for line in (outcome.failure.map { [$0] } ?? []) + outcome.documentErrors {
                        if let progress { progress.interrupting { Log.error(line) } } else { Log.error(line) }
                    }
                    output.deliver(outcome.output, at: position)
                }
            }
            return sent
        }
        }
        summary.requests = sent.requests
        summary.docs = sent.docs
        progress?.finish()
        summary.seconds = (clock.now - start).inSeconds
        summary.failed = failures.count
        summary.failedDocuments = failures.documents
        summary.stoppedByFailure = failures.stoppedInputs
        summary.inputError = batches.error
        return summary
    }
}

extension BatchPipeline {
    /// Runs `work`; once a stop was asked for and `limit` has passed, cancels it (and waits for
    /// it to end, which a cancelled Flow request does at once).
    private func cancellingAfterStop<T: Sendable>(_ limit: Duration?, _ work: @escaping @Sendable () async -> T) async -> T {
        guard let limit else { return await work() }
        let interrupt = self.interrupt
        return await JinaWire.cancelling(work, when: {
            await interrupt.stopped()
            // Cancelled here only once `work` has ended: returning then changes nothing.
            guard (try? await Task.sleep(for: limit)) != nil else { return }
            Log.warning("the requests in flight did not finish within \(limit.components.seconds * 1000 + limit.components.attoseconds / 1_000_000_000_000_000) ms; cancelling them")
        })
    }
}

/// Failed batches and documents with their own error, counted from the batch tasks.
private final class FailureTally: @unchecked Sendable {  // behind `lock`
    private let lock = NSLock()
    private var failed = 0
    private var failedDocuments = 0
    private var stopped = false

    func add(stoppingInputs: Bool) {
        lock.withLock {
            failed += 1
            stopped = stopped || stoppingInputs
        }
    }

    func addDocuments(_ count: Int) {
        lock.withLock { failedDocuments += count }
    }

    var count: Int { lock.withLock { failed } }
    var documents: Int { lock.withLock { failedDocuments } }
    var stoppedInputs: Bool { lock.withLock { stopped } }
}
