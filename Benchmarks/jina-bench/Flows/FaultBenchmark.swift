import Foundation
import JinaClient
import JinaWire

/// `jina-bench faults`: a served chain whose middle executor dies (SIGKILL, by the `Crash`
/// built-in) on every `--every`-th call each process receives, loaded with two-document requests
/// from keep-alive connections. Counts what a client sees — answered, failed, answered with
/// someone else's documents — and what the Flow reports: retries and restarts. Run once with
/// `replicas: 3` (calls held by a dying replica go to another) and once with `replicas: 1`.
enum FaultBenchmark {
    static let usage = "usage: jina-bench faults [--requests N] [--connections C] [--every K] [--replicas 3,1] [--storm N] [--storms S]"

    static func run(_ arguments: [String]) {
        var requests = 3_000, connections = 50, every = 100, replicaCounts = [3, 1], storm = 300, storms = 3
        var cursor = ArgumentCursor(arguments)
        while let flag = cursor.option() {
            switch flag {
            case "--requests": requests = cursor.number()
            case "--connections": connections = cursor.number()
            case "--every": every = cursor.number()
            case "--replicas": replicaCounts = cursor.value().split(separator: ",").compactMap { Int($0) }
            case "--storm": storm = cursor.number()
            case "--storms": storms = cursor.number()
            default: Bench.fail("unknown option \(flag)\n\(usage)")
            }
        }
        let jina = Bench.jinaPath()
        print("faults: \(requests) requests of 2 docs from \(connections) connections; the middle executor of a chain of 3 is killed")
        print("on every \(every)th call each of its processes receives")
        print("replicas  answered  failed  wrong-docs  retries  restarts  seconds")
        for replicas in replicaCounts {
            do {
                let r = try measure(jina: jina, replicas: replicas, requests: requests, connections: connections, every: every)
                print(String(format: "%8d  %8d  %6d  %10d  %7d  %8d  %7.2f", replicas, r.answered, r.failed, r.wrongDocs, r.retries,
                             r.restarts, r.seconds))
            } catch {
                print("replicas \(replicas): \(error)")
                exit(1)
            }
        }
        do {
            try disconnectStorms(jina: jina, clients: storm, storms: storms)
        } catch {
            print("disconnect storm: \(error)")
            exit(1)
        }
    }

