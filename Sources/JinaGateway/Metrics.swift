import Foundation
import JinaWire

/// The gateway's counters for `GET /metrics`, written in Prometheus' text format (0.0.4).
/// Endpoint labels are limited to the Flow's routes, so clients cannot grow the label set.
final class GatewayMetrics: @unchecked Sendable {  // state behind `lock`
    private let lock = NSLock()
    private var requests: [Labels: Int] = [:]
    private var errors: [Labels: Int] = [:]
    private var requestSeconds: [String: Histogram] = [:]
    private var executorSeconds: [String: Histogram] = [:]
    private var inFlight = 0

    /// A pair of label values, e.g. endpoint and status.
    private struct Labels: Hashable, Comparable {
        var first: String
        var second: String
        static func < (a: Labels, b: Labels) -> Bool { (a.first, a.second) < (b.first, b.second) }
    }

    /// Cumulative buckets in seconds, as Prometheus expects (`le`), plus the sum and count.
    struct Histogram {
        static let bounds: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
        var counts = [Int](repeating: 0, count: bounds.count)
        var sum = 0.0
        var count = 0

        mutating func observe(_ seconds: Double) {
            for (i, bound) in Self.bounds.enumerated() where seconds <= bound { counts[i] += 1 }
            sum += seconds
            count += 1
        }
    }

    func requestStarted() {
        lock.withLock { inFlight += 1 }
    }

    /// One data request answered: its HTTP status, the error kind if any, and how long it took.
    func requestFinished(endpoint: String, status: Int, errorKind: String?, seconds: Double, routes: [RouteEntry]) {
        lock.withLock {
            inFlight -= 1
            requests[Labels(first: endpoint, second: String(status)), default: 0] += 1
            if let errorKind { errors[Labels(first: endpoint, second: errorKind), default: 0] += 1 }
            requestSeconds[endpoint, default: Histogram()].observe(seconds)
            for route in routes {
                executorSeconds[route.executor, default: Histogram()].observe(max(0, route.end.timeIntervalSince(route.start)))
            }
        }
    }

    var requestsInFlight: Int { lock.withLock { inFlight } }

    /// The exposition text: our counters, plus executor restarts and readiness from the runtime.
    func render(executors: [ExecutorStatus], retries: Int, uptime: Double) -> String {
        lock.withLock {
            var text = ""
            func family(_ name: String, _ type: String, _ help: String) {
                text += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
            }
            func histogram(_ name: String, _ label: String, _ histograms: [String: Histogram]) {
                for (value, h) in histograms.sorted(by: { $0.key < $1.key }) {
                    let labels = "\(label)=\"\(escape(value))\""
                    for (i, bound) in Histogram.bounds.enumerated() {
                        text += "\(name)_bucket{\(labels),le=\"\(bound)\"} \(h.counts[i])\n"
                    }
                    text += "\(name)_bucket{\(labels),le=\"+Inf\"} \(h.count)\n"
                    text += "\(name)_sum{\(labels)} \(h.sum)\n\(name)_count{\(labels)} \(h.count)\n"
                }
            }
            family("jina_requests_total", "counter", "Data requests answered, by endpoint and HTTP status.")
            for (labels, count) in requests.sorted(by: { $0.key < $1.key }) {
                text += "jina_requests_total{endpoint=\"\(escape(labels.first))\",status=\"\(labels.second)\"} \(count)\n"
            }
            family("jina_request_errors_total", "counter",
                   "Data requests that failed, by endpoint and kind (executor_error, unavailable, timeout, bad_request, too_large).")
            for (labels, count) in errors.sorted(by: { $0.key < $1.key }) {
                text += "jina_request_errors_total{endpoint=\"\(escape(labels.first))\",kind=\"\(labels.second)\"} \(count)\n"
            }
            family("jina_request_duration_seconds", "histogram", "Time from a data request's arrival to its answer, by endpoint.")
            histogram("jina_request_duration_seconds", "endpoint", requestSeconds)
            family("jina_executor_duration_seconds", "histogram", "Time each executor spent on a request, from the request's routes.")
            histogram("jina_executor_duration_seconds", "executor", executorSeconds)
            family("jina_requests_in_flight", "gauge", "Data requests being answered now.")
            text += "jina_requests_in_flight \(inFlight)\n"
            family("jina_executor_restarts_total", "counter", "Times each executor process was restarted.")
            for e in executors { text += "jina_executor_restarts_total{executor=\"\(escape(e.name))\"} \(e.restarts)\n" }
            family("jina_call_retries_total", "counter", "Executor calls sent again to another replica because theirs died.")
            text += "jina_call_retries_total \(retries)\n"
            family("jina_executor_ready", "gauge", "1 when the executor process is ready, else 0.")
            for e in executors { text += "jina_executor_ready{executor=\"\(escape(e.name))\"} \(e.state == .ready ? 1 : 0)\n" }
            family("jina_uptime_seconds", "gauge", "Seconds since the gateway started.")
            text += "jina_uptime_seconds \(uptime)\n"
            return text
        }
    }

    private func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }
}
