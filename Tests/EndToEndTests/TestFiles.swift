import Foundation

/// Small helpers for the end-to-end tests: files in a test's directory, JSON Lines output, and
/// scripts that act as executors.
enum TestFiles {
    /// Writes `text` to `dir/name` and returns the path.
    @discardableResult
    static func write(_ text: String, to name: String, in dir: String, executable: Bool = false) throws -> String {
        let path = dir + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        if executable { try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path) }
        return path
    }

    /// `{"id":"<prefix><i>","text":"<text> <i>"}` lines, ids zero-padded so they sort.
    static func jsonl(count: Int, idPrefix: String = "d", text: String = "doc") -> String {
        (0..<count).map { i in "{\"id\":\"\(idPrefix)\(String(format: "%03d", i))\",\"text\":\"\(text) \(i)\"}\n" }.joined()
    }

    /// Each non-empty line of `output` parsed as a JSON object (a line that is not one is an error).
    static func objects(_ output: String) throws -> [[String: Any]] {
        try output.split(separator: "\n", omittingEmptySubsequences: true).map { line in
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw NotAnObject(line: String(line))
            }
            return object
        }
    }

    struct NotAnObject: Error, CustomStringConvertible {
        let line: String
        var description: String { "not a JSON object: \(line.prefix(200))" }
    }

    /// A Python 3 for executor scripts: a real interpreter, not a version-manager shim (shims
    /// cost a fork and a shell script per start). nil when there is none.
    static let python: String? = {
        for candidate in ["/usr/bin/python3", "/usr/local/bin/python3"] where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let candidate = "\(dir)/python3"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }()

    /// The frame protocol of docs/SPEC §4 in Python, for `exec://` executors that misbehave on
    /// purpose. `mode` (first argument) says how it answers a call:
    /// `echo` returns the documents; `garbage` writes text that is no frame; `oversized` sends a
    /// result frame whose header claims a 100 MiB body; `slow-random` echoes after 0-60 ms;
    /// `garbage-before-hello` writes text before any frame; `hang-on-1` never answers a call
    /// holding a document whose id ends in 1, and echoes the others.
    static let frameExecutor = """
        import json, os, random, struct, sys, time
        mode = sys.argv[1] if len(sys.argv) > 1 else "echo"
        out, inp = sys.stdout.buffer, sys.stdin.buffer

        def send(header, body=b""):
            h = json.dumps(header).encode()
            out.write(struct.pack(">II", len(h), len(body)) + h + body)
            out.flush()

        def read_exactly(n):
            data = b""
            while len(data) < n:
                chunk = inp.read(n - len(data))
                if not chunk:
                    return None
                data += chunk
            return data

        if mode == "garbage-before-hello":
            out.write(b"Loading weights... done, this line should have gone to stderr\\n")
            out.flush()
            time.sleep(30)
            sys.exit(0)
        send({"v": 1, "kind": "hello", "name": "x", "endpoints": ["/default"], "max_frame": 67108864})
        while True:
            prefix = read_exactly(8)
            if prefix is None:
                break
            header_len, body_len = struct.unpack(">II", prefix)
            header = json.loads(read_exactly(header_len))
            body = read_exactly(body_len) if body_len else b""
            if header.get("kind") != "call":
                continue
            if mode == "garbage":
                out.write(b"this is not a frame, it is a log line printed to stdout by mistake\\n")
                out.flush()
            elif mode == "oversized":
                h = json.dumps({"v": 1, "kind": "result", "id": header["id"], "count": 1}).encode()
                out.write(struct.pack(">II", len(h), 100 * 1024 * 1024) + h + b"[")
                out.flush()
            else:
                if mode == "slow-random":
                    time.sleep(random.random() * 0.06)
                if mode == "hang-on-1" and any(d.get("id", "").endswith("1") for d in json.loads(body or b"[]")):
                    time.sleep(120)
                send({"v": 1, "kind": "result", "id": header["id"], "count": header.get("count")}, body)
        """

    /// Writes `frame-executor.py` (with the shebang of `python`) into `dir`; nil without Python.
    static func writeFrameExecutor(in dir: String) throws -> String? {
        guard let python else { return nil }
        return try write("#!\(python)\n" + frameExecutor, to: "frame-executor.py", in: dir, executable: true)
    }

    /// A hand-made frame: `u32be header_len | u32be body_len | header | body`.
    static func frame(header: String, body: [UInt8] = []) -> [UInt8] {
        let h = Array(header.utf8)
        var bytes: [UInt8] = []
        for value in [UInt32(h.count), UInt32(body.count)] {
            bytes += [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
        }
        return bytes + h + body
    }

    /// Cuts a byte stream into frames (header JSON object, body); stops at a partial frame.
    static func frames(_ bytes: [UInt8]) -> [(header: [String: Any], body: [UInt8])] {
        var result: [(header: [String: Any], body: [UInt8])] = []
        var i = 0
        func u32(_ at: Int) -> Int { Int(bytes[at]) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3]) }
        while bytes.count - i >= 8 {
            let headerLength = u32(i), bodyLength = u32(i + 4)
            guard bytes.count - i >= 8 + headerLength + bodyLength else { break }
            let header = Data(bytes[(i + 8)..<(i + 8 + headerLength)])
            let body = Array(bytes[(i + 8 + headerLength)..<(i + 8 + headerLength + bodyLength)])
            result.append(((try? JSONSerialization.jsonObject(with: header)) as? [String: Any] ?? [:], body))
            i += 8 + headerLength + bodyLength
        }
        return result
    }
}

extension Dictionary where Key == String, Value == Any {
    var tags: [String: Any] { self["tags"] as? [String: Any] ?? [:] }
    var visited: [String] { tags["visited"] as? [String] ?? [] }
    var id: String? { self["id"] as? String }
    var text: String? { self["text"] as? String }
}
