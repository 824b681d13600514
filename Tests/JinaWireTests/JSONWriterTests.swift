import Testing
@testable import JinaWire

@Suite struct JSONWriterTests {
    @Test func compactOutput() {
        let value: JSONValue = ["a": [1, 2.5, nil, true, false], "b": ["c": "d"], "e": [], "f": [:]]
        #expect(value.jsonString == #"{"a":[1,2.5,null,true,false],"b":{"c":"d"},"e":[],"f":{}}"#)
        #expect(value.jsonBytes == Array(value.jsonString.utf8))
    }

    @Test func escapesOnlyWhatJSONRequires() {
        let controls = String(String.UnicodeScalarView((0..<0x20).map { Unicode.Scalar(UInt8($0)) }))
        #expect(JSONValue.string(controls).jsonString == #""\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000b\f\r\u000e\u000f\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f""#)
        #expect(JSONValue.string("\"\\/").jsonString == #""\"\\/""#)
        #expect(JSONValue.string("\u{7F} é 日本 😀 \u{2028} \u{FEFF}").jsonString == "\"\u{7F} é 日本 😀 \u{2028} \u{FEFF}\"")
        #expect(JSONValue.object(["k\"\n": 1]).jsonString == #"{"k\"\n":1}"#)
    }

    @Test func escapesInLongStrings() {
        let text = String(repeating: "abcdefgh", count: 5) + "\"" + String(repeating: "é", count: 9) + "\n"
        #expect(JSONValue.string(text).jsonString == "\"" + String(repeating: "abcdefgh", count: 5) + #"\""# + String(repeating: "é", count: 9) + #"\n""#)
    }

    /// Characters to escape at every position around the 8-byte blocks the writer scans.
    @Test func escapesAtEveryPosition() {
        for length in 0..<24 {
            for position in 0...length {
                for (character, escaped) in [("\n", #"\n"#), ("\"", #"\""#), ("\\", #"\\"#), ("\u{1F}", #"\u001f"#), ("é", "é"), ("\u{7F}", "\u{7F}")] {
                    let before = String(repeating: "a", count: position), after = String(repeating: "b", count: length - position)
                    #expect(JSONValue.string(before + character + after).jsonString == "\"" + before + escaped + after + "\"")
                }
            }
        }
    }

    @Test func appendsToTheBuffer() {
        var buffer = Array("prefix:".utf8)
        JSONWriter.write([1, 2], into: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == "prefix:[1,2]")
    }

    @Test(arguments: [
        "null", "true", "0", "-0", "1.0", "1e400", "12345678901234567890", #""""#, "[]", "{}",
        #"{"id":"doc-00000000-A1C79036","text":"hello world 123","tags":{"a":1}}"#,
        #"[{"id":"a","embedding":[0.1,-0.25,3.0e-5,1E+2]},{"id":"b","chunks":[{"text":"x"}],"matches":[]}]"#,
        #""quote\" backslash\\ slash/ controls\b\f\n\r\t\u0000\u001f del\#u{7F} é 日本 😀""#,
        #"{"z":{"y":{"x":[[[]]]}},"a":null,"":"","\u0001":"\"\\"}"#,
        #"{"data":[{"id":"1","tags":{"k":[1,2,{"n":null}]}}],"parameters":{"top_k":1.0},"header":{"exec_endpoint":"/index"}}"#,
    ])
    func compactTextRoundTripsByteForByte(text: String) throws {
        #expect(try JSONParser.parse(text).jsonString == text)
    }

    @Test func nonCanonicalInputWritesCanonically() throws {
        #expect(try JSONParser.parse(#" [ 1 , "\u0041\/\u00e9\uD83D\uDE00\u001F" , { "a" : [ ] } ] "#).jsonString
                == #"[1,"A/é😀\u001f",{"a":[]}]"#)
    }

    @Test func deterministic() throws {
        let value = try JSONParser.parse(#"{"b":1,"a":[{"d":2,"c":3}]}"#)
        #expect(value.jsonString == value.jsonString)
        #expect(value.jsonString == #"{"b":1,"a":[{"d":2,"c":3}]}"#)
    }
}
