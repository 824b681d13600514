import Foundation
import Synchronization
import Testing

/// `jina flow serve --watch`: a load loop runs while the Flow's YAML is edited three times, one
/// edit invalid: every request is answered 200, each valid edit is served once it is live (and
/// never the older Flow after it), the invalid one keeps the running Flow.
@Suite struct FlowWatchTests {
    static func flow(_ name: String, _ uses: String) -> String {
        "jtype: Flow\nexecutors:\n  - {name: \(name), uses: \(uses)}\n"
    }

    /// Which Flow answered each request (its executor's name), or why it failed.
    final class Load: Sendable {
        let answers = Mutex<[String]>([])
        let failures = Mutex<[String]>([])
        let stop = Atomic<Bool>(false)

        func run(port: Int) {
            // Bounded: at most 20,000 requests and 60 s.
            let deadline = Date().addingTimeInterval(60)
            for _ in 0..<20_000 where !stop.load(ordering: .relaxed) && Date() < deadline {
                do {
                    let reply = try GatewayHTTP.send(port: port, "POST", "/post", json: #"{"data":[{"text":"abc"}]}"#)
                    let routes = try reply.json()["routes"] as? [[String: Any]]
                    guard reply.status == 200, let executor = routes?.first?["executor"] as? String else {
                        failures.withLock { $0.append("HTTP \(reply.status): \(reply.text.prefix(200))") }
                        continue
                    }
                    answers.withLock { $0.append(executor) }
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
        }

        var last: String? { answers.withLock { $0.last } }
    }

    /// Waits until the load sees `name` answer (up to 20 s).
    func waitFor(_ name: String, in load: Load) -> Bool {
        for _ in 0..<400 {
            if load.last == name { return true }
            usleep(50_000)
        }
        return false
    }

    @Test func editsAreServedOnceLiveAndNoRequestIsLost() throws {
        let scene = try GatewayScene(flow: Self.flow("first", "BaseExecutor"))
        defer { scene.cleanUp() }
        let gateway = try scene.serve(["--watch"], command: ["flow", "serve"])
        let load = Load()
        let port = gateway.port
        let loop = Thread { load.run(port: port) }
        loop.start()
        #expect(waitFor("first", in: load))

        try TestFiles.write(Self.flow("second", "UpperCase"), to: "flow.yml", in: scene.dir)
        #expect(waitFor("second", in: load), "the first edit was not served: \(gateway.process.stderr)")

        try TestFiles.write("jtype: Flow\nexecutors: [\n", to: "flow.yml", in: scene.dir)
        #expect(gateway.process.waitForStderr(containing: "still serving the previous Flow", timeout: 10), "\(gateway.process.stderr)")
        usleep(300_000)
        #expect(load.last == "second", "an invalid edit changed what serves")

        try TestFiles.write(Self.flow("third", "Echo"), to: "flow.yml", in: scene.dir)
        #expect(waitFor("third", in: load), "the third edit was not served: \(gateway.process.stderr)")
        usleep(300_000)
        load.stop.store(true, ordering: .relaxed)
        while !loop.isFinished { usleep(10_000) }

        let failures = load.failures.withLock { $0 }
        #expect(failures.isEmpty, "\(failures.count) requests failed: \(failures.prefix(3))")
        let answers = load.answers.withLock { $0 }
        // In order: first…, second…, third…; never an older Flow after a newer one answered.
        var order: [String] = []
        for answer in answers where order.last != answer { order.append(answer) }
        #expect(order == ["first", "second", "third"], "Flows answered in this order: \(order)")
        #expect(answers.count >= 20, "only \(answers.count) requests")
        #expect(gateway.process.stderr.contains("reloaded flow.yml (flow.yml changed)"), "\(gateway.process.stderr)")
        #expect(gateway.stop() == 0)
        scene.expectNoProcessLeft()
    }

    @Test func aRemovedFileKeepsTheFlowServingAndComingBackReloads() throws {
        let scene = try GatewayScene(flow: Self.flow("first", "BaseExecutor"))
        defer { scene.cleanUp() }
        let gateway = try scene.serve(["--watch"], command: ["flow", "serve"])
        try FileManager.default.removeItem(atPath: scene.dir + "/flow.yml")
        #expect(gateway.process.waitForStderr(containing: "flow.yml was removed; still serving", timeout: 10), "\(gateway.process.stderr)")
        let reply = try gateway.post("/post", #"{"data":[{"text":"abc"}]}"#)
        #expect(reply.status == 200)
        try TestFiles.write(Self.flow("back", "UpperCase"), to: "flow.yml", in: scene.dir)
        #expect(gateway.process.waitForStderr(containing: "reloaded", timeout: 10), "\(gateway.process.stderr)")
        let routes = try gateway.post("/post", #"{"data":[{"text":"abc"}]}"#).json()["routes"] as? [[String: Any]]
        #expect(routes?.first?["executor"] as? String == "back")
        #expect(gateway.stop() == 0)
        scene.expectNoProcessLeft()
    }

    /// The gateway reads its own settings once: an edit of them reloads the executors, says what
    /// was not applied, and the gateway keeps serving where and as it started.
    @Test func anEditOfTheGatewaysSettingsIsWarnedAboutNotApplied() throws {
        let scene = try GatewayScene(flow: Self.flow("first", "BaseExecutor"))
        defer { scene.cleanUp() }
        let gateway = try scene.serve(["--watch"], command: ["flow", "serve"])
        try TestFiles.write("jtype: Flow\nwith:\n  cors: true\n  port: 1\nexecutors:\n  - {name: second, uses: UpperCase}\n",
                            to: "flow.yml", in: scene.dir)
        #expect(gateway.process.waitForStderr(containing: "with.port, with.cors changed, but the gateway reads them only at start", timeout: 20),
                "\(gateway.process.stderr)")
        let reply = try gateway.post("/post", #"{"data":[{"text":"abc"}]}"#)
        let routes = try reply.json()["routes"] as? [[String: Any]]
        #expect(routes?.first?["executor"] as? String == "second", "the executors were reloaded")
        #expect(reply.headers["access-control-allow-origin"] == nil, "CORS was not turned on in the running gateway")
        #expect(gateway.stop() == 0)
        scene.expectNoProcessLeft()
    }
}
