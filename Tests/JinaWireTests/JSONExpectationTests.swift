import JinaWire
import Testing

/// What `jina flow test` counts as a document meeting its `expect`: keys listed must match,
/// nested objects as subsets, lists element by element, numbers by value.
@Suite struct JSONExpectationTests {
    func differences(_ expected: String, _ actual: String) throws -> [String] {
        JSONExpectation.differences(expected: try JSONParser.parse(expected), actual: try JSONParser.parse(actual)).map(\.description)
    }

    @Test func keysNotListedAreNotChecked() throws {
        #expect(try differences(#"{"text":"HELLO"}"#, #"{"id":"a","text":"HELLO","tags":{"x":1}}"#).isEmpty)
    }

    @Test func aDifferentValueNamesItsPathAndBothValues() throws {
        #expect(try differences(#"{"tags":{"lang":"en"}}"#, #"{"tags":{"lang":"de","x":1}}"#)
                == [#"tags.lang: expected "en", got "de""#])
    }

    @Test func aMissingKeyIsReportedAsNothing() throws {
        #expect(try differences(#"{"tags":{"lang":"en"}}"#, #"{"tags":{}}"#) == [#"tags.lang: expected "en", got nothing"#])
    }

    @Test func listsMatchElementByElementAndMustBeAsLong() throws {
        #expect(try differences(#"{"chunks":[{"text":"a"},{"text":"b"}]}"#, #"{"chunks":[{"text":"a","id":"1"},{"text":"b"}]}"#).isEmpty)
        #expect(try differences(#"{"chunks":[{"text":"a"}]}"#, #"{"chunks":[{"text":"a"},{"text":"b"}]}"#)
                == ["chunks: expected 1 element(s), got 2 element(s)"])
        let missing = try differences(#"{"chunks":[{"text":"a"},{"text":"b"}]}"#, #"{"chunks":[{"text":"a"}]}"#)
        #expect(missing == [#"chunks[1]: expected {"text":"b"}, got nothing"#], "\(missing)")
    }

    @Test func numbersMatchByValueWithinAMillionth() throws {
        #expect(try differences(#"{"n":1}"#, #"{"n":1.0}"#).isEmpty)
        #expect(try differences(#"{"e":[0.1]}"#, #"{"e":[0.10000000149011612]}"#).isEmpty, "a float32 0.1")
        #expect(try differences(#"{"n":0.5}"#, #"{"n":0.51}"#) == ["n: expected 0.5, got 0.51"])
    }

    @Test func typesMustAgree() throws {
        #expect(try differences(#"{"n":"1"}"#, #"{"n":1}"#) == [#"n: expected "1", got 1"#])
        #expect(try differences(#"{"t":{"a":1}}"#, #"{"t":[1]}"#) == [#"t: expected {"a":1}, got [1]"#])
    }
}
