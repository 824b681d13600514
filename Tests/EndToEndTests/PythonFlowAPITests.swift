import Foundation
import Testing

/// Jina 2's Python Flow API over the binary (SPEC §9): every Python example of the Flow cookbook,
/// as a script in sdk/python/tests/seed_scripts/, runs with the built `jina` and the bundled SDK
/// on PYTHONPATH, exits 0 (its own asserts pass), and leaves no process behind.
@Suite(.enabled(if: FlowPython.path != nil, "needs python3 on PATH"))
struct PythonFlowAPITests {
    static let scripts: [String] = {
        let dir = JinaBinary.packageRoot + "/sdk/python/tests/seed_scripts"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return names.filter { $0.hasSuffix(".py") && !$0.hasPrefix("_") }.sorted()
    }()

    @Test func theSeedScriptsAreFound() {
        #expect(Self.scripts.count >= 7, "\(Self.scripts)")
    }

    /// `pip install ./sdk/python` into a fresh virtualenv gives a `jina` package that runs the
    /// minimum working example without PYTHONPATH. (pip fetches setuptools from PyPI to build it.)
    @Test(.enabled(if: FlowPython.path.map { (try? FlowPython.execute($0, ["-c", "import venv, ensurepip"]).status) == 0 } ?? false,
                   "needs Python's venv and ensurepip"))
    func pipInstallGivesAWorkingPackage() throws {
        let dir = try JinaBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let venv = dir + "/venv"
        let made = try FlowPython.execute(FlowPython.path!, ["-m", "venv", venv])
        #expect(made.status == 0, "\(made.output)")
        let install = try FlowPython.execute(venv + "/bin/pip", ["install", "--disable-pip-version-check", "-q",
                                                                  JinaBinary.packageRoot + "/sdk/python"], in: dir)
        #expect(install.status == 0, "\(install.output)")
        // pip builds in the source tree: leave it as it was.
        for leftover in ["build", "jina_swift.egg-info"] { try? FileManager.default.removeItem(atPath: JinaBinary.packageRoot + "/sdk/python/" + leftover) }
        let script = JinaBinary.packageRoot + "/sdk/python/tests/seed_scripts/mwe_all_in_one.py"
        let run = try FlowPython.execute("/usr/bin/env", ["JINA_BIN=\(JinaBinary.path)", "PYTHONPATH=", venv + "/bin/python", script], in: dir)
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("top-level code ran once"))
    }

    @Test(arguments: scripts)
    func seedScriptRuns(script: String) throws {
        let (marker, markerEnvironment) = ProcessTable.newMarker()
        defer { ProcessTable.killAll(withMarker: marker) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: FlowPython.path!)
        process.arguments = [JinaBinary.packageRoot + "/sdk/python/tests/seed_scripts/" + script]
        process.currentDirectoryURL = URL(fileURLWithPath: try JinaBinary.temporaryDirectory())
        var environment = ProcessInfo.processInfo.environment.merging(markerEnvironment) { $1 }
        environment["JINA_BIN"] = JinaBinary.path
        environment["PYTHONPATH"] = JinaBinary.packageRoot + "/sdk/python"
        process.environment = environment
        // A file, not a pipe: a process the script left behind must not hold the test up.
        let log = process.currentDirectoryURL!.path + "/output.txt"
        FileManager.default.createFile(atPath: log, contents: nil)
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        let finished = !process.isRunning
        if !finished { process.terminate() }
        process.waitUntilExit()
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        #expect(finished, "\(script) still ran after 120 s:\n\(text)")
        #expect(process.terminationStatus == 0, "\(script):\n\(text)")
        let left = ProcessTable.survivors(ofMarker: marker, waiting: 5)
        #expect(left.isEmpty, "\(script) left processes behind: \(left)")
    }
}
