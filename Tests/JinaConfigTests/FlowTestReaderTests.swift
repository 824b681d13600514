import Foundation
import JinaConfig
import Testing

/// Reading `jina flow test` files: what a test holds, and what is wrong reported as lint does.
@Suite struct FlowTestReaderTests {
    /// Writes flow.yml and `test` in a fresh directory; reads the test.
    func read(_ test: String) throws -> (suite: FlowTestSuite?, diagnostics: [String]) {
        let dir = NSTemporaryDirectory() + "flow-test-reader-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "jtype: Flow\n".write(toFile: dir + "/flow.yml", atomically: true, encoding: .utf8)
        try "{\"text\": \"x\"}\n".write(toFile: dir + "/docs.jsonl", atomically: true, encoding: .utf8)
        try test.write(toFile: dir + "/t.yml", atomically: true, encoding: .utf8)
        let (suite, diagnostics) = FlowTestReader.read(path: dir + "/t.yml")
        return (suite, diagnostics.map { $0.formatted.replacingOccurrences(of: dir + "/", with: "") })
    }

    @Test func aTestHoldsItsRequestAndExpectations() throws {
        let (suite, diagnostics) = try read("""
            flow: flow.yml
            tests:
              - name: upper
                on: /index
                parameters: {top_k: 3}
                inputs: [{id: a, text: hello}]
                expect: [{id: a, text: HELLO}]
                expect_count: 1
              - name: file
                inputs_file: docs.jsonl
                expect_error: boom
            """)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let tests = try #require(suite?.tests)
        #expect(suite?.flowPath.hasSuffix("/flow.yml") == true)
        #expect(tests.map(\.name) == ["upper", "file"])
        #expect(tests[0].endpoint == "/index" && tests[1].endpoint == "/default")
        #expect(tests[0].location.mark.line == 3)
        #expect(tests[0].parameters == [ConfigField(key: "top_k", value: .int(3))])
        #expect(tests[0].expect == [.object([ConfigField(key: "id", value: .string("a")), ConfigField(key: "text", value: .string("HELLO"))])])
        #expect(tests[0].expectCount == 1)
        guard case .file(let path) = tests[1].inputs else { Issue.record("inputs_file not read"); return }
        #expect(path.hasSuffix("/docs.jsonl"))
        #expect(tests[1].expectError == "boom")
    }

    @Test func anUnknownKeyIsAnErrorWithItsPlaceAndASuggestion() throws {
        let (suite, diagnostics) = try read("flow: flow.yml\ntests:\n  - name: t\n    inputs: [{text: x}]\n    expct: []\n")
        #expect(suite == nil)
        #expect(diagnostics.contains("t.yml:5:5: error: tests[0].expct: unknown key 'expct' (did you mean 'expect'?)"), "\(diagnostics)")
    }

    @Test func aMissingFlowOrInputsFileIsAnError() throws {
        let (_, diagnostics) = try read("flow: nope.yml\ntests:\n  - inputs_file: none.jsonl\n    expect_count: 0\n")
        #expect(diagnostics.contains("t.yml:1:7: error: flow: no such Flow file: nope.yml"), "\(diagnostics)")
        #expect(diagnostics.contains("t.yml:3:18: error: tests[0].inputs_file: no such inputs file: none.jsonl"), "\(diagnostics)")
    }

    @Test func aTestThatAssertsNothingIsAWarning() throws {
        let (suite, diagnostics) = try read("flow: flow.yml\ntests:\n  - name: idle\n    inputs: [{text: x}]\n")
        #expect(suite?.tests.count == 1)
        #expect(diagnostics == ["t.yml:3:5: warning: tests[0]: test 'idle' asserts nothing: give 'expect', 'expect_count' or 'expect_error'"])
    }

    @Test func documentsMustBeMappings() throws {
        let (_, diagnostics) = try read("flow: flow.yml\ntests:\n  - inputs: [hello]\n    expect_count: 1\n")
        #expect(diagnostics.first?.hasPrefix("t.yml:3:14: error: tests[0].inputs[0]: expected a document") == true, "\(diagnostics)")
    }

    @Test func aFileWithoutFlowOrTestsSaysWhatIsMissing() throws {
        let (_, diagnostics) = try read("tests: []\n")
        #expect(diagnostics.contains { $0.contains("missing 'flow'") }, "\(diagnostics)")
    }
}
