import Foundation
import JinaConfig
import Testing

/// Variable substitution (SPEC §2.4): the forms on their own, then through the loader with positions.
@Suite struct SubstitutionTests {
    private let substitution = Substitution(environment: ["X": "env-x", "PORT": "8080", "BOTH": "from-env"],
                                            context: ["model": "bert", "BOTH": "from-context", "ONLY_CTX": "ctx"])

    private func expand(_ text: String) -> String {
        let (out, problems) = substitution.expand(text)
        #expect(problems.isEmpty, "unexpected problems: \(problems)")
        return out
    }

    private func problems(_ text: String) -> [Substitution.Problem] {
        substitution.expand(text).1
    }

    // MARK: - Forms

    @Test func envPrefixedDoubleBraceReadsTheEnvironment() {
        #expect(expand("${{ ENV.X }}") == "env-x")
        #expect(expand("${{ env.X }}") == "env-x")
        #expect(expand("${{ENV.PORT}}") == "8080")
    }

    @Test func bareDoubleBraceReadsTheEnvironmentFirstThenTheContext() {
        #expect(expand("${{ BOTH }}") == "from-env")
        #expect(expand("${{ ONLY_CTX }}") == "ctx")
    }

    @Test func contextPrefixedDoubleBraceReadsOnlyTheContext() {
        #expect(expand("${{ CONTEXT.model }}") == "bert")
        #expect(expand("${{ CONTEXT.BOTH }}") == "from-context")
        #expect(problems("${{ CONTEXT.X }}").count == 1)
    }

    @Test func envPrefixDoesNotFallBackToTheContext() {
        let found = problems("${{ ENV.ONLY_CTX }}")
        #expect(found.count == 1)
        #expect(found.first?.message.contains("'ONLY_CTX' is not set in the environment") == true)
    }

    @Test func dollarNameAndDollarBraceNameReadTheEnvironment() {
        #expect(expand("$X") == "env-x")
        #expect(expand("${X}") == "env-x")
        #expect(expand("http://host:$PORT/x") == "http://host:8080/x")
        #expect(expand("a${X}b") == "aenv-xb")
    }

    @Test func defaultsApplyOnlyWhenUnset() {
        #expect(expand("${{ ENV.NOPE:-fallback }}") == "fallback")
        #expect(expand("${NOPE:-2}") == "2")
        #expect(expand("${NOPE:-}") == "")
        #expect(expand("${{ NOPE :- spaced }}") == "spaced")
        #expect(expand("${X:-unused}") == "env-x")
    }

    @Test func doubleDollarIsALiteralDollar() {
        #expect(expand("$$X") == "$X")
        #expect(expand("cost: $$5") == "cost: $5")
    }

    @Test func dollarDigitAndTrailingDollarAreLeftAlone() {
        #expect(expand("$5 and $") == "$5 and $")
        #expect(expand("price$") == "price$")
        #expect(expand("$(cmd)") == "$(cmd)")
    }

    // MARK: - Problems

    @Test func unsetVariableIsAProblemAtItsCharacterOffset() {
        let found = problems("abc $MISSING def")
        #expect(found.count == 1)
        #expect(found.first?.offset == 4)
        #expect(found.first?.message == "variable 'MISSING' is not set in the environment")
        #expect(found.first?.hint?.contains("${MISSING:-default}") == true)
    }

    @Test func everyUnsetReferenceInAStringIsReported() {
        let found = problems("${A} and ${{ B }}")
        #expect(found.map(\.offset) == [0, 9])
    }

    @Test func unsetBareDoubleBraceSuggestsVarAndExport() {
        let found = problems("${{ NOPE }}")
        #expect(found.first?.hint?.contains("--var NOPE=VALUE") == true)
    }

    @Test func unclosedDoubleBraceIsAProblem() {
        let found = problems("x ${{ ENV.X")
        #expect(found.count == 1)
        #expect(found.first?.offset == 2)
        #expect(found.first?.message.contains("not closed") == true)
    }

    @Test func unclosedSingleBraceIsAProblem() {
        let found = problems("${X")
        #expect(found.first?.message.contains("not closed") == true)
    }

    @Test(arguments: ["${{ root.with.port }}", "${{ this.name }}"])
    func documentReferencesAreRejected(text: String) {
        let found = problems(text)
        #expect(found.count == 1)
        #expect(found.first?.message.contains("root./this.") == true)
    }

    @Test func nonNameInsideBracesIsAProblem() {
        #expect(problems("${{ ENV.a-b }}").first?.message.contains("is not a variable reference") == true)
        #expect(problems("${1abc}").first?.message.contains("is not a variable reference") == true)
    }

    // MARK: - Through the loader

    private func load(_ yaml: String, environment: [String: String] = [:], variables: [String: String] = [:]) -> ConfigLoader.Result {
        ConfigLoader(environment: environment, variables: variables)
            .load(yaml: yaml, file: "flow.yml", directory: FileManager.default.temporaryDirectory.path)
    }

    @Test func environmentStringFillsAnIntegerField() throws {
        let result = load("""
            jtype: Flow
            executors:
              - name: a
                shards: $SHARDS
                replicas: "${{ ENV.REPLICAS }}"
            """, environment: ["SHARDS": "3", "REPLICAS": "2"])
        #expect(result.diagnostics.isEmpty)
        let entry = try #require(result.flow?.executors.first)
        #expect(entry.shards == 3)
        #expect(entry.replicas == 2)
    }

