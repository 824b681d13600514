import Foundation

/// `jina-bench served --port P`: the latency and throughput of a Flow started by someone else (a
/// docker-compose deployment, a `jina flow serve`), with the same load as `flows` (one-document
/// requests one after another for p50/p99, then the corpus in requests over keep-alive
/// connections). Benchmarks/containers runs it on the chain of 3 in containers and as local
/// processes, for the per-hop cost of TCP and container networking.
enum ServedBenchmark {
    static let usage = """
        usage: jina-bench served --port P [--label TEXT] [--runs N] [--docs N] [--request-size N] [--connections N]
                                 [--latency-requests N]
        """

    static func run(_ arguments: [String]) {
        Bench.name = "jina-bench served"
        var defaults = FlowBenchmark.Options()
        defaults.runs = 3
        var options = defaults
        var port: Int?
        var label = "served"
        var cursor = ArgumentCursor(arguments)
        while let option = cursor.option() {
            switch option {
            case "--port": port = cursor.number()
            case "--label": label = cursor.value()
            case "--runs": options.runs = cursor.number()
            case "--docs": options.docs = cursor.number()
            case "--request-size": options.requestSize = cursor.number()
            case "--connections": options.connections = cursor.number()
            case "--latency-requests": options.latencyRequests = cursor.number()
            default: Bench.fail("unknown option \(option)\n\(usage)")
            }
        }
        guard let port else { Bench.fail("--port is required\n\(usage)") }
        let directory = NSTemporaryDirectory() + "jina-bench-served-\(getpid())"
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let corpus = Corpus(count: options.docs, directory: directory)
        let bodies = corpus.batches(of: options.requestSize).map { HTTPLoad.body($0, endpoint: "/") }
        let one = HTTPLoad.body(corpus.documents[0..<1], endpoint: "/")
        do {
            _ = try HTTPLoad.waitReady(port: port, route: "/ready", since: Bench.now(), timeout: 60, alive: { true }) { $0.status == 200 }
            var rates: [Double] = [], p50s: [Double] = [], p99s: [Double] = []
            for run in 1...max(1, options.runs) {
                let latencies = try HTTPLoad.latencies(port: port, route: "/post", body: one, count: options.latencyRequests)
                let seconds = try HTTPLoad.throughput(port: port, route: "/post", bodies: bodies, connections: options.connections) { first in
                    let documents = try HTTPLoad.documents(first)
                    guard documents.count >= min(options.requestSize, options.docs) else {
                        throw HTTPLoad.Failure(description: "sent \(options.requestSize) documents, got \(documents.count) back")
                    }
                }
                rates.append(Double(options.docs) / seconds)
                p50s.append(Bench.percentile(latencies, 0.5))
                p99s.append(Bench.percentile(latencies, 0.99))
                print("\(label) run \(run): \(Bench.fixed(rates.last!, 0)) docs/s, p50 \(Bench.ms(p50s.last!)) ms, p99 \(Bench.ms(p99s.last!)) ms")
            }
            print("\(label): median of \(rates.count) runs: \(Bench.fixed(Bench.median(rates), 0)) docs/s, "
                  + "p50 \(Bench.ms(Bench.median(p50s))) ms, p99 \(Bench.ms(Bench.median(p99s))) ms "
                  + "(\(options.docs) docs in requests of \(options.requestSize) over \(options.connections) connections; "
                  + "\(options.latencyRequests) one-document requests)")
        } catch {
            Bench.fail("\(label): \(error)")
        }
    }
}
