import Foundation
import Testing

/// A `jina` started in the background, for tests that talk to it while it runs: its stdin is a
/// pipe the test writes to (or closes), stdout and stderr are collected as they come, and it
/// can be signalled and sampled through /proc. `kill()` (also on deinit) makes sure it is gone.
final class JinaProcess: @unchecked Sendable {  // mutable state behind `lock`
    let process = Process()
    let pid: pid_t
    let started = ContinuousClock.now
    private let lock = NSLock()
    private var out: [UInt8] = []
    private var err: [UInt8] = []
    private var outLines = 0
    private let keepStdout: Bool
    private var stdinFD: Int32
    private let readers = DispatchGroup()

    /// Starts `jina arguments…` in `directory`. With `keepStdout: false` stdout is only counted
    /// in lines (for streams too big to keep).
    init(_ arguments: [String], in directory: String = JinaBinary.packageRoot, environment: [String: String] = [:],
         keepStdout: Bool = true) throws {
        _ = JinaBinary.ignoreSIGPIPE
        self.keepStdout = keepStdout
        process.executableURL = URL(fileURLWithPath: JinaBinary.path)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        pid = process.processIdentifier
        stdinFD = dup(input.fileHandleForWriting.fileDescriptor)
        try? input.fileHandleForWriting.close()
        startReader(output.fileHandleForReading, isStdout: true)
        startReader(errors.fileHandleForReading, isStdout: false)
    }

    deinit {
        kill()
        closeStdin()
    }

    private func startReader(_ handle: FileHandle, isStdout: Bool) {
        readers.enter()
        let thread = Thread { [self] in
            let fd = handle.fileDescriptor
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                lock.withLock {
                    if isStdout {
                        for byte in buffer[0..<n] where byte == 0x0A { outLines += 1 }
                        if keepStdout { out.append(contentsOf: buffer[0..<n]) }
                    } else {
                        err.append(contentsOf: buffer[0..<n])
                    }
                }
            }
            try? handle.close()
            readers.leave()
        }
        thread.start()
    }

    // MARK: Input

    /// Writes all of `bytes` to its stdin (blocking while the pipe is full); false once it is closed.
    @discardableResult
    func write(_ bytes: [UInt8]) -> Bool {
        let fd = lock.withLock { stdinFD }
        guard fd >= 0 else { return false }
        var offset = 0
        return bytes.withUnsafeBytes { raw in
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += n
            }
            return true
        }
    }

    @discardableResult
    func write(_ text: String) -> Bool { write(Array(text.utf8)) }

    /// Closes its stdin: end of input.
    func closeStdin() {
        let fd = lock.withLock { () -> Int32 in
            let fd = stdinFD
            stdinFD = -1
            return fd
        }
        if fd >= 0 { close(fd) }
    }

    // MARK: Control

    func signal(_ sig: Int32) {
        if process.isRunning { Glibc.kill(pid, sig) }
    }

    /// SIGKILL if it still runs, and wait for it.
    func kill() {
        guard process.isRunning else { return }
        Glibc.kill(pid, SIGKILL)
        waitForExit(timeout: 5)
    }

    var isRunning: Bool { process.isRunning }

    /// Waits up to `timeout` seconds for it to exit; true when it has (its output is then read to the end).
    @discardableResult
    func waitForExit(timeout: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(5_000) }
        guard !process.isRunning else { return false }
        _ = readers.wait(timeout: .now() + 5)
        return true
    }

    /// Waits until stderr contains `text`; false after `timeout` seconds or when it exited without.
    func waitForStderr(containing text: String, timeout: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if stderr.contains(text) { return true }
            if !process.isRunning {
                _ = readers.wait(timeout: .now() + 2)
                return stderr.contains(text)
            }
            usleep(10_000)
        }
        return false
    }

    /// Waits until stdout has at least `lines` lines; false after `timeout` seconds.
    func waitForStdoutLines(_ lines: Int, timeout: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if stdoutLineCount >= lines { return true }
            usleep(10_000)
        }
        return stdoutLineCount >= lines
    }

    /// Closes stdin, waits for the exit (SIGKILL after `timeout` seconds) and returns what it did.
    func finish(timeout: TimeInterval) -> JinaBinary.Run {
        closeStdin()
        if !waitForExit(timeout: timeout) { kill() }
        return JinaBinary.Run(status: exitStatus ?? -1, stdout: stdout, stderr: stderr, stdoutBytes: stdoutBytes)
    }

    // MARK: Results

    var stdout: String { lock.withLock { String(decoding: out, as: UTF8.self) } }
    var stdoutBytes: [UInt8] { lock.withLock { out } }
    var stderr: String { lock.withLock { String(decoding: err, as: UTF8.self) } }
    var stdoutLineCount: Int { lock.withLock { outLines } }

    /// The exit status, or 128 + the signal that killed it (as a shell reports it); nil while it runs.
    var exitStatus: Int32? {
        guard !process.isRunning else { return nil }
        return process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
    }

    var secondsSinceStart: Double {
        let elapsed = ContinuousClock.now - started
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}

