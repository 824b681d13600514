import Foundation
import Testing

/// The gateway over TLS (`--ssl-certfile`/`--ssl-keyfile`, or `with: ssl_certfile/ssl_keyfile`)
/// and the clients that connect to it (`https://`, `grpcs://`, `wss://`, `--tls-ca-file`,
/// `--tls-insecure`), with a self-signed certificate made by openssl for each test.
@Suite struct TLSTests {
    static let flow = """
        jtype: Flow
        executors:
          - name: up
            uses: UpperCase
        """

    static let inputs = "{\"id\":\"a\",\"text\":\"one\"}\n{\"id\":\"b\",\"text\":\"two\"}\n"
    static let upperCased = "{\"id\":\"a\",\"text\":\"ONE\"}\n{\"id\":\"b\",\"text\":\"TWO\"}\n"

    /// A scene with `cert.pem` and `key.pem` for localhost and 127.0.0.1, and `in.jsonl`.
    func scene(flow: String = TLSTests.flow) throws -> GatewayScene {
        let scene = try GatewayScene(flow: flow)
        let made = try Tool.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out", "cert.pem",
                                 "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-days", "1"], in: scene.dir)
        #expect(made.status == 0, "openssl: \(made.stderr)")
        try TestFiles.write(Self.inputs, to: "in.jsonl", in: scene.dir)
        return scene
    }

    static let certificateFlags = ["--ssl-certfile", "cert.pem", "--ssl-keyfile", "key.pem"]

    @Test func httpsServesCurlAndTheJinaClient() throws {
        let scene = try scene()
        defer { scene.cleanUp() }
        let gateway = try scene.serve(Self.certificateFlags)
        defer { gateway.process.kill() }
        let port = try #require(gateway.ports["https"], "\(gateway.process.stdout)")
        #expect(gateway.process.stdout.hasPrefix("ready: https://127.0.0.1:\(port)"), "\(gateway.process.stdout)")

        // curl, trusting the self-signed certificate, by name and by IP address.
        for host in ["localhost", "127.0.0.1"] {
            let curl = try Tool.run(["curl", "-sS", "--max-time", "20", "--cacert", "cert.pem", "-H", "Content-Type: application/json",
                                     "-d", "{\"data\": [{\"text\": \"hello tls\"}]}", "https://\(host):\(port)/post"], in: scene.dir)
            #expect(curl.status == 0, "\(host): \(curl.stderr)")
            #expect(curl.stdout.contains("HELLO TLS"), "\(host): \(curl.stdout)")
        }

        // The jina client with the CA file, and with --tls-insecure.
        for trust in [["--tls-ca-file", "cert.pem"], ["--tls-insecure"]] {
            let run = try JinaBinary.run(["client", "post", "--host", "https://127.0.0.1:\(port)", "--inputs", "in.jsonl",
                                          "--request-size", "1"] + trust, in: scene.dir, timeout: 30)
            #expect(run.status == 0, "\(trust): \(run.stderr)")
            #expect(run.stdout == Self.upperCased, "\(trust): \(run.stdout) \(run.stderr)")
        }
        // An address without a scheme is HTTPS when a TLS option is given.
        let implied = try JinaBinary.run(["client", "post", "--port", String(port), "--tls-ca-file", "cert.pem", "--inputs", "in.jsonl"],
                                         in: scene.dir, timeout: 30)
        #expect(implied.status == 0 && implied.stdout == Self.upperCased, "\(implied.stdout) \(implied.stderr)")

        let ping = try JinaBinary.run(["ping", "flow", "https://localhost:\(port)", "--tls-ca-file", "cert.pem"], in: scene.dir, timeout: 30)
        #expect(ping.status == 0, "\(ping.stdout) \(ping.stderr)")
        #expect(ping.stdout.hasPrefix("ping flow https://localhost:\(port): ok in "), "\(ping.stdout)")
    }

    @Test func anUntrustedCertificateIsAClearErrorNotAHang() throws {
        let scene = try scene()
        defer { scene.cleanUp() }
        let gateway = try scene.serve(Self.certificateFlags)
        defer { gateway.process.kill() }
        let port = try #require(gateway.ports["https"], "\(gateway.process.stdout)")
        let started = Date()
        let run = try JinaBinary.run(["client", "post", "--host", "https://127.0.0.1:\(port)", "--inputs", "in.jsonl"], in: scene.dir,
                                     timeout: 30)
        #expect(run.status == 1, "\(run.stdout) \(run.stderr)")
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.contains("certificate is not trusted"), "\(run.stderr)")
        #expect(run.stderr.contains("--tls-ca-file"), "\(run.stderr)")
        #expect(Date().timeIntervalSince(started) < 20)

        let ping = try JinaBinary.run(["ping", "flow", "https://127.0.0.1:\(port)"], in: scene.dir, timeout: 30)
        #expect(ping.status == 1)
        #expect(ping.stdout.contains("failed: TLS: the gateway's certificate is not trusted"), "\(ping.stdout)")

        // A certificate for another name: trusted, but not for this host.
        let otherName = try Tool.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "other-key.pem", "-out",
                                      "other.pem", "-subj", "/CN=elsewhere", "-addext", "subjectAltName=DNS:elsewhere.example", "-days", "1"],
                                     in: scene.dir)
        #expect(otherName.status == 0, "\(otherName.stderr)")
        let other = try scene.serve(["--ssl-certfile", "other.pem", "--ssl-keyfile", "other-key.pem"])
        defer { other.process.kill() }
        let mismatch = try JinaBinary.run(["client", "post", "--host", "https://127.0.0.1:\(other.ports["https"] ?? 0)", "--tls-ca-file",
                                           "other.pem", "--inputs", "in.jsonl"], in: scene.dir, timeout: 30)
        #expect(mismatch.status == 1)
        #expect(mismatch.stderr.contains("not valid for 127.0.0.1"), "\(mismatch.stderr)")
    }

    @Test func plaintextAndTLSDoNotMixSilently() throws {
        let scene = try scene()
        defer { scene.cleanUp() }
        let gateway = try scene.serve(Self.certificateFlags)
        defer { gateway.process.kill() }
        let port = try #require(gateway.ports["https"], "\(gateway.process.stdout)")
        let started = Date()
        // Plain HTTP to the TLS port fails, at once.
        let plain = try JinaBinary.run(["client", "post", "--host", "http://127.0.0.1:\(port)", "--inputs", "in.jsonl", "--timeout", "10000"],
                                       in: scene.dir, timeout: 30)
        #expect(plain.status == 1, "\(plain.stdout) \(plain.stderr)")
        #expect(plain.stdout.isEmpty)
        #expect(plain.stderr.contains("request") && plain.stderr.contains("failed"), "\(plain.stderr)")
        #expect(plain.stderr.contains("if it serves TLS, use https://"), "\(plain.stderr)")
        let curl = try Tool.run(["curl", "-sS", "--max-time", "10", "http://127.0.0.1:\(port)/ping"], in: scene.dir)
        #expect(curl.status != 0, "\(curl.stdout)")
        #expect(Date().timeIntervalSince(started) < 20)

        // And HTTPS to a plaintext gateway says it is not TLS.
        let plainGateway = try scene.serve()
        defer { plainGateway.process.kill() }
        let https = try JinaBinary.run(["client", "post", "--host", "https://127.0.0.1:\(plainGateway.port)", "--tls-insecure", "--inputs",
                                        "in.jsonl"], in: scene.dir, timeout: 30)
        #expect(https.status == 1)
        #expect(https.stderr.contains("TLS"), "\(https.stderr)")
    }

    @Test func grpcsAndWSSRoundTrips() throws {
        let scene = try scene(flow: Self.flow.replacingOccurrences(of: "jtype: Flow\n", with: "jtype: Flow\nwith:\n  protocol: [grpc, websocket]\n"))
        defer { scene.cleanUp() }
        let gateway = try scene.serve(Self.certificateFlags, ports: [])
        defer { gateway.process.kill() }
        let grpcs = try #require(gateway.ports["grpcs"], "\(gateway.process.stdout)")
        let wss = try #require(gateway.ports["wss"], "\(gateway.process.stdout)")
        #expect(gateway.process.stdout.hasPrefix("ready: grpcs://127.0.0.1:\(grpcs) wss://127.0.0.1:\(wss)"), "\(gateway.process.stdout)")

        // By name and by IP address (no SNI then; the certificate's IP entry is checked).
        for address in ["grpcs://127.0.0.1:\(grpcs)", "grpcs://localhost:\(grpcs)", "wss://localhost:\(wss)", "wss://127.0.0.1:\(wss)"] {
            let run = try JinaBinary.run(["client", "post", "--host", address, "--tls-ca-file", "cert.pem", "--inputs", "in.jsonl",
                                          "--request-size", "1"], in: scene.dir, timeout: 30)
            #expect(run.status == 0, "\(address): \(run.stderr)")
            #expect(run.stdout == Self.upperCased, "\(address): \(run.stdout) \(run.stderr)")
            let ping = try JinaBinary.run(["ping", "flow", address, "--tls-ca-file", "cert.pem"], in: scene.dir, timeout: 30)
            #expect(ping.status == 0, "\(address): \(ping.stdout)")
        }
        let insecure = try JinaBinary.run(["client", "post", "--host", "grpcs://127.0.0.1:\(grpcs)", "--tls-insecure", "--inputs", "in.jsonl"],
                                          in: scene.dir, timeout: 30)
        #expect(insecure.status == 0 && insecure.stdout == Self.upperCased, "\(insecure.stdout) \(insecure.stderr)")

        // Without the CA: a certificate error over each protocol, not a hang.
        for address in ["grpcs://127.0.0.1:\(grpcs)", "wss://localhost:\(wss)", "wss://127.0.0.1:\(wss)"] {
            let run = try JinaBinary.run(["client", "post", "--host", address, "--inputs", "in.jsonl"], in: scene.dir, timeout: 30)
            #expect(run.status == 1, "\(address): \(run.stdout)")
            #expect(run.stderr.contains("certificate is not trusted"), "\(address): \(run.stderr)")
        }
        // Plaintext to the TLS ports: a failure in time, not a hang.
        let started = Date()
        for address in ["grpc://127.0.0.1:\(grpcs)", "ws://127.0.0.1:\(wss)"] {
            let run = try JinaBinary.run(["client", "post", "--host", address, "--inputs", "in.jsonl", "--timeout", "10000"], in: scene.dir,
                                         timeout: 30)
            #expect(run.status == 1, "\(address): \(run.stdout)")
            #expect(run.stderr.contains("failed"), "\(address): \(run.stderr)")
            #expect(run.stderr.contains("if it serves TLS, use \(address.hasPrefix("grpc") ? "grpcs" : "wss")://"), "\(address): \(run.stderr)")
            let ping = try JinaBinary.run(["ping", "flow", address, "--timeout", "5000"], in: scene.dir, timeout: 30)
            #expect(ping.status == 1 && ping.stdout.contains(": failed: "), "\(address): \(ping.stdout)")
        }
        #expect(Date().timeIntervalSince(started) < 25)
    }

    @Test func theFlowYAMLCanNameTheCertificateRelativeToItself() throws {
        let scene = try scene()
        defer { scene.cleanUp() }
        try FileManager.default.createDirectory(atPath: scene.dir + "/conf", withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: scene.dir + "/cert.pem", toPath: scene.dir + "/conf/cert.pem")
        try FileManager.default.moveItem(atPath: scene.dir + "/key.pem", toPath: scene.dir + "/conf/key.pem")
        try TestFiles.write(Self.flow.replacingOccurrences(of: "jtype: Flow\n", with: """
            jtype: Flow
            with:
              ssl_certfile: cert.pem
              ssl_keyfile: key.pem

            """), to: "flow.yml", in: scene.dir + "/conf")
        let lint = try JinaBinary.run(["flow", "lint", "conf/flow.yml"], in: scene.dir)
        #expect(lint.status == 0, "\(lint.stdout)")
        // Not carried into containers: refused, naming the key, rather than exported as plaintext.
        let export = try JinaBinary.run(["export", "docker-compose", "conf/flow.yml", "out/docker-compose.yml"], in: scene.dir)
        #expect(export.status == 78, "\(export.stderr)")
        #expect(export.stderr.contains("conf/flow.yml:3:3: error: with.ssl_certfile: a gateway served over TLS is not exported"),
                "\(export.stderr)")

        let process = try JinaProcess(["flow", "--uses", "conf/flow.yml", "--port", "0"], in: scene.dir, environment: scene.environment)
        let gateway = try Gateway(process: process)
        defer { gateway.process.kill() }
        let port = try #require(gateway.ports["https"], "\(gateway.process.stdout)")
        let run = try JinaBinary.run(["client", "post", "--host", "https://localhost:\(port)", "--tls-ca-file", "conf/cert.pem", "--inputs",
                                      "in.jsonl"], in: scene.dir, timeout: 30)
        #expect(run.status == 0 && run.stdout == Self.upperCased, "\(run.stdout) \(run.stderr)")
    }

    @Test func unusableFilesStopBeforeAnythingStarts() throws {
        let scene = try scene()
        defer { scene.cleanUp() }
        try TestFiles.write("not a certificate\n", to: "junk.pem", in: scene.dir)

        let missing = try JinaBinary.run(["flow", "serve", "--uses", "flow.yml", "--ssl-certfile", "nope.pem", "--ssl-keyfile", "key.pem"],
                                         in: scene.dir, timeout: 30)
        #expect(missing.status == 78, "\(missing.stderr)")
        #expect(missing.stderr.contains("--ssl-certfile nope.pem: no such file"), "\(missing.stderr)")
        #expect(!missing.stdout.contains("ready"))

        let notPEM = try JinaBinary.run(["flow", "--uses", "flow.yml", "--ssl-certfile", "cert.pem", "--ssl-keyfile", "junk.pem"],
                                        in: scene.dir, timeout: 30)
        #expect(notPEM.status == 78, "\(notPEM.stderr)")
        #expect(notPEM.stderr.contains("--ssl-keyfile junk.pem: is not PEM"), "\(notPEM.stderr)")

        let swapped = try JinaBinary.run(["flow", "run", "--uses", "flow.yml", "--ssl-certfile", "key.pem", "--ssl-keyfile", "cert.pem"],
                                         in: scene.dir, timeout: 30)
        #expect(swapped.status == 78, "\(swapped.stderr)")
        #expect(swapped.stderr.contains("--ssl-certfile key.pem:") && swapped.stderr.contains("is it the key file?"), "\(swapped.stderr)")

        let alone = try JinaBinary.run(["flow", "serve", "--uses", "flow.yml", "--ssl-certfile", "cert.pem"], in: scene.dir, timeout: 30)
        #expect(alone.status == 64, "\(alone.stderr)")
        #expect(alone.stderr.contains("--ssl-certfile needs --ssl-keyfile"), "\(alone.stderr)")
        let keyAlone = try JinaBinary.run(["flow", "--uses", "flow.yml", "--ssl-keyfile", "key.pem"], in: scene.dir, timeout: 30)
        #expect(keyAlone.status == 64, "\(keyAlone.stderr)")
        #expect(keyAlone.stderr.contains("--ssl-keyfile needs --ssl-certfile"), "\(keyAlone.stderr)")

        let badCA = try JinaBinary.run(["client", "post", "--host", "https://127.0.0.1:1", "--tls-ca-file", "junk.pem", "--inputs", "in.jsonl"],
                                       in: scene.dir, timeout: 30)
        #expect(badCA.status == 78, "\(badCA.stderr)")
        #expect(badCA.stderr.contains("--tls-ca-file junk.pem: is not PEM"), "\(badCA.stderr)")
        let pingMissingCA = try JinaBinary.run(["ping", "flow", "https://127.0.0.1:1", "--tls-ca-file", "gone.pem"], in: scene.dir, timeout: 30)
        #expect(pingMissingCA.status == 78, "\(pingMissingCA.stderr)")
        #expect(pingMissingCA.stderr.contains("--tls-ca-file gone.pem: no such file"), "\(pingMissingCA.stderr)")

        let plainWithCA = try JinaBinary.run(["client", "post", "--host", "http://127.0.0.1:1", "--tls-ca-file", "cert.pem", "--inputs", "in.jsonl"],
                                             in: scene.dir, timeout: 30)
        #expect(plainWithCA.status == 64, "\(plainWithCA.stderr)")
        #expect(plainWithCA.stderr.contains("write https://"), "\(plainWithCA.stderr)")
    }

    @Test func theFlowYAMLsTLSKeysAreCheckedByLint() throws {
        let scene = try scene()
        defer { scene.cleanUp() }
        try TestFiles.write("jtype: Flow\nwith:\n  ssl_certfile: cert.pem\nexecutors:\n  - uses: UpperCase\n", to: "alone.yml", in: scene.dir)
        let lint = try JinaBinary.run(["flow", "lint", "alone.yml"], in: scene.dir)
        #expect(lint.status == 1)
        #expect(lint.stdout.contains("alone.yml:3:17: error: with.ssl_certfile: ssl_certfile is given without ssl_keyfile"), "\(lint.stdout)")
        let serve = try JinaBinary.run(["flow", "serve", "--uses", "alone.yml"], in: scene.dir, timeout: 30)
        #expect(serve.status == 78, "\(serve.stderr)")

        try TestFiles.write("jtype: Flow\nwith:\n  ssl_certfil: cert.pem\n  ssl_keyfile: key.pem\nexecutors:\n  - uses: UpperCase\n",
                            to: "typo.yml", in: scene.dir)
        let typo = try JinaBinary.run(["flow", "lint", "typo.yml"], in: scene.dir)
        #expect(typo.status == 1)
        #expect(typo.stdout.contains("unknown key 'ssl_certfil'") && typo.stdout.contains("did you mean 'ssl_certfile'?"), "\(typo.stdout)")

        // A file named in the YAML that cannot be used: a lint error at its line, and exit 78 before anything starts.
        try TestFiles.write("not a key\n", to: "junk.pem", in: scene.dir)
        try TestFiles.write("jtype: Flow\nwith:\n  ssl_certfile: missing.pem\n  ssl_keyfile: junk.pem\nexecutors:\n  - uses: UpperCase\n",
                            to: "missing.yml", in: scene.dir)
        let lintFiles = try JinaBinary.run(["flow", "lint", "missing.yml"], in: scene.dir)
        #expect(lintFiles.status == 1)
        #expect(lintFiles.stdout.contains("missing.yml:3:17: error: with.ssl_certfile: certificate file 'missing.pem': no such file"),
                "\(lintFiles.stdout)")
        #expect(lintFiles.stdout.contains("missing.yml:4:16: error: with.ssl_keyfile: private key file 'junk.pem': is not PEM"),
                "\(lintFiles.stdout)")
        let missing = try JinaBinary.run(["flow", "serve", "--uses", "missing.yml"], in: scene.dir, timeout: 30)
        #expect(missing.status == 78, "\(missing.stderr)")
        #expect(missing.stderr.contains("certificate file 'missing.pem': no such file"), "\(missing.stderr)")
        #expect(!missing.stdout.contains("ready"))
    }
}

/// Runs a program other than jina (openssl, curl) and captures what it says.
enum Tool {
    static func run(_ arguments: [String], in directory: String) throws -> JinaBinary.Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        nonisolated(unsafe) var errData = Data()
        let reading = DispatchGroup()
        DispatchQueue.global().async(group: reading) { errData = err.fileHandleForReading.readDataToEndOfFile() }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        reading.wait()
        process.waitUntilExit()
        return JinaBinary.Run(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                              stderr: String(decoding: errData, as: UTF8.self))
    }
}
