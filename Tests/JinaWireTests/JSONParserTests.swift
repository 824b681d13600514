import Testing
@testable import JinaWire

@Suite struct JSONParserTests {
    @Test(arguments: [
        ("null", JSONValue.null), ("true", .bool(true)), ("false", .bool(false)),
        ("0", .number(0)), ("-0", .number(JSONNumber(text: "-0")!)), ("42", .number(42)), ("-17", .number(-17)),
        ("1.5", .number(1.5)), ("-1.5e10", .number(JSONNumber(text: "-1.5e10")!)), ("1E+2", .number(JSONNumber(text: "1E+2")!)),
        ("2e-3", .number(JSONNumber(text: "2e-3")!)), ("1e400", .number(JSONNumber(text: "1e400")!)),
        ("123456789012345678901234567890", .number(JSONNumber(text: "123456789012345678901234567890")!)),
        (#""""#, .string("")), (#""abc""#, .string("abc")),
        (#""\"\\\/\b\f\n\r\t""#, .string("\"\\/\u{8}\u{C}\n\r\t")),
        (#""\u0041\u00e9\u00E9\u65e5""#, .string("Aéé日")),
        (#""\uD83D\uDE00 \ud83d\ude00""#, .string("😀 😀")),
        (#""\u0000\u001f""#, .string("\u{0}\u{1F}")),
        ("\"héllo 😀 日本 \u{7F} \u{2028}\"", .string("héllo 😀 日本 \u{7F} \u{2028}")),
        ("[]", .array([])), ("[1]", [1]), (#"[1,"a",null,true,[],{}]"#, [1, "a", nil, true, [], [:]]),
        ("[[[]],[[1]]]", [[[]], [[1]]]),
        ("{}", .object(JSONObject())), (#"{"a":1}"#, ["a": 1]),
        (#"{"b":{"c":[{"d":null}]},"a":"x"}"#, ["b": ["c": [["d": nil]]], "a": "x"]),
        (" \t\n\r[ 1 , 2 ]\r\n\t ", [1, 2]), (" { \"a\" : 1 , \"b\" : [ ] } ", ["a": 1, "b": []]),
        ("  7  ", 7), ("\n\"s\"\n", "s"),
    ] as [(String, JSONValue)])
    func parsesValidJSON(text: String, expected: JSONValue) throws {
        #expect(try JSONParser.parse(text) == expected)
    }

    @Test func allInputFormsAgree() throws {
        let text = #"{"id":"doc-1","tags":{"a":[1,2.5,"x"]}}"#
        let bytes = Array(text.utf8)
        let fromString = try JSONParser.parse(text)
        let fromBytes = try JSONParser.parse(bytes)
        let fromRaw = try bytes.withUnsafeBytes { raw in Result { () throws(JSONParseError) in try JSONParser.parse(raw) } }.get()
        #expect(fromString == fromBytes)
        #expect(fromBytes == fromRaw)
    }

    @Test func parsesASliceOfABuffer() throws {
        let bytes = Array("xx[1,2]yy".utf8)
        let value = try bytes.withUnsafeBytes { raw in
            Result { () throws(JSONParseError) in try JSONParser.parse(UnsafeRawBufferPointer(rebasing: raw[2..<7])) }
        }.get()
        #expect(value == [1, 2])
    }

    /// Escapes and special bytes at every position around the 8-byte blocks the string scanner reads.
    @Test func stringsWithSpecialsAtEveryPosition() throws {
        for length in 0..<24 {
            for position in 0...length {
                let plain = String(repeating: "a", count: length)
                let index = plain.index(plain.startIndex, offsetBy: position)
                for (insert, decoded) in [(#"\n"#, "\n"), (#"\""#, "\""), ("é", "é"), ("😀", "😀"), (#"\u00e9"#, "é")] {
                    let text = "\"" + plain[..<index] + insert + plain[index...] + "\""
                    let expected = String(plain[..<index]) + decoded + String(plain[index...])
                    #expect(try JSONParser.parse(text) == .string(expected), "\(text)")
                }
                var bad = Array(("\"" + plain + "\"").utf8)
                bad.insert(0x0A, at: 1 + position)
                #expect(parseError(bad)?.offset == 1 + position)
            }
        }
    }

    @Test func repeatedKeysKeepFirstPositionAndLastValue() throws {
        let small = try JSONParser.parse(#"{"a":1,"b":2,"a":3}"#)
        #expect(small.objectValue?.keys == ["a", "b"])
        #expect(small["a"] == 3)

        let keys = (0..<40).map { "k\($0)" }
        let members = keys.map { "\"\($0)\":0" } + [#""k5":"last""#]
        let large = try JSONParser.parse("{" + members.joined(separator: ",") + "}")
        #expect(large.objectValue?.keys == keys)
        #expect(large["k5"] == "last")
        #expect(large["k39"] == 0)
    }

    @Test func keysDifferingOnlyInNormalizationAreDistinct() throws {
        let value = try JSONParser.parse("{\"\u{E9}\":1,\"e\u{301}\":2}")
        #expect(value.objectValue?.count == 2)
        #expect(value["\u{E9}"] == 1)
        #expect(value["e\u{301}"] == 2)
    }

    @Test func depthLimit() throws {
        let deepest = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(parseError(deepest) == nil)
        let tooDeep = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        #expect(parseError(tooDeep) == JSONParseError(offset: 512, message: "nesting deeper than 512 levels"))
        #expect(parseError(#"{"a":{"a":{"a":1}}}"#, maxDepth: 2)?.offset == 10)
        #expect(parseError(#"{"a":{"a":{"a":1}}}"#, maxDepth: 3) == nil)
        #expect(parseError("[[{}]]", maxDepth: 2)?.offset == 2)  // an empty container counts too
        #expect(parseError("1", maxDepth: 0) == nil)
        #expect(parseError("[]", maxDepth: 0)?.offset == 0)
    }

    /// The parser keeps its own stack, so no input can overflow the call stack.
    @Test func hundredThousandDeepInput() {
        let open = String(repeating: "[", count: 100_000)
        #expect(parseError(open + String(repeating: "]", count: 100_000))?.offset == 512)
        #expect(parseError(open, maxDepth: 1_000_000) == JSONParseError(offset: 100_000, message: "unexpected end of input: expected a value"))
        let objects = String(repeating: #"{"a":"#, count: 100_000)
        #expect(parseError(objects)?.offset == 512 * 5)
        #expect(parseError(objects + "1", maxDepth: 1_000_000)?.offset == 500_001)
    }
}
