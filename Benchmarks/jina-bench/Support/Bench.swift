import Foundation

/// What every jina-bench subcommand shares: finding `jina`, running commands, the machine's
/// description, and the "median [min–max]" figures.
enum Bench {
    /// Set by each subcommand so failures name it.
    nonisolated(unsafe) static var name = "jina-bench"

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("\(name): \(message)\n".utf8))
        exit(2)
    }

    /// `jina` next to this binary, or JINA_BIN.
    static func jinaPath() -> String {
        if let explicit = ProcessInfo.processInfo.environment["JINA_BIN"] { return explicit }
        let me = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let path = me.deletingLastPathComponent().appendingPathComponent("jina").path
        guard FileManager.default.isExecutableFile(atPath: path) else { fail("no jina at \(path); run swift build -c release first, or set JINA_BIN") }
        return path
    }

    /// Runs a command with stdout to /dev/null; its wall time. A failure ends the benchmark.
    static func timeCommand(_ executable: String, _ arguments: [String], in directory: String) -> Double {
        run(executable, arguments, in: directory).seconds
    }

    /// Runs a command (with `environment` added to this one's); its standard output when
    /// `keepOutput` (else it goes to /dev/null) and its wall time. A failure ends the benchmark
    /// with the command's stderr.
    static func run(_ executable: String, _ arguments: [String], in directory: String, environment: [String: String] = [:],
                    keepOutput: Bool = false) -> (output: [UInt8], seconds: Double) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        let out = Pipe(), errors = Pipe()
        process.standardOutput = keepOutput ? out : FileHandle(forWritingAtPath: "/dev/null")
        process.standardError = errors
        let clock = ContinuousClock()
        let start = clock.now
        do { try process.run() } catch { fail("cannot run \(executable): \(error)") }
        // stderr is read beside stdout, so that neither pipe can fill up and stall the command.
        nonisolated(unsafe) var stderr = Data()
        let stderrRead = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            stderr = errors.fileHandleForReading.readDataToEndOfFile()
            stderrRead.signal()
        }
        let output = keepOutput ? Array(out.fileHandleForReading.readDataToEndOfFile()) : []
        stderrRead.wait()
        process.waitUntilExit()
        let seconds = duration(clock.now - start)
        if process.terminationStatus != 0 {
            fail("\(executable) \(arguments.joined(separator: " ")) exited \(process.terminationStatus): \(String(decoding: stderr.suffix(2000), as: UTF8.self))")
        }
        return (output, seconds)
    }

    /// Writes all of `bytes` to `fd` (a pipe); false when the reader is gone or another error ends it.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, bytes.count - offset) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return false }
            offset += n
        }
        return true
    }

    /// A shell command's standard output, trimmed.
    static func shell(_ command: String) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let out = Pipe()
        process.standardOutput = out
        try? process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func cpuModel() -> String {
        let text = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let line = text.split(separator: "\n").first { $0.hasPrefix("model name") }
        return line.map { String($0.split(separator: ":", maxSplits: 1).last ?? "").trimmingCharacters(in: .whitespaces) } ?? "unknown CPU"
    }

    static func machine() -> String {
        "\(ProcessInfo.processInfo.activeProcessorCount) cores, \(cpuModel()), \(fixed(Double(ProcessInfo.processInfo.physicalMemory) / 1e9, 1)) GB RAM"
    }

    // MARK: Figures

    /// The value at fraction `p` of an ascending array (p99 of 100 values is the 99th).
    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        return sorted[max(0, min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1))]
    }

    static func median(_ values: [Double]) -> Double { percentile(values.sorted(), 0.5) }

    /// `  name                       median  [min–max]`
    static func line(_ name: String, _ values: [Double], digits: Int, width: Int = 52) {
        guard !values.isEmpty else { return }
        let sorted = values.sorted()
        print("  " + column(name, width, left: true) + column(fixed(median(values), digits), 10)
              + "  [" + fixed(sorted.first!, digits) + "–" + fixed(sorted.last!, digits) + "]")
    }

    static func column(_ s: String, _ width: Int, left: Bool = false) -> String {
        let padding = String(repeating: " ", count: max(0, width - s.count))
        return left ? s + padding : padding + s
    }

    static func ms(_ seconds: Double) -> String { fixed(seconds * 1e3, 2) }
    static func fixed(_ x: Double, _ digits: Int) -> String { x.isFinite ? String(format: "%.\(digits)f", x) : "–" }
    static func duration(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }

    /// Seconds on a monotonic clock, for differences.
    static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
}
