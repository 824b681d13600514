import Foundation
import Testing

/// `jina ping flow|executor HOST:PORT` (SPEC §1): one line per attempt with its latency, a 1 s
/// pause only after a failure, exit 0 when enough attempts succeed.
@Suite struct PingTests {
    /// Starts `jina executor --uses UpperCase --port 0` and returns it with its port.
    static func startExecutor() throws -> (JinaProcess, Int) {
        let executor = try JinaProcess(["executor", "--uses", "UpperCase", "--port", "0"])
        guard executor.waitForStderr(containing: "ready on", timeout: 20),
              let line = executor.stderr.split(separator: "\n").first(where: { $0.contains("ready on 127.0.0.1:") }),
              let port = Int(line.split(separator: ":").last ?? "") else {
            executor.kill()
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "no ready line: \(executor.stderr)"])
        }
        return (executor, port)
    }

    @Test func executorThatIsServingAnswersWithItsHello() throws {
        let (executor, port) = try Self.startExecutor()
        defer { executor.kill() }
        let run = try JinaBinary.run(["ping", "executor", "127.0.0.1:\(port)"], timeout: 20)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.hasPrefix("ping executor 127.0.0.1:\(port): ok in "), "\(run.stdout)")
        #expect(run.stdout.hasSuffix(" ms (UpperCase)\n"), "\(run.stdout)")
        // Three attempts that all succeed take no pauses.
        let started = Date()
        let three = try JinaBinary.run(["ping", "executor", "127.0.0.1:\(port)", "--attempts", "3", "--min-successful-attempts", "2"],
                                       timeout: 20)
        #expect(three.status == 0, "\(three.stdout)")
        #expect(three.stdout.split(separator: "\n").count == 3)
        #expect(three.stdout.contains("(3/3): ok in"))
        #expect(Date().timeIntervalSince(started) < 0.9, "no pause after a success")
    }

    @Test func closedPortFailsWithinTheTimeout() throws {
        let port = try ClientTestServer.freePort()
        let started = Date()
        let run = try JinaBinary.run(["ping", "executor", "127.0.0.1:\(port)", "--timeout", "1000"], timeout: 20)
        #expect(run.status == 1)
        #expect(Date().timeIntervalSince(started) < 2)
        #expect(run.stdout == "ping executor 127.0.0.1:\(port): failed: connection refused\n", "\(run.stdout)")
    }

    /// A server that accepts but says nothing: the attempt ends at --timeout.
    @Test func silentServerTimesOut() throws {
        let server = try PingTestServer { _ in .silent }
        defer { server.stop() }
        let started = Date()
        let run = try JinaBinary.run(["ping", "executor", "127.0.0.1:\(server.port)", "--timeout", "300"], timeout: 20)
        let elapsed = Date().timeIntervalSince(started)
        #expect(run.status == 1)
        #expect(elapsed >= 0.3 && elapsed < 3, "\(elapsed) s")
        #expect(run.stdout.contains("failed: timed out after 300 ms waiting for the executor's hello"), "\(run.stdout)")
    }

    /// Attempts ok, failed, ok with two needed: exit 0, one pause (after the failure).
    @Test func minSuccessfulAttemptsCountsSuccesses() throws {
        let server = try PingTestServer { $0 == 1 ? .close : .hello("Mixed") }
        defer { server.stop() }
        let started = Date()
        let run = try JinaBinary.run(["ping", "executor", "127.0.0.1:\(server.port)", "--attempts", "3", "--min-successful-attempts", "2"],
                                     timeout: 20)
        let elapsed = Date().timeIntervalSince(started)
        #expect(run.status == 0, "\(run.stdout)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        try #require(lines.count == 3, "\(run.stdout)")
        #expect(lines[0].contains("(1/3): ok in") && lines[2].contains("(3/3): ok in"))
        #expect(lines[1].contains("(2/3): failed: connection closed"), "\(lines[1])")
        #expect(elapsed >= 1 && elapsed < 3, "\(elapsed) s: one pause of 1 s")
    }

    /// Three needed, the second fails: the third cannot make it, so it stops there with exit 1.
    @Test func stopsOnceTheMinimumIsOutOfReach() throws {
        let server = try PingTestServer { $0 == 1 ? .close : .hello("Mixed") }
        defer { server.stop() }
        let run = try JinaBinary.run(["ping", "executor", "127.0.0.1:\(server.port)", "--attempts", "3", "--min-successful-attempts", "3"],
                                     timeout: 20)
        #expect(run.status == 1)
        #expect(run.stdout.split(separator: "\n").count == 2, "\(run.stdout)")
        #expect(server.connectionCount == 2)
    }

    /// Two attempts against nothing with one needed: both fail, 1 s apart.
    @Test func failedAttemptsArePausedBetween() throws {
        let port = try ClientTestServer.freePort()
        let started = Date()
        let run = try JinaBinary.run(["ping", "flow", "127.0.0.1:\(port)", "--attempts", "2"], timeout: 20)
        let elapsed = Date().timeIntervalSince(started)
        #expect(run.status == 1)
        #expect(run.stdout.split(separator: "\n").count == 2)
        #expect(elapsed >= 1 && elapsed < 3, "\(elapsed) s")
    }

    /// `ping flow` is a dry run: HTTP 200 with code 0 succeeds; code 1 or an HTTP error fails.
    @Test func flowPingIsADryRun() throws {
        let answer = Counter()
        let server = try ClientTestServer { request in
            guard request.method == "GET" && request.path == "/dry_run" else { return .json(["error": "unexpected"], status: 404) }
            switch answer.next() {
            case 0: return .json(["code": 0, "description": "", "exception": NSNull()])
            case 1: return .json(["code": 1, "description": "ValueError: encoder is broken", "exception": ["name": "ValueError"]])
            default: return .json(["detail": "starting"], status: 503)
            }
        }
        defer { server.stop() }
        let ok = try JinaBinary.run(["ping", "flow", "127.0.0.1:\(server.port)"], timeout: 20)
        #expect(ok.status == 0, "\(ok.stdout)")
        #expect(ok.stdout.hasPrefix("ping flow 127.0.0.1:\(server.port): ok in "), "\(ok.stdout)")
        let broken = try JinaBinary.run(["ping", "flow", "http://127.0.0.1:\(server.port)"], timeout: 20)
        #expect(broken.status == 1)
        #expect(broken.stdout.contains("failed: code 1: ValueError: encoder is broken"), "\(broken.stdout)")
        let unavailable = try JinaBinary.run(["ping", "flow", "127.0.0.1:\(server.port)"], timeout: 20)
        #expect(unavailable.status == 1)
        #expect(unavailable.stdout.contains("failed: HTTP 503: starting") || unavailable.stdout.contains("failed: HTTP 503"), "\(unavailable.stdout)")
    }

    @Test(arguments: [
        ["flow", "127.0.0.1"],  // no port
        ["flow", "127.0.0.1:0"],
        ["gateway", "127.0.0.1:80"],
        ["flow", "127.0.0.1:80", "--attempts", "2", "--min-successful-attempts", "3"],
        ["flow", "127.0.0.1:80", "--timeout", "0"],
    ])
    func usageErrorsExit64(arguments: [String]) throws {
        let run = try JinaBinary.run(["ping"] + arguments, timeout: 20)
        #expect(run.status == 64, "\(arguments): \(run.stderr)")
    }
}
