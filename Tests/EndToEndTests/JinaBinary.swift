import Foundation

/// Runs the built `jina` binary as a user would, capturing its output and exit status.
enum JinaBinary {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
        /// stdout as bytes (for binary output such as protocol frames).
        var stdoutBytes: [UInt8] = []
    }

    /// `JINA_BIN`, else the `jina` SwiftPM built next to this test bundle.
    static let path: String = {
        if let explicit = ProcessInfo.processInfo.environment["JINA_BIN"] { return explicit }
        let candidates = [CommandLine.arguments.first, Bundle.main.executablePath, Bundle.main.bundlePath]
            .compactMap { $0 }
            .map { URL(fileURLWithPath: $0).deletingLastPathComponent().appendingPathComponent("jina").path }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
    }()

    /// The package root, where configs/ and docs/ live.
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// Runs `jina args…` in `directory` (the package root by default); after `timeout` seconds it
    /// gets SIGTERM, and SIGKILL 5 s later.
    /// `stdin` is written to its standard input (then closed); nil gives it /dev/null.
    static func run(_ arguments: [String], in directory: String = packageRoot, environment: [String: String] = [:],
                    stdin: Data? = nil, timeout: TimeInterval = 60) throws -> Run {
        _ = ignoreSIGPIPE
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let input = stdin.map { _ in Pipe() }
        process.standardInput = input ?? FileHandle.nullDevice
        try process.run()
        if let input, let stdin {
            // Written on another thread so that a child that does not read cannot block us.
            DispatchQueue.global().async {
                try? input.fileHandleForWriting.write(contentsOf: stdin)
                try? input.fileHandleForWriting.close()
            }
        }

        // Read both pipes while the process runs so a full pipe cannot block it.
        let group = DispatchGroup()
        nonisolated(unsafe) var outData = Data(), errData = Data()
        DispatchQueue.global().async(group: group) { outData = out.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: group) { errData = err.fileHandleForReading.readDataToEndOfFile() }
        if group.wait(timeout: .now() + timeout) == .timedOut {
            // SIGTERM, then SIGKILL: a test must end even when jina does not react to TERM.
            process.terminate()
            if group.wait(timeout: .now() + 5) == .timedOut, process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                _ = group.wait(timeout: .now() + 5)
            }
        }
        process.waitUntilExit()
        // Killed by a signal: 128 + the signal, as a shell reports it (not the bare signal number,
        // which would read as an exit status).
        let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        return Run(status: status, stdout: String(decoding: outData, as: UTF8.self),
                   stderr: String(decoding: errData, as: UTF8.self), stdoutBytes: [UInt8](outData))
    }

    /// Writing to a pipe whose reader is gone must give EPIPE, not kill the test process.
    /// (`jina` ignores SIGPIPE itself, so its children see no difference.)
    static let ignoreSIGPIPE: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

    /// Whether script(1) is here to give `runOnATerminal` its pseudo-terminal.
    static let hasScript = FileManager.default.isExecutableFile(atPath: "/usr/bin/script")

    /// Runs `jina args…` on a pseudo-terminal through script(1): its exit status and what the
    /// terminal showed (stdout and stderr together). `environment` sets variables, a nil value
    /// removes one; after `timeout` seconds it gets SIGTERM.
    static func runOnATerminal(_ arguments: [String], in directory: String = packageRoot, environment: [String: String?] = [:],
                               timeout: TimeInterval = 60) throws -> (status: Int32, text: String) {
        let quoted = ([path] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qec", quoted.joined(separator: " "), "/dev/null"]
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { if process.isRunning { process.terminate() } }
        // Read to the end before waiting, so that a full pipe cannot hold the process up.
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }

    /// A fresh temporary directory for one test.
    static func temporaryDirectory() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("jina-e2e-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Every Flow YAML under configs/ (executor YAMLs are reached through them).
    static var exampleFlows: [String] {
        let root = packageRoot + "/configs"
        let files = FileManager.default.enumerator(atPath: root)?.compactMap { $0 as? String } ?? []
        return files.filter { $0.hasSuffix(".yml") }.map { "configs/" + $0 }.filter { path in
            let text = (try? String(contentsOfFile: packageRoot + "/" + path, encoding: .utf8)) ?? ""
            return text.contains("jtype: Flow")
        }.sorted()
    }
}
