import Foundation
import Testing

/// A stream far bigger than memory should allow, through an executor slower than the input:
/// `flow run` must read only as fast as the Flow drains (bounded requests in flight), so the
/// `jina` process's memory stays flat however long the stream is (SPEC §1 "stream", §8).
@Suite struct BackpressureTests {
    static let documents = 1_000_000
    static let requestSize = 100
    /// The bound on the `jina` process's VmRSS (the Flow side; executors are measured and reported).
    /// Measured: 26 MB, flat from the first second to the millionth document. Reading the whole
    /// stream ahead would hold ~10,000 request bodies and their tasks, well over this bound.
    static let rssBoundKB = 64 * 1024
    static let timeLimit: TimeInterval = 120

    @Test func aMillionDocumentsThroughASlowExecutorInBoundedMemory() throws {
        let dir = try JinaBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (marker, environment) = ProcessTable.newMarker()
        defer { ProcessTable.killAll(withMarker: marker) }
        try TestFiles.write("""
            jtype: Flow
            executors:
              - name: slow
                uses: {jtype: Sleep, with: {ms: 1}}
            """, to: "flow.yml", in: dir)
        let jina = try JinaProcess(["flow", "run", "--uses", "flow.yml", "--inputs", "-", "--request-size", "\(Self.requestSize)"],
                                   in: dir, environment: environment, keepStdout: false)
        defer { jina.kill() }

        // The writer: a million `{"text":"x"}` lines into stdin, as fast as the pipe takes them.
        let written = Counter()
        let writer = Thread {
            let chunk = Array(String(repeating: "{\"text\":\"x\"}\n", count: 1000).utf8)
            for _ in 0..<(Self.documents / 1000) {
                guard jina.write(chunk) else { break }
                written.add(1000)
            }
            jina.closeStdin()
        }
        writer.start()

        // Sample memory every 100 ms until it exits (or the time limit).
        var peakKB = 0, peakExecutorsKB = 0, samples = 0
        var peakAtWritten = 0
        while jina.isRunning && jina.secondsSinceStart < Self.timeLimit {
            if let kb = ProcessTable.residentKB(of: jina.pid) {
                if kb > peakKB { peakKB = kb; peakAtWritten = written.value }
                samples += 1
            }
            let executors = ProcessTable.pids(withMarker: marker).filter { $0 != jina.pid }
            peakExecutorsKB = max(peakExecutorsKB, executors.compactMap(ProcessTable.residentKB(of:)).reduce(0, +))
            usleep(100_000)
        }
        let seconds = jina.secondsSinceStart
        let finished = jina.waitForExit(timeout: 1)
        let lines = jina.stdoutLineCount
        print("backpressure: \(Self.documents) docs in \(String(format: "%.1f", seconds)) s; jina VmRSS peak \(peakKB / 1024) MB "
              + "(at \(peakAtWritten) docs written, \(samples) samples); executor peak \(peakExecutorsKB / 1024) MB; \(lines) lines out")

        #expect(finished, "not done after \(Self.timeLimit) s: \(written.value) docs written, \(lines) out")
        #expect(jina.exitStatus == 0, "\(jina.stderr.suffix(2000))")
        #expect(written.value == Self.documents)
        #expect(lines == Self.documents, "\(lines) documents out of \(Self.documents)")
        #expect(samples >= 10, "too few memory samples (\(samples)) to say anything")
        #expect(peakKB > 0 && peakKB < Self.rssBoundKB, "jina VmRSS peaked at \(peakKB / 1024) MB (bound \(Self.rssBoundKB / 1024) MB)")
        #expect(ProcessTable.survivors(ofMarker: marker, waiting: 3).isEmpty)
    }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        func add(_ n: Int) { lock.withLock { count += n } }
        var value: Int { lock.withLock { count } }
    }
}
