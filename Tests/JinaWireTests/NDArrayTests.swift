import Testing
@testable import JinaWire

@Suite struct NDArrayTests {
    func fromJSON(_ text: String) -> [Float]? {
        Array(text.utf8).withUnsafeBufferPointer(NDArray.floats(fromJSON:))
    }

    func fromValue(_ text: String) throws -> [Float]? {
        NDArray.floats(from: try JSONParser.parse(text))
    }

    /// Read from the text or from the parsed value, an embedding gives the same floats.
    @Test(arguments: [
        "[0.1, -0.25, 3.0e-5, 1E+2, -0, 7]",
        " \n[[1,2],[3, 4.5]] ",
        "[]",
        "[[],[[]]]",
        "[-0.7312715117751976, 0.6948674738744653, -0.009129825816118098]",
        #"{"dense": {"buffer": "AACAPwAAAEA=", "shape": [2], "dtype": "<f4"}}"#,
    ])
    func theTextGivesWhatTheValueGives(text: String) throws {
        let expected = try fromValue(text)
        #expect(expected != nil)
        #expect(fromJSON(text) == expected)
    }

    @Test(arguments: [#"["1", 2]"#, "[1, null]", "[true]", "[{}]", #""abc""#, "3", "null", #"{"a": 1}"#, ""])
    func anythingButNumbersIsNoEmbedding(text: String) {
        #expect(fromJSON(text) == nil)
    }
}
