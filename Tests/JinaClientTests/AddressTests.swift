import JinaClient
import Testing

/// `--host` as users write it, and as a gateway's ready line prints it.
@Suite struct AddressTests {
    @Test(arguments: [
        ("localhost", "localhost", nil),
        ("127.0.0.1:8080", "127.0.0.1", 8080),
        ("http://gateway:12345/", "gateway", 12345),
        ("HTTP://gateway:1//", "gateway", 1),
        ("[::1]:65535", "::1", 65535),
        ("[fe80::1]", "fe80::1", nil),
        // Two colons or more without brackets: an IPv6 address with no port.
        ("::1", "::1", nil),
    ] as [(String, String, Int?)])
    func parses(text: String, host: String, port: Int?) throws {
        let address = try Address(parsing: text)
        #expect(address.host == host)
        #expect(address.port == port)
    }

    @Test(arguments: [
        ("ftp://gateway:21", "'ftp://gateway:21': ftp:// is not supported; use http://, grpc://, ws:// or, over TLS, https://, grpcs://, wss://"),
        ("grpc+tls://gateway:443", "'grpc+tls://gateway:443': grpc+tls:// is not supported; use http://, grpc://, ws:// or, over TLS, https://, grpcs://, wss://"),
        ("[::1:80", "'[::1:80': missing ']'"),
        ("[::1]80", "'[::1]80': expected ':PORT' after ']'"),
        (":8080", "':8080': no host"),
        ("http://", "'http://': no host"),
        ("host:0", "'host:0': the port must be a number from 1 to 65535"),
        ("host:65536", "'host:65536': the port must be a number from 1 to 65535"),
        ("host:http", "'host:http': the port must be a number from 1 to 65535"),
        ("host:", "'host:': the port must be a number from 1 to 65535"),
    ])
    func refuses(text: String, message: String) {
        let error = #expect(throws: Address.Invalid.self) { try Address(parsing: text) }
        #expect(error?.description == message)
    }

    @Test(arguments: [
        ("grpc://127.0.0.1:5000", Address.Scheme.grpc), ("ws://[::1]:1", .ws), ("WebSocket://h:2", .ws), ("http://h:3", .http),
    ])
    func schemesNameTheProtocol(text: String, scheme: Address.Scheme) throws {
        let address = try Address(parsing: text)
        #expect(address.scheme == scheme)
        #expect(address.port != nil)
        #expect(try Address(parsing: address.description) == address)
    }

    @Test(arguments: [
        ("https://gateway:443", Address.Scheme.http), ("grpcs://127.0.0.1:5000", .grpc), ("wss://[::1]:1", .ws), ("WSS://h:2", .ws),
    ])
    func secureSchemesNameTheProtocolOverTLS(text: String, scheme: Address.Scheme) throws {
        let address = try Address(parsing: text)
        #expect(address.scheme == scheme)
        #expect(address.tls)
        #expect(try Address(parsing: address.description) == address)
        #expect(try !Address(parsing: "\(scheme.rawValue)://h:1").tls)
    }

    @Test func ipLiteralsAreTold() throws {
        #expect(try Address(parsing: "https://127.0.0.1:1").hostIsIPAddress)
        #expect(try Address(parsing: "wss://[::1]:1").hostIsIPAddress)
        #expect(try !Address(parsing: "https://localhost:1").hostIsIPAddress)
        #expect(try !Address(parsing: "grpcs://127.0.0.1.example.org:1").hostIsIPAddress)
    }

    @Test func printsIPv6HostsInBrackets() {
        #expect(Address(host: "::1", port: 8080).description == "[::1]:8080")
        #expect(Address(host: "::1", port: nil).description == "[::1]")
        #expect(Address(host: "gateway", port: 80).description == "gateway:80")
        #expect(Address(host: "gateway", port: nil).description == "gateway")
    }

    @Test func descriptionParsesBackToTheSameAddress() throws {
        for address in [Address(host: "::1", port: 8080), Address(host: "example.org", port: 1), Address(host: "h", port: nil),
                        Address(host: "h", port: 2, scheme: .grpc)] {
            #expect(try Address(parsing: address.description) == address)
        }
    }
}
