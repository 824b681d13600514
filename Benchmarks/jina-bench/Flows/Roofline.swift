import Foundation
import JinaWire

/// What the design allows: a Flow moves each request's documents as JSON through pipes, and each
/// executor decodes and encodes them once. Timed here in one process on the same batches:
/// decode (JSON → documents), encode (documents → JSON) and a copy through a pipe to another
/// thread. The roofline for a Flow of H executors in a line is, per document,
///   (decode + encode) at the edges (reading the input, writing the output)
///   + H × (decode + encode + 2 pipe copies)   (there and back for each executor),
/// all on one core: the Flow may overlap them on the machine's other cores.
enum Roofline {
    static func measure(corpus: Corpus, requestSize: Int, results: Results) {
        let bodies = stride(from: 0, to: corpus.documents.count, by: requestSize).map {
            Corpus.jsonArray(corpus.documents[$0..<min($0 + requestSize, corpus.documents.count)])
        }
        let docs = Double(corpus.documents.count)
        let decoded = bodies.map { try! DocumentArray.decode($0) }
        let decode = best { bodies.reduce(0) { $0 + (try! DocumentArray.decode($1)).count } } / docs
        let encode = best { decoded.reduce(0) { $0 + DocumentArray.encode($1).count } } / docs
        let pipe = best { pushThroughPipe(bodies) } / docs
        let hop = decode + encode + 2 * pipe

        print("\nroofline (in one process, median of 5 after a warm-up; \(corpus.documents.count) docs, \(bodies.count) bodies, "
              + "\(bodies.reduce(0) { $0 + $1.count } / corpus.documents.count) bytes/doc)")
        print("  decode \(ns(decode)) ns/doc, encode \(ns(encode)) ns/doc, pipe copy \(ns(pipe)) ns/doc → one hop \(ns(hop)) ns/doc")
        for (name, hops) in [("one", 1.0), ("chain3", 3.0)] {
            let roof = 1 / (decode + encode + hops * hop)
            var line = "  \(Bench.column(name, 7, left: true)) roofline \(Bench.fixed(roof, 0)) docs/s"
            if let run = results.median(Engine.swiftName, name, \.runDocsPerSecond) {
                line += "; flow run \(Bench.fixed(run, 0)) docs/s = roofline ÷ \(Bench.fixed(roof / run, 2))"
            }
            if let http = results.median(Engine.swiftName, name, \.httpDocsPerSecond) {
                line += "; HTTP \(Bench.fixed(http, 0)) docs/s = roofline ÷ \(Bench.fixed(roof / http, 2))"
            }
            print(line)
        }
    }

    /// Median seconds of 5 timed runs after one warm-up.
    static func best(_ body: () -> Int) -> Double {
        var sink = body()
        var times: [Double] = []
        for _ in 0..<5 {
            let start = Bench.now()
            sink &+= body()
            times.append(Bench.now() - start)
        }
        if sink == 42 { print("", terminator: "") }
        return Bench.median(times)
    }

    /// Writes every body into a pipe while another thread reads it all; the byte count.
    static func pushThroughPipe(_ bodies: [[UInt8]]) -> Int {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { Bench.fail("pipe: \(String(cString: strerror(errno)))") }
        let (readEnd, writeEnd) = (fds[0], fds[1])
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var received = 0
        Thread {
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
                if n <= 0 { break }
                received += n
            }
            done.signal()
        }.start()
        for body in bodies {
            var offset = 0
            while offset < body.count {
                let n = body.withUnsafeBytes { write(writeEnd, $0.baseAddress! + offset, body.count - offset) }
                guard n > 0 else { break }
                offset += n
            }
        }
        close(writeEnd)
        done.wait()
        close(readEnd)
        return received
    }

    static func ns(_ seconds: Double) -> String { Bench.fixed(seconds * 1e9, 0) }
}
