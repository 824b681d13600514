import ArgumentParser
import JinaClient

/// How a client checks a gateway served over TLS (`https://`, `grpcs://`, `wss://`); shared by
/// `client post` and `ping`.
struct ClientTLSOptions: ParsableArguments {
    @Option(name: .customLong("tls-ca-file"),
            help: ArgumentHelp("Trust the gateway's certificate when this PEM CA (or the self-signed certificate itself) signed it, instead of the system's CAs; implies TLS for an address without a scheme.",
                               valueName: "ca.pem"), completion: .file())
    var caFile: String?

    @Flag(name: .customLong("tls-insecure"),
          help: "Do not check the gateway's certificate (encrypted, but to whoever answers); implies TLS for an address without a scheme.")
    var insecure = false

    func validate() throws {
        if caFile != nil && insecure {
            throw ValidationError("--tls-ca-file and --tls-insecure contradict each other: the first checks the certificate against a CA, the second not at all")
        }
    }

    /// `address` over TLS when these options ask for it and it names no scheme; a plaintext
    /// scheme with them is a usage error.
    func apply(to address: Address, written: String) throws -> Address {
        guard caFile != nil || insecure, !address.tls else { return address }
        let option = caFile != nil ? "--tls-ca-file" : "--tls-insecure"
        if let scheme = address.scheme {
            let secure = scheme == .http ? "https" : scheme == .grpc ? "grpcs" : "wss"
            throw ValidationError("\(option) is for a gateway served over TLS, but '\(written)' says plaintext \(scheme.rawValue)://; write \(secure)://")
        }
        var address = address
        address.tls = true
        return address
    }

    /// The TLS settings for `address` (nil for plaintext). A CA file that cannot be used exits 78,
    /// naming the file, before anything is sent.
    func settings(for address: Address) throws -> ClientTLS? {
        guard address.tls else { return nil }
        do { return try ClientTLS(caFile: caFile, insecure: insecure) } catch {
            Terminal.error("\(error)")
            throw ExitCode.configError
        }
    }
}
