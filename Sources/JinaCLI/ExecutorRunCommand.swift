import ArgumentParser
import Foundation
import JinaConfig
import JinaExecutor
import JinaWire

/// `jina executor --uses exec.yml --stdio|--port N`: serve one executor over the executor protocol.
struct ExecutorRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Serve one executor over the executor protocol, on stdin/stdout or on a TCP port.",
        discussion: """
            With --stdio it speaks the protocol on stdin/stdout (this is how a Flow runs its \
            executors); with --port it listens on TCP so that a Flow on another host can use it \
            through an executor entry with 'host' and 'port'. A built-in runs in this process; \
            an executor YAML naming a Python class (with its py_modules) or an exec:// program \
            runs as its own process for each connection, speaking on it directly. See \
            docs/protocol.md. With --port, SIGTERM (what Kubernetes and compose send) or SIGINT \
            drains it: no new connections or calls are taken (a Flow sends its queued calls to \
            another replica), the calls in progress are answered, and it exits once every \
            connection is closed (0 after SIGTERM, 130 after SIGINT; a second SIGINT exits at \
            once), or after --shutdown-timeout.
            """
    )

    @Option(help: ArgumentHelp("The executor: an executor YAML file or a built-in class name.", valueName: "exec.yml"),
            completion: .file(extensions: ["yml", "yaml"]))
    var uses: String?

    @Flag(help: "Speak the executor protocol on stdin/stdout.")
    var stdio = false

    @Option(help: "Serve the executor protocol on this TCP port (0 picks a free one).")
    var port: Int?

    @Option(help: "The address to listen on with --port.")
    var host: String = ProcessInfo.processInfo.environment["JINA_HOST"] ?? "127.0.0.1"

    @Option(help: ArgumentHelp("With --port, milliseconds the calls in progress get after SIGTERM or SIGINT before the executor exits.", valueName: "ms"))
    var shutdownTimeout: Int = 25_000

    @Option(help: "Frame encoding: frames (length-prefixed) or lines (JSON per line).")
    var framing: Framing = .frames

    @Option(help: .hidden) var spec: String?
    @Option(help: .hidden) var label: String?

    @OptionGroup var config: ConfigOptions

    @OptionGroup(title: "Logging") var logging: LogOptions

    func validate() throws {
        if stdio == (port != nil) { throw ValidationError("Give exactly one of --stdio and --port") }
        if uses == nil && spec == nil { throw ValidationError("Missing --uses: an executor YAML or a built-in class name") }
        if let port, !(0...65535).contains(port) { throw ValidationError("--port must be between 0 and 65535") }
    }

    func run() async throws {
        logging.apply()
        let served: Served
        do {
            served = try load()
        } catch let error as ExecutorError {
            Terminal.error("\(label ?? uses ?? "executor"): \(error)")
            throw ExitCode.configError
        }
        switch served {
        case .inProcess(let spec):
            let executor: LoadedExecutor
            do {
                executor = try LoadedExecutor(spec, label: label)
            } catch let error as ExecutorError {
                Terminal.error("\(label ?? uses ?? "executor"): \(error)")
                throw ExitCode.configError
            }
            let host = ExecutorHost(executor: executor, framing: framing)
            if stdio { throw ExitCode(host.serveStdio()) }
            let server = ExecutorServer(host: host)
            let name = executor.spec.name
            throw await serveUntilStopped { drain in
                try server.serve(host: self.host, port: port!, drain: drain) { bound in
                    Terminal.say("executor \(name) ready on \(self.host):\(bound)")
                }
            }
        case .process(let name, let executable, let arguments):
            let server = ProcessExecutorServer(executable: executable, arguments: arguments, environment: config.environment)
            throw await serveUntilStopped { drain in
                try server.serve(host: self.host, port: port!, drain: drain) { bound in
                    Terminal.say("executor \(name) ready on \(self.host):\(bound)")
                }
            }
        }
    }

    /// Runs `serve` (blocking: accept loops) on a thread of its own until SIGTERM or SIGINT stops
    /// it, then waits for the open connections up to --shutdown-timeout; the exit status.
    private func serveUntilStopped(_ serve: @escaping @Sendable (ConnectionDrain) throws -> Void) async -> ExitCode {
        let drain = ConnectionDrain()
        let watcher = InterruptWatcher()
        watcher.onStop { drain.stop() }
        let limit = Duration.milliseconds(shutdownTimeout)
        let failure: (any Error)? = await withCheckedContinuation { continuation in
            Thread {
                do {
                    try serve(drain)
                    if !drain.waitUntilClosed(timeout: limit) {
                        Terminal.warning("\(drain.openConnections) connection(s) still busy after \(shutdownTimeout) ms (--shutdown-timeout); exiting")
                    }
                    continuation.resume(returning: nil)
                } catch {
                    continuation.resume(returning: error)
                }
            }.start()
        }
        if let failure {
            Terminal.error("\(failure)")
            return .failed
        }
        return ExitCode(watcher.signal == SIGINT ? 130 : 0)
    }

    /// A built-in runs in this process; a Python class or an `exec://` program runs as its own
    /// process per connection (with --port).
    private enum Served {
        case inProcess(ExecutorSpec)
        case process(name: String, executable: String, arguments: [String])
    }

    private func load() throws -> Served {
        if let spec {
            guard let value = try? JSONParser.parse(spec), let parsed = ExecutorSpec(json: value) else {
                throw ExecutorError("ValueError", "--spec is not an executor spec")
            }
            return .inProcess(parsed)
        }
        let uses = self.uses!
        if !uses.hasSuffix(".yml") && !uses.hasSuffix(".yaml") {
            guard BuiltinExecutorCatalog.named(uses) != nil else {
                throw ExecutorError("NotFound", "no built-in executor '\(uses)' (see 'jina executor list')")
            }
            return .inProcess(ExecutorSpec(jtype: uses, name: uses))
        }
        let result = config.loader.load(path: uses)
        let printer = DiagnosticPrinter(colour: Terminal.useColour(on: STDERR_FILENO))
        for d in result.diagnostics where d.severity != .note { Terminal.show(d, printer) }
        guard !result.hasErrors, case .executor(let executorConfig) = result.document else {
            if case .flow = result.document { throw ExecutorError("ValueError", "\(uses) is a Flow; use 'jina flow'") }
            throw ExecutorError("ConfigError", "\(uses) has errors")
        }
        let name = executorConfig.metas.name ?? executorConfig.jtype
        switch executorConfig.kind {
        case .builtin:
            return .inProcess(ExecutorSpec(executorConfig))
        case .python(let className, _):
            guard port != nil else {
                throw ExecutorError("NotSupported", "a Python class is served with --port (a Flow runs it on stdio itself)")
            }
            do {
                let (python, arguments) = try PythonHost.command(for: executorConfig, className: className, label: label ?? name,
                                                                 environment: config.environment)
                return .process(name: name, executable: python, arguments: arguments)
            } catch {
                throw ExecutorError("Unavailable", "\(error)")
            }
        case .program(let executable, let arguments):
            guard port != nil else { throw ExecutorError("NotSupported", "an exec:// program speaks on stdio itself; serve it with --port") }
            if framing != .frames {
                throw ExecutorError("NotSupported", "a remote executor speaks length-prefixed frames; --framing lines is for --stdio")
            }
            return .process(name: name, executable: executable, arguments: arguments)
        }
    }
}

extension Framing: ExpressibleByArgument {}
