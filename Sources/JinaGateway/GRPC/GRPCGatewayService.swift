import GRPCCore
import GRPCNIOTransportHTTP2Posix
import JinaWire
import NIOCore
import ServiceLifecycle

/// The gRPC server as a ServiceLifecycle service beside the HTTP one: graceful shutdown stops
/// new RPCs and lets those in flight finish. Its settings are what Jina's client needs.
struct GRPCGatewayService: Service {
    /// The server could not listen; `cause` is the transport's error.
    struct BindError: Error {
        var cause: Error

        /// The socket error underneath (e.g. EADDRINUSE), however deeply the transport wrapped it.
        var ioError: IOError? {
            var error: Error? = cause
            while let current = error {
                if let io = current as? IOError { return io }
                error = (current as? RuntimeError)?.cause ?? (current as? RPCError)?.cause
            }
            return nil
        }
    }

    let services: JinaGRPCServices
    let host: String
    let port: Int
    let maxMessageSize: Int
    /// Plaintext, or TLS with the gateway's certificate.
    let security: HTTP2ServerTransport.Posix.TransportSecurity
    let listening: OneShot<Int>

    func run() async throws {
        let address: GRPCNIOTransportCore.SocketAddress = host.contains(":")
            ? .ipv6(host: host, port: port) : .ipv4(host: host == "localhost" ? "127.0.0.1" : host, port: port)
        let transport = HTTP2ServerTransport.Posix(address: address, transportSecurity: security, config: .defaults { config in
            // Jina's clients send messages of any size (its channel options are -1): `max_body_size` bounds them here.
            config.rpc.maxRequestPayloadSize = maxMessageSize
            // Jina's client pings every ~10 s while a call is open; the default policy (one ping per
            // 5 min, two strikes) sends GOAWAY after ~30 s of a slow executor.
            config.connection.keepalive.clientBehavior = .init(minPingIntervalWithoutCalls: .seconds(5), allowWithoutCalls: true)
            // `post(..., compression='Gzip')` and 'Deflate'.
            config.compression.enabledAlgorithms = .all
        })
        let server = GRPCServer(transport: transport, services: [services])
        let draining = Signal()
        try await withGracefulShutdownHandler {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await server.serve() }
                do {
                    let bound = try await transport.listeningAddress
                    listening.resolve(.success(bound.ipv4?.port ?? bound.ipv6?.port ?? port))
                } catch {
                    // The transport could not bind; serving fails with the reason (e.g. EADDRINUSE).
                    do { try await group.waitForAll() } catch let reason {
                        listening.resolve(.failure(BindError(cause: reason)))
                        throw reason
                    }
                    listening.resolve(.failure(BindError(cause: error)))
                }
                // A client that holds an idle connection without reading (a synchronous grpcio
                // channel between calls) never acknowledges the GOAWAY, and the server would wait
                // for it: once no RPC is left, stop serving and close what remains.
                group.addTask {
                    await draining.wait()
                    while !services.active.isIdle { try await Task.sleep(for: .milliseconds(20)) }
                    try await Task.sleep(for: .milliseconds(100))
                    throw CancellationError()
                }
                do {
                    try await group.next()
                } catch is CancellationError where draining.hasFired {
                    // Drained: the serve task is cancelled with the rest of the group.
                }
                group.cancelAll()
            }
        } onGracefulShutdown: {
            draining.fire()
            server.beginGracefulShutdown()
        }
    }
}
