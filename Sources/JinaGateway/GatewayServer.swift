import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import HummingbirdWebSocket
import JinaWire
import Logging
import NIOCore
import ServiceLifecycle

/// Why the gateway could not listen.
public enum GatewayStartError: Error, CustomStringConvertible {
    case portInUse(host: String, port: Int)
    case cannotListen(host: String, port: Int, reason: String)

    public var description: String {
        switch self {
        case .portInUse(let host, let port):
            return "port \(port) on \(host) is already in use; stop what uses it (e.g. find it with `ss -ltnp 'sport = :\(port)'`), "
                + "or choose another port with --port (0 picks a free one)"
        case .cannotListen(let host, let port, let reason):
            return "cannot listen on \(host):\(port): \(reason)"
        }
    }
}

/// The gateway of a running Flow (SPEC §5): HTTP on Hummingbird, gRPC on grpc-swift 2, each
/// protocol on its own port, all in front of one Flow. It listens before the executors start, so
/// a taken port fails at once and `/ready` can say what is still starting; data requests are
/// refused (503, UNAVAILABLE) until `flowDidStart()`.
public final class GatewayServer: Sendable {
    /// Each protocol and the port it listens on (the one picked when asked for port 0).
    public let listeners: [GatewayConfiguration.Listener]
    /// The first listener's port.
    public var port: Int { listeners.first?.port ?? 0 }
    private let serviceGroup: ServiceGroup
    private let flowStarted: LockedBool
    private let stopping: LockedBool
    private let stopped: Signal

    private init(listeners: [GatewayConfiguration.Listener], serviceGroup: ServiceGroup, flowStarted: LockedBool, stopping: LockedBool,
                 stopped: Signal) {
        self.listeners = listeners
        self.serviceGroup = serviceGroup
        self.flowStarted = flowStarted
        self.stopping = stopping
        self.stopped = stopped
    }

