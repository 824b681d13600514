import ArgumentParser
import Foundation
import JinaConfig
import JinaWire
import JinaRuntime

/// `jina flow run --uses flow.yml --on /index --inputs docs.jsonl`: one-shot pipeline mode.
/// Without --inputs it serves the Flow over HTTP, as `jina flow serve` does (SPEC §1).
struct FlowRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Start a Flow, stream inputs through it, write the results, and stop.",
        discussion: """
            Every executor starts as a child process. Inputs go through in batches of \
            --request-size with several requests in flight; results are written to stdout as JSON \
            Lines, one document per line, in input order. Logs go to stderr; so does each document \
            an executor could not serve while it served the others (its error is in \
            tags.__error__). Exits 0 when every request and document succeeded, 1 when any failed, \
            78 when the Flow cannot start. SIGINT (Ctrl-C) \
            or SIGTERM stop reading inputs and let the requests in flight finish (past \
            --shutdown-timeout they are cancelled, their executor calls withdrawn); then SIGINT exits \
            130 and SIGTERM exits as a normal end would (143 if it came before the Flow was ready). \
            Without --inputs the Flow is served over HTTP until SIGINT or SIGTERM (see `jina flow serve`).
            """
    )

    @Option(help: ArgumentHelp("The Flow YAML.", valueName: "flow.yml"), completion: .file(extensions: ["yml", "yaml"]))
    var uses: String

    @Option(help: ArgumentHelp("Documents to send: a file (.jsonl, .csv, text), a glob of files, or - for stdin.", valueName: "file|-"),
            completion: .file())
    var inputs: String?

    @Option(help: "Requests in flight at once (default: 8; 64 when serving).")
    var prefetch: Int?

    @Option(help: ArgumentHelp("Fail a call that takes longer than this many milliseconds (0: no limit).", valueName: "ms"))
    var timeout: Int = 0

    @Option(help: ArgumentHelp("Milliseconds the requests in flight get after SIGINT or SIGTERM, and executors get after their input closes, before TERM and KILL.", valueName: "ms"))
    var shutdownTimeout: Int = 5_000

    @OptionGroup(title: "Logging") var logging: LogOptions

    @OptionGroup var request: RequestOptions

    @OptionGroup var config: ConfigOptions

    @OptionGroup(title: "Serving (without --inputs)") var serving: ServeOptions

    func validate() throws {
        if let prefetch, prefetch < 1 { throw ValidationError("--prefetch must be at least 1") }
    }

    func run() async throws {
        logging.apply()
        guard let inputs else {
            return try await FlowServer(uses: uses, serving: serving, prefetch: prefetch ?? FlowServer.defaultPrefetch, timeout: timeout,
                                        shutdownTimeout: shutdownTimeout, config: config).run()
        }
        let prefetch = self.prefetch ?? 8
        let graph = try FlowLaunch.graph(uses, loader: config.loader)

        let reader = try request.reader(for: inputs)
        let runtime = try FlowLaunch.runtime(graph, environment: config.environment, prefetch: prefetch, timeoutMilliseconds: timeout)
        let interrupt = InterruptWatcher()
        interrupt.onStop { runtime.abortStart() }
        let clock = ContinuousClock()
        let start = clock.now
        do { try await runtime.start() } catch {
            await runtime.stop(grace: .zero)
            if let signal = interrupt.signal {
                // Nothing was run: interrupted (130), or terminated (143).
                throw ExitCode(signal == SIGINT ? 130 : 143)
            }
            Terminal.error("\(error)")
            throw ExitCode.configError
        }
        if logging.verbose { Log.info("ready: \(graph.executors.count) executor(s) started in \(Self.milliseconds(clock.now - start)) ms") }
        let sender = FlowSender(post: { await runtime.post($0) }, endpoint: request.on, parameters: request.parametersObject,
                                targetExecutor: request.targetExecutor, writeResponses: request.writeResponses)
        let summary = await BatchPipeline(reader: reader, requestSize: request.requestSize, prefetch: prefetch, interrupt: interrupt,
                                          progress: nil, drainLimit: .milliseconds(shutdownTimeout)).run(sender)
        if logging.verbose {
            let rate = summary.seconds > 0 ? Int((Double(summary.docs) / summary.seconds).rounded()) : 0
            Log.info("done: \(summary.docs) docs in \(summary.requests) requests (\(summary.failed) failed) in "
                     + "\(Self.milliseconds(.seconds(summary.seconds))) ms, \(rate) docs/s")
        }
        let stopping = clock.now
        await runtime.stop(grace: .milliseconds(shutdownTimeout))
        if logging.verbose { Log.info("stopped in \(Self.milliseconds(clock.now - stopping)) ms") }
        summary.printProblems()
        if let exitCode = summary.exitCode(after: interrupt) { throw exitCode }
    }
}

extension FlowRunCommand {
    /// "12.3"
    static func milliseconds(_ duration: Duration) -> String {
        let ms = Double(duration.components.seconds) * 1e3 + Double(duration.components.attoseconds) / 1e15
        return String(format: "%.1f", ms)
    }
}

extension InputReader.Format: ExpressibleByArgument {}
extension InputReader.ReadMode: ExpressibleByArgument {}
