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
}
