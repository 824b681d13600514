import Foundation
import Testing

@Suite struct LintCommandTests {
    @Test func everyExampleConfigPassesLint() throws {
        let flows = JinaBinary.exampleFlows
        #expect(flows.count >= 15)
        let run = try JinaBinary.run(["flow", "lint"] + flows)
        #expect(run.status == 0, "lint failed:\n\(run.stdout)")
        #expect(!run.stdout.contains(": error:"))
        #expect(run.stderr.contains("\(flows.count) files checked: 0 errors"))
    }

    @Test func errorsArePrintedWithPositionAndExitOne() throws {
        let dir = try JinaBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try """
        jtype: Flow
        executors:
          - name: encoder
          - name: indexer
            needs: encodr
            shards: two
        """.write(toFile: dir + "/flow.yml", atomically: true, encoding: .utf8)
        let run = try JinaBinary.run(["flow", "lint", "flow.yml"], in: dir)
        #expect(run.status == 1)
        #expect(run.stdout.contains("flow.yml:5:12: error: executors[1].needs: unknown executor 'encodr' (did you mean 'encoder'?)"))
        #expect(run.stdout.contains("flow.yml:6:13: error: executors[1].shards: expected an integer, found 'two'"))
        #expect(run.stderr.contains("1 file checked: 2 errors, 0 warnings"))
    }

    @Test func warningsAloneExitZero() throws {
        let dir = try JinaBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try """
        jtype: Flow
        executors:
          - {name: p1, needs: gateway}
          - {name: p2, needs: gateway}
          - {name: r1, needs: p1}
        """.write(toFile: dir + "/flow.yml", atomically: true, encoding: .utf8)
        let run = try JinaBinary.run(["flow", "lint", "flow.yml"], in: dir)
        #expect(run.status == 0)
        #expect(run.stdout.contains("flow.yml:4:5: warning: executors[1]: executor 'p2' is an orphan"))
    }

    @Test func jsonFormatGivesTheSameDiagnostics() throws {
        let dir = try JinaBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "jtype: Flow\nexecutors:\n  - name: a\n    shard: 2\n".write(toFile: dir + "/f.yml", atomically: true, encoding: .utf8)
        let run = try JinaBinary.run(["flow", "lint", "--format", "json", "f.yml"], in: dir)
        #expect(run.status == 1)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(json["errors"] as? Int == 1)
        let first = try #require((json["diagnostics"] as? [[String: Any]])?.first)
        #expect(first["file"] as? String == "f.yml")
        #expect(first["line"] as? Int == 4)
        #expect(first["column"] as? Int == 5)
        #expect(first["severity"] as? String == "error")
        #expect(first["path"] as? String == "executors[0].shard")
        #expect(first["hint"] as? String == "did you mean 'shards'?")
    }

    @Test func unreadableInputsAreErrorsNotCrashes() throws {
        let dir = try JinaBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data([0x6A, 0x74, 0x79, 0x70, 0x65, 0x3A, 0x20, 0xFF, 0xFE, 0x0A]).write(to: URL(fileURLWithPath: dir + "/binary.yml"))
        try Data().write(to: URL(fileURLWithPath: dir + "/empty.yml"))
        try FileManager.default.createDirectory(atPath: dir + "/adir.yml", withIntermediateDirectories: true)
        let run = try JinaBinary.run(["flow", "lint", "missing.yml", "adir.yml", "empty.yml", "binary.yml"], in: dir)
        #expect(run.status == 1)
        #expect(run.stdout.contains("missing.yml:1:1: error: no such file"))
        #expect(run.stdout.contains("adir.yml:1:1: error: is a directory, expected a YAML file"))
        #expect(run.stdout.contains("empty.yml:1:1: error: the file is empty"))
        #expect(run.stdout.contains("binary.yml:1:8: error: invalid YAML"))
    }

    @Test func contextVariablesComeFromVarFlags() throws {
        let dir = try JinaBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "jtype: Flow\nexecutors:\n  - name: a\n    shards: ${{ num_shards }}\n".write(toFile: dir + "/f.yml", atomically: true, encoding: .utf8)
        // Lint warns (the app may set it before it runs the Flow); --strict and flow run refuse.
        let unset = try JinaBinary.run(["flow", "lint", "f.yml"], in: dir)
        #expect(unset.status == 0, "\(unset.stdout)")
        #expect(unset.stdout.contains("f.yml:4:13: warning: variable 'num_shards' is not set in the environment or --var; set it before `flow run`"))
        let strict = try JinaBinary.run(["flow", "lint", "--strict", "f.yml"], in: dir)
        #expect(strict.status == 1)
        #expect(strict.stdout.contains("f.yml:4:13: error: variable 'num_shards' is not set"))
        let run = try JinaBinary.run(["flow", "run", "--uses", "f.yml", "--inputs", "-"], in: dir)
        #expect(run.status == 78)
        #expect(run.stderr.contains("f.yml:4:13: error: variable 'num_shards' is not set"), "\(run.stderr)")
        let set = try JinaBinary.run(["flow", "lint", "--var", "num_shards=3", "f.yml"], in: dir)
        #expect(set.status == 0, "\(set.stdout)")
    }

    @Test func strictMakesWarningsErrors() throws {
        let dir = try JinaBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "jtype: Flow\nexecutors:\n  - name: a\n    gpus: all\n".write(toFile: dir + "/f.yml", atomically: true, encoding: .utf8)
        #expect(try JinaBinary.run(["flow", "lint", "f.yml"], in: dir).status == 0)
        let strict = try JinaBinary.run(["flow", "lint", "--strict", "f.yml"], in: dir)
        #expect(strict.status == 1)
        #expect(strict.stdout.contains("f.yml:4:5: error:"), "\(strict.stdout)")
    }

    @Test func usageErrorsExit64() throws {
        #expect(try JinaBinary.run(["flow", "lint"]).status == 64)
        #expect(try JinaBinary.run(["flow", "lint", "--format", "xml", "a.yml"]).status == 64)
        #expect(try JinaBinary.run(["flow", "lint", "--var", "novalue", "a.yml"]).status == 64)
    }
}