    @Test func substitutedValuesAreTypedAfterSubstitution() throws {
        let result = load("""
            jtype: Flow
            executors:
              - name: a
                uses_with: {n: "$N", s: "$S", kept: "7"}
            """, environment: ["N": "3", "S": "text"])
        let with = try #require(result.flow?.executors.first?.executor.with)
        #expect(with["n"] == .int(3))
        #expect(with["s"] == .string("text"))
        #expect(with["kept"] == .string("7"))
    }

    /// Jina 2's `parse_arg`: the hub's DocCache reads `fields: $CACHE_FIELDS` set to `[id, content]`.
    @Test func aSubstitutedListOrQuotedStringIsReadAsJina2ReadIt() throws {
        let result = load("""
            jtype: Flow
            executors:
              - name: a
                uses_with: {fields: $FIELDS, mixed: "$MIXED", empty: $EMPTY, quoted: $QUOTED}
            """, environment: ["FIELDS": "[id, content]", "MIXED": "[1, 2.5, true, x]", "EMPTY": "[]", "QUOTED": "'42'"])
        #expect(!result.hasErrors)
        let with = try #require(result.flow?.executors.first?.executor.with)
        #expect(with["fields"] == .array([.string("id"), .string("content")]))
        #expect(with["mixed"] == .array([.int(1), .double(2.5), .bool(true), .string("x")]))
        #expect(with["empty"] == .array([]))
        #expect(with["quoted"] == .string("42"))
    }

    @Test func contextVariablesFillDoubleBraceReferences() throws {
        let result = load("""
            jtype: Flow
            executors:
              - name: ${{ CONTEXT.who }}
                timeout_ready: ${{ T }}
            """, variables: ["who": "indexer", "T": "42"])
        #expect(result.diagnostics.isEmpty)
        let entry = try #require(result.flow?.executors.first)
        #expect(entry.name == "indexer")
        #expect(entry.timeoutReady == 42)
    }

    @Test func commentsWithUnsetVariablesAreInert() {
        let result = load("""
            # port: $UNSET_IN_COMMENT
            jtype: Flow  # ${{ ENV.ALSO_UNSET }}
            executors:
              - name: a   # $NOPE
            """)
        #expect(result.diagnostics.isEmpty)
        #expect(result.flow?.executors.count == 1)
    }

    @Test func unsetVariableInAPlainScalarPointsAtTheDollar() throws {
        let result = load("""
            jtype: Flow
            executors:
              - name: a
                shards: $UNSET_SHARDS
            """)
        let d = try #require(result.diagnostics.first)
        #expect(d.severity == .error)
        #expect(d.message.contains("'UNSET_SHARDS' is not set"))
        #expect(d.location.file == "flow.yml")
        #expect(d.location.mark == SourceMark(line: 4, column: 13))
    }

    @Test func unsetVariableInsideQuotesPointsAtTheDollar() {
        let result = load("""
            jtype: Flow
            with:
              title: "served by ${{ ENV.NOPE }}"
              description: 'by $NOPE2'
            executors: []
            """)
        let marks = result.diagnostics.map(\.location.mark)
        #expect(marks == [SourceMark(line: 3, column: 21), SourceMark(line: 4, column: 20)])
    }

    @Test func unsetVariableAfterAnEscapeInQuotesStillPointsAtTheDollar() {
        // `\"` is two characters in the file but one in the value.
        let result = load("""
            jtype: Flow
            with:
              title: "say \\"hi\\" $NOPE"
            executors: []
            """)
        #expect(result.diagnostics.map(\.location.mark) == [SourceMark(line: 3, column: 22)])
    }

    @Test func unsetVariableOnAContinuationLinePointsAtItOrAtTheScalarStart() throws {
        // A plain scalar folded over two lines: the `$` is on line 4, the scalar starts at 3:10.
        let result = load("""
            jtype: Flow
            with:
              title: first line
                second $UNSET
            executors: []
            """)
        let d = try #require(result.diagnostics.first)
        #expect([SourceMark(line: 4, column: 12), SourceMark(line: 3, column: 10)].contains(d.location.mark),
                "points at \(d.location.mark), past the end of line 3")
    }

    @Test func unsetVariableIsReportedOnceWithoutATypeError() {
        let result = load("""
            jtype: Flow
            with:
              port: ${{ ENV.UNSET_PORT }}
            executors:
              - name: a
                timeout_ready: ${{ UNSET_TIMEOUT }}
                shards: $UNSET_SHARDS
                needs: $UNSET_NEEDS
            """)
        #expect(result.diagnostics.count == 4, "\(result.diagnostics.map(\.formatted))")
        #expect(result.diagnostics.allSatisfy { $0.message.contains("is not set") })
        #expect(!result.diagnostics.contains { $0.message.contains("expected") })
    }

    @Test func unsetVariableInFlowWithInheritedByManyExecutorsIsReportedOnce() {
        let result = load("""
            jtype: Flow
            with:
              timeout_ready: $UNSET_T
            executors:
              - name: a
              - name: b
              - name: c
            """)
        #expect(result.diagnostics.count == 1, "\(result.diagnostics.map(\.formatted))")
        #expect(result.diagnostics.first?.location.mark == SourceMark(line: 3, column: 18))
    }

    @Test func doubleDollarInsideInlineUsesYAMLStaysLiteral() throws {
        // The outer scalar is substituted once; the inline YAML inside it must not be substituted again.
        let result = load("""
            jtype: Flow
            executors:
              - name: a
                uses: '!BaseExecutor {metas: {description: "costs $$HOME"}}'
            """, environment: ["HOME": "/root"])
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.formatted))")
        let metas = try #require(result.flow?.executors.first?.executor.metas)
        #expect(metas.description == "costs $HOME")
    }
}
