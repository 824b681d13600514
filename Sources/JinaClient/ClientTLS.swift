import GRPCNIOTransportHTTP2Posix
import JinaWire
import NIOSSL

/// How a client checks a gateway served over TLS (`https://`, `grpcs://`, `wss://`): against the
/// system's CAs, a CA file of its own (`--tls-ca-file`, e.g. a self-signed certificate), or not at
/// all (`--tls-insecure`). One of these serves every connection of a client.
public struct ClientTLS: Sendable {
    /// The CA (or self-signed) certificates to trust instead of the system's.
    public let caFile: PEMFile?
    /// No certificate check at all: encrypted, but to whoever answers.
    public let insecure: Bool
    let configuration: TLSConfiguration
    let context: NIOSSLContext

    /// Reads `caFile` now, so a wrong file fails before anything is sent.
    public init(caFile: String? = nil, insecure: Bool = false, caFileOption: String = "--tls-ca-file") throws(PEMFile.Invalid) {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let caFile {
            let pem = try PEMFile(path: caFile, holding: .certificate, option: caFileOption)
            do { configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(pem.bytes)) } catch {
                throw PEMFile.Invalid(option: caFileOption, path: caFile, reason: "is not a valid PEM certificate (\(error))")
            }
            self.caFile = pem
        } else {
            self.caFile = nil
        }
        if insecure { configuration.certificateVerification = .none }
        self.insecure = insecure
        self.configuration = configuration
        do { context = try NIOSSLContext(configuration: configuration) } catch {
            throw PEMFile.Invalid(option: caFileOption, path: caFile ?? "(system CAs)", reason: "cannot be used for TLS (\(error))")
        }
    }

    /// The name sent as SNI and matched against the certificate's DNS names; nil for an IP
    /// literal, whose certificate is matched by its IP address entries instead (NIOSSL refuses an
    /// IP as SNI, as RFC 6066 says).
    static func serverName(for host: String) -> String? {
        Address.isIPAddress(host) ? nil : host
    }

    /// grpc-swift's client settings for the same checks.
    var grpcSecurity: HTTP2ClientTransport.Posix.TransportSecurity {
        .tls { config in
            if let caFile { config.trustRoots = .certificates([.bytes(caFile.bytes, format: .pem)]) }
            if insecure { config.serverCertificateVerification = .noVerification }
        }
    }

    /// What a failed handshake means, in words a user can act on; nil when `error` is not about TLS.
    /// Read from the error's text: NIOSSL keeps BoringSSL's error code private (only its
    /// description carries the reason's name), and grpc-swift passes the TLS error on as a cause
    /// of its own errors, so the reason's name is the one thing every path shows.
    static func explain(_ error: any Error, host: String) -> String? {
        let text = String(reflecting: error)
        if text.contains("CERTIFICATE_VERIFY_FAILED") {
            return "TLS: the gateway's certificate is not trusted (CERTIFICATE_VERIFY_FAILED); give the CA that signed it "
                + "(or the self-signed certificate itself) with --tls-ca-file, or skip the check with --tls-insecure"
        }
        if text.contains("failedToValidateHostname") {
            return "TLS: the gateway's certificate is not valid for \(host) (none of its names or IP addresses is \(host)); "
                + "connect by a name the certificate lists, or skip the check with --tls-insecure"
        }
        if text.contains("WRONG_VERSION_NUMBER") || text.contains("HTTP_REQUEST") || text.contains("PACKET_LENGTH_TOO_LONG") {
            return "TLS: the gateway did not answer in TLS; is it serving plaintext? (then use http://, grpc:// or ws://)"
        }
        if error is NIOSSLError || error is NIOSSLExtraError || error is BoringSSLError || text.contains("NIOSSL") {
            return "TLS: \(error)"
        }
        return nil
    }
}
