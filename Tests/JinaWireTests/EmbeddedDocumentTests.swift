import Testing
@testable import JinaWire

@Suite struct EmbeddedDocumentTests {
    func decode(_ text: String) throws(DocumentArray.DecodeError) -> [EmbeddedDocument] {
        try EmbeddedDocument.decode(Array(text.utf8))
    }

    @Test func takesIdAndEmbeddingAndKeepsTheRestAsItCame() throws {
        let docs = try decode(#"[{"id": "a", "text": "x y", "embedding": [1, 2.5], "tags": {"n": 1.50}}, {"embedding": [[3], [4]], "id":"b\u00e9"}]"#)
        #expect(docs == [
            EmbeddedDocument(id: "a", embedding: [1, 2.5], jsonWithoutEmbedding: Array(#"{"id":"a","text":"x y","tags":{"n": 1.50}}"#.utf8)),
            EmbeddedDocument(id: "bé", embedding: [3, 4], jsonWithoutEmbedding: Array(#"{"id":"b\u00e9"}"#.utf8)),
        ])
    }

    @Test func whatADocumentLacksIsNil() throws {
        let docs = try decode(#"[{}, {"id": 7, "embedding": "x"}, "just text"]"#)
        #expect(docs.map(\.id) == [nil, nil, nil])
        #expect(docs.map(\.embedding) == [nil, nil, nil])
        #expect(docs.map { String(decoding: $0.jsonWithoutEmbedding, as: UTF8.self) } == ["{}", #"{"id":7}"#, #"{"text":"just text"}"#])
    }

    @Test func theLastOfARepeatedKeyCounts() throws {
        let docs = try decode(#"[{"id": "a", "embedding": [1], "id": "b", "embedding": [2, 3]}]"#)
        #expect(docs.first?.id == "b")
        #expect(docs.first?.embedding == [2, 3])
    }

    @Test func anEmptyBodyIsNoDocuments() throws {
        #expect(try decode("").isEmpty)
        #expect(try decode(" \n").isEmpty)
        #expect(try decode("[]").isEmpty)
    }

    /// The same errors as DocumentArray.decode, so a client sees one message whichever reads its documents.
    @Test(arguments: ["{}", "[1, {}]", "[{]", "[{\"id\": 1,}]", "nope", "[\"a\" \"b\"]"])
    func badBodiesFailAsTheDecoderFails(text: String) {
        var expected: DocumentArray.DecodeError?
        do { _ = try DocumentArray.decode(Array(text.utf8)) } catch { expected = error }
        var got: DocumentArray.DecodeError?
        do { _ = try decode(text) } catch { got = error }
        #expect(expected != nil)
        #expect(got?.message == expected?.message)
    }

    /// Read from the text (by the scan, or the dense form parsed), an embedding gives what the
    /// parsed value gives.
    @Test(arguments: [
        "[0.1, -0.25, 3.0e-5, 1E+2, -0, 7]",
        " \n[[1,2],[3, 4.5]] ",
        "[]",
        "[[],[[]]]",
        "[-0.7312715117751976, 0.6948674738744653, -0.009129825816118098]",
        #"{"dense": {"buffer": "AACAPwAAAEA=", "shape": [2], "dtype": "<f4"}}"#,
    ])
    func theEmbeddingFromTheTextIsTheValues(text: String) throws {
        let expected = NDArray.floats(from: try JSONParser.parse(text))
        #expect(expected != nil)
        #expect(try decode(#"[{"embedding": \#(text)}]"#).first?.embedding == expected)
    }

    @Test(arguments: [#"["1", 2]"#, "[1, null]", "[true]", "[{}]", #""abc""#, "3", "null", #"{"a": 1}"#])
    func anythingButNumbersIsNoEmbedding(text: String) throws {
        let docs = try decode(#"[{"id": "x", "embedding": \#(text)}]"#)
        #expect(docs.count == 1 && docs.first?.id == "x")
        #expect(docs.first?.embedding == nil)
    }
}
