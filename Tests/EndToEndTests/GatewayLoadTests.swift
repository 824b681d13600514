import Foundation
import Testing

/// Many concurrent keep-alive clients against one gateway whose Flow has an executor that
/// crashes every 1,000 calls (SPEC §8): every request gets exactly one answer — its own
/// documents, or a 503 for the calls the crash held — and the gateway's memory and sockets come
/// back to their idle level. The summary line it prints has requests/s, latency and memory.
/// Knobs for measuring by hand (with JINA_BIN=.build/release/jina): JINA_GATEWAY_LOAD_REQUESTS
/// (default 20,000), JINA_GATEWAY_LOAD_CLIENTS (200), JINA_GATEWAY_LOAD_CRASH_EVERY (1,000; 0 for
/// none) and JINA_GATEWAY_LOAD_REPLICAS.
@Suite(.serialized) struct GatewayLoadTests {
    @Test func everyRequestGetsExactlyOneAnswerUnderLoadWithCrashes() throws {
        let environment = ProcessInfo.processInfo.environment
        let total = Int(environment["JINA_GATEWAY_LOAD_REQUESTS"] ?? "") ?? 20_000
        let clients = Int(environment["JINA_GATEWAY_LOAD_CLIENTS"] ?? "") ?? 200
        // The runtime gives up on a process that crashes more than 5 times within 60 s, so the
        // crashes are spread over replicas (each crashes on every 1,000th of its own calls): the
        // Flow as a whole still loses calls every 1,000 requests, and keeps serving when the
        // busiest replica (they are not loaded evenly) reaches the cap.
        let replicas = Int(environment["JINA_GATEWAY_LOAD_REPLICAS"] ?? "") ?? max(1, total / 3_000)
        let crashEvery = Int(environment["JINA_GATEWAY_LOAD_CRASH_EVERY"] ?? "") ?? 1000  // 0: no crashes (for measuring)
        let scene = try GatewayScene(flow: """
            jtype: Flow
            executors:
              - name: upper
                uses: UpperCase
              - name: crash
                uses: {jtype: Crash, with: {on_request: \(crashEvery)}}
                replicas: \(replicas)
            """)
        defer { scene.cleanUp() }
        let gateway = try scene.serve()
        let pid = gateway.process.pid
        let freshKB = try #require(ProcessTable.residentKB(of: pid))

        // A round at full concurrency first: the gateway's memory for `clients` connections, and
        // what malloc keeps for each thread that serves them, is allocated once, then reused;
        // "idle" is measured after it. (Two requests per client were too few: the event loops'
        // malloc arenas went on growing by 1–2 MB in the timed round, and "after" then sat at the
        // edge of the 8 MB a leak is allowed.)
        let warmUpRequests = max(clients * 2, total / 10)
        let warmUp = Self.runRound(clients: clients, requests: warmUpRequests, port: gateway.port, idPrefix: "w")
        #expect(warmUp.answered == warmUpRequests && warmUp.problems.isEmpty, "\(warmUp.problems.prefix(3))")
        usleep(300_000)
        let idleKB = try #require(ProcessTable.residentKB(of: pid))
        let idleFDs = Self.openFiles(of: pid)

        let peakKB = Locked(idleKB)
        let sampling = Locked(true)
        Thread {
            while sampling.value {
                if let kb = ProcessTable.residentKB(of: pid), kb > peakKB.value { peakKB.set(kb) }
                usleep(50_000)
            }
        }.start()
        let started = Date()
        let cpuBefore = Self.cpuSeconds(of: pid)
        let summary = Self.runRound(clients: clients, requests: total, port: gateway.port, idPrefix: "c")
        let seconds = Date().timeIntervalSince(started)
        let gatewayCPU = Self.cpuSeconds(of: pid) - cpuBefore
        sampling.set(false)

        #expect(summary.answered == total, "every request got an answer: \(summary.answered) of \(total); \(summary.problems.prefix(5))")
        #expect(summary.problems.isEmpty, "\(summary.problems.count) wrong answers, e.g. \(summary.problems.prefix(5))")
        #expect(summary.ok + summary.unavailable == total)
        // Each crash fails at most the calls it held (a few per crash); everything else succeeds.
        #expect(summary.unavailable <= (total / 1000 + replicas) * 64, "503s: \(summary.unavailable)")
        let restarts = try gateway.get("/metrics").text.split(separator: "\n")
            .filter { $0.hasPrefix("jina_executor_restarts_total{executor=\"crash") }
            .compactMap { Int($0.split(separator: " ").last ?? "") }.reduce(0, +)
        if crashEvery > 0 {
            #expect(restarts >= total / crashEvery - replicas, "the crash executor was restarted (\(restarts) times)")
        }
        // Still serving. (Not necessarily all "ready": the replicas are not loaded evenly, and
        // the runtime gives up on one that crashes a 6th time within 60 s; the others serve on.)
        let after = try gateway.post("/index", #"{"data": [{"id": "after", "text": "a"}]}"#)
        #expect(after.status == 200, "\(after.text)")

        // Memory and sockets: back to idle once the clients are gone (a leak of 400 bytes per
        // request would show as 8 MB).
        var afterKB = Int.max, afterFDs = Int.max
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline {
            afterKB = ProcessTable.residentKB(of: pid) ?? 0
            afterFDs = Self.openFiles(of: pid)
            if afterKB <= idleKB + 8 * 1024 && afterFDs <= idleFDs + 2 { break }
            usleep(200_000)
        }
        let latencies = summary.latencies.sorted()
        func percentile(_ p: Double) -> Double { latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] * 1000 }
        print(String(format: "gateway load: %d requests, %d clients, %.1f s, %.0f requests/s, latency p50 %.1f ms, p99 %.1f ms, max %.1f ms; "
                     + "%d ok, %d 503; %d restarts; gateway CPU %.1f s; gateway RSS fresh %d kB, idle %d kB, peak %d kB, after %d kB; "
                     + "open files idle %d, after %d",
                     total, clients, seconds, Double(total) / seconds, percentile(0.5), percentile(0.99), percentile(1),
                     summary.ok, summary.unavailable, restarts, gatewayCPU, freshKB, idleKB, peakKB.value, afterKB, idleFDs, afterFDs))
        #expect(afterFDs <= idleFDs + 2, "open files after the load: \(afterFDs), idle: \(idleFDs)")
        #expect(afterKB <= idleKB + 8 * 1024, "RSS after the load \(afterKB) kB, idle \(idleKB) kB, peak \(peakKB.value) kB")

        #expect(gateway.stop() == 0)
        scene.expectNoProcessLeft()
    }

