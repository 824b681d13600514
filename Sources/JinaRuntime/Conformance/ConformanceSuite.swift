import Foundation
import JinaConfig
import JinaWire

/// Checks that a program speaks the executor protocol (SPEC §4, docs/protocol.md): hello,
/// answers with the call's id, in order, pipelined, errors that keep it serving, large frames,
/// and a clean exit when its input closes or a goodbye arrives. `jina executor check` runs it.
public struct ConformanceSuite: Sendable {
    public struct Check: Sendable {
        public var name: String
        public var passed: Bool
        public var detail: String
    }

    public let executable: String
    public let arguments: [String]
    public let framing: Framing
    public let timeout: Duration

    public init(executable: String, arguments: [String], framing: Framing = .frames, timeout: Duration = .seconds(10)) {
        self.executable = executable
        self.arguments = arguments
        self.framing = framing
        self.timeout = timeout
    }

    /// Runs every check; each gets the result of the ones before (a program that never says
    /// hello fails the rest too, with that reason).
    public func run() async -> [Check] {
        var checks: [Check] = []
        func record(_ name: String, _ body: () async throws -> String) async {
            do { checks.append(Check(name: name, passed: true, detail: try await body())) } catch {
                checks.append(Check(name: name, passed: false, detail: "\(error)"))
            }
        }
        let peer: ProtocolPeer
        do { peer = try await ProtocolPeer.start(executable, arguments, framing: framing) } catch {
            return [Check(name: "starts", passed: false, detail: "\(error)")]
        }
        defer { peer.kill() }
        var maxFrame = Frame.defaultMaxSize

        await record("says hello first") {
            let hello = try peer.receive(within: timeout)
            guard hello.kind == .hello else { throw Failure("the first frame is '\(hello.header["kind"]?.stringValue ?? "?")', not hello") }
            guard hello.header["v"]?.intValue == 1 else { throw Failure("hello has no \"v\": 1") }
            maxFrame = hello.header["max_frame"]?.intValue ?? maxFrame
            return "name \(hello.header["name"]?.stringValue ?? "(none)"), endpoints \(hello.header["endpoints"].map(\.jsonString) ?? "(none)")"
        }
        await record("answers a call with its id and valid documents") {
            let answer = try roundTrip(peer, id: 7, docs: Self.documents(3, tag: "a"))
            return try Self.describe(answer, expecting: 3)
        }
        await record("echoes ids it did not choose (not a counter)") {
            for id in [1_000_003, 5, 42] {
                let answer = try roundTrip(peer, id: id, docs: Self.documents(1, tag: "id\(id)"))
                guard answer.id == id else { throw Failure("answered id \(answer.id.map(String.init) ?? "none") to call \(id)") }
            }
            return "ids 1000003, 5, 42 came back"
        }
        await record("answers pipelined calls in order") {
            let ids = Array(100..<120)
            for (i, id) in ids.enumerated() { try peer.send(call(id: id, docs: Self.documents(i % 4, tag: "p\(id)"))) }
            for id in ids {
                let answer = try peer.receive(within: timeout)
                guard answer.id == id else { throw Failure("expected the answer to call \(id), got \(answer.id.map(String.init) ?? "none")") }
            }
            return "20 calls sent before reading, 20 answers in order"
        }
        await record("answers a call without documents") {
            let answer = try roundTrip(peer, id: 200, docs: nil)
            guard answer.kind == .result || answer.kind == .error else { throw Failure("answered with \(answer.kind?.rawValue ?? "?")") }
            return "answered with \(answer.kind!.rawValue)"
        }
        await record("answers documents it cannot read with an error, and keeps serving") {
            let bad = Frame(.call, id: 300, body: Array("[1, 2, 3]".utf8), [("endpoint", .string("/default")), ("count", .number(JSONNumber(3)))])
            try peer.send(bad)
            let answer = try peer.receive(within: timeout)
            guard answer.id == 300 else { throw Failure("no answer to call 300") }
            let after = try roundTrip(peer, id: 301, docs: Self.documents(1, tag: "after"))
            guard after.kind == .result else { throw Failure("the next call got \(after.kind?.rawValue ?? "?")") }
            if answer.kind == .error {
                guard answer.status?["description"]?.stringValue != nil else { throw Failure("the error has no status.description") }
                return "error: \(answer.status!["description"]!.stringValue!)"
            }
            return "answered with a result (it accepts such documents)"
        }
        await record("handles a large frame") {
            // Well past a pipe's 64 KiB buffer, so partial reads and writes must be handled.
            let size = min(1 << 20, maxFrame / 2)
            let text = String(repeating: "x", count: size)
            let answer = try roundTrip(peer, id: 400, docs: [.object(JSONObject([("id", .string("big")), ("text", .string(text))]))])
            return try Self.describe(answer, expecting: 1) + " (\(size >> 10) KiB document)"
        }
        await record("exits when its input closes") {
            peer.closeInput()
            let status = try await peer.waitForExit(within: timeout)
            guard status == 0 else { throw Failure("it \(describeExit(status))") }
            return "exited with status 0"
        }
        await record("exits after a goodbye") {
            let second = try await ProtocolPeer.start(executable, arguments, framing: framing)
            defer { second.kill() }
            _ = try second.receive(within: timeout)
            try second.send(Frame(.goodbye))
            let status = try await second.waitForExit(within: timeout)
            guard status == 0 else { throw Failure("it \(describeExit(status))") }
            return "exited with status 0"
        }
        return checks
    }

