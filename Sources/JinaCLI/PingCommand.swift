import ArgumentParser
import Foundation
import JinaClient

/// `jina ping flow|executor HOST:PORT`: is it ready? One line per attempt, with the latency.
struct PingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ping",
        abstract: "Check that a Flow or an executor is ready.",
        discussion: """
            'flow' asks a Flow's gateway for a dry run: an empty request through every executor, \
            over the protocol the address names (http://, the default, GET /dry_run; grpc://, \
            the dry_run RPC; ws://, /dry_run; over TLS https://, grpcs://, wss://, checked \
            against the system's CAs, --tls-ca-file, or not at all with --tls-insecure); it succeeds when the answer has code 0. 'executor' \
            connects to a 'jina executor --port' server and reads the hello it sends. Each \
            attempt prints one line with its latency. After a failed attempt the next comes \
            1 s later; after a success, at once; attempts stop early once too many have failed \
            to reach --min-successful-attempts. Exits 0 when at least \
            --min-successful-attempts attempts succeeded, 1 otherwise, so it can wait for a Flow:
              until jina ping flow 127.0.0.1:12345; do sleep 0.1; done
            """
    )

    enum Target: String, ExpressibleByArgument, CaseIterable { case flow, executor }

    @Argument(help: "What to ping: flow (a gateway) or executor (a 'jina executor --port' server).")
    var target: Target

    @Argument(help: ArgumentHelp("Where it listens: HOST:PORT, or for a flow grpc://HOST:PORT, ws://HOST:PORT, http://HOST:PORT (over TLS grpcs://, wss://, https://).",
                                 valueName: "host:port"))
    var address: String

    @Option(help: ArgumentHelp("Milliseconds one attempt may take, connecting included.", valueName: "ms"))
    var timeout: Int = 3_000

    @Option(help: "How many attempts to make.")
    var attempts: Int = 1

    @Option(help: "How many attempts must succeed.")
    var minSuccessfulAttempts: Int = 1

    @OptionGroup var tls: ClientTLSOptions

    /// The address, over TLS when its scheme or the TLS options say so.
    private func parsedAddress() throws -> Address {
        let parsed: Address
        do { parsed = try Address(parsing: address) } catch { throw ValidationError("\(error)") }
        return try tls.apply(to: parsed, written: address)
    }

    func validate() throws {
        if target == .executor, tls.caFile != nil || tls.insecure {
            throw ValidationError("an executor is not served over TLS: --tls-ca-file and --tls-insecure are for a flow")
        }
        let parsed = try parsedAddress()
        if parsed.port == nil { throw ValidationError("'\(address)' has no port: give HOST:PORT, e.g. 127.0.0.1:12345") }
        if target == .executor, let scheme = parsed.scheme {
            throw ValidationError("an executor speaks its own protocol, not \(scheme.rawValue)\(parsed.tls ? "s" : "")://: give HOST:PORT")
        }
        if timeout < 1 { throw ValidationError("--timeout must be at least 1 ms") }
        if attempts < 1 { throw ValidationError("--attempts must be at least 1") }
        if minSuccessfulAttempts < 1 || minSuccessfulAttempts > attempts {
            throw ValidationError("--min-successful-attempts must be from 1 to --attempts (\(attempts))")
        }
    }

    func run() async throws {
        let address = try parsedAddress()
        let tlsSettings = try tls.settings(for: address)
        var successes = 0
        for attempt in 1...attempts {
            let started = ContinuousClock.now
            let failure: String?
            var detail = ""
            do {
                switch target {
                case .flow:
                    failure = try await pingFlow(address, tls: tlsSettings)
                case .executor:
                    detail = " (\(try await ExecutorProbe.hello(host: address.host, port: address.port!, timeout: timeout)))"
                    failure = nil
                }
            } catch {
                failure = "\(error)"
            }
            let (seconds, attoseconds) = (ContinuousClock.now - started).components
            let milliseconds = Double(seconds) * 1000 + Double(attoseconds) / 1e15
            let label = "ping \(target.rawValue) \(address)" + (attempts > 1 ? " (\(attempt)/\(attempts))" : "")
            if let failure {
                StandardOutput.write(Array("\(label): failed: \(failure)\n".utf8))
            } else {
                successes += 1
                StandardOutput.write(Array("\(label): ok in \(String(format: "%.1f", milliseconds)) ms\(detail)\n".utf8))
            }
            let remaining = attempts - attempt
            if successes + remaining < minSuccessfulAttempts || remaining == 0 { break }
            if failure != nil { try await Task.sleep(for: .seconds(1)) }
        }
        if successes < minSuccessfulAttempts { throw ExitCode.failed }
    }

    /// nil when the dry run went through; else why not.
    private func pingFlow(_ address: Address, tls: ClientTLS?) async throws -> String? {
        switch address.scheme {
        case .grpc?:
            let client = try GRPCGatewayClient(host: address.host, port: address.port!, timeout: timeout, tls: tls)
            defer { client.close() }
            return try await client.dryRun()
        case .ws?:
            return try await WebSocketGatewayClient(host: address.host, port: address.port!, tls: tls, timeout: timeout).dryRun()
        case .http?, nil:
            break
        }
        let client = GatewayClient(.init(host: address.host, port: address.port!, connections: 1, connectTimeout: timeout,
                                         requestTimeout: timeout, tls: tls))
        defer { client.close() }
        return try await client.dryRun()
    }
}
