import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// `jina flow test`: Flow tests in YAML run against the real binary, reported as text, JUnit XML
/// and JSON, with the exit codes CI reads.
@Suite struct FlowTestCommandTests {
    static let module = """
        from jina import Executor, requests

        class Shout(Executor):
            @requests
            def shout(self, docs, **kwargs):
                for d in docs:
                    if d.text == 'explode':
                        raise ValueError('exploded on purpose')
                    d.text = d.text.upper()
                    d.tags['shouted'] = True
        """

    static let flow = "jtype: Flow\nexecutors:\n  - {name: shout, uses: Shout, py_modules: [shout.py]}\n"

    static let passing = """
        flow: flow.yml
        tests:
          - name: upper-cases each text
            on: /index
            inputs:
              - {id: a, text: hello}
              - {id: b, text: world}
            expect:
              - {id: a, text: HELLO, tags: {shouted: true}}
              - {id: b, text: WORLD}
            expect_count: 2
          - name: reads an inputs file
            inputs_file: docs.jsonl
            expect: [{text: FROM A FILE}]
          - name: refuses bad input
            inputs: [{text: explode}]
            expect_error: exploded
        """

    static let failing = """
        flow: flow.yml
        tests:
          - name: passes
            inputs: [{text: ok}]
            expect_count: 1
          - name: wrong text and a missing document
            inputs: [{id: a, text: hello}]
            expect:
              - {id: a, text: hello}
              - {id: b}
          - name: no error came
            inputs: [{text: calm}]
            expect_error: exploded
        """

    /// A directory with the Flow, its executor, an inputs file and the given test files.
    func scene(_ files: [String: String]) throws -> String {
        let dir = try JinaBinary.temporaryDirectory()
        try TestFiles.write(Self.module, to: "shout.py", in: dir)
        try TestFiles.write(Self.flow, to: "flow.yml", in: dir)
        try TestFiles.write("{\"text\": \"from a file\"}\n", to: "docs.jsonl", in: dir)
        for (name, text) in files { try TestFiles.write(text, to: name, in: dir) }
        return dir
    }

    func flowTest(_ arguments: [String], in dir: String, environment extra: [String: String] = [:]) throws -> JinaBinary.Run {
        var (marker, environment) = ProcessTable.newMarker()
        environment.merge(extra) { $1 }
        defer { ProcessTable.killAll(withMarker: marker) }
        let run = try JinaBinary.run(["flow", "test"] + arguments, in: dir, environment: environment, timeout: 60)
        #expect(ProcessTable.survivors(ofMarker: marker, waiting: 3).isEmpty, "processes left behind")
        return run
    }