    private func call(id: Int, docs: [JSONValue]?) -> Frame {
        let body = docs.map { JSONValue.array($0).jsonBytes } ?? []
        var fields: [(String, JSONValue)] = [("endpoint", .string("/default")), ("parameters", .object(JSONObject())),
                                             ("request_id", .string("conformance-\(id)"))]
        if let docs { fields.append(("count", .number(JSONNumber(docs.count)))) }
        return Frame(.call, id: id, body: body, fields)
    }

    private func roundTrip(_ peer: ProtocolPeer, id: Int, docs: [JSONValue]?) throws -> Frame {
        try peer.send(call(id: id, docs: docs))
        let answer = try peer.receive(within: timeout)
        guard answer.id == id else { throw Failure("answered id \(answer.id.map(String.init) ?? "none") to call \(id)") }
        return answer
    }

    private static func documents(_ n: Int, tag: String) -> [JSONValue] {
        (0..<n).map { .object(JSONObject([("id", .string("\(tag)-\($0)")), ("text", .string("hello \($0)"))])) }
    }

    /// A result's documents must be a JSON list whose length matches `count` when given.
    private static func describe(_ answer: Frame, expecting n: Int) throws -> String {
        guard answer.kind == .result else {
            throw Failure("answered with \(answer.kind?.rawValue ?? "?"): \(answer.status?["description"]?.stringValue ?? "")")
        }
        if answer.body.isEmpty && answer.count == nil { return "result: documents unchanged" }
        let count = try DocumentArray.count(answer.body)
        if let declared = answer.count, declared != count { throw Failure("count says \(declared) but the body holds \(count) documents") }
        return "result with \(count) document\(count == 1 ? "" : "s")" + (count == n ? "" : " (sent \(n))")
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}

/// The Flow's side of one executor process, with blocking reads bounded by a timeout.
final class ProtocolPeer: @unchecked Sendable {
    let pid: pid_t
    private let input: Int32
    private let output: Int32
    private let framing: Framing
    private var decoder: FrameStreamDecoder
    private var inputClosed = false

    private init(_ process: SpawnedProcess, framing: Framing) {
        decoder = FrameStreamDecoder(framing: framing)
        pid = process.pid
        input = process.stdinFD
        output = process.stdoutFD
        self.framing = framing
        // Let the program's stderr through, so a failing check shows why.
        let stderrFD = process.stderrFD
        Thread.detachNewThread {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(stderrFD, $0.baseAddress, $0.count) }
                if n <= 0 { break }
                FileHandle.standardError.write(Data(buffer[0..<n]))
            }
            close(stderrFD)
        }
    }

    static func start(_ executable: String, _ arguments: [String], framing: Framing) async throws -> ProtocolPeer {
        let process = try await ProcessSpawner.shared.spawn(executable: executable, arguments: arguments,
                                                            environment: ProcessInfo.processInfo.environment, directory: nil)
        return ProtocolPeer(process, framing: framing)
    }

    func send(_ frame: Frame) throws {
        guard Descriptor.writeAll(input, framing.encode(frame)) else { throw ConformanceSuite.Failure("cannot write to it: its input is closed") }
    }

    func receive(within limit: Duration) throws -> Frame {
        let deadline = ContinuousClock.now + limit
        while true {
            if let frame = try decoder.next() { return frame }
            let left = deadline - ContinuousClock.now
            guard left > .zero else { throw ConformanceSuite.Failure("no answer within \(limit)") }
            var poller = pollfd(fd: output, events: Int16(POLLIN), revents: 0)
            let ms = Int32(min(left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000 + 1, 60_000))
            if poll(&poller, 1, ms) <= 0 { continue }
            var buffer = [UInt8](repeating: 0, count: 256 * 1024)
            let n = buffer.withUnsafeMutableBytes { read(output, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw ConformanceSuite.Failure("its output closed (it exited?)") }
            decoder.append(Array(buffer[0..<n]))
        }
    }

    func closeInput() {
        if !inputClosed { close(input); inputClosed = true }
    }

    func waitForExit(within limit: Duration) async throws -> Int32 {
        let deadline = ContinuousClock.now + limit
        var status: Int32 = 0
        while ContinuousClock.now < deadline {
            if waitpid(pid, &status, WNOHANG) == pid { return status }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw ConformanceSuite.Failure("still running after \(limit)")
    }

    func kill() {
        closeInput()
        Glibc.kill(pid, SIGKILL)
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)
        close(output)
    }
}
