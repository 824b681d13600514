import ArgumentParser
import Foundation
import JinaClient
import JinaWire

/// `jina client post --port P --on /index --inputs docs.jsonl`: send documents to a running Flow.
struct ClientPostCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "post",
        abstract: "Send documents to a running Flow's gateway and write what comes back.",
        discussion: """
            Inputs are read as by 'jina flow run' and sent in batches of --request-size, with at \
            most --prefetch requests in flight: over HTTP (POST /post on as many keep-alive \
            connections), gRPC (process_single_data calls on one HTTP/2 connection) or WebSocket \
            (one connection per request), as --protocol or the address's scheme says; over TLS \
            with https://, grpcs:// or wss:// (checked against the system's CAs, --tls-ca-file, or \
            not at all with --tls-insecure). Results go to stdout as JSON Lines, one document per line, in input \
            order (or one response envelope per request with --output responses). A failed \
            request is reported on stderr with its request id, executor and message, and so is a \
            document that carries its own error (tags.__error__). On a terminal, stderr shows a \
            progress line. Exits 0 when every request and document succeeded, 1 when any failed, 64 on a usage error, 78 when --tls-ca-file cannot be used, and 130 on SIGINT once the requests in flight are \
            answered. JINA_HOST and JINA_PORT give --host and --port.
            """
    )

    @Option(help: ArgumentHelp("The gateway's host (or HOST:PORT, http://HOST:PORT, grpc://HOST:PORT, ws://HOST:PORT; over TLS https://, grpcs://, wss://).",
                               valueName: "host"))
    var host: String = ProcessInfo.processInfo.environment["JINA_HOST"] ?? "127.0.0.1"

    @Option(help: ArgumentHelp("The gateway's port (default: JINA_PORT).", valueName: "port"))
    var port: Int?

    @Option(name: .customLong("protocol"),
            help: ArgumentHelp("The gateway's protocol: http, grpc or websocket (default: the address's scheme, else http).", valueName: "protocol"))
    var gatewayProtocol: ClientProtocol?

    enum ClientProtocol: String, ExpressibleByArgument, CaseIterable { case http, grpc, websocket }

    @Option(help: ArgumentHelp("Documents to send: a file (.jsonl, .csv, text), a glob of files, or - for stdin.", valueName: "file|-"),
            completion: .file())
    var inputs: String

    @Option(help: "Requests in flight at once (and connections to the gateway).")
    var prefetch: Int = 8

    @OptionGroup var request: RequestOptions

    @OptionGroup var tls: ClientTLSOptions

    @Option(help: ArgumentHelp("First wait up to this many seconds for the Flow to be ready (GET /ready).", valueName: "seconds"))
    var waitReady: Double?

    @Option(help: ArgumentHelp("Fail a request that takes longer than this many milliseconds (0: no limit).", valueName: "ms"))
    var timeout: Int = 0

    /// Where the gateway is: --host (which may carry the port), then --port, then JINA_PORT.
    private func address() throws -> Address {
        var address: Address
        do { address = try Address(parsing: host) } catch { throw ValidationError("--host: \(error)") }
        address = try tls.apply(to: address, written: host)
        if let port { address.port = port }
        if address.port == nil, let fromEnvironment = ProcessInfo.processInfo.environment["JINA_PORT"], !fromEnvironment.isEmpty {
            guard let port = Int(fromEnvironment) else { throw ValidationError("JINA_PORT is not a number: \(fromEnvironment)") }
            address.port = port
        }
        guard let port = address.port else { throw ValidationError("Missing --port: the port the Flow's gateway serves on (or set JINA_PORT)") }
        guard (1...65535).contains(port) else { throw ValidationError("--port must be from 1 to 65535") }
        if let gatewayProtocol {
            let named: Address.Scheme = gatewayProtocol == .grpc ? .grpc : gatewayProtocol == .websocket ? .ws : .http
            if let scheme = address.scheme, scheme != named {
                throw ValidationError("--protocol \(gatewayProtocol.rawValue) and --host \(host) name different protocols")
            }
            address.scheme = named
        }
        return address
    }

    func validate() throws {
        _ = try address()
        if prefetch < 1 { throw ValidationError("--prefetch must be at least 1") }
        if timeout < 0 { throw ValidationError("--timeout must be 0 (no limit) or more") }
        if let waitReady, waitReady < 0 { throw ValidationError("--wait-ready must be 0 or more seconds") }
    }

    func run() async throws {
        let address = try address()
        let tlsSettings = try tls.settings(for: address)
        let reader = try request.reader(for: inputs)
        let interrupt = InterruptWatcher()
        let gateway = try connect(address, tls: tlsSettings)
        defer { gateway.close() }
        if let waitReady {
            let wait = gateway.waitReady
            let waiting = Task { try await wait(waitReady) }
            interrupt.onStop { waiting.cancel() }
            do { try await waiting.value } catch {
                if let signal = interrupt.signal { throw ExitCode(signal == SIGINT ? 130 : 143) }
                Terminal.error("the Flow at \(address) is \(error)")
                throw ExitCode.failed
            }
        }
        let progress = Terminal.isTerminal(STDERR_FILENO) ? ProgressBar(colour: Terminal.useColour(on: STDERR_FILENO)) : nil
        let summary = await BatchPipeline(reader: reader, requestSize: request.requestSize, prefetch: prefetch, interrupt: interrupt,
                                          progress: progress).run(gateway.sender)
        summary.printProblems()
        // (Over TLS the failure itself says what to do: a certificate not trusted is not a Flow that is down.)
        if summary.stoppedByFailure && !address.tls {
            Terminal.say("hint: is the Flow serving at \(address)? Start it with 'jina flow --uses flow.yml --port \(address.port!)', "
                         + "or let this command wait for it with --wait-ready SECONDS")
        }
        if let exitCode = summary.exitCode(after: interrupt) { throw exitCode }
    }

    /// The gateway over the address's protocol: how to send batches, wait for readiness, close.
    private func connect(_ address: Address, tls: ClientTLS?) throws -> (sender: any BatchSender,
                                                                         waitReady: @Sendable (Double) async throws -> Void, close: () -> Void) {
        let (endpoint, parameters, target, responses) = (request.on, request.parametersObject, request.targetExecutor, request.writeResponses)
        switch address.scheme {
        case .grpc?:
            let client = try GRPCGatewayClient(host: address.host, port: address.port!, timeout: timeout, tls: tls)
            return (FlowSender(post: { try await client.post($0) }, endpoint: endpoint, parameters: parameters, targetExecutor: target,
                               writeResponses: responses),
                    { seconds in try await Self.poll(within: seconds) { try await client.dryRun() } }, { client.close() })
        case .ws?:
            let client = WebSocketGatewayClient(host: address.host, port: address.port!, tls: tls, timeout: timeout)
            let post: @Sendable (FlowRequest) async throws -> FlowResponse = { request in
                guard let response = try await client.post([request]).first else {
                    throw ProtoClientError(.refused, "the gateway closed the connection without an answer")
                }
                return response
            }
            return (FlowSender(post: post, endpoint: endpoint, parameters: parameters, targetExecutor: target, writeResponses: responses),
                    { seconds in try await Self.poll(within: seconds) { try await client.dryRun() } }, {})
        case .http?, nil:
            let client = GatewayClient(.init(host: address.host, port: address.port!, connections: prefetch, connectTimeout: 3_000,
                                             requestTimeout: timeout, retryRefusedFor: Int((waitReady ?? 0) * 1000), tls: tls))
            return (GatewaySender(client: client, endpoint: endpoint, parameters: parameters, targetExecutor: target, writeResponses: responses),
                    { seconds in try await client.waitReady(within: seconds) }, { client.close() })
        }
    }

    /// Asks `dryRun` every 100 ms until it succeeds, or fails with its last answer after `seconds`.
    private static func poll(within seconds: Double, _ dryRun: @Sendable () async throws -> String?) async throws {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        var last = "no answer"
        while true {
            do {
                guard let why = try await dryRun() else { return }
                last = why
            } catch {
                last = "\(error)"
            }
            if ContinuousClock.now >= deadline { throw ProtoClientError(.unavailable, "not ready after \(seconds) s: \(last)") }
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}