    /// Listens on every configured address and starts answering; returns once all are bound.
    public static func start(flow: any FlowService, configuration: GatewayConfiguration) async throws -> GatewayServer {
        let flowStarted = LockedBool(), stopping = LockedBool(), stopped = Signal()
        let metrics = GatewayMetrics()
        let responder = GatewayResponder(
            flow: flow, cors: configuration.cors,
            data: DataRequestHandler(flow: flow, maxBodySize: configuration.maxBodySize, metrics: metrics, flowStarted: flowStarted),
            info: InfoRoutes(flow: flow, configuration: configuration, metrics: metrics, flowStarted: flowStarted, startDate: Date()))
        let runner = ProtoDataRunner(flow: flow, metrics: metrics, flowStarted: flowStarted)
        // Hummingbird's own log (rare errors only) goes to stderr: stdout carries the ready line.
        var logger = Logger(label: "jina.gateway", factory: { _ in GatewayLogHandler() })
        logger.logLevel = .error
        var services: [any Service] = []
        var bound: [(GatewayConfiguration.Listener, OneShot<Int>)] = []
        for listener in configuration.listeners {
            let listening = OneShot<Int>()
            bound.append((listener, listening))
            switch listener.protocol {
            case .http, .websocket:
                // Closes keep-alive connections idle for a minute (never one with a request in flight).
                // Each connection is served on its own event loop (EventLoopPinnedChannel).
                let http = HTTPServerBuilder { responder in
                    EventLoopPinnedChannel(base: HTTP1Channel(
                        responder: responder,
                        configuration: .init(additionalChannelHandlers: [ClientDisconnectWatcher()], idleTimeout: .seconds(60))))
                }
                // WebSocket's port serves the HTTP routes too, as Jina's WebSocket gateway does.
                let webSocket = WebSocketGateway(runner: runner, maxMessageSize: configuration.maxBodySize)
                let upgrading = HTTPServerBuilder { responder in
                    EventLoopPinnedChannel(base: HTTP1WebSocketUpgradeChannel(
                        responder: responder,
                        configuration: .init(
                            http1: .init(additionalChannelHandlers: [ClientDisconnectWatcher()], idleTimeout: nil),
                            // aiohttp sends a whole request as one frame: frames as large as a request may be.
                            ws: WebSocketServerConfiguration(maxFrameSize: min(configuration.maxBodySize, Int(UInt32.max))))
                    ) { request, _, _ in webSocket.shouldUpgrade(request) })
                }
                let plain = listener.protocol == .websocket ? upgrading : http
                services.append(Application(
                    responder: responder,
                    server: try configuration.tls.map { try .tls(plain, tlsConfiguration: $0.serverConfiguration) } ?? plain,
                    configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: listener.port), backlog: 1024),
                    onServerRunning: { channel in listening.resolve(.success(channel.localAddress?.port ?? listener.port)) },
                    logger: logger))
            case .grpc:
                services.append(GRPCGatewayService(
                    services: JinaGRPCServices(runner: runner, version: configuration.version, stopping: stopping, active: ActiveRPCs()),
                    host: configuration.host, port: listener.port, maxMessageSize: configuration.maxBodySize,
                    security: configuration.tls?.grpcSecurity ?? .plaintext, listening: listening))
            }
        }
        let serviceGroup = ServiceGroup(configuration: ServiceGroupConfiguration(services: services, logger: logger))
        Task {
            var failure: Error = GatewayStartError.cannotListen(host: configuration.host, port: configuration.port, reason: "the server stopped")
            do { try await serviceGroup.run() } catch { failure = error }
            for (listener, listening) in bound {
                listening.resolve(.failure(Self.startError(failure, configuration.host, listener.port)))
            }
            stopped.fire()
        }
        var listeners: [GatewayConfiguration.Listener] = []
        for (listener, listening) in bound {
            do {
                listeners.append(GatewayConfiguration.Listener(listener.protocol, port: try await listening.value()))
            } catch {
                await serviceGroup.triggerGracefulShutdown()
                await stopped.wait()
                throw Self.startError(error, configuration.host, listener.port)
            }
        }
        return GatewayServer(listeners: listeners, serviceGroup: serviceGroup, flowStarted: flowStarted, stopping: stopping, stopped: stopped)
    }

    /// Every executor is ready: data routes go to the Flow from now on.
    public func flowDidStart() {
        flowStarted.value = true
    }

    /// Stops accepting connections and lets the requests in flight finish (keep-alive connections
    /// close after their current response). True when all finished within `timeout`.
    public func shutdown(within timeout: Duration) async -> Bool {
        stopping.value = true
        await serviceGroup.triggerGracefulShutdown()
        return await waitUntilStopped(timeout: timeout)
    }

    /// Waits until the server has stopped (or the task is cancelled, or `timeout` passes);
    /// true when it has stopped.
    public func waitUntilStopped(timeout: Duration? = nil) async -> Bool {
        guard let timeout else {
            await stopped.wait()
            return stopped.hasFired
        }
        return await stopped.wait(upTo: timeout)
    }

    private static func startError(_ error: Error, _ host: String, _ port: Int) -> Error {
        if error is GatewayStartError { return error }
        if let error = error as? IOError, error.errnoCode == EADDRINUSE {
            return GatewayStartError.portInUse(host: host, port: port)
        }
        if let error = error as? GRPCGatewayService.BindError {
            if error.ioError?.errnoCode == EADDRINUSE { return GatewayStartError.portInUse(host: host, port: port) }
            return GatewayStartError.cannotListen(host: host, port: port, reason: "\(error.cause)")
        }
        return GatewayStartError.cannotListen(host: host, port: port, reason: "\(error)")
    }
}

/// A value delivered once, to one waiter: here, the bound port or why binding failed.
final class OneShot<Value: Sendable>: @unchecked Sendable {  // state behind `lock`
    private let lock = NSLock()
    private var result: Result<Value, Error>?
    private var waiter: CheckedContinuation<Value, Error>?

    /// The first call wins; later ones are ignored.
    func resolve(_ result: Result<Value, Error>) {
        let waiter = lock.withLock { () -> CheckedContinuation<Value, Error>? in
            guard self.result == nil else { return nil }
            self.result = result
            defer { self.waiter = nil }
            return self.waiter
        }
        waiter?.resume(with: result)
    }

    func value() async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            let ready = lock.withLock { () -> Result<Value, Error>? in
                if result == nil { waiter = continuation }
                return result
            }
            if let ready { continuation.resume(with: ready) }
        }
    }
}
