import Foundation

/// What one start of one Flow gave. Times in seconds, memory in bytes.
struct Figures {
    var startup: Double?
    var runStartup: Double?
    var shutdown: Double?
    var runDocsPerSecond: Double?
    var runRequestsPerSecond: Double?
    var httpDocsPerSecond: Double?
    var httpRequestsPerSecond: Double?
    var clientPostDocsPerSecond: Double?
    var latencyP50: Double?
    var latencyP99: Double?
    var processes: Double?
    var idleRSS: Double?
    var idlePSS: Double?
    var loadRSS: Double?
    var loadPSS: Double?
    var runRSS: Double?
    var runPSS: Double?

    /// A row of the table: its title, how to show a value, and whether more is better.
    struct Metric {
        let title: String
        let value: KeyPath<Figures, Double?>
        let scale: Double
        let digits: Int
        let higherIsBetter: Bool
    }

    static var metrics: [Metric] { [
        Metric(title: "start-up: spawn → ready (ms)", value: \.startup, scale: 1e3, digits: 1, higherIsBetter: false),
        Metric(title: "start-up in process: spawn → ready (ms)", value: \.runStartup, scale: 1e3, digits: 1, higherIsBetter: false),
        Metric(title: "shutdown: signal → all exited (ms)", value: \.shutdown, scale: 1e3, digits: 1, higherIsBetter: false),
        Metric(title: "in process (flow run): docs/s", value: \.runDocsPerSecond, scale: 1, digits: 0, higherIsBetter: true),
        Metric(title: "in process (flow run): requests/s", value: \.runRequestsPerSecond, scale: 1, digits: 0, higherIsBetter: true),
        Metric(title: "HTTP: docs/s", value: \.httpDocsPerSecond, scale: 1, digits: 0, higherIsBetter: true),
        Metric(title: "HTTP: requests/s", value: \.httpRequestsPerSecond, scale: 1, digits: 0, higherIsBetter: true),
        Metric(title: "HTTP via `jina client post`: docs/s", value: \.clientPostDocsPerSecond, scale: 1, digits: 0, higherIsBetter: true),
        Metric(title: "latency, one doc, p50 (ms)", value: \.latencyP50, scale: 1e3, digits: 3, higherIsBetter: false),
        Metric(title: "latency, one doc, p99 (ms)", value: \.latencyP99, scale: 1e3, digits: 3, higherIsBetter: false),
        Metric(title: "processes in the tree", value: \.processes, scale: 1, digits: 0, higherIsBetter: false),
        Metric(title: "memory idle, RSS sum (MB)", value: \.idleRSS, scale: 1e-6, digits: 1, higherIsBetter: false),
        Metric(title: "memory idle, PSS sum (MB)", value: \.idlePSS, scale: 1e-6, digits: 1, higherIsBetter: false),
        Metric(title: "memory under HTTP load, peak RSS sum (MB)", value: \.loadRSS, scale: 1e-6, digits: 1, higherIsBetter: false),
        Metric(title: "memory under HTTP load, peak PSS sum (MB)", value: \.loadPSS, scale: 1e-6, digits: 1, higherIsBetter: false),
        Metric(title: "memory in process run, peak RSS sum (MB)", value: \.runRSS, scale: 1e-6, digits: 1, higherIsBetter: false),
        Metric(title: "memory in process run, peak PSS sum (MB)", value: \.runPSS, scale: 1e-6, digits: 1, higherIsBetter: false),
    ] }

    var summary: String {
        func f(_ v: Double?, _ scale: Double, _ digits: Int) -> String { v.map { Bench.fixed($0 * scale, digits) } ?? "–" }
        return "ready \(f(startup, 1e3, 1)) ms, run \(f(runDocsPerSecond, 1, 0)) docs/s, HTTP \(f(httpDocsPerSecond, 1, 0)) docs/s, "
            + "p50 \(f(latencyP50, 1e3, 3)) ms, idle RSS \(f(idleRSS, 1e-6, 1)) MB (PSS \(f(idlePSS, 1e-6, 1))), "
            + "load RSS \(f(loadRSS, 1e-6, 1)) MB, stop \(f(shutdown, 1e3, 1)) ms"
    }
}

