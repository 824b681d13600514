import Foundation
import JinaClient
import JinaWire
import Testing
@testable import JinaGateway

/// The gateways over TLS on a fake Flow, through the Swift clients: every protocol answers, the
/// HTTP client keeps its connection alive under TLS, and the certificate files are checked.
@Suite struct TLSGatewayTests {
    /// A self-signed certificate for localhost and 127.0.0.1 (and a second one, for other tests), made by openssl.
    static func certificates() throws -> (dir: String, cert: String, key: String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("jina-tls-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        openssl.arguments = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", dir + "/key.pem", "-out", dir + "/cert.pem",
                             "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-days", "1"]
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        #expect(openssl.terminationStatus == 0)
        return (dir, dir + "/cert.pem", dir + "/key.pem")
    }

    func request(_ texts: [String]) -> FlowRequest {
        let docs = texts.enumerated().map { JSONValue.object(["id": .string("d\($0)"), "text": .string($1)]) }
        return FlowRequest(requestID: RequestID.make(), endpoint: "/index", parameters: [:], body: JSONValue.array(docs).jsonBytes,
                           count: docs.count)
    }

    /// Three requests on one HTTPS connection, all on this thread (the TLS layer is bound to it).
    static func threeRequests(port: Int, tls: ClientTLS) throws -> (statuses: [Int], connects: Int) {
        let connection = HTTPConnection(host: "127.0.0.1", port: port, tls: tls)
        defer { connection.close() }
        var statuses: [Int] = []
        for _ in 0..<3 { statuses.append(try connection.send(.get("/ready"), timeout: 10_000).status) }
        return (statuses, connection.connectCount)
    }

    @Test func everyProtocolAnswersOverTLSAndHTTPSKeepsItsConnection() async throws {
        let (dir, cert, key) = try Self.certificates()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let configuration = GatewayConfiguration(listeners: [.init(.http, port: 0), .init(.grpc, port: 0), .init(.websocket, port: 0)],
                                                 version: "test", tls: try GatewayTLS(certificateFile: cert, keyFile: key))
        let server = try await GatewayServer.start(flow: FakeFlow(), configuration: configuration)
        server.flowDidStart()
        func port(_ kind: ServedProtocol) -> Int { server.listeners.first { $0.protocol == kind }!.port }
        let trust = try ClientTLS(caFile: cert)

        let (statuses, connects) = try Self.threeRequests(port: port(.http), tls: trust)
        #expect(statuses == [200, 200, 200])
        #expect(connects == 1, "keep-alive over TLS")

        let grpc = try GRPCGatewayClient(host: "127.0.0.1", port: port(.grpc), timeout: 10_000, tls: trust)
        defer { grpc.close() }
        #expect(try await grpc.post(request(["tls"])).failure == nil)
        let ws = WebSocketGatewayClient(host: "127.0.0.1", port: port(.websocket), tls: trust, timeout: 10_000)
        #expect(try await ws.post([request(["tls"])]).count == 1)

        // The system's CAs do not know a self-signed certificate.
        let untrusted = try ClientTLS()
        #expect {
            _ = try Self.threeRequests(port: port(.http), tls: untrusted)
        } throws: { error in
            guard case ClientError.tls(let reason) = error else { return false }
            return reason.contains("CERTIFICATE_VERIFY_FAILED")
        }
        _ = await server.shutdown(within: .seconds(5))
    }

    @Test func filesThatCannotServeTLSAreNamedWithTheReason() throws {
        let (dir, cert, key) = try Self.certificates()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        func reason(_ certificate: String, _ key: String) -> String? {
            do { _ = try GatewayTLS(certificateFile: certificate, keyFile: key) } catch { return error.description }
            return nil
        }
        #expect(reason(cert, key) == nil)
        #expect(reason(dir + "/none.pem", key) == "--ssl-certfile \(dir)/none.pem: no such file")
        #expect(reason(dir, key) == "--ssl-certfile \(dir): is a directory, not a certificate file")
        #expect(reason(cert, cert)?.hasPrefix("--ssl-keyfile \(cert): holds 'CERTIFICATE' but no private key (is it the certificate file?)") == true)
        FileManager.default.createFile(atPath: dir + "/empty.pem", contents: Data())
        #expect(reason(cert, dir + "/empty.pem") == "--ssl-keyfile \(dir)/empty.pem: is empty; expected a PEM private key")
    }
}
