import Foundation
import Testing

/// `JINA_<OPTION>` gives an option the command line leaves out (SPEC §1); the command line wins;
/// every man page lists its command's variables.
@Suite struct EnvironmentFlagsTests {
    /// A Flow with one warning: lint exits 0, or 1 with --strict.
    func scene() throws -> String {
        let dir = try JinaBinary.temporaryDirectory()
        try "jtype: Flow\nexecutors:\n  - name: a\n    gpus: all\n".write(toFile: dir + "/f.yml", atomically: true, encoding: .utf8)
        return dir
    }

    @Test func aVariableGivesAnOptionAndTheCommandLineWins() throws {
        let dir = try scene()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let json = try JinaBinary.run(["flow", "lint", "f.yml"], in: dir, environment: ["JINA_FORMAT": "json"])
        #expect(json.status == 0)
        #expect((try? JSONSerialization.jsonObject(with: Data(json.stdout.utf8))) != nil, "JINA_FORMAT=json gave: \(json.stdout)")
        let text = try JinaBinary.run(["flow", "lint", "--format", "text", "f.yml"], in: dir, environment: ["JINA_FORMAT": "json"])
        #expect(text.stdout.hasPrefix("f.yml:4:5: warning:"), "the command line did not win: \(text.stdout)")
        let equals = try JinaBinary.run(["flow", "lint", "--format=text", "f.yml"], in: dir, environment: ["JINA_FORMAT": "json"])
        #expect(equals.stdout.hasPrefix("f.yml:4:5: warning:"), "--format=text did not win: \(equals.stdout)")
    }

    @Test func aFlagIsSetByOneTrueYesOrOn() throws {
        let dir = try scene()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for value in ["1", "true", "YES", "on"] {
            let run = try JinaBinary.run(["flow", "lint", "f.yml"], in: dir, environment: ["JINA_STRICT": value])
            #expect(run.status == 1, "JINA_STRICT=\(value): \(run.stdout)")
        }
        for value in ["0", "false", ""] {
            let run = try JinaBinary.run(["flow", "lint", "f.yml"], in: dir, environment: ["JINA_STRICT": value])
            #expect(run.status == 0, "JINA_STRICT=\(value): \(run.stdout)")
        }
    }

    /// `jina flow --uses …` runs its default subcommand: the variables of that one apply.
    @Test func theDefaultSubcommandsOptionsComeFromTheEnvironmentToo() throws {
        let dir = try scene()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "jtype: Flow\nexecutors:\n  - {name: up, uses: UpperCase}\n".write(toFile: dir + "/up.yml", atomically: true, encoding: .utf8)
        let run = try JinaBinary.run(["flow", "--inputs", "-"], in: dir, environment: ["JINA_USES": "up.yml"], stdin: Data("{\"text\": \"quiet\"}\n".utf8))
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("\"QUIET\""), "\(run.stdout)")
    }

    /// A Flow's own executors get their command line from the Flow, not from its environment:
    /// `JINA_FRAMING=lines`, meant for a `jina executor --port` a user starts, leaves them alone.
    @Test func aFlowsExecutorsTakeNothingFromTheEnvironment() throws {
        let dir = try scene()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "jtype: Flow\nexecutors:\n  - {name: up, uses: UpperCase}\n".write(toFile: dir + "/up.yml", atomically: true, encoding: .utf8)
        let run = try JinaBinary.run(["flow", "run", "--uses", "up.yml", "--inputs", "-"], in: dir, environment: ["JINA_FRAMING": "lines"],
                                     stdin: Data("{\"text\": \"framed\"}\n".utf8))
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("\"FRAMED\""), "\(run.stdout)")
    }

    @Test func manPagesListTheirCommandsVariables() throws {
        let page = try String(contentsOfFile: JinaBinary.packageRoot + "/man/jina.flow.lint.1", encoding: .utf8)
        #expect(page.contains(".Sh ENVIRONMENT"))
        #expect(page.contains(".It Ev JINA_FORMAT") && page.contains(".It Ev JINA_STRICT"))
        #expect(!page.contains("JINA_HELP"))
    }
}