    /// `storms` rounds of `clients` connections that each send a request to an executor that
    /// takes 2 s, then hang up: how long until the gateway has nothing in flight, and its RSS.
    static func disconnectStorms(jina: String, clients: Int, storms: Int) throws {
        let directory = NSTemporaryDirectory() + "jina-bench-storm-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let port = FlowBenchmark.freePort()
        try """
            jtype: Flow
            with:
              port: \(port)
            executors:
              - name: slow
                uses: Sleep
                uses_with: {ms: 2000}
            """.write(toFile: directory + "/flow.yml", atomically: true, encoding: .utf8)
        let (server, probe) = try serve(jina: jina, directory: directory, port: port)
        defer { stop(server, probe) }
        print("disconnect storms: \(clients) clients send a request to a 2 s executor and hang up after 50 ms")
        print("storm  in-flight-after  drained-in-s  gateway-RSS-MB  still-ready")
        for round in 1...storms {
            let group = DispatchGroup()
            for _ in 0..<clients {
                group.enter()
                Thread {
                    defer { group.leave() }
                    let connection = HTTPConnection(host: "127.0.0.1", port: port)
                    // A 50 ms limit: the client gives up and closes the connection mid-request.
                    _ = try? connection.send(.postJSON("/post", body: Array(#"{"data":[{"text":"x"}]}"#.utf8)), timeout: 50)
                    connection.close()
                }.start()
            }
            group.wait()
            let closed = Bench.now()
            var inFlight = -1
            while Bench.now() - closed < 30 {
                let status = try JSONParser.parse(try probe.send(.get("/status"), timeout: 5_000).body)
                inFlight = status["requests_in_flight"]?.intValue ?? -1
                if inFlight == 0 { break }
                Thread.sleep(forTimeInterval: 0.01)
            }
            let drained = Bench.now() - closed
            let ready = (try? probe.send(.get("/ready"), timeout: 5_000).status) == 200
            print(String(format: "%5d  %15d  %12.2f  %14.1f  ", round, inFlight, drained, residentMB(server.pid)) + (ready ? "yes" : "no"))
        }
    }

    /// `jina flow --uses DIR/flow.yml`, once its gateway answers /ready; and a connection to it.
    static func serve(jina: String, directory: String, port: Int) throws -> (ChildProcess, HTTPConnection) {
        let server = try ChildProcess(jina, ["flow", "--uses", directory + "/flow.yml"], log: directory + "/serve.log")
        let probe = HTTPConnection(host: "127.0.0.1", port: port)
        let deadline = Bench.now() + 60
        while (try? probe.send(.get("/ready"), timeout: 1_000).status) != 200 {
            guard Bench.now() < deadline, !server.wait(timeout: 0) else {
                stop(server, probe)
                throw Failure(description: "not ready: \(server.logTail())")
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return (server, probe)
    }

    static func stop(_ server: ChildProcess, _ probe: HTTPConnection) {
        probe.close()
        server.signal(SIGTERM)
        if !server.wait(timeout: 10) { server.signal(SIGKILL); _ = server.wait(timeout: 5) }
    }

    /// VmRSS of a process, in MB.
    static func residentMB(_ pid: pid_t) -> Double {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return (Double(line.split(separator: " ").dropFirst().first ?? "") ?? 0) / 1024
    }

    struct Result {
        var answered = 0, failed = 0, wrongDocs = 0, retries = 0, restarts = 0
        var seconds = 0.0
    }

    static func measure(jina: String, replicas: Int, requests: Int, connections: Int, every: Int) throws -> Result {
        let directory = NSTemporaryDirectory() + "jina-bench-faults-\(getpid())-\(replicas)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let port = FlowBenchmark.freePort()
        let flow = """
            jtype: Flow
            with:
              port: \(port)
            executors:
              - name: first
                uses: UpperCase
              - name: middle
                uses: Crash
                uses_with: {on_request: \(every), signal: KILL}
                replicas: \(replicas)
              - name: last
                uses: UpperCase
            """
        try flow.write(toFile: directory + "/flow.yml", atomically: true, encoding: .utf8)
        let (server, probe) = try serve(jina: jina, directory: directory, port: port)
        defer { stop(server, probe) }

        let result = Totals()
        let next = Totals()
        let group = DispatchGroup()
        let start = Bench.now()
        for _ in 0..<connections {
            group.enter()
            Thread {
                defer { group.leave() }
                let connection = HTTPConnection(host: "127.0.0.1", port: port)
                defer { connection.close() }
                while case let index = next.take(), index < requests {
                    let ids = ["r\(index)a", "r\(index)b"]
                    let body = Array(#"{"data":[{"id":"\#(ids[0])","text":"x"},{"id":"\#(ids[1])","text":"y"}]}"#.utf8)
                    guard let response = try? connection.send(.postJSON("/post", body: body), timeout: 60_000), response.status == 200,
                          let json = try? JSONParser.parse(response.body), json["header"]?["status"]?["code"]?.intValue ?? 0 == 0 else {
                        result.add(\.failed)
                        continue
                    }
                    // No `header` in the request: the answer takes Jina 2's shape, `data: {docs: [...]}`.
                    let got = (json["data"]?["docs"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue }
                    result.add(got == ids ? \.answered : \.wrongDocs)
                }
            }.start()
        }
        group.wait()
        var totals = result.value
        totals.seconds = Bench.now() - start
        let metrics = String(decoding: try probe.send(.get("/metrics"), timeout: 5_000).body, as: UTF8.self)
        for line in metrics.split(separator: "\n") where !line.hasPrefix("#") {
            let value = Int(Double(line.split(separator: " ").last ?? "") ?? 0)
            if line.hasPrefix("jina_call_retries_total ") { totals.retries = value }
            if line.hasPrefix("jina_executor_restarts_total{") { totals.restarts += value }
        }
        return totals
    }

    struct Failure: Error, CustomStringConvertible { let description: String }

    /// Counters shared by the connections' threads.
    final class Totals: @unchecked Sendable {  // behind `lock`
        private let lock = NSLock()
        private var counts = Result()
        private var taken = 0

        func add(_ field: WritableKeyPath<Result, Int>) { lock.withLock { counts[keyPath: field] += 1 } }
        func take() -> Int { lock.withLock { defer { taken += 1 }; return taken } }
        var value: Result { lock.withLock { counts } }
    }
}