    /// `requests` spread over `clients` threads, each on its own keep-alive connection.
    static func runRound(clients: Int, requests: Int, port: Int, idPrefix: String) -> ClientResult {
        let results = LoadResults(clients: clients)
        let group = DispatchGroup()
        for client in 0..<clients {
            let count = requests / clients + (client < requests % clients ? 1 : 0)
            group.enter()
            let thread = Thread {
                results.record(client: client, runClient("\(idPrefix)\(client)", requests: count, port: port))
                group.leave()
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        if group.wait(timeout: .now() + 120) == .timedOut {
            var summary = results.summary
            summary.problems.append("the round did not finish within 120 s")
            return summary
        }
        return results.summary
    }

    static func openFiles(of pid: pid_t) -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd"))?.count ?? 0
    }

    /// User + system CPU time of a process, from /proc/PID/stat.
    static func cpuSeconds(of pid: pid_t) -> Double {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return 0 }
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// One keep-alive connection sending its requests one after another; each answer is checked
    /// against its request (its own id, its text upper-cased, or a 503 that names the crash).
    static func runClient(_ client: String, requests: Int, port: Int) -> ClientResult {
        var result = ClientResult()
        var connection: GatewayHTTP?
        for i in 0..<requests {
            let id = "\(client)-\(i)"
            let start = Date()
            do {
                if connection == nil { connection = try GatewayHTTP(port: port) }
                let reply = try connection!.send("POST", "/index", json: #"{"data": [{"id": "\#(id)", "text": "t\#(id)"}]}"#)
                result.latencies.append(Date().timeIntervalSince(start))
                result.answered += 1
                let response = try reply.json()
                let docs = response.docs
                switch reply.status {
                case 200 where docs.count == 1 && docs[0].id == id && docs[0].text == "T\(id.uppercased())" && response.code == 0:
                    result.ok += 1
                case 503 where docs.count == 1 && docs[0].id == id && response.code == 1
                    && (response.status["description"] as? String ?? "").contains("crash"):
                    result.unavailable += 1
                default:
                    result.problems.append("\(id): \(reply.status) \(reply.text.prefix(300))")
                }
            } catch {
                result.problems.append("\(id): \(error)")
                connection = nil
            }
        }
        return result
    }

    struct ClientResult {
        var answered = 0
        var ok = 0
        var unavailable = 0
        var problems: [String] = []
        var latencies: [Double] = []
    }

    /// The clients' results, gathered from their threads.
    final class LoadResults: @unchecked Sendable {  // `results` behind `lock`
        private let lock = NSLock()
        private var results: [ClientResult]

        init(clients: Int) { results = Array(repeating: ClientResult(), count: clients) }

        func record(client: Int, _ result: ClientResult) { lock.withLock { results[client] = result } }

        var summary: ClientResult {
            lock.withLock {
                results.reduce(into: ClientResult()) { sum, r in
                    sum.answered += r.answered
                    sum.ok += r.ok
                    sum.unavailable += r.unavailable
                    sum.problems += r.problems
                    sum.latencies += r.latencies
                }
            }
        }
    }
}
