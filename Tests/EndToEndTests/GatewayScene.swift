import Foundation
import Testing

/// One gateway test's directory and process marker, and the served `jina` it starts.
struct GatewayScene {
    let dir: String
    let marker: String
    let environment: [String: String]

    init(flow: String) throws {
        dir = try JinaBinary.temporaryDirectory()
        (marker, environment) = ProcessTable.newMarker()
        try TestFiles.write(flow, to: "flow.yml", in: dir)
    }

    /// `jina flow --uses flow.yml --port 0 extra…` (no --inputs: it serves), waiting for its ready line.
    func serve(_ extra: [String] = [], command: [String] = ["flow"], ports: [String] = ["--port", "0"]) throws -> Gateway {
        let process = try JinaProcess(command + ["--uses", "flow.yml"] + ports + extra, in: dir, environment: environment)
        return try Gateway(process: process)
    }

    /// No process of this test may outlive its Flow.
    func expectNoProcessLeft(grace: TimeInterval = 3, sourceLocation: SourceLocation = #_sourceLocation) {
        let left = ProcessTable.survivors(ofMarker: marker, waiting: grace)
        #expect(left.isEmpty, "processes left behind: \(left)", sourceLocation: sourceLocation)
    }

    func cleanUp() {
        ProcessTable.killAll(withMarker: marker)
        try? FileManager.default.removeItem(atPath: dir)
    }
}

/// A running `jina flow`, and the ports from its ready line.
final class Gateway {
    let process: JinaProcess
    /// The HTTP port (else the first one listed).
    let port: Int
    /// Each address's port by scheme: http, grpc, ws.
    let ports: [String: Int]

    /// Waits for `ready: http://127.0.0.1:PORT` (or `ready: grpc://… http://… ws://…`) on stdout.
    init(process: JinaProcess, timeout: TimeInterval = 30) throws {
        self.process = process
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let line = process.stdout.split(separator: "\n").first(where: { $0.hasPrefix("ready: ") && $0.contains("://127.0.0.1:") }) {
                var ports: [String: Int] = [:]
                for address in line.dropFirst("ready: ".count).split(separator: " ") {
                    let parts = address.split(separator: ":")
                    if parts.count == 3, let port = Int(parts[2]) { ports[String(parts[0])] = port }
                }
                self.ports = ports
                self.port = ports["http"] ?? ports.values.first ?? 0
                return
            }
            if !process.isRunning { break }
            usleep(10_000)
        }
        process.kill()
        throw GatewayHTTP.Failure("no ready line; stdout: \(process.stdout) stderr: \(process.stderr)")
    }

    func post(_ path: String, _ json: String, headers: [String: String] = [:]) throws -> GatewayHTTP.Reply {
        try GatewayHTTP.send(port: port, "POST", path, json: json, headers: headers)
    }

    func get(_ path: String) throws -> GatewayHTTP.Reply {
        try GatewayHTTP.send(port: port, "GET", path)
    }

    /// Sends `signal` and waits for the exit; returns the exit status (nil if it did not exit in time).
    func stop(_ signal: Int32 = SIGTERM, timeout: TimeInterval = 20) -> Int32? {
        process.signal(signal)
        guard process.waitForExit(timeout: timeout) else {
            process.kill()
            return nil
        }
        return process.exitStatus
    }
}

/// JSON helpers for reading responses in tests.
extension Dictionary where Key == String, Value == Any {
    var header: [String: Any] { self["header"] as? [String: Any] ?? [:] }
    var status: [String: Any] { header["status"] as? [String: Any] ?? [:] }
    var code: Int? { status["code"] as? Int }
    var routes: [[String: Any]] { self["routes"] as? [[String: Any]] ?? [] }
    /// The documents of either shape: `data: [...]` or `data: {"docs": [...]}`.
    var docs: [[String: Any]] {
        if let list = self["data"] as? [[String: Any]] { return list }
        return (self["data"] as? [String: Any])?["docs"] as? [[String: Any]] ?? []
    }
    var isJina2Shape: Bool { self["data"] is [String: Any] }
}

/// The keys of a JSON object in written order (Foundation's parser does not keep them).
func topLevelKeys(_ text: String) -> [String] {
    var keys: [String] = []
    var depth = 0, i = text.startIndex, inString = false, escaped = false, current = ""
    var expectingKey = false
    while i < text.endIndex {
        let c = text[i]
        if inString {
            if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "\"" {
                inString = false
                if depth == 1 && expectingKey { keys.append(current); expectingKey = false }
            } else if depth == 1 && expectingKey { current.append(c) }
        } else if c == "\"" {
            inString = true
            current = ""
        } else if c == "{" || c == "[" {
            depth += 1
            if depth == 1 { expectingKey = true }
        } else if c == "}" || c == "]" {
            depth -= 1
        } else if c == "," && depth == 1 {
            expectingKey = true
        }
        i = text.index(after: i)
    }
    return keys
}
