import ArgumentParser
import Foundation
import JinaClient

/// `jina client post --port P --on /index --inputs docs.jsonl`: send documents to a running Flow.
struct ClientPostCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "post",
        abstract: "Send documents to a running Flow's gateway and write what comes back.",
        discussion: """
            Inputs are read as by 'jina flow run' and sent to POST /post in batches of \
            --request-size, with at most --prefetch requests in flight on as many keep-alive \
            connections. Results go to stdout as JSON Lines, one document per line, in input \
            order (or one response envelope per request with --output responses). A failed \
            request is reported on stderr with its request id, executor and message. On a \
            terminal, stderr shows a progress line. Exits 0 when every request succeeded, 1 when \
            any failed, 64 on a usage error, and 130 on SIGINT once the requests in flight are \
            answered. JINA_HOST and JINA_PORT give --host and --port.
            """
    )

    @Option(help: ArgumentHelp("The gateway's host (or HOST:PORT, http://HOST:PORT).", valueName: "host"))
    var host: String = ProcessInfo.processInfo.environment["JINA_HOST"] ?? "127.0.0.1"

    @Option(help: ArgumentHelp("The gateway's port (default: JINA_PORT).", valueName: "port"))
    var port: Int?

    @Option(help: ArgumentHelp("Documents to send: a file (.jsonl, .csv, text), a glob of files, or - for stdin.", valueName: "file|-"),
            completion: .file())
    var inputs: String

    @Option(help: "Requests in flight at once (and connections to the gateway).")
    var prefetch: Int = 8

    @OptionGroup var request: RequestOptions

    @Option(help: ArgumentHelp("First wait up to this many seconds for the Flow to be ready (GET /ready).", valueName: "seconds"))
    var waitReady: Double?

    @Option(help: ArgumentHelp("Fail a request that takes longer than this many milliseconds (0: no limit).", valueName: "ms"))
    var timeout: Int = 0

    /// Where the gateway is: --host (which may carry the port), then --port, then JINA_PORT.
    private func address() throws -> Address {
        var address: Address
        do { address = try Address(parsing: host) } catch { throw ValidationError("--host: \(error)") }
        if let port { address.port = port }
        if address.port == nil, let fromEnvironment = ProcessInfo.processInfo.environment["JINA_PORT"], !fromEnvironment.isEmpty {
            guard let port = Int(fromEnvironment) else { throw ValidationError("JINA_PORT is not a number: \(fromEnvironment)") }
            address.port = port
        }
        guard let port = address.port else { throw ValidationError("Missing --port: the port the Flow's gateway serves on (or set JINA_PORT)") }
        guard (1...65535).contains(port) else { throw ValidationError("--port must be from 1 to 65535") }
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
        let reader = try request.reader(for: inputs)
        let client = GatewayClient(.init(host: address.host, port: address.port!, connections: prefetch, connectTimeout: 3_000,
                                         requestTimeout: timeout, retryRefusedFor: Int((waitReady ?? 0) * 1000)))
        defer { client.close() }
        let interrupt = InterruptWatcher()
        if let waitReady {
            let waiting = Task { try await client.waitReady(within: waitReady) }
            interrupt.onStop { waiting.cancel() }
            do { try await waiting.value } catch {
                if let signal = interrupt.signal { throw ExitCode(signal == SIGINT ? 130 : 143) }
                Terminal.printError("error: the Flow at \(address) is \(error)")
                throw ExitCode.failed
            }
        }
        let sender = GatewaySender(client: client, endpoint: request.on, parameters: request.parametersObject,
                                   targetExecutor: request.targetExecutor, writeResponses: request.writeResponses)
        let progress = Terminal.isTerminal(STDERR_FILENO) ? ProgressBar(colour: Terminal.useColour(on: STDERR_FILENO)) : nil
        let summary = await BatchPipeline(reader: reader, requestSize: request.requestSize, prefetch: prefetch, interrupt: interrupt,
                                          progress: progress).run(sender)
        summary.printProblems()
        if summary.stoppedByFailure {
            Terminal.printError("hint: is the Flow serving at \(address)? Start it with 'jina flow --uses flow.yml --port \(address.port!)', "
                                + "or let this command wait for it with --wait-ready SECONDS")
        }
        if let exitCode = summary.exitCode(after: interrupt) { throw exitCode }
    }
}
