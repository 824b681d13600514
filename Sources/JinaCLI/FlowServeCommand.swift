import ArgumentParser
import Foundation
import JinaConfig
import JinaExecutor
import JinaGateway
import JinaRuntime
import JinaWire

/// `jina flow serve --uses flow.yml` (also `jina flow --uses flow.yml`): the Flow behind its
/// HTTP gateway until SIGINT or SIGTERM.
struct FlowServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Start a Flow and serve it over HTTP, gRPC or WebSocket until SIGINT or SIGTERM.",
        discussion: """
            The gateway listens first, then every executor starts as a child process; when all are \
            ready, one line `ready: http://HOST:PORT` goes to stdout. Routes: POST /post, \
            /post/{endpoint}, /index, /search, /update, /delete, /default and each bound endpoint; \
            GET /, /ping, /ready, /status, /dry_run, /metrics, /openapi.json, /docs (the API page). SIGINT or SIGTERM \
            stop accepting connections, let the requests in flight finish (up to \
            --shutdown-timeout), stop the executors, and exit 0 (SIGTERM) or 130 (SIGINT). With \
            --ssl-certfile and --ssl-keyfile (or the Flow's `with: ssl_certfile` and `ssl_keyfile`) \
            every protocol is served over TLS, and the ready line says https://, grpcs://, wss://. \
            Exits 1 when the port is taken, 78 when the Flow cannot start or a certificate or key \
            file cannot be used.
            """
    )

    @Option(help: ArgumentHelp("The Flow YAML.", valueName: "flow.yml"), completion: .file(extensions: ["yml", "yaml"]))
    var uses: String

    @OptionGroup var serving: ServeOptions

    @Option(help: "Requests in flight in the Flow at once; more wait.")
    var prefetch: Int = FlowServer.defaultPrefetch

    @Option(help: ArgumentHelp("Fail a call that takes longer than this many milliseconds (0: no limit).", valueName: "ms"))
    var timeout: Int = 0

    @Option(help: ArgumentHelp("Milliseconds to finish the requests in flight, and then for executors to exit, before they are killed.",
                               valueName: "ms"))
    var shutdownTimeout: Int = 5_000

    @OptionGroup var config: ConfigOptions

    @OptionGroup(title: "Logging") var logging: LogOptions

    func validate() throws {
        if prefetch < 1 { throw ValidationError("--prefetch must be at least 1") }
    }

    func run() async throws {
        logging.apply()
        try await FlowServer(uses: uses, serving: serving, prefetch: prefetch, timeout: timeout,
                             shutdownTimeout: shutdownTimeout, config: config).run()
    }
}

/// Where the gateway listens; shared with `jina flow run`, which serves when it has no --inputs.
struct ServeOptions: ParsableArguments {
    @Option(name: .customLong("protocol"),
            help: ArgumentHelp("A protocol to serve: http, grpc or websocket; repeat for several, each on its own port (default: the Flow's `with: protocol`, else http).",
                               valueName: "protocol"))
    var protocols: [GatewayProtocol] = []

    @Option(help: ArgumentHelp("Port to listen on, one per protocol in the same order (default: the Flow's `with: port`, else JINA_PORT for the first, else 0: a free port).",
                               valueName: "port"))
    var port: [Int] = []

    @Option(help: ArgumentHelp("Address to listen on (default: the Flow's `with: host`, else 127.0.0.1).", valueName: "address"))
    var host: String?

    @Flag(help: "Answer browsers on other origins (CORS headers), as the Flow's `with: cors: true` does.")
    var cors = false

    @Option(help: ArgumentHelp("Serve over TLS with this PEM certificate (chain), with --ssl-keyfile: https://, grpcs://, wss:// (default: the Flow's `with: ssl_certfile`).",
                               valueName: "cert.pem"), completion: .file())
    var sslCertfile: String?

    @Option(help: ArgumentHelp("The PEM private key of --ssl-certfile, unencrypted (default: the Flow's `with: ssl_keyfile`).",
                               valueName: "key.pem"), completion: .file())
    var sslKeyfile: String?