/// What /proc says about the processes of this machine: how tests find the processes a Flow
/// started (each test gives its `jina` a unique `JINA_E2E_MARK`, which every child and
/// grandchild inherits) and how much memory one uses.
enum ProcessTable {
    static let markerKey = "JINA_E2E_MARK"

    /// A fresh marker and the environment that sets it.
    static func newMarker() -> (marker: String, environment: [String: String]) {
        let marker = "e2e-" + UUID().uuidString
        return (marker, [markerKey: marker])
    }

    static var allPIDs: [pid_t] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return names.compactMap { pid_t($0) }
    }

    /// Live processes (not zombies) whose environment holds `JINA_E2E_MARK=marker`.
    static func pids(withMarker marker: String) -> [pid_t] {
        let needle = Array("\(markerKey)=\(marker)".utf8)
        return allPIDs.filter { pid in
            guard pid != getpid(), state(of: pid) != "Z",
                  let environ = FileManager.default.contents(atPath: "/proc/\(pid)/environ") else { return false }
            return environ.split(separator: 0).contains { Array($0) == needle }
        }
    }

    /// Live processes whose command line contains `text`.
    static func pids(commandLineContaining text: String) -> [pid_t] {
        allPIDs.filter { pid in pid != getpid() && state(of: pid) != "Z" && commandLine(of: pid).contains(text) }
    }

    static func commandLine(of pid: pid_t) -> String {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return "" }
        return String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self).trimmingCharacters(in: .whitespaces)
    }

    /// The state letter of /proc/PID/stat (R, S, Z, …), nil when it is gone.
    static func state(of pid: pid_t) -> Character? {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/stat") else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        guard let close = text.lastIndex(of: ")") else { return nil }
        return text[close...].dropFirst().first { $0 != " " }
    }

    /// VmRSS in kB, nil when the process is gone.
    static func residentKB(of pid: pid_t) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        }
        return nil
    }

    /// Waits up to `timeout` seconds for every process with the marker to end; returns those
    /// still alive then, described as `pid: command line`.
    static func survivors(ofMarker marker: String, waiting timeout: TimeInterval) -> [String] {
        let deadline = Date().addingTimeInterval(timeout)
        var alive = pids(withMarker: marker)
        while !alive.isEmpty && Date() < deadline {
            usleep(20_000)
            alive = pids(withMarker: marker)
        }
        return alive.map { "\($0): \(commandLine(of: $0))" }
    }

    /// SIGKILLs every process with the marker (cleanup after a failed test; these are only ours).
    static func killAll(withMarker marker: String) {
        for pid in pids(withMarker: marker) { kill(pid, SIGKILL) }
    }
}

extension JinaProcess {
    /// The port a `jina executor --port 0` announced on stderr (`executor NAME ready on
    /// 127.0.0.1:PORT`), once it has, within `timeout` seconds.
    func announcedExecutorPort(timeout: TimeInterval = 10, sourceLocation: SourceLocation = #_sourceLocation) throws -> Int {
        #expect(waitForStderr(containing: "ready on 127.0.0.1:", timeout: timeout), "\(stderr)", sourceLocation: sourceLocation)
        let announced = stderr.components(separatedBy: "ready on 127.0.0.1:").last ?? ""
        return try #require(Int(announced.prefix { $0.isNumber }), "no port in: \(stderr)", sourceLocation: sourceLocation)
    }
}