    @Test func passingTestsPrintALineEachAndExitZero() throws {
        let dir = try scene(["flow.test.yml": Self.passing])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = try flowTest(["flow.test.yml"], in: dir)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout == """
            flow.test.yml:3: PASS upper-cases each text
            flow.test.yml:12: PASS reads an inputs file
            flow.test.yml:15: PASS refuses bad input
            3 passed, 0 failed

            """, "\(run.stdout)")
    }

    @Test func failingTestsShowWhatDifferedAndExitOne() throws {
        let dir = try scene(["failing.yml": Self.failing])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = try flowTest(["failing.yml"], in: dir)
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stdout == """
            failing.yml:3: PASS passes
            failing.yml:6: FAIL wrong text and a missing document
                [0].text: expected "hello", got "HELLO"
                [1]: expected {"id":"b"}, but the Flow answered 1 document(s)
            failing.yml:11: FAIL no error came
                expected an error containing "exploded", but the request succeeded
            1 passed, 2 failed

            """, "\(run.stdout)")
    }

    @Test func junitHasASuitePerFileACasePerTestAndTheFailures() throws {
        let dir = try scene(["a.yml": Self.passing, "b.yml": Self.failing])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = try flowTest(["a.yml", "b.yml", "--format", "junit"], in: dir)
        #expect(run.status == 1, "\(run.stderr)")
        // Valid against the JUnit schema CI systems read (Tests/schemas/junit.xsd; .ci/run installs xmllint).
        try TestFiles.write(run.stdout, to: "junit.xml", in: dir)
        let lint = try FlowPython.execute("/usr/bin/xmllint", ["--noout", "--schema", JinaBinary.packageRoot + "/Tests/schemas/junit.xsd", "junit.xml"], in: dir)
        #expect(lint.status == 0, "not valid JUnit XML: \(lint.output)")
        let document = try XMLDocument(data: Data(run.stdout.utf8))
        let root = try #require(document.rootElement())
        #expect(root.name == "testsuites")
        #expect(root.attribute(forName: "tests")?.stringValue == "6" && root.attribute(forName: "failures")?.stringValue == "2")
        let suites = root.elements(forName: "testsuite")
        #expect(suites.map { $0.attribute(forName: "name")?.stringValue } == ["a.yml", "b.yml"])
        #expect(suites.map { $0.elements(forName: "testcase").count } == [3, 3])
        #expect(suites.map { $0.attribute(forName: "failures")?.stringValue } == ["0", "2"])
        for suite in suites {
            for testcase in suite.elements(forName: "testcase") {
                #expect(testcase.attribute(forName: "name")?.stringValue?.isEmpty == false)
                #expect(Double(testcase.attribute(forName: "time")?.stringValue ?? "") != nil)
            }
        }
        let failed = suites[1].elements(forName: "testcase")[1]
        #expect(failed.attribute(forName: "name")?.stringValue == "wrong text and a missing document")
        let failure = try #require(failed.elements(forName: "failure").first)
        #expect(failure.attribute(forName: "message")?.stringValue == #"[0].text: expected "hello", got "HELLO""#)
        #expect(failure.stringValue?.contains("[1]: expected {\"id\":\"b\"}") == true, "\(failure.stringValue ?? "")")
    }

    @Test func jsonSaysEachTestsOutcome() throws {
        let dir = try scene(["b.yml": Self.failing])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = try flowTest(["b.yml", "--format", "json"], in: dir)
        #expect(run.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(object["passed"] as? Int == 1 && object["failed"] as? Int == 2)
        let tests = try #require(((object["files"] as? [[String: Any]])?.first?["tests"]) as? [[String: Any]])
        #expect(tests.map { $0["passed"] as? Bool } == [true, false, false])
        #expect(tests.map { $0["line"] as? Int } == [3, 6, 11])
        #expect((tests[2]["problems"] as? [String]) == [#"expected an error containing "exploded", but the request succeeded"#])
    }

    @Test func aFlowThatCannotStartExits78() throws {
        let dir = try scene(["t.yml": "flow: broken.yml\ntests:\n  - inputs: [{text: a}]\n    expect_count: 1\n",
                             "broken.yml": "jtype: Flow\nexecutors:\n  - {name: x, uses: exec://./missing-program}\n"])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = try flowTest(["t.yml"], in: dir)
        #expect(run.status == 78, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("t.yml: ERROR the Flow") && run.stdout.hasSuffix("0 passed, 0 failed, 1 file(s) not run\n"), "\(run.stdout)")
    }

    @Test func aMalformedTestFileIsReportedAsLintDoesAndExits78() throws {
        let dir = try scene(["t.yml": "flow: flow.yml\ntests:\n  - name: typo\n    inputs: [{text: a}]\n    expect_cnt: 1\n"])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = try flowTest(["t.yml"], in: dir)
        #expect(run.status == 78)
        #expect(run.stderr.contains("t.yml:5:5: error: tests[0].expect_cnt: unknown key 'expect_cnt' (did you mean 'expect_count'?)"), "\(run.stderr)")
        let lint = try JinaBinary.run(["flow", "lint", "t.yml"], in: dir)
        #expect(lint.status == 1 && lint.stdout.contains("unknown key 'expect_cnt'"), "lint checks test files too: \(lint.stdout)\(lint.stderr)")
    }

    /// The example Flows' tests in configs/ pass (CI runs them through this test).
    @Test func theExampleFlowsTestsPass() throws {
        let root = JinaBinary.packageRoot
        let files = try ["configs", "configs/seeds"].flatMap { folder in
            try FileManager.default.contentsOfDirectory(atPath: root + "/" + folder).filter { $0.hasSuffix(".test.yml") }.sorted().map { folder + "/" + $0 }
        }
        #expect(files.count >= 4)
        // The search examples' indexes go to workspaces of this test's own.
        let workspace = try JinaBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: workspace) }
        let run = try flowTest(files, in: root, environment: ["JINA_HYBRID_WORKSPACE": workspace + "/hybrid",
                                                              "JINA_TEXT_SEARCH_WORKSPACE": workspace + "/text"])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.hasSuffix(" passed, 0 failed\n"), "\(run.stdout)")
    }
}