    @Flag(help: "Stop, as on SIGTERM, when standard input closes: a parent that holds the other end of a pipe takes the Flow with it when it exits (the Python Flow API does).")
    var exitWithStdin = false

    @Flag(help: "Reload the Flow when its YAML or a file it reaches (executor YAML, py_modules) changes: the edited Flow is linted and started beside the running one, which serves until the new one is ready and then finishes its requests; an invalid edit keeps the running Flow. The gateway's own settings (with: port, protocol, host, cors, TLS, ...) apply at start only: an edit of them is reported, not applied.")
    var watch = false

    func validate() throws {
        if port.contains(where: { !(0...65535).contains($0) }) { throw ValidationError("--port must be between 0 and 65535") }
        if !port.isEmpty, !protocols.isEmpty, port.count != protocols.count {
            throw ValidationError("\(port.count) --port for \(protocols.count) --protocol; give one port per protocol, in the same order")
        }
        if sslCertfile != nil, sslKeyfile == nil {
            throw ValidationError("--ssl-certfile needs --ssl-keyfile: the certificate's private key (PEM)")
        }
        if sslKeyfile != nil, sslCertfile == nil {
            throw ValidationError("--ssl-keyfile needs --ssl-certfile: the certificate (PEM) the key belongs to")
        }
    }

    /// The certificate and key to serve TLS with: the command line's (relative to the working
    /// directory), else the Flow's `with:` (already absolute); nil for plaintext. Files that cannot
    /// be used throw, naming the file.
    func tls(_ settings: FlowSettings) throws(PEMFile.Invalid) -> GatewayTLS? {
        if let sslCertfile, let sslKeyfile {
            return try GatewayTLS(certificateFile: sslCertfile, keyFile: sslKeyfile)
        }
        guard let certificate = settings.sslCertfile, let key = settings.sslKeyfile else { return nil }
        return try GatewayTLS(certificateFile: certificate, keyFile: key, certificateOption: "with.ssl_certfile", keyOption: "with.ssl_keyfile")
    }

    /// Each protocol with its port: the command line's, else the Flow's, else JINA_PORT for the
    /// first, else a free one.
    func listeners(_ settings: FlowSettings, environment: [String: String]) throws -> [GatewayConfiguration.Listener] {
        let protocols = self.protocols.isEmpty ? settings.protocols : self.protocols
        var ports = port.isEmpty && (self.protocols.isEmpty || settings.ports.count == protocols.count) ? settings.ports : port
        if ports.isEmpty, let fromEnvironment = environment["JINA_PORT"].flatMap({ Int($0) }) { ports = [fromEnvironment] }
        if ports.count > protocols.count || (ports.count > 1 && ports.count < protocols.count) {
            throw ValidationError("\(ports.count) ports for \(protocols.count) protocol(s); give one port per protocol, in the same order")
        }
        return protocols.enumerated().map { i, p in
            GatewayConfiguration.Listener(ServedProtocol(rawValue: p.rawValue)!, port: i < ports.count ? ports[i] : 0)
        }
    }
}

extension GatewayProtocol: ExpressibleByArgument {}

/// Serves a Flow: listen, start the executors, print the ready line, wait for a signal, then
/// drain the requests in flight and stop.
struct FlowServer {
    /// Serving takes many concurrent clients (the Jina 3 client opens up to 100 connections).
    static let defaultPrefetch = 64

    let uses: String
    let serving: ServeOptions
    let prefetch: Int
    let timeout: Int
    let shutdownTimeout: Int
    let config: ConfigOptions