/// Every run's figures by engine and Flow, and the table made of their medians.
struct Results {
    private var runs: [String: [String: [Figures]]] = [:]
    private var failures: [String: [String: String]] = [:]

    mutating func add(_ figures: Figures, engine: String, topology: String) {
        runs[engine, default: [:]][topology, default: []].append(figures)
    }

    mutating func failed(engine: String, topology: String, reason: String) {
        failures[engine, default: [:]][topology] = reason
    }

    func values(_ engine: String, _ topology: String, _ metric: KeyPath<Figures, Double?>) -> [Double] {
        (runs[engine]?[topology] ?? []).compactMap { $0[keyPath: metric] }
    }

    func median(_ engine: String, _ topology: String, _ metric: KeyPath<Figures, Double?>) -> Double? {
        let v = values(engine, topology, metric)
        return v.isEmpty ? nil : Bench.median(v)
    }

    func printTable(topologies: [Topology], engines: [String]) {
        print("\nEach figure: median [min–max] of the runs. Ratio: jina (Swift) ÷ Python Jina (for docs/s more is better; for ms and MB less is).")
        for topology in topologies {
            print("\n\(topology.name) — \(topology.title)")
            var header = "  " + Bench.column("", 44, left: true)
            for engine in engines { header += Bench.column(engine, 30, left: true) }
            if engines.count > 1 { header += "Swift/Python" }
            print(header)
            for metric in Figures.metrics {
                let columns = engines.map { values($0, topology.name, metric.value).map { $0 * metric.scale } }
                guard columns.contains(where: { !$0.isEmpty }) else { continue }
                var line = "  " + Bench.column(metric.title, 44, left: true)
                for values in columns { line += Bench.column(Self.cell(values, digits: metric.digits), 30, left: true) }
                if columns.count > 1, !columns[0].isEmpty, !columns[1].isEmpty {
                    line += Self.ratio(Bench.median(columns[0]) / Bench.median(columns[1]))
                }
                print(line)
            }
            for engine in engines {
                if let reason = failures[engine]?[topology.name] { print("  \(engine) failed: \(reason.prefix(300))") }
            }
        }
        printCostPerHop(engines: engines)
    }

    /// (chain of 3 − 1 executor) per document: what two more pass-through hops cost.
    func printCostPerHop(engines: [String]) {
        print("\ncost per hop: (time per doc through the chain of 3 − through 1 executor) ÷ 2 extra hops (µs/doc/hop)")
        for engine in engines {
            var parts: [String] = []
            for (label, metric) in [("in process", \Figures.runDocsPerSecond), ("HTTP", \Figures.httpDocsPerSecond)] {
                guard let chain = median(engine, "chain3", metric), let one = median(engine, "one", metric) else { continue }
                parts.append("\(label) \(Bench.fixed((1 / chain - 1 / one) / 2 * 1e6, 2))")
            }
            if !parts.isEmpty { print("  \(Bench.column(engine, 16, left: true)) " + parts.joined(separator: ", ")) }
        }
    }

    static func cell(_ values: [Double], digits: Int) -> String {
        guard !values.isEmpty else { return "–" }
        let sorted = values.sorted()
        return "\(Bench.fixed(Bench.median(values), digits)) [\(Bench.fixed(sorted.first!, digits))–\(Bench.fixed(sorted.last!, digits))]"
    }

    static func ratio(_ r: Double) -> String {
        guard r.isFinite else { return "–" }
        return r >= 100 ? Bench.fixed(r, 0) : r >= 10 ? Bench.fixed(r, 1) : r >= 0.1 ? Bench.fixed(r, 2) : String(format: "%.2g", r)
    }
}
