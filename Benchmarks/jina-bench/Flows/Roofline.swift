import Foundation
import JinaWire

/// What the design allows: a Flow moves each request's documents as JSON through pipes, and each
/// executor decodes and encodes them once. Timed here in one process on the same batches:
/// decode (JSON → documents), encode (documents → JSON) and a copy through a pipe to another
/// thread. The work per document for a Flow of H executors in a line is
///   (decode + encode) at the edges (reading the input, writing the output)
///   + H × (decode + encode + 2 pipe copies)   (there and back for each executor),
/// and the roofline is that work spread perfectly over every core (executors are processes, so
/// a Flow can keep all cores busy): cores ÷ work per document.
struct Roofline {
    let decode: Double
    let encode: Double
    let pipe: Double
    let bodies: Int
    let docs: Int
    let bytesPerDoc: Int
    let cores = ProcessInfo.processInfo.activeProcessorCount

    var hop: Double { decode + encode + 2 * pipe }

    /// Documents per second for a line of `hops` executors.
    func docsPerSecond(hops: Double) -> Double { Double(cores) / (decode + encode + hops * hop) }

    static func measure(corpus: Corpus, requestSize: Int) -> Roofline {
        let bodies = corpus.batches(of: requestSize).map(Corpus.jsonArray)
        let docs = Double(corpus.documents.count)
        let decoded = bodies.map { try! DocumentArray.decode($0) }
        return Roofline(decode: median { bodies.reduce(0) { $0 + (try! DocumentArray.decode($1)).count } } / docs,
                        encode: median { decoded.reduce(0) { $0 + DocumentArray.encode($1).count } } / docs,
                        pipe: median { pushThroughPipe(bodies) } / docs,
                        bodies: bodies.count, docs: corpus.documents.count,
                        bytesPerDoc: bodies.reduce(0) { $0 + $1.count } / max(1, corpus.documents.count))
    }

    func print(results: Results) {
        Swift.print("\nroofline (measured in one process before the Flows ran, median of 5 after a warm-up; \(docs) docs in \(bodies) "
                    + "bodies, \(bytesPerDoc) bytes/doc; \(cores) cores)")
        Swift.print("  decode \(Self.ns(decode)) ns/doc, encode \(Self.ns(encode)) ns/doc, pipe copy \(Self.ns(pipe)) ns/doc "
                    + "→ one hop \(Self.ns(hop)) ns/doc")
        for (name, hops) in [("one", 1.0), ("chain3", 3.0)] {
            let roof = docsPerSecond(hops: hops)
            var line = "  \(Bench.column(name, 7, left: true)) roofline \(Bench.fixed(roof, 0)) docs/s"
            if let run = results.median(Engine.swiftName, name, \.runDocsPerSecond) {
                line += "; flow run \(Bench.fixed(run, 0)) docs/s = roofline ÷ \(Bench.fixed(roof / run, 2))"
            }
            if let http = results.median(Engine.swiftName, name, \.httpDocsPerSecond) {
                line += "; HTTP \(Bench.fixed(http, 0)) docs/s = roofline ÷ \(Bench.fixed(roof / http, 2))"
            }
            Swift.print(line)
        }
    }

    /// Median seconds of 5 timed runs after one warm-up.
    static func median(_ body: () -> Int) -> Double {
        var sink = body()
        var times: [Double] = []
        for _ in 0..<5 {
            let start = Bench.now()
            sink &+= body()
            times.append(Bench.now() - start)
        }
        if sink == 42 { Swift.print("", terminator: "") }
        return Bench.median(times)
    }

    /// Writes every body into a pipe while another thread reads it all; the byte count.
    static func pushThroughPipe(_ bodies: [[UInt8]]) -> Int {
        var fds: [Int32] = [0, 0]
        guard Glibc.pipe(&fds) == 0 else { Bench.fail("pipe: \(String(cString: strerror(errno)))") }
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
            guard Bench.writeAll(writeEnd, body) else { break }
        }
        close(writeEnd)
        done.wait()
        close(readEnd)
        return received
    }

    static func ns(_ seconds: Double) -> String { Bench.fixed(seconds * 1e9, 0) }
}
