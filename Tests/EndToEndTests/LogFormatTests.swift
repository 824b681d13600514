import Foundation
import Testing

/// `--log-format json`: every line on stderr is one JSON object (ts, level, msg; executor where
/// there is one), executors' own stderr included; `--quiet` keeps errors only.
@Suite struct LogFormatTests {
    /// A Flow whose second executor, a shell program, writes a line to stderr before it answers.
    func scene(failing: Bool = false) throws -> String {
        let dir = try JinaBinary.temporaryDirectory()
        let program = failing ? "#!/bin/sh\necho 'giving up' >&2\nexit 3\n"
                              : "#!/bin/sh\necho 'talking on stderr' >&2\nexec '\(JinaBinary.packageRoot)/examples/executors/upper.sh'\n"
        try TestFiles.write(program, to: "talk.sh", in: dir, executable: true)
        try TestFiles.write("jtype: Flow\nexecutors:\n  - {name: up, uses: UpperCase}\n  - {name: talk, uses: 'exec://./talk.sh', framing: lines}\n",
                            to: "flow.yml", in: dir)
        return dir
    }

    /// Each stderr line as a JSON object; records an issue for a line that is not one.
    func objects(_ stderr: String) -> [[String: Any]] {
        stderr.split(separator: "\n").compactMap { line in
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            if object == nil { Issue.record("not a JSON line: \(line)") }
            return object
        }
    }

    @Test func everyLineOfAVerboseRunIsJSONWithTimeLevelAndMessage() throws {
        let dir = try scene()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = try JinaBinary.run(["flow", "run", "--uses", "flow.yml", "--inputs", "-", "-v", "--log-format", "json"], in: dir,
                                     stdin: Data("{\"text\": \"a\"}\n".utf8))
        #expect(run.status == 0, "\(run.stderr)")
        let lines = objects(run.stderr)
        #expect(lines.count >= 3, "\(run.stderr)")
        for line in lines {
            let ts = line["ts"] as? String ?? ""
            #expect(ts.count == 24 && ts.hasSuffix("Z") && ts.dropFirst(10).hasPrefix("T"), "ts is not RFC 3339: \(ts)")
            #expect(["debug", "info", "warning", "error"].contains(line["level"] as? String ?? ""), "\(line)")
            #expect(line["msg"] is String)
        }
        #expect(lines.contains { $0["executor"] as? String == "talk" && $0["msg"] as? String == "talking on stderr" }, "\(run.stderr)")
        #expect(lines.contains { ($0["msg"] as? String)?.hasPrefix("ready: 2 executor(s)") == true }, "\(run.stderr)")
    }

    @Test func aFlowThatFailsLogsJSONToo() throws {
        let dir = try scene(failing: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = try JinaBinary.run(["flow", "run", "--uses", "flow.yml", "--inputs", "-", "--log-format", "json"], in: dir,
                                     stdin: Data("{\"text\": \"a\"}\n".utf8))
        #expect(run.status == 78)
        let lines = objects(run.stderr)
        #expect(lines.contains { $0["executor"] as? String == "talk" && $0["msg"] as? String == "giving up" }, "\(run.stderr)")
        #expect(lines.contains { $0["level"] as? String == "error" && ($0["msg"] as? String)?.contains("talk exited with status 3") == true },
                "\(run.stderr)")
        let missing = try JinaBinary.run(["flow", "run", "--uses", "nope.yml", "--inputs", "-", "--log-format", "json"], in: dir)
        #expect(objects(missing.stderr).first?["level"] as? String == "error", "\(missing.stderr)")
    }

    @Test func quietKeepsOnlyErrors() throws {
        let dir = try scene()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try TestFiles.write("jtype: Flow\nexecutors:\n  - {name: up, uses: UpperCase}\n", to: "quiet.yml", in: dir)
        let serve = try JinaProcess(["flow", "serve", "--uses", "quiet.yml", "--quiet"], in: dir)
        defer { serve.kill() }
        #expect(serve.waitForStdoutLines(1, timeout: 20), "\(serve.stderr)")
        serve.signal(SIGTERM)
        #expect(serve.waitForExit(timeout: 10))
        #expect(serve.exitStatus == 0)
        #expect(serve.stderr.isEmpty, "--quiet logged: \(serve.stderr)")
        let loud = try JinaProcess(["flow", "serve", "--uses", "quiet.yml"], in: dir)
        defer { loud.kill() }
        #expect(loud.waitForStdoutLines(1, timeout: 20))
        loud.signal(SIGTERM)
        #expect(loud.waitForExit(timeout: 10))
        #expect(loud.stderr.contains("terminated"), "without --quiet the stop is logged: \(loud.stderr)")

        // An error in a config's diagnostic form is an error: --quiet shows it.
        let missing = try JinaBinary.run(["flow", "run", "--uses", "nope.yml", "--inputs", "-", "--quiet"], in: dir)
        #expect(missing.status == 78)
        #expect(missing.stderr.contains("nope.yml:1:1: error:"), "\(missing.stderr)")
    }

    /// On a terminal a diagnostic is in colour, and `--quiet` still shows it: its level is the
    /// diagnostic's severity, not read from the coloured text (which once hid it).
    @Test(.enabled(if: JinaBinary.hasScript, "needs script(1) for a pty"))
    func quietShowsAConfigErrorOnATerminalToo() throws {
        let dir = try JinaBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try TestFiles.write("jtype: Flow\nexecutors:\n  - name: a\n    uses: NoSuchExecutor\n", to: "bad.yml", in: dir)
        let onATerminal = ["NO_COLOR": nil, "TERM": "xterm"] as [String: String?]
        let shown = try JinaBinary.runOnATerminal(["flow", "run", "--uses", "bad.yml", "--inputs", "/dev/null", "--quiet"],
                                                  in: dir, environment: onATerminal)
        #expect(shown.status == 78, "\(shown.text)")
        #expect(shown.text.contains("\u{1B}[1;31merror:"), "in colour on a terminal: \(shown.text)")
        #expect(shown.text.contains("unknown executor class 'NoSuchExecutor'"), "--quiet hid the error: \(shown.text)")

        let json = try JinaBinary.runOnATerminal(["flow", "run", "--uses", "bad.yml", "--inputs", "/dev/null", "--log-format", "json"],
                                                 in: dir, environment: onATerminal)
        #expect(json.status == 78)
        #expect(json.text.contains("unknown executor class") && !json.text.lowercased().contains("\\u001b"), "no escape codes in JSON lines: \(json.text)")
    }
}
