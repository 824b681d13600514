import Foundation
import JinaConfig
import Testing

/// `YAMLParser`: the node tree over libyaml, its positions, aliases, merge keys, errors and limits.
@Suite struct YAMLParserTests {
    private func parse(_ text: String) throws -> YAMLNode {
        try #require(try YAMLParser().parse(Array(text.utf8), file: "test.yml"))
    }

    /// The diagnostics of a document that must not parse.
    private func errors(_ bytes: [UInt8], sourceLocation: Testing.SourceLocation = #_sourceLocation) -> [Diagnostic] {
        do {
            _ = try YAMLParser().parse(bytes, file: "test.yml")
            Issue.record("expected a parse error", sourceLocation: sourceLocation)
            return []
        } catch {
            return error.diagnostics
        }
    }

    private func errors(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> [Diagnostic] {
        errors(Array(text.utf8), sourceLocation: sourceLocation)
    }

    private func mark(_ line: Int, _ column: Int) -> SourceMark { SourceMark(line: line, column: column) }

    // MARK: - Tree and positions

    @Test func mappingsSequencesAndScalarsCarryOneBasedLineAndColumn() throws {
        let root = try parse("""
            jtype: Flow
            with:
              port: 8080
            executors:
              - name: a
                shards: 2
            """)
        #expect(root.mark == mark(1, 1))
        #expect(root["jtype"]?.scalar == "Flow")
        #expect(root.mapping?.first?.key.mark == mark(1, 1))
        #expect(root["jtype"]?.mark == mark(1, 8))
        let port = try #require(root["with"]?["port"])
        #expect(port.scalar == "8080")
        #expect(port.mark == mark(3, 9))
        let executors = try #require(root["executors"]?.sequence)
        #expect(executors.count == 1)
        #expect(executors[0].mark == mark(5, 5))
        #expect(executors[0]["name"]?.mark == mark(5, 11))
        #expect(executors[0]["shards"]?.mark == mark(6, 13))
        #expect(port.file == "test.yml")
    }

    @Test func scalarStylesAreRecorded() throws {
        let root = try parse("""
            a: plain
            b: 'single'
            c: "double"
            d: |
              literal
            e: >
              folded
            """)
        func style(_ key: String) -> ScalarStyle? {
            if case .scalar(_, let style) = root[key]?.content { return style }
            return nil
        }
        #expect(style("a") == .plain)
        #expect(style("b") == .singleQuoted)
        #expect(style("c") == .doubleQuoted)
        #expect(style("d") == .literal)
        #expect(style("e") == .folded)
        #expect(root["d"]?.scalar?.hasPrefix("literal") == true)
    }

    // MARK: - Tags

    @Test func flowTagOnTheRootMappingGivesLocalTagName() throws {
        let root = try parse("""
            !Flow
            executors: []
            """)
        #expect(root.tag == "!Flow")
        #expect(root.localTagName == "Flow")
        #expect(root["executors"]?.sequence?.isEmpty == true)
    }

    @Test func tagOnAScalarIsKept() throws {
        let root = try parse("uses: !MyExec\n")
        let uses = try #require(root["uses"])
        #expect(uses.localTagName == "MyExec")
        #expect(uses.scalar == "")
    }

    @Test func standardStrTagIsNotALocalTagAndKeepsTheTextAString() throws {
        let root = try parse("a: !!str 3\n")
        let a = try #require(root["a"])
        #expect(a.localTagName == nil)
        #expect(ConfigValue(a) == .string("3"))
    }

    // MARK: - Anchors, aliases, merge keys

    @Test func aliasSharesTheAnchoredValueAtTheAliasPosition() throws {
        let root = try parse("""
            base: &b {x: 1, y: [a, b]}
            copy: *b
            """)
        let copy = try #require(root["copy"])
        #expect(ConfigValue(copy) == ConfigValue(root["base"]!))
        #expect(copy["y"]?.sequence?.count == 2)
        #expect(copy.mark == mark(2, 7))
    }

    @Test func mergeKeyCopiesKeysAndExplicitKeysWin() throws {
        let root = try parse("""
            base: &base {name: first, uses: BaseExecutor, timeout_ready: 10}
            entry:
              <<: *base
              name: second
            """)
        let entry = try #require(root["entry"])
        #expect(entry["name"]?.scalar == "second")
        #expect(entry["uses"]?.scalar == "BaseExecutor")
        #expect(entry["timeout_ready"]?.scalar == "10")
        #expect(entry["<<"] == nil)
        #expect(entry.mapping?.count == 3)
    }

    @Test func mergeListEarlierMappingsWinOverLaterOnes() throws {
        let root = try parse("""
            a: &a {x: 1, y: 1}
            b: &b {y: 2, z: 2}
            c:
              <<: [*a, *b]
              x: 9
            """)
        let c = try #require(root["c"])
        #expect(c["x"]?.scalar == "9")
        #expect(c["y"]?.scalar == "1")
        #expect(c["z"]?.scalar == "2")
    }

    @Test func mergeOfAScalarIsAnError() {
        let diagnostics = errors("a: &a 3\nb:\n  <<: *a\n")
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.message.contains("merge key '<<' needs a mapping") == true)
        #expect(diagnostics.first?.location.mark.line == 3)
    }