    func run() async throws {
        let graph = try FlowLaunch.graph(uses, loader: config.loader)

        let settings = graph.flow.settings
        let environment = config.environment
        // A certificate or key that cannot be used stops here, before anything listens or starts.
        let tls: GatewayTLS?
        do { tls = try serving.tls(settings) } catch {
            Terminal.error("\(error)")
            throw ExitCode.configError
        }
        let gateway = GatewayConfiguration(
            host: serving.host ?? settings.host, listeners: try serving.listeners(settings, environment: environment),
            cors: serving.cors || settings.cors, maxBodySize: settings.maxBodySize,
            title: settings.title, description: settings.description, version: JinaVersion.current, tls: tls)
        let runtime = try FlowLaunch.runtime(graph, environment: environment, prefetch: prefetch, timeoutMilliseconds: timeout)
        // What the gateway serves: the runtime, or (with --watch) whichever one is current.
        let flow = FlowSwitch(runtime)

        let interrupt = InterruptWatcher()
        if serving.exitWithStdin { interrupt.stopWhenStdinCloses() }
        interrupt.onStop { runtime.abortStart() }
        // Listen before any executor starts: a taken port fails at once, with nothing to stop.
        let server: GatewayServer
        do { server = try await GatewayServer.start(flow: flow, configuration: gateway) } catch {
            Terminal.error("\(error)")
            throw ExitCode.failed
        }
        let host = gateway.host.contains(":") ? "[\(gateway.host)]" : gateway.host
        let url = server.listeners.map { "\($0.protocol.scheme(tls: tls != nil))://\(host):\($0.port)" }.joined(separator: " ")
        // A signal before the Flow is ready ends the run at once: 130 (SIGINT) or 143 (SIGTERM).
        func interrupted(_ signal: Int32) -> ExitCode { ExitCode(signal == SIGINT ? 130 : 143) }
        if let signal = interrupt.signal {
            _ = await server.shutdown(within: .seconds(1))
            throw interrupted(signal)
        }
        Log.info("gateway listening on \(url); starting \(graph.executors.count) executor(s)")
        let stamps = serving.watch ? FlowWatcher.stamps(of: uses, graph) : [:]
        do { try await runtime.start() } catch {
            await runtime.stop(grace: .zero)
            _ = await server.shutdown(within: .seconds(1))
            if let signal = interrupt.signal { throw interrupted(signal) }
            Terminal.error("\(error)")
            throw ExitCode.configError
        }
        server.flowDidStart()
        FileHandle.standardOutput.write(Data("ready: \(url)\n".utf8))

        let watcher = serving.watch ? Task { [config, prefetch, timeout, shutdownTimeout] in
            await FlowWatcher(path: uses, loader: config.loader, flow: flow, makeRuntime: { graph in
                try FlowRuntime(graph: graph, options: FlowLaunch.options(environment: environment, prefetch: prefetch, timeoutMilliseconds: timeout))
            }, grace: .milliseconds(shutdownTimeout), gatewaySettings: settings).run(from: stamps)
        } : nil
        // Start-up is over: give back the code pages it touched (docs/architecture.md).
        StartupCode.release()
        await Self.waitForSignal(interrupt, or: server)
        watcher?.cancel()
        await watcher?.value
        await drainAndStop(server, flow.current)
        guard let signal = interrupt.signal else {
            Terminal.error("the gateway stopped unexpectedly")
            throw ExitCode.failed
        }
        if signal == SIGINT { throw ExitCode(130) }
    }

    /// No new connections; the requests in flight finish (up to --shutdown-timeout), then the
    /// executors stop. Requests still running then fail as their executors go, and are answered.
    private func drainAndStop(_ server: GatewayServer, _ runtime: FlowRuntime) async {
        let limit = Duration.milliseconds(shutdownTimeout)
        let drained = await server.shutdown(within: limit)
        if !drained { Log.warning("requests still in flight after \(shutdownTimeout) ms; stopping the Flow anyway") }
        await runtime.stop(grace: limit)
        if !drained { _ = await server.waitUntilStopped(timeout: .seconds(2)) }
    }

    /// Returns on SIGINT/SIGTERM, or if the server stops by itself.
    private static func waitForSignal(_ interrupt: InterruptWatcher, or server: GatewayServer) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await interrupt.stopped() }
            group.addTask { _ = await server.waitUntilStopped() }
            await group.next()
            group.cancelAll()
        }
    }
}
