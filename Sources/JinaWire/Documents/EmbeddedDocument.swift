/// A document as an indexer stores it: its id, its embedding as floats, and the rest of its JSON
/// as it came. Read from a request body in one checking scan with no `Document` built, so a
/// batch of 256-float embeddings costs one pass over their digits instead of a value tree.
public struct EmbeddedDocument: Sendable, Equatable {
    public var id: String?
    /// nil when the document has none, or it is not a list of numbers nor the dense form.
    public var embedding: [Float]?
    /// The document's JSON object without its `embedding` member; the other members' values keep
    /// their bytes.
    public var jsonWithoutEmbedding: [UInt8]

    /// The documents of a body (a JSON array), with `DocumentArray.decode`'s errors; a plain
    /// string is a document with that text.
    public static func decode(_ body: [UInt8]) throws(DocumentArray.DecodeError) -> [EmbeddedDocument] {
        if DocumentArray.isBlank(body) { return [] }
        let read = body.withUnsafeBytes { raw in
            Result { () throws(JSONParseError) in
                let bytes = raw.bindMemory(to: UInt8.self)
                return try JSONParser.arrayElementMembers(raw, floatsOf: "embedding").map { element in
                    EmbeddedDocument(in: bytes, element: element.range, members: element.members, floats: element.floats)
                }
            }
        }
        guard let documents = try? read.get() else {
            _ = try DocumentArray.decode(body)  // throws the decoder's own message: not JSON, not a list
            throw DocumentArray.DecodeError(message: "documents must be a JSON list")
        }
        var out: [EmbeddedDocument] = []
        out.reserveCapacity(documents.count)
        for (index, document) in documents.enumerated() {
            guard let document else { throw DocumentArray.DecodeError(message: "document \(index) is not a JSON object") }
            out.append(document)
        }
        return out
    }

    public init(id: String?, embedding: [Float]?, jsonWithoutEmbedding: [UInt8]) {
        self.id = id
        self.embedding = embedding
        self.jsonWithoutEmbedding = jsonWithoutEmbedding
    }

    /// The element at `element` of `body`, whose member ranges are offsets in `body`; `floats` are
    /// its embedding's when the scan read them. nil when it is neither an object nor a string.
    private init?(in body: UnsafeBufferPointer<UInt8>, element: Range<Int>, members: [(key: String, value: Range<Int>)]?,
                  floats: [Float]?) {
        guard let members else {
            guard case .string(let text)? = try? JSONParser.parse(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: body[element]))) else { return nil }
            self.init(id: nil, embedding: nil, jsonWithoutEmbedding: JSONValue.object(Document(text: text).fields).jsonBytes)
            return
        }
        // A key given twice counts with its last value, as everywhere in JSONParser.
        var id: String?, embedding: [Float]?
        var json: [UInt8] = [UInt8(ascii: "{")]
        json.reserveCapacity(element.count)
        for (key, range) in members {
            let value = UnsafeBufferPointer(rebasing: body[range])
            if key == "embedding" {
                // The scan read a list of numbers; anything else is the dense form, or no embedding.
                embedding = floats ?? (try? JSONParser.parse(UnsafeRawBufferPointer(value))).flatMap(NDArray.floats(from:))
                continue
            }
            if key == "id" { id = (try? JSONParser.parse(UnsafeRawBufferPointer(value)))?.stringValue }
            if json.count > 1 { json.append(UInt8(ascii: ",")) }
            JSONWriter.writeString(key, into: &json)
            json.append(UInt8(ascii: ":"))
            json.append(contentsOf: value)
        }
        json.append(UInt8(ascii: "}"))
        self.init(id: id, embedding: embedding, jsonWithoutEmbedding: json)
    }
}