    // MARK: - Errors

    @Test func duplicateKeyIsAnErrorNamingBothLines() {
        let diagnostics = errors("""
            name: a
            uses: X
            name: b
            """)
        #expect(diagnostics.count == 1)
        let d = diagnostics[0]
        #expect(d.severity == .error)
        #expect(d.message.contains("duplicate key 'name'"))
        #expect(d.message.contains("line 1"))
        #expect(d.location.mark == mark(3, 1))
    }

    @Test func unknownAliasIsAnError() {
        let diagnostics = errors("a: 1\nb: *nope\n")
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.message == "unknown alias '*nope'")
        #expect(diagnostics.first?.location.mark == mark(2, 4))
    }

    @Test func unknownAliasSuggestsTheCloseAnchorWrittenAsAnAlias() {
        let diagnostics = errors("base: &base 1\nb: *bsae\n")
        #expect(diagnostics.first?.hint == "did you mean '*base'?")
    }

    @Test func aSecondDocumentIsAnError() {
        let diagnostics = errors("a: 1\n---\nb: 2\n")
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.message.contains("second") == true)
        #expect(diagnostics.first?.location.mark.line == 2)
    }

    @Test func syntaxErrorReportsLibyamlProblemAtItsPosition() {
        let diagnostics = errors("jtype: Flow\nkey: value: other\n")
        #expect(diagnostics.count == 1)
        let d = diagnostics[0]
        #expect(d.message.hasPrefix("invalid YAML: mapping values are not allowed"))
        #expect(d.location.mark == mark(2, 11))
        #expect(d.location.file == "test.yml")
    }

    @Test func unclosedFlowSequenceReportsWhereItStarted() {
        let diagnostics = errors("a: [1, 2\nb: 3\n")
        #expect(diagnostics.first?.message.contains("did not find expected ',' or ']'") == true)
        #expect(diagnostics.first?.message.contains("line 1, column 4") == true)
    }

    @Test func tabIndentationIsAnErrorWithTheTabsHint() {
        let diagnostics = errors("executors:\n  - name: a\n\t  uses: X\n")
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.location.mark == mark(3, 1))
        #expect(diagnostics.first?.hint?.contains("tabs") == true)
    }

    @Test func invalidUTF8IsAnErrorWithItsPositionNotACrash() {
        let bytes = Array("a: b\nc: x".utf8) + [0xFF, 0xFE] + Array("\n".utf8)
        let diagnostics = errors(bytes)
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.location.mark == mark(2, 5))
        #expect(diagnostics.first?.hint?.contains("UTF-8") == true)
    }

    @Test func truncatedMultibyteCharacterAtTheEndIsAnError() {
        let bytes = Array("name: caf".utf8) + [0xC3]
        let diagnostics = errors(bytes)
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.location.mark.line == 1)
    }

    @Test func emptyInputIsNil() throws {
        #expect(try YAMLParser().parse([], file: "e.yml") == nil)
        #expect(try YAMLParser().parse(Array("# only a comment\n".utf8), file: "e.yml") == nil)
    }

    // MARK: - Limits

    @Test func deepNestingIsABoundedErrorMentioningTheDepth() {
        let start = ContinuousClock.now
        let diagnostics = errors(String(repeating: "[", count: 10_000))
        #expect(ContinuousClock.now - start < .seconds(2))
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.message.contains("deeper than 128") == true)
    }

    @Test func billionLaughsAliasBombIsAnErrorMentioningTheNodeLimit() {
        var lines = ["l0: &l0 [" + Array(repeating: "lol", count: 9).joined(separator: ", ") + "]"]
        for level in 1...9 {
            lines.append("l\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 9).joined(separator: ", ") + "]")
        }
        let start = ContinuousClock.now
        let diagnostics = errors(lines.joined(separator: "\n"))
        #expect(ContinuousClock.now - start < .seconds(2))
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.message.contains("more than 200000 nodes") == true)
    }

    @Test func nestingDeeperThanTheLimitThroughAliasesIsAlsoAnError() {
        // Each line nests 100 levels (under the limit), but each alias puts the previous 100 inside.
        func level(_ inner: String, anchor: String) -> String {
            "\(anchor): &\(anchor) " + String(repeating: "[", count: 100) + inner + String(repeating: "]", count: 100)
        }
        let text = [level("x", anchor: "a"), level("*a", anchor: "b"), level("*b", anchor: "c")].joined(separator: "\n")
        let diagnostics = errors(text)
        #expect(diagnostics.first?.message.contains("deeper than 128") == true)
    }

    @Test func aliasesWithinTheNodeLimitAreFine() throws {
        let root = try parse("""
            a: &a [x, y, z]
            b: [*a, *a, *a]
            """)
        #expect(root["b"]?.sequence?.count == 3)
        #expect(root["b"]?.sequence?[2].sequence?.count == 3)
    }

    // MARK: - Implicit scalar typing

    @Test(arguments: [
        ("on", ImplicitScalar.string("on")),
        ("off", .string("off")),
        ("On", .string("On")),
        ("yes", .bool(true)),
        ("No", .bool(false)),
        ("true", .bool(true)),
        ("FALSE", .bool(false)),
        ("~", .null),
        ("null", .null),
        ("", .null),
        ("42", .int(42)),
        ("-7", .int(-7)),
        ("0x1F", .int(31)),
        ("1_000", .int(1000)),
        ("1.5", .double(1.5)),
        (".inf", .double(.infinity)),
        ("-.inf", .double(-.infinity)),
        ("encoder", .string("encoder")),
        ("1.2.3", .string("1.2.3")),
        ("-", .string("-")),
    ])
    func plainScalarTyping(text: String, expected: ImplicitScalar) {
        #expect(ImplicitScalar.resolve(text, style: .plain) == expected)
    }

    @Test func nanIsADouble() {
        guard case .double(let d) = ImplicitScalar.resolve(".nan", style: .plain) else {
            Issue.record("'.nan' is not a double"); return
        }
        #expect(d.isNaN)
    }

    @Test(arguments: [ScalarStyle.singleQuoted, .doubleQuoted, .literal, .folded])
    func quotedAndBlockScalarsStayStrings(style: ScalarStyle) {
        #expect(ImplicitScalar.resolve("3", style: style) == .string("3"))
        #expect(ImplicitScalar.resolve("true", style: style) == .string("true"))
    }

    @Test func configValueFollowsTheImplicitTypes() throws {
        let root = try parse("""
            a: on
            b: yes
            c: "3"
            d: 0x1F
            e: 1_000
            f: .inf
            g: ~
            h: [1, '2']
            """)
        #expect(ConfigValue(root) == .object([
            ConfigField(key: "a", value: .string("on")),
            ConfigField(key: "b", value: .bool(true)),
            ConfigField(key: "c", value: .string("3")),
            ConfigField(key: "d", value: .int(31)),
            ConfigField(key: "e", value: .int(1000)),
            ConfigField(key: "f", value: .double(.infinity)),
            ConfigField(key: "g", value: .null),
            ConfigField(key: "h", value: .array([.int(1), .string("2")])),
        ]))
    }
}
