import ArgumentParser
import Foundation
import JinaClient
import JinaRuntime
import JinaWire

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
        let summary = await ClientPostRun(client: client, reader: reader, endpoint: request.on, requestSize: request.requestSize,
                                          prefetch: prefetch, parameters: request.parametersObject,
                                          targetExecutor: request.targetExecutor, writeResponses: request.writeResponses,
                                          interrupt: interrupt).run()
        if let inputError = summary.inputError { Terminal.printError("error: \(inputError)") }
        if summary.failed > 0 && !summary.showedProgress {
            Terminal.printError("\(summary.failed) of \(summary.requests) requests failed")
        }
        if summary.unreachable {
            Terminal.printError("hint: is the Flow serving at \(address)? Start it with 'jina flow --uses flow.yml --port \(address.port!)', "
                                + "or let this command wait for it with --wait-ready SECONDS")
        }
        if interrupt.signal == SIGINT { throw ExitCode(130) }
        if summary.failed > 0 || summary.inputError != nil { throw ExitCode.failed }
    }
}

/// Streams batches from a reader to a gateway with at most `prefetch` requests in flight or
/// waiting for their turn in the output, and writes the results in input order.
struct ClientPostRun {
    let client: GatewayClient
    let reader: InputReader
    let endpoint: String
    let requestSize: Int
    let prefetch: Int
    let parameters: JSONObject
    let targetExecutor: String?
    let writeResponses: Bool
    let interrupt: InterruptWatcher

    struct Summary {
        var requests = 0
        var failed = 0
        var inputError: String?
        /// A request could not connect at all (so the rest of the inputs were not sent).
        var unreachable = false
        var showedProgress = false
    }

    /// Counts shared by the request tasks.
    private final class Tally: @unchecked Sendable {  // behind `lock`
        private let lock = NSLock()
        private var failedCount = 0
        private var connectFailed = false
        func fail(connecting: Bool) { lock.withLock { failedCount += 1; connectFailed = connectFailed || connecting } }
        var failed: Int { lock.withLock { failedCount } }
        var unreachable: Bool { lock.withLock { connectFailed } }
    }

    func run() async -> Summary {
        let progress = Terminal.isTerminal(STDERR_FILENO) ? ProgressBar(colour: Terminal.useColour(on: STDERR_FILENO)) : nil
        let sharesTerminal = progress != nil && Terminal.isTerminal(STDOUT_FILENO)
        let batches = BatchFeed(reader: reader, requestSize: requestSize, readAhead: prefetch)
        // A batch's slot is freed when its output is written, not when it is answered: a slow
        // request then holds back new ones instead of letting answers pile up behind it.
        let output = OrderedLines(write: { bytes in
            let written = sharesTerminal ? progress!.interrupting { StandardOutput.write(bytes) } : StandardOutput.write(bytes)
            if !written { batches.stop() }  // the reader of stdout is gone
            return written
        }, written: { batches.release() })
        interrupt.onStop { batches.stop() }
        let tally = Tally()
        progress?.start()
        var requests = 0
        await withDiscardingTaskGroup { group in
            for await batch in batches.stream {
                let position = requests
                requests += 1
                group.addTask {
                    let lines = await send(batch, tally: tally, progress: progress, batches: batches)
                    output.deliver(lines, at: position)
                }
            }
        }
        progress?.finish()
        return Summary(requests: requests, failed: tally.failed, inputError: batches.error, unreachable: tally.unreachable,
                       showedProgress: progress != nil)
    }

    /// Sends one batch; returns what to write for it. Failures are reported on stderr.
    private func send(_ batch: (body: [UInt8], count: Int), tally: Tally, progress: ProgressBar?, batches: BatchFeed) async -> [UInt8] {
        let requestID = FlowRequest.newID()
        func report(_ message: String) {
            if let progress { progress.interrupting { Log.error(message) } } else { Log.error(message) }
        }
        func failureEnvelope(_ exceptionName: String, _ message: String) -> [UInt8] {
            FailureEnvelope.json(requestID: requestID, endpoint: endpoint, targetExecutor: targetExecutor, parameters: parameters,
                                 exceptionName: exceptionName, message: message) + [0x0A]
        }
        do {
            let response = try await client.post(endpoint: endpoint, docs: batch.body, parameters: parameters,
                                                 targetExecutor: targetExecutor, requestID: requestID)
            progress?.record(docs: batch.count, failed: !response.succeeded)
            if !response.succeeded {
                tally.fail(connecting: false)
                let place = response.status.executor.map { " at \($0)" } ?? (response.httpStatus != 200 ? " at the gateway" : "")
                report("request \(response.requestID ?? requestID) failed\(place): \(response.status.description)")
            }
            if writeResponses {
                guard let line = response.envelopeLine else { return failureEnvelope("HTTPError", response.status.description) }
                return line + [0x0A]
            }
            guard response.succeeded else { return [] }
            var lines: [UInt8] = []
            lines.reserveCapacity(response.body.count)
            for doc in response.documents {
                lines += doc
                lines.append(0x0A)
            }
            return lines
        } catch {
            progress?.record(docs: batch.count, failed: true)
            let connecting = (error as? ClientError)?.isConnectFailure ?? false
            tally.fail(connecting: connecting)
            // Nothing listens there: the other batches would fail the same way.
            if connecting { batches.stop() }
            report("request \(requestID) failed: \(error)")
            let timedOut = if case ClientError.timedOut = error { true } else { false }
            return writeResponses ? failureEnvelope(timedOut ? "TimeoutError" : "ConnectionError", "\(error)") : []
        }
    }
}
