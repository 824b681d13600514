import Foundation
import Testing

/// One Flow served over gRPC, HTTP and WebSocket at once (`protocol: [grpc, http, websocket]`),
/// used with the binary's own client and ping over each.
@Suite struct GatewayProtocolTests {
    /// Upper-case, then fail on `BOOM`, served over every protocol (InteropTests uses it too).
    static let flow = """
        jtype: Flow
        with:
          protocol: [grpc, http, websocket]
        executors:
          - name: up
            uses: UpperCase
          - name: picky
            uses:
              jtype: Fail
              with:
                on_text: BOOM
        """

    func withFlow(_ body: (GatewayScene, Gateway) throws -> Void) throws {
        let scene = try GatewayScene(flow: Self.flow)
        defer { scene.cleanUp() }
        let gateway = try scene.serve(ports: [])
        defer { gateway.process.kill() }
        try body(scene, gateway)
    }

    @Test func theReadyLineListsEachProtocolsAddress() throws {
        try withFlow { _, gateway in
            #expect(Set(gateway.ports.keys) == ["grpc", "http", "ws"], "\(gateway.process.stdout)")
            let line = gateway.process.stdout.split(separator: "\n").first { $0.hasPrefix("ready: ") } ?? ""
            #expect(line.hasPrefix("ready: grpc://127.0.0.1:"), "\(line)")
        }
    }

    @Test(arguments: ["grpc", "websocket", "http"])
    func clientPostOver(protocol name: String) throws {
        try withFlow { scene, gateway in
            try TestFiles.write("{\"id\":\"a\",\"text\":\"one\"}\n{\"id\":\"b\",\"text\":\"boom\"}\n{\"id\":\"c\",\"text\":\"three\"}\n",
                                to: "in.jsonl", in: scene.dir)
            let port = gateway.ports[name == "websocket" ? "ws" : name]!
            let run = try JinaBinary.run(["client", "post", "--protocol", name, "--port", String(port), "--inputs", "in.jsonl",
                                          "--request-size", "1"], in: scene.dir)
            #expect(run.status == 1, "\(run.stderr)")
            #expect(run.stdout == "{\"id\":\"a\",\"text\":\"ONE\"}\n{\"id\":\"c\",\"text\":\"THREE\"}\n", "\(run.stdout) \(run.stderr)")
            #expect(run.stderr.contains("failed at picky") || run.stderr.contains("failed at Fail"), "\(run.stderr)")
            #expect(run.stderr.contains("1 of 3 requests failed"), "\(run.stderr)")
        }
    }

    @Test func pingFlowOverEachScheme() throws {
        try withFlow { _, gateway in
            for (scheme, port) in gateway.ports {
                let run = try JinaBinary.run(["ping", "flow", "\(scheme)://127.0.0.1:\(port)"])
                #expect(run.status == 0, "\(scheme): \(run.stdout) \(run.stderr)")
                #expect(run.stdout.hasPrefix("ping flow \(scheme)://127.0.0.1:\(port): ok in "), "\(run.stdout)")
            }
        }
    }

    @Test func nothingListeningIsAFailureNotAHang() throws {
        for address in ["grpc://127.0.0.1:1", "ws://127.0.0.1:1"] {
            let run = try JinaBinary.run(["ping", "flow", address, "--timeout", "2000"], timeout: 20)
            #expect(run.status == 1, "\(address): \(run.stdout)")
            #expect(run.stdout.contains(": failed: "), "\(run.stdout)")
        }
    }

    @Test func aTakenGRPCPortFailsAtOnceNamingIt() throws {
        let scene = try GatewayScene(flow: Self.flow)
        defer { scene.cleanUp() }
        let first = try scene.serve(ports: [])
        defer { first.process.kill() }
        let taken = first.ports["grpc"]!
        let run = try JinaBinary.run(["flow", "serve", "--uses", "flow.yml", "--protocol", "grpc", "--port", String(taken)],
                                     in: scene.dir, timeout: 30)
        #expect(run.status == 1)
        #expect(run.stderr.contains("port \(taken) on 127.0.0.1 is already in use"), "\(run.stderr)")
    }
}
