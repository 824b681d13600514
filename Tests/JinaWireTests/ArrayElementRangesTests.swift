import Testing
@testable import JinaWire

@Suite struct ArrayElementRangesTests {
    func elements(_ text: String) throws -> [String] {
        let bytes = Array(text.utf8)
        return try elementRanges(bytes).map { String(decoding: bytes[$0], as: UTF8.self) }
    }

    @Test func splitsWithoutBeingFooledByStrings() throws {
        let text = #" [ 1 , "a,]" , {"b":[1,2],"c":"]"} , [[],[",",{}]] , null,"\"]\\" , -1.5e3,true ] "#
        #expect(try elements(text) == ["1", #""a,]""#, #"{"b":[1,2],"c":"]"}"#, #"[[],[",",{}]]"#, "null", #""\"]\\""#, "-1.5e3", "true"])
    }

    @Test func emptyArrays() throws {
        #expect(try elements("[]").isEmpty)
        #expect(try elements(" \n[ \t] ").isEmpty)
        #expect(try elements("[[]]") == ["[]"])
    }

    @Test(arguments: [
        ("", 0, "unexpected end of input: expected '[' to begin an array"),
        ("{}", 0, "expected '[' to begin an array"),
        (#""[1]""#, 0, "expected '[' to begin an array"),
        ("[1,]", 3, "expected a value, found ']'"),
        ("[1 2]", 3, "expected ',' or ']' after an array element"),
        ("[1, tru]", 7, "invalid literal, expected 'true'"),
        ("[1] x", 4, "unexpected 'x' after the JSON value"),
        (#"[{"a":1,}]"#, 8, "expected '\"' to begin an object key"),
        (#"["a\u12"]"#, 3, #"invalid \u escape, expected 4 hex digits"#),
        ("[01]", 1, "leading zeros are not allowed in a number"),
        ("[[1]", 4, "unexpected end of input: expected ',' or ']' after an array element"),
    ] as [(String, Int, String)])
    func validatesLikeTheParser(text: String, offset: Int, message: String) {
        let expected = JSONParseError(offset: offset, message: message)
        #expect(rangesError(Array(text.utf8)) == expected)
        if text.first == "[" { #expect(parseError(text) == expected) }
    }

    @Test func invalidUTF8InAnElement() {
        #expect(rangesError([0x5B, 0x22, 0xFF, 0x22, 0x5D]) == JSONParseError(offset: 2, message: "invalid UTF-8 in a string"))
    }

    @Test func depthCountsTheOuterArray() {
        #expect(rangesError(Array("[[[1]]]".utf8), maxDepth: 3) == nil)
        #expect(rangesError(Array("[[[1]]]".utf8), maxDepth: 2)?.offset == 2)
        #expect(rangesError(Array("[1]".utf8), maxDepth: 0)?.offset == 0)
        let deep = Array(("[" + String(repeating: "[", count: 100_000)).utf8)
        #expect(rangesError(deep)?.offset == 512)
    }

    @Test func agreesWithTheParserOnRandomArrays() throws {
        var random = RandomJSON(seed: 7)
        for _ in 0..<200 {
            let elements = (0..<Int.random(in: 0...8, using: &random.generator)).map { _ in random.value() }
            let bytes = JSONValue.array(elements).jsonBytes
            let slices = try elementRanges(bytes).map { Array(bytes[$0]) }
            #expect(try slices.map { try JSONParser.parse($0) } == elements)
        }
    }

    /// An embedding read as floats during the scan nests, and fails, exactly as any value does.
    @Test func floatsReadInTheScanKeepTheDepthLimit() throws {
        let bytes = Array(#"[{"embedding":[[[1,2]],[3]]}]"#.utf8)
        for maxDepth in 0...6 {
            let members: JSONParseError?
            do { _ = try elementMembers(bytes, floatsOf: "embedding", maxDepth: maxDepth); members = nil } catch { members = error }
            #expect(members == rangesError(bytes, maxDepth: maxDepth), "maxDepth \(maxDepth)")
        }
        #expect(try elementMembers(bytes, floatsOf: "embedding").first?.floats == [1, 2, 3])
    }

    @Test(arguments: [
        (#"[{"embedding":[1,2,]}]"#, 19),
        (#"[{"embedding":[1 2]}]"#, 17),
        (#"[{"embedding":[1,01]}]"#, 17),
        (#"[{"embedding":[1,-]}]"#, 18),
        (#"[{"embedding":[1,2"#, 18),
        (#"[{"embedding":[[1],[2]}]"#, 22),
    ] as [(String, Int)])
    func floatsReadInTheScanFailAsTheParserFails(text: String, offset: Int) {
        let bytes = Array(text.utf8)
        let expected = parseError(bytes)
        #expect(expected?.offset == offset)
        do {
            _ = try elementMembers(bytes, floatsOf: "embedding")
            Issue.record("accepted \(text)")
        } catch {
            #expect(error == expected)
        }
    }
}
