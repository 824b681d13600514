import GRPCNIOTransportHTTP2Posix
import JinaWire
import NIOSSL

/// The gateway's certificate and key (`--ssl-certfile`, `--ssl-keyfile`, Jina 3's names): read and
/// checked once, before anything listens, then used by every protocol (HTTPS, WSS, gRPC over TLS).
public struct GatewayTLS: Sendable {
    public let certificate: PEMFile
    public let key: PEMFile
    let chain: [NIOSSLCertificate]
    let privateKey: NIOSSLPrivateKey

    /// Reads and checks both files, and that the key belongs to the certificate. `certificateOption`
    /// and `keyOption` name where each path came from, for the error.
    public init(certificateFile: String, keyFile: String, certificateOption: String = "--ssl-certfile",
                keyOption: String = "--ssl-keyfile") throws(PEMFile.Invalid) {
        certificate = try PEMFile(path: certificateFile, holding: .certificate, option: certificateOption)
        key = try PEMFile(path: keyFile, holding: .privateKey, option: keyOption)
        do { chain = try NIOSSLCertificate.fromPEMBytes(certificate.bytes) } catch {
            throw PEMFile.Invalid(option: certificateOption, path: certificateFile, reason: "is not a valid PEM certificate (\(error))")
        }
        do { privateKey = try NIOSSLPrivateKey(bytes: key.bytes, format: .pem) } catch {
            throw PEMFile.Invalid(option: keyOption, path: keyFile,
                                  reason: "is not a valid PEM private key, or it is encrypted (\(error)); give an unencrypted key (openssl … -nodes)")
        }
        // A key that does not belong to the certificate fails here, rather than at the first handshake.
        do { _ = try NIOSSLContext(configuration: serverConfiguration) } catch {
            throw PEMFile.Invalid(option: keyOption, path: keyFile,
                                  reason: "does not go with the certificate in \(certificateFile) (\(error))")
        }
    }

    /// NIOSSL's server configuration (HTTP and WebSocket on Hummingbird).
    var serverConfiguration: TLSConfiguration {
        TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(privateKey))
    }

    /// grpc-swift's (it sets the ALPN gRPC clients expect).
    var grpcSecurity: HTTP2ServerTransport.Posix.TransportSecurity {
        .tls(certificateChain: [.bytes(certificate.bytes, format: .pem)], privateKey: .bytes(key.bytes, format: .pem))
    }
}
