import JinaWire
import Testing

/// A document's own error travels in `tags.__error__`, beside the tags it already had.
@Suite struct DocumentErrorTests {
    @Test func anErrorIsKeptInTagsBesideTheOthers() throws {
        var doc = Document(["id": "q", "tags": ["lang": "en"]])
        #expect(doc.error == nil)
        doc.error = DocumentError(executor: "VectorIndexer", message: "query q has neither text nor an embedding")
        let json = try JSONParser.parse(JSONValue.object(doc.fields).jsonBytes)
        #expect(json["tags"]?["lang"] == "en")
        #expect(json["tags"]?["__error__"] == ["executor": "VectorIndexer", "name": "ValueError",
                                                "message": "query q has neither text nor an embedding"])
        #expect(Document(json.objectValue!).error == doc.error)
        doc.error = nil
        #expect(doc.fields["tags"] == ["lang": "en"])
    }

    @Test func removingTheOnlyTagRemovesTags() {
        var doc = Document(["id": "q"])
        doc.error = DocumentError(executor: "TextIndexer", message: "no text")
        doc.error = nil
        #expect(doc.fields == ["id": "q"])
    }

    /// A tag of that name that is not an error (no message) is not read as one.
    @Test func aTagWithoutAMessageIsNoError() {
        #expect(Document(["tags": ["__error__": "oops"]]).error == nil)
    }
}
